import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TicketView } from '@switchboard/contracts';
import { eventually, sleep } from '@switchboard/testkit';
import { startTicketWorld, type TicketWorld } from './harness.js';

let w: TicketWorld;

async function ticketOf(conversationId: string): Promise<TicketView> {
  return eventually(async () => {
    const list = await w.api('GET', '/api/v1/tickets?limit=200');
    return (list.json.items as TicketView[]).find((t) => t.conversationIds.includes(conversationId));
  }, 10_000, `ticket of ${conversationId}`);
}

async function agentReplies(conversationId: string, text: string) {
  const res = await w.api('POST', `/api/v1/conversations/${conversationId}/messages`, { text, idempotencyKey: `k-${Math.random().toString(36).slice(2)}` });
  expect(res.status).toBe(201);
}

beforeAll(async () => {
  w = await startTicketWorld();
});
afterAll(async () => {
  await w?.close();
});

describe('tickets follow conversations', () => {
  let conversationId: string;
  let ticket: TicketView;

  it('a customer’s first message opens ticket #1001 with the first line as subject, SLA clocks running', async () => {
    ({ conversationId } = await w.customerWrites({ thread: 'olga', text: 'My order 5521 never arrived\nCan you check?', sender: { name: 'Olga Petrova' } }));
    ticket = await ticketOf(conversationId);
    expect(ticket.number).toBe(1001);
    expect(ticket.subject).toBe('My order 5521 never arrived');
    expect(ticket.status).toBe('new');
    expect(ticket.requester.name).toBe('Olga Petrova');
    expect(ticket.channels).toEqual(['telegram']);
    expect(ticket.sla.map((s) => [s.metric, s.status])).toEqual([
      ['first_response', 'running'],
      ['resolution', 'running'],
    ]);
    await eventually(() => w.events.some((e) => e.type === 'ticket.created' && e.data.ticketId === ticket.id), 5_000, 'ticket.created on sb.events');
  });

  it('more messages in the conversation stay on the same ticket', async () => {
    await w.customerWrites({ thread: 'olga', text: 'Hello? Anyone?' });
    await sleep(300);
    const list = await w.api('GET', '/api/v1/tickets');
    expect((list.json.items as TicketView[]).filter((t) => t.conversationIds.includes(conversationId))).toHaveLength(1);
  });

  it('the agent’s reply meets the first response and opens the ticket; the customer’s answer starts the next-response clock', async () => {
    await agentReplies(conversationId, 'Looking into it now.');
    const replied = await eventually(async () => {
      const t = (await w.api('GET', `/api/v1/tickets/${ticket.id}`)).json as TicketView;
      return t.sla.find((s) => s.metric === 'first_response')?.status === 'met' && t;
    }, 10_000, 'first response met');
    expect(replied.status).toBe('open');
    await w.customerWrites({ thread: 'olga', text: 'Thanks, waiting.' });
    await eventually(async () => {
      const t = (await w.api('GET', `/api/v1/tickets/${ticket.id}`)).json as TicketView;
      return t.sla.find((s) => s.metric === 'next_response')?.status === 'running';
    }, 10_000, 'next response running');
  });

  it('pending pauses the clocks; the customer answering a pending or solved ticket reopens it', async () => {
    let res = await w.api('PATCH', `/api/v1/tickets/${ticket.id}`, { status: 'pending' });
    expect(res.status).toBe(200);
    expect((res.json as TicketView).slaState).toBe('paused');
    await w.customerWrites({ thread: 'olga', text: 'Any news?' });
    await eventually(async () => (await w.api('GET', `/api/v1/tickets/${ticket.id}`)).json.status === 'open', 10_000, 'reopened from pending');
    res = await w.api('PATCH', `/api/v1/tickets/${ticket.id}`, { status: 'solved' });
    expect(res.json.solvedAt).toBeDefined();
    await w.customerWrites({ thread: 'olga', text: 'It is broken again' });
    await eventually(async () => (await w.api('GET', `/api/v1/tickets/${ticket.id}`)).json.status === 'open', 10_000, 'reopened from solved');
  });

  it('a closed ticket stays closed: the next message opens a follow-up ticket', async () => {
    expect((await w.api('PATCH', `/api/v1/tickets/${ticket.id}`, { status: 'closed' })).status).toBe(200);
    const reopen = await w.api('PATCH', `/api/v1/tickets/${ticket.id}`, { status: 'open' });
    expect(reopen.status).toBe(409);
    await w.customerWrites({ thread: 'olga', text: 'New problem: wrong colour' });
    const followUp = await eventually(async () => {
      const list = (await w.api('GET', '/api/v1/tickets?status=new,open')).json.items as TicketView[];
      return list.find((t) => t.conversationIds.includes(conversationId) && t.id !== ticket.id);
    }, 10_000, 'follow-up ticket');
    expect(followUp.number).toBeGreaterThan(ticket.number);
  });

  it('keeps a history of who changed what and when', async () => {
    const history = await w.api('GET', `/api/v1/tickets/${ticket.id}/history`);
    const types = (history.json.items as { type: string; actor: { kind: string; name?: string }; changes: { field: string; to: unknown }[] }[]);
    expect(types[0]?.type).toBe('created');
    const byAgent = types.find((h) => h.actor.kind === 'agent' && h.changes.some((c) => c.field === 'status' && c.to === 'pending'));
    expect(byAgent?.actor.name).toBe('Ada Admin');
    expect(types.some((h) => h.actor.kind === 'system' && h.changes.some((c) => c.field === 'status' && c.to === 'open'))).toBe(true);
  });
});

describe('changing tickets', () => {
  let a: TicketView;
  let b: TicketView;
  let c: TicketView;

  beforeAll(async () => {
    a = await ticketOf((await w.customerWrites({ thread: 'anna', text: 'Refund for order 100', sender: { name: 'Anna' } })).conversationId);
    b = await ticketOf((await w.customerWrites({ thread: 'boris', text: 'Invoice needed', sender: { name: 'Boris' } })).conversationId);
    c = await ticketOf((await w.customerWrites({ thread: 'anna-wa', channel: 'whatsapp', text: 'Refund question again', sender: { name: 'Anna', phone: '+79161234567' } })).conversationId);
  });

  it('refuses an assignee who is not an agent, a team that does not exist, and field values of the wrong kind', async () => {
    expect((await w.api('PATCH', `/api/v1/tickets/${a.id}`, { assigneeId: 'nobody' })).status).toBe(400);
    expect((await w.api('PATCH', `/api/v1/tickets/${a.id}`, { teamId: 'nope' })).status).toBe(400);
    expect((await w.api('POST', '/api/v1/ticket-fields', { key: 'order_number', label: 'Order number', type: 'number' })).status).toBe(201);
    expect((await w.api('POST', '/api/v1/ticket-fields', { key: 'reason', label: 'Reason', type: 'select', options: ['damaged', 'late'] })).status).toBe(201);
    const bad = await w.api('PATCH', `/api/v1/tickets/${a.id}`, { fields: { order_number: 'one hundred' } });
    expect(bad.status).toBe(400);
    expect(bad.json.error.message).toContain('Order number');
    expect((await w.api('PATCH', `/api/v1/tickets/${a.id}`, { fields: { reason: 'lost' } })).status).toBe(400);
    expect((await w.api('PATCH', `/api/v1/tickets/${a.id}`, { fields: { unknown_field: 'x' } })).status).toBe(400);
    const ok = await w.api('PATCH', `/api/v1/tickets/${a.id}`, { fields: { order_number: 100, reason: 'damaged' }, tags: ['refund', 'vip'], priority: 'high' });
    expect(ok.status).toBe(200);
    expect(ok.json.fields).toEqual({ order_number: 100, reason: 'damaged' });
    // A text field holding only digits keeps them as written, leading zero included.
    expect((await w.api('POST', '/api/v1/ticket-fields', { key: 'postcode', label: 'Postcode', type: 'text' })).status).toBe(201);
    const digits = await w.api('PATCH', `/api/v1/tickets/${a.id}`, { fields: { postcode: '00420', order_number: 0 } });
    expect(digits.status).toBe(200);
    expect(digits.json.fields).toEqual({ order_number: 0, reason: 'damaged', postcode: '00420' });
    const cleared = await w.api('PATCH', `/api/v1/tickets/${a.id}`, { fields: { postcode: null } });
    expect(cleared.status).toBe(200);
    expect(cleared.json.fields.postcode ?? null).toBeNull();
  });

  it('filters by status, priority, tag, channel and assignee, and pages with a cursor', async () => {
    const agentId = await w.addAgent('Ivan');
    await w.api('PATCH', `/api/v1/tickets/${b.id}`, { assigneeId: agentId });
    const byTag = await w.api('GET', '/api/v1/tickets?tag=refund');
    expect((byTag.json.items as TicketView[]).map((t) => t.id)).toEqual([a.id]);
    const byPriority = await w.api('GET', '/api/v1/tickets?priority=high,urgent');
    expect((byPriority.json.items as TicketView[]).map((t) => t.id)).toEqual([a.id]);
    const byChannel = await w.api('GET', '/api/v1/tickets?channel=whatsapp');
    expect((byChannel.json.items as TicketView[]).map((t) => t.id)).toEqual([c.id]);
    const byAssignee = await w.api('GET', `/api/v1/tickets?assigneeId=${agentId}`);
    expect((byAssignee.json.items as TicketView[]).map((t) => t.id)).toEqual([b.id]);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { status: number; json: any } = await w.api('GET', `/api/v1/tickets?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...(page.json.items as TicketView[]).map((t) => t.id));
      cursor = page.json.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual(expect.arrayContaining([a.id, b.id, c.id]));
  });

  it('finds tickets by words of their subject, requester and fields, in any form of the word', async () => {
    const found = await eventually(async () => {
      const res = await w.api('GET', `/api/v1/tickets?q=${encodeURIComponent('refunds')}`);
      const ids = (res.json.items as TicketView[]).map((t) => t.id);
      return ids.includes(a.id) && ids.includes(c.id) && ids;
    }, 10_000, 'search results');
    expect(found).not.toContain(b.id);
    const byNumber = await w.api('GET', `/api/v1/tickets?q=%23${b.number}`);
    expect((byNumber.json.items as TicketView[]).map((t) => t.id)).toEqual([b.id]);
  });

  it('bulk changes succeed or fail ticket by ticket', async () => {
    const res = await w.api('POST', '/api/v1/tickets/bulk', { ids: [a.id, b.id, 'missing'], change: { tags: ['q4'] } });
    expect(res.status).toBe(200);
    expect((res.json.updated as TicketView[]).map((t) => t.id).sort()).toEqual([a.id, b.id].sort());
    expect(res.json.failed).toEqual([{ id: 'missing', code: 'SB_ERR_NOT_FOUND', message: expect.any(String) }]);
  });

  it('merging joins the conversations into one ticket; the merged one closes and later messages land on the target', async () => {
    const res = await w.api('POST', `/api/v1/tickets/${a.id}/merge`, { sourceIds: [c.id] });
    expect(res.status).toBe(200);
    expect(res.json.conversationIds).toEqual(expect.arrayContaining([...a.conversationIds, ...c.conversationIds]));
    expect(res.json.channels.sort()).toEqual(['telegram', 'whatsapp']);
    const merged = (await w.api('GET', `/api/v1/tickets/${c.id}`)).json as TicketView;
    expect(merged.status).toBe('closed');
    expect(merged.mergedInto).toBe(a.id);
    await w.customerWrites({ thread: 'anna-wa', channel: 'whatsapp', text: 'Still waiting for the refund' });
    await sleep(500);
    const list = (await w.api('GET', '/api/v1/tickets?limit=200')).json.items as TicketView[];
    expect(list.filter((t) => t.conversationIds.includes(c.conversationIds[0]!) && t.status !== 'closed').map((t) => t.id)).toEqual([a.id]);
    await eventually(() => w.events.some((e) => e.type === 'ticket.merged' && e.data.ticketId === a.id), 5_000, 'ticket.merged on sb.events');
  });

  it('internal notes are kept on the ticket', async () => {
    const note = await w.api('POST', `/api/v1/tickets/${b.id}/notes`, { text: 'Customer is a reseller; check the contract.' });
    expect(note.status).toBe(201);
    const notes = await w.api('GET', `/api/v1/tickets/${b.id}/notes`);
    expect(notes.json.items.map((n: { text: string }) => n.text)).toEqual(['Customer is a reseller; check the contract.']);
  });

  it('every change is a domain event on sb.events', async () => {
    await eventually(() => w.events.some((e) => e.type === 'ticket.updated' && e.data.ticketId === a.id), 5_000, 'ticket.updated');
    const updated = w.events.filter((e) => e.type === 'ticket.updated' && e.data.ticketId === a.id);
    expect(updated.some((e) => (e.data.changes as { field: string }[]).some((c) => c.field === 'priority'))).toBe(true);
  });
});

describe('manual mode', () => {
  it('no ticket appears by itself; an agent makes one, once', async () => {
    expect((await w.api('PATCH', '/api/v1/ticket-settings', { mode: 'manual' })).status).toBe(200);
    const { conversationId } = await w.customerWrites({ thread: 'quiet', text: 'Just a question' });
    await sleep(500);
    const before = (await w.api('GET', '/api/v1/tickets?limit=200')).json.items as TicketView[];
    expect(before.some((t) => t.conversationIds.includes(conversationId))).toBe(false);
    const made = await w.api('POST', '/api/v1/tickets', { conversationId, subject: 'Pricing question' });
    expect(made.status).toBe(201);
    expect(made.json.subject).toBe('Pricing question');
    const again = await w.api('POST', '/api/v1/tickets', { conversationId });
    expect(again.status).toBe(200);
    expect(again.json.id).toBe(made.json.id);
    await w.api('PATCH', '/api/v1/ticket-settings', { mode: 'auto' });
  });
});
