import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TicketView } from '@switchboard/contracts';
import { Presence } from '@switchboard/inbox-service';
import { eventually } from '@switchboard/testkit';
import { startTicketWorld, type TicketWorld } from './harness.js';

let w: TicketWorld;
let presence: Presence;

async function ticketOf(conversationId: string): Promise<TicketView> {
  return eventually(async () => {
    const list = await w.api('GET', '/api/v1/tickets?limit=200');
    return (list.json.items as TicketView[]).find((t) => t.conversationIds.includes(conversationId));
  }, 10_000, `ticket of ${conversationId}`);
}

beforeAll(async () => {
  w = await startTicketWorld();
  presence = new Presence(w.platform.kv);
  // Around the clock, so the test's "later" needs no weekday arithmetic (calendar maths has its own unit tests).
  const res = await w.api('PATCH', '/api/v1/ticket-settings', {
    calendar: { timezone: 'Europe/Moscow', weekly: [], holidays: [] },
    sla: { low: { resolution: 600 }, normal: { first_response: 10, resolution: 600 }, high: { first_response: 5 }, urgent: { first_response: 1 } },
  });
  expect(res.status, JSON.stringify(res.json)).toBe(200);
});
afterAll(async () => {
  await w?.close();
});

describe('SLA breaches', () => {
  it('a missed first response emits sla.breached once, shows on the ticket, and the filter finds it', async () => {
    const t = await ticketOf((await w.customerWrites({ thread: 'late', text: 'Nobody answers me' })).conversationId);
    const due = new Date(t.sla.find((s) => s.metric === 'first_response')!.dueAt!);
    expect(due.getTime() - new Date(t.createdAt).getTime()).toBe(10 * 60_000);
    const scheduler = w.app.ticketing.scheduler;
    await scheduler.runOnce(new Date(due.getTime() - 1_000));
    expect((await w.api('GET', `/api/v1/tickets/${t.id}`)).json.slaState).toBe('ok');
    await scheduler.runOnce(new Date(due.getTime() + 1_000));
    await scheduler.runOnce(new Date(due.getTime() + 60_000));
    const breaches = await eventually(() => {
      const found = w.events.filter((e) => e.type === 'sla.breached' && e.data.ticketId === t.id);
      return found.length > 0 && found;
    }, 5_000, 'sla.breached');
    expect(breaches).toHaveLength(1);
    expect(breaches[0]!.data.metric).toBe('first_response');
    const after = (await w.api('GET', `/api/v1/tickets/${t.id}`)).json as TicketView;
    expect(after.slaState).toBe('breached');
    expect(after.sla.find((s) => s.metric === 'first_response')?.breachedAt).toBe(due.toISOString());
    const filtered = await w.api('GET', '/api/v1/tickets?sla=breached');
    expect((filtered.json.items as TicketView[]).map((x) => x.id)).toContain(t.id);
  });

  it('a clock paused on pending does not run out; priority retargets it', async () => {
    const t = await ticketOf((await w.customerWrites({ thread: 'paused', text: 'Waiting on my side' })).conversationId);
    const paused = (await w.api('PATCH', `/api/v1/tickets/${t.id}`, { status: 'pending' })).json as TicketView;
    expect(paused.sla.every((s) => s.status === 'paused' && s.dueAt === null)).toBe(true);
    await w.app.ticketing.scheduler.runOnce(new Date(Date.now() + 86_400_000));
    expect(w.events.some((e) => e.type === 'sla.breached' && e.data.ticketId === t.id)).toBe(false);
    const resumed = (await w.api('PATCH', `/api/v1/tickets/${t.id}`, { status: 'open', priority: 'high' })).json as TicketView;
    const first = resumed.sla.find((s) => s.metric === 'first_response')!;
    expect(first.status).toBe('running');
    expect(first.targetMinutes).toBe(5);
  });
});

describe('automatic assignment', () => {
  let ann: string;
  let bob: string;
  let cat: string;

  beforeAll(async () => {
    ann = await w.addAgent('Ann');
    bob = await w.addAgent('Bob');
    cat = await w.addAgent('Cat');
  });

  it('round robin gives new tickets to online members in turn and skips who is offline', async () => {
    const team = await w.api('POST', '/api/v1/teams', {
      name: 'Support',
      strategy: 'round_robin',
      members: [ann, bob, cat].map((agentId) => ({ agentId, capacity: null })),
    });
    expect(team.status).toBe(201);
    expect((await w.api('PATCH', '/api/v1/ticket-settings', { defaultTeamId: team.json.id })).status).toBe(200);
    await presence.seen(w.tenantId, ann);
    await presence.seen(w.tenantId, bob);
    const got: (string | null)[] = [];
    for (let i = 0; i < 4; i++) {
      const t = await ticketOf((await w.customerWrites({ thread: `rr-${i}`, text: `Question ${i}` })).conversationId);
      const assigned = await eventually(async () => (await w.api('GET', `/api/v1/tickets/${t.id}`)).json.assigneeId as string | null, 5_000, 'assigned');
      got.push(assigned);
    }
    // The agents' conversation lists ("assigned to me") follow the ticket.
    await eventually(async () => {
      const all = await w.api('GET', '/api/v1/conversations?assignee=all&status=all&limit=200');
      return (all.json.items as { assigneeId: string | null }[]).filter((c) => c.assigneeId === ann || c.assigneeId === bob).length === 4;
    }, 5_000, 'the four conversations assigned with their tickets');
    expect(got.filter((a) => a === ann)).toHaveLength(2);
    expect(got.filter((a) => a === bob)).toHaveLength(2);
    expect(got).not.toContain(cat);
    expect(got[0]).not.toBe(got[1]);
  });

  it('load balancing sends to the least loaded online member and respects capacity; nobody free leaves it unassigned', async () => {
    const team = await w.api('POST', '/api/v1/teams', {
      name: 'Billing',
      strategy: 'load_balanced',
      members: [
        { agentId: ann, capacity: 2 },
        { agentId: cat, capacity: 10 },
      ],
    });
    await w.api('PATCH', '/api/v1/ticket-settings', { defaultTeamId: team.json.id });
    await presence.seen(w.tenantId, cat);
    // Ann already holds two open tickets from the round-robin test: at capacity.
    const t = await ticketOf((await w.customerWrites({ thread: 'lb-1', text: 'Billing question' })).conversationId);
    expect(await eventually(async () => (await w.api('GET', `/api/v1/tickets/${t.id}`)).json.assigneeId, 5_000, 'assigned')).toBe(cat);
    await presence.left(w.tenantId, cat);
    const u = await ticketOf((await w.customerWrites({ thread: 'lb-2', text: 'Another billing question' })).conversationId);
    await new Promise((r) => setTimeout(r, 300));
    expect((await w.api('GET', `/api/v1/tickets/${u.id}`)).json.assigneeId).toBeNull();
    await w.api('PATCH', '/api/v1/ticket-settings', { defaultTeamId: null });
  });

  it('an agent taking the conversation takes its ticket', async () => {
    const { conversationId } = await w.customerWrites({ thread: 'take-me', text: 'Who will help me?' });
    const t = await ticketOf(conversationId);
    expect((await w.api('POST', `/api/v1/conversations/${conversationId}/assign`, { agentId: cat })).status).toBe(200);
    await eventually(async () => (await w.api('GET', `/api/v1/tickets/${t.id}`)).json.assigneeId === cat, 5_000, 'ticket follows the conversation');
  });

  it('an agent offline longer than the tenant allows loses open tickets to the team strategy', async () => {
    await w.api('PATCH', '/api/v1/ticket-settings', { reassignOfflineMinutes: 30 });
    const before = (await w.api('GET', `/api/v1/tickets?assigneeId=${bob}&status=new,open`)).json.items as TicketView[];
    expect(before.length).toBeGreaterThan(0);
    await presence.left(w.tenantId, bob);
    await presence.seen(w.tenantId, ann);
    await w.app.ticketing.scheduler.runOnce(new Date(Date.now() + 31 * 60_000));
    const after = (await w.api('GET', `/api/v1/tickets?assigneeId=${bob}&status=new,open`)).json.items as TicketView[];
    expect(after).toHaveLength(0);
    for (const t of before) {
      const now = (await w.api('GET', `/api/v1/tickets/${t.id}`)).json as TicketView;
      expect(now.assigneeId).not.toBe(bob);
    }
  });

  it('an agent who stepped away gets no new tickets while connected teammates do', async () => {
    const team = await w.api('POST', '/api/v1/teams', {
      name: 'Front desk',
      strategy: 'round_robin',
      members: [ann, cat].map((agentId) => ({ agentId, capacity: null })),
    });
    expect(team.status).toBe(201);
    await w.api('PATCH', '/api/v1/ticket-settings', { defaultTeamId: team.json.id });
    await presence.seen(w.tenantId, ann);
    await presence.seen(w.tenantId, cat);
    await presence.choose(w.tenantId, ann, 'away', false);
    const got: (string | null)[] = [];
    for (let i = 0; i < 2; i++) {
      const t = await ticketOf((await w.customerWrites({ thread: `away-${i}`, text: `Anyone there? ${i}` })).conversationId);
      got.push(await eventually(async () => (await w.api('GET', `/api/v1/tickets/${t.id}`)).json.assigneeId as string | null, 5_000, 'assigned'));
    }
    expect(got).toEqual([cat, cat]);
    await presence.choose(w.tenantId, ann, 'online', false);
    await w.api('PATCH', '/api/v1/ticket-settings', { defaultTeamId: null });
  });
});
