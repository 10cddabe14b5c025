import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '@switchboard/auth';
import { newId, type AutomationRuleView, type DomainEvent, type TicketView } from '@switchboard/contracts';
import { Presence, Repositories } from '@switchboard/inbox-service';
import { eventually, sleep } from '@switchboard/testkit';
import { startTicketWorld, type TicketWorld } from './harness.js';

let w: TicketWorld;
let repos: Repositories;
let receiver: Server;
const received: { headers: IncomingHttpHeaders; body: any }[] = [];

beforeAll(async () => {
  // The idle sweeper runs only when a test asks; the loop backstop is small so a ping-pong shows quickly.
  w = await startTicketWorld({ automation: { idleEveryMs: 3_600_000, capRuns: 3 } });
  repos = new Repositories(w.platform.store);
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: JSON.parse(body) });
      res.statusCode = 204;
      res.end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
});
afterAll(async () => {
  await w?.close();
  await new Promise((resolve) => receiver?.close(resolve));
});

async function rule(body: Record<string, unknown>): Promise<AutomationRuleView> {
  const res = await w.api('POST', '/api/v1/automation/rules', body);
  expect(res.status, JSON.stringify(res.json)).toBe(201);
  return res.json;
}
const getRule = async (id: string): Promise<AutomationRuleView> => (await w.api('GET', `/api/v1/automation/rules/${id}`)).json;
const disable = (id: string) => w.api('PATCH', `/api/v1/automation/rules/${id}`, { enabled: false });
const conversation = (id: string) => repos.forTenant(w.tenantId).conversations.findById(id);
const messages = (conversationId: string) => repos.forTenant(w.tenantId).messages.find({ conversationId }, { sort: { seq: 1 } });

async function ticketOf(conversationId: string, until: (t: TicketView) => unknown = () => true, what = 'ticket'): Promise<TicketView> {
  return eventually(async () => {
    const list = await w.api('GET', '/api/v1/tickets?limit=200');
    const t = (list.json.items as TicketView[]).find((x) => x.conversationIds.includes(conversationId));
    return t && until(t) ? t : undefined;
  }, 20_000, what);
}
const runsOf = async (id: string, n: number) => eventually(async () => ((await getRule(id)).stats.runs >= n ? getRule(id) : undefined), 20_000, `rule ran ${n} times`);

/** An email on `thread` marked as noise by the connector (an out-of-office answer, a bounce). */
async function noiseMail(thread: string, noise: 'auto-reply' | 'bounce', text: string): Promise<string> {
  const first = await w.customerWrites({ channel: 'email', thread: `${thread}-setup`, text: 'make the inbox', sender: { email: 'setup@example.com' } });
  const inboxAccount = (await conversation(first.conversationId))!.channelAccountId;
  const externalId = newId();
  const now = new Date().toISOString();
  await w.platform.bus.publishInbound({
    id: newId(),
    v: 1,
    tenantId: w.tenantId,
    channel: 'email',
    channelAccountId: inboxAccount,
    kind: 'message',
    externalId,
    threadKey: thread,
    sender: { externalId: `${thread}@example.com`, email: `${thread}@example.com` },
    text,
    email: { subject: 'Automatic reply', noise },
    sentAt: now,
    receivedAt: now,
  });
  return eventually(async () => (await repos.forTenant(w.tenantId).messages.findOne({ externalId }))?.conversationId, 10_000, 'noise stored');
}

describe('rules run from events, in order, through the real services', () => {
  it('message received (first): conditions hold, actions run in order — tags, priority, templated auto-reply, note', async () => {
    const r = await rule({
      name: 'Order questions',
      trigger: { kind: 'message_received', first: true },
      conditions: [
        { kind: 'channel', in: ['telegram'] },
        { kind: 'text', op: 'contains', value: 'order' },
        { kind: 'contact_attribute', key: 'name', op: 'exists' },
        { kind: 'assignee', present: false },
        { kind: 'waiting_time', op: 'less_than', minutes: 60 },
        { kind: 'language', in: ['en'] },
      ],
      actions: [
        { type: 'add_tags', tags: ['orders', 'temp'] },
        { type: 'remove_tags', tags: ['temp'] },
        { type: 'set_priority', priority: 'high' },
        { type: 'auto_reply', text: 'Hi {{contact.name}}, we got ticket #{{ticket.number}}.' },
        { type: 'add_note', text: 'Auto-tagged for {{contact.name}}' },
      ],
    });
    const { conversationId } = await w.customerWrites({ thread: 'order-1', text: 'Where is my order?', sender: { name: 'Olga' } });
    const ticket = await ticketOf(conversationId, (t) => t.priority === 'high', 'priority set');
    // remove_tags ran after add_tags: order kept.
    expect(ticket.tags).toEqual(['orders']);
    const reply = await eventually(async () => (await messages(conversationId)).find((m) => m.direction === 'out'), 10_000, 'auto-reply');
    expect(reply.text).toBe(`Hi Olga, we got ticket #${ticket.number}.`);
    expect(reply.author).toMatchObject({ kind: 'system', id: `automation:${r.id}`, name: 'Order questions' });
    const after = await runsOf(r.id, 1);
    const notes = await w.api('GET', `/api/v1/tickets/${ticket.id}/notes`);
    expect(notes.json.items.map((n: { text: string }) => n.text)).toEqual(['Auto-tagged for Olga']);
    expect(after.stats.lastRunAt).not.toBeNull();
    expect(after.stats.lastError).toBeNull();
    // The auto-reply met no SLA clock: the customer still waits for a person.
    expect((await w.api('GET', `/api/v1/tickets/${ticket.id}`)).json.sla.find((s: { metric: string }) => s.metric === 'first_response').status).toBe('running');

    // The same customer's second message is not the first: the rule stays quiet.
    await w.customerWrites({ thread: 'order-1', text: 'Another order question' });
    await sleep(500);
    expect((await getRule(r.id)).stats.runs).toBe(1);
    await disable(r.id);
  });

  it('rules run in their order, each seeing what the ones before it did; reordering changes the outcome', async () => {
    const escalate = await rule({ name: 'Escalate refunds', trigger: { kind: 'message_received' }, conditions: [{ kind: 'text', op: 'matches', value: '\\brefund\\b' }], actions: [{ type: 'set_priority', priority: 'urgent' }] });
    const tagUrgent = await rule({
      name: 'Tag urgent',
      trigger: { kind: 'message_received' },
      match: 'any',
      conditions: [{ kind: 'priority', in: ['urgent'] }, { kind: 'tags', op: 'all', tags: ['never'] }],
      actions: [{ type: 'add_tags', tags: ['urgent-seen'] }],
    });
    const a = await w.customerWrites({ thread: 'refund-1', text: 'I want a refund now' });
    expect((await ticketOf(a.conversationId, (t) => t.tags.includes('urgent-seen'), 'second rule saw the first')).priority).toBe('urgent');

    const order = (await w.api('GET', '/api/v1/automation/rules')).json.items.map((x: AutomationRuleView) => x.id);
    const swapped = order.filter((id: string) => id !== escalate.id && id !== tagUrgent.id).concat([tagUrgent.id, escalate.id]);
    const res = await w.api('POST', '/api/v1/automation/rules/reorder', { ids: swapped });
    expect(res.status).toBe(200);
    expect(res.json.items.map((x: AutomationRuleView) => x.id)).toEqual(swapped);
    const b = await w.customerWrites({ thread: 'refund-2', text: 'refund please' });
    const t = await ticketOf(b.conversationId, (x) => x.priority === 'urgent', 'escalated');
    await sleep(300);
    expect((await w.api('GET', `/api/v1/tickets/${t.id}`)).json.tags).not.toContain('urgent-seen');
    await disable(escalate.id);
    await disable(tagUrgent.id);
  });

  it('conversation created and contact created: assign an agent, send a signed outgoing webhook', async () => {
    const agentId = await w.addAgent('Casey Agent');
    const hook = await w.api('POST', '/api/v1/webhooks', { url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`, events: ['ticket.created'] });
    expect(hook.status).toBe(201);
    const assign = await rule({ name: 'New conversations to Casey', trigger: { kind: 'conversation_created' }, actions: [{ type: 'assign_agent', agentId }] });
    const announce = await rule({ name: 'Tell the CRM', trigger: { kind: 'contact_created' }, actions: [{ type: 'send_webhook', webhookId: hook.json.id }] });
    const { conversationId } = await w.customerWrites({ thread: 'newbie', text: 'hello', sender: { name: 'Nia New', externalId: 'nia-1' } });
    await eventually(async () => (await conversation(conversationId))?.assigneeId === agentId, 10_000, 'assigned');
    expect((await ticketOf(conversationId, (t) => t.assigneeId === agentId, 'ticket assigned')).assigneeId).toBe(agentId);
    const delivery = await eventually(() => received.find((r) => r.headers['switchboard-event'] === 'automation.rule'), 10_000, 'webhook delivered');
    expect(delivery.headers['switchboard-signature']).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(delivery.body.data).toMatchObject({ ruleId: announce.id, trigger: 'contact_created', conversationId });
    expect(w.events.filter((e) => e.type === 'contact.created' && e.data.conversationId === conversationId)).toHaveLength(1);
    expect(w.events.filter((e) => e.type === 'conversation.created' && e.data.conversationId === conversationId)).toHaveLength(1);
    // The same person writing again is neither a new contact nor a new conversation.
    await w.customerWrites({ thread: 'newbie', text: 'still me', sender: { externalId: 'nia-1' } });
    await sleep(500);
    expect((await getRule(announce.id)).stats.runs).toBe(1);
    expect((await getRule(assign.id)).stats.runs).toBe(1);
    await disable(assign.id);
    await disable(announce.id);
  });

  it('ticket updated (by a person) and SLA breached trigger rules', async () => {
    const noted = await rule({ name: 'Note pending', trigger: { kind: 'ticket_updated', fields: ['status'] }, conditions: [{ kind: 'business_hours', open: true }, { kind: 'business_hours', open: false }], match: 'any', actions: [{ type: 'add_note', text: 'Status changed' }] });
    const breach = await rule({ name: 'Breach escalates', trigger: { kind: 'sla_breached', metric: 'first_response' }, conditions: [{ kind: 'text', op: 'contains', value: 'anyone there' }], actions: [{ type: 'set_priority', priority: 'urgent' }, { type: 'add_tags', tags: ['breached'] }] });
    const { conversationId } = await w.customerWrites({ thread: 'slow-1', text: 'anyone there?' });
    const ticket = await ticketOf(conversationId);
    expect((await w.api('PATCH', `/api/v1/tickets/${ticket.id}`, { status: 'pending' })).status).toBe(200);
    await eventually(async () => (await w.api('GET', `/api/v1/tickets/${ticket.id}/notes`)).json.items.length === 1, 10_000, 'note on status change');
    await w.api('PATCH', `/api/v1/tickets/${ticket.id}`, { status: 'open' });
    await sleep(300);
    await runsOf(noted.id, 2);

    await w.app.ticketing.scheduler.runOnce(new Date(Date.now() + 40 * 86_400_000));
    const escalated = await ticketOf(conversationId, (t) => t.tags.includes('breached'), 'breach rule ran');
    expect(escalated.priority).toBe('urgent');
    await runsOf(breach.id, 1);
    await disable(noted.id);
    await disable(breach.id);
  });

  it("assign to a team runs the team's strategy; the strategy's pick does not trigger the rule again", async () => {
    const ann = await w.addAgent('Ann Online');
    await new Presence(w.platform.kv).seen(w.tenantId, ann);
    const team = await w.api('POST', '/api/v1/teams', { name: 'Round robin', strategy: 'round_robin', members: [{ agentId: ann, capacity: null }] });
    const r = await rule({
      name: 'Unassigned tickets to the team',
      trigger: { kind: 'ticket_updated' },
      conditions: [{ kind: 'tags', op: 'any', tags: ['route-me'] }],
      actions: [{ type: 'assign_team', teamId: team.json.id }],
    });
    const { conversationId } = await w.customerWrites({ thread: 'route-1', text: 'route me' });
    const ticket = await ticketOf(conversationId);
    await w.api('PATCH', `/api/v1/tickets/${ticket.id}`, { tags: ['route-me'] });
    const routed = await ticketOf(conversationId, (t) => t.assigneeId === ann, 'assigned by the strategy');
    expect(routed.teamId).toBe(team.json.id);
    await eventually(async () => (await conversation(conversationId))?.assigneeId === ann, 10_000, 'conversation follows');
    await sleep(800);
    expect((await getRule(r.id)).stats).toMatchObject({ runs: 1, capped: 0 });
    await disable(r.id);
  });

  it('conversation idle for N minutes: fires once per quiet stretch, also when several sweeps run', async () => {
    const idle = await rule({ name: 'Nudge idle', trigger: { kind: 'conversation_idle', minutes: 30 }, conditions: [{ kind: 'channel', in: ['telegram'] }, { kind: 'text', op: 'contains', value: 'brb' }], actions: [{ type: 'snooze', minutes: 60 }] });
    const { conversationId } = await w.customerWrites({ thread: 'quiet-1', text: 'brb' });
    const sweeper = w.app.ticketing.automation.sweeper;
    await sweeper.runOnce(new Date(Date.now() + 10 * 60_000));
    expect((await conversation(conversationId))!.status).toBe('open');
    const later = new Date(Date.now() + 31 * 60_000);
    await Promise.all([sweeper.runOnce(later), sweeper.runOnce(later)]);
    await sweeper.runOnce(later);
    expect((await conversation(conversationId))!.status).toBe('snoozed');
    expect((await getRule(idle.id)).stats.runs).toBe(1);
    await disable(idle.id);
  });
});

describe('loops are impossible', () => {
  it("a rule whose action would re-trigger it runs once; two rules that feed each other stop at the backstop", async () => {
    const self = await rule({ name: 'Tag on any change', trigger: { kind: 'ticket_updated' }, actions: [{ type: 'add_tags', tags: ['touched'] }] });
    const { conversationId } = await w.customerWrites({ thread: 'loop-1', text: 'hi' });
    const ticket = await ticketOf(conversationId);
    await w.api('PATCH', `/api/v1/tickets/${ticket.id}`, { priority: 'high' });
    await ticketOf(conversationId, (t) => t.tags.includes('touched'), 'tagged');
    await sleep(800);
    expect((await getRule(self.id)).stats.runs).toBe(1);
    await disable(self.id);

    const ping = await rule({ name: 'Ping', trigger: { kind: 'ticket_updated' }, conditions: [{ kind: 'priority', in: ['low'] }], actions: [{ type: 'set_priority', priority: 'high' }] });
    const pong = await rule({ name: 'Pong', trigger: { kind: 'ticket_updated' }, conditions: [{ kind: 'priority', in: ['high'] }], actions: [{ type: 'set_priority', priority: 'low' }] });
    await w.api('PATCH', `/api/v1/tickets/${ticket.id}`, { priority: 'low' });
    await eventually(async () => (await getRule(ping.id)).stats.capped + (await getRule(pong.id)).stats.capped > 0, 15_000, 'backstop reached');
    await sleep(800);
    const runs = (await getRule(ping.id)).stats.runs + (await getRule(pong.id)).stats.runs;
    expect(runs).toBeLessThanOrEqual(6);
    await sleep(800);
    expect((await getRule(ping.id)).stats.runs + (await getRule(pong.id)).stats.runs).toBe(runs);
    await disable(ping.id);
    await disable(pong.id);
  });

  it('auto-replies never answer an auto-reply or a bounce (the rule’s other actions still run)', async () => {
    const r = await rule({ name: 'Thanks on email', trigger: { kind: 'message_received' }, conditions: [{ kind: 'channel', in: ['email'] }], actions: [{ type: 'auto_reply', text: 'Thanks!' }] });
    const conv1 = await noiseMail('ooo-1', 'auto-reply', 'I am out of office');
    const conv2 = await noiseMail('bounce-1', 'bounce', 'Delivery failed');
    await runsOf(r.id, 4); // the two setup mails were answered; the noise was looked at
    await sleep(300);
    expect((await messages(conv1)).filter((m) => m.direction === 'out')).toHaveLength(0);
    expect((await messages(conv2)).filter((m) => m.direction === 'out')).toHaveLength(0);
    await disable(r.id);
  });
});

describe('dry run, idempotency, REST rules', () => {
  it('a dry run against a past conversation says what would happen and changes nothing', async () => {
    const r = await rule({
      name: 'VIP out of hours',
      enabled: false,
      trigger: { kind: 'message_received' },
      conditions: [{ kind: 'text', op: 'contains', value: 'invoice' }, { kind: 'priority', in: ['urgent'] }],
      actions: [{ type: 'add_tags', tags: ['vip'] }, { type: 'auto_reply', text: 'Hello {{contact.name}}' }],
    });
    const { conversationId } = await w.customerWrites({ thread: 'dry-1', text: 'Question about my invoice', sender: { name: 'Dora' } });
    const ticket = await ticketOf(conversationId);
    const before = await messages(conversationId);
    const res = await w.api('POST', `/api/v1/automation/rules/${r.id}/dry-run`, { conversationId });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ ruleId: r.id, triggered: true, matched: false });
    expect(res.json.conditions.map((c: { passed: boolean }) => c.passed)).toEqual([true, false]);
    expect(res.json.actions).toEqual([
      { index: 0, type: 'add_tags', description: 'add tags vip' },
      { index: 1, type: 'auto_reply', description: 'reply "Hello Dora"' },
    ]);
    const noise = await noiseMail('dry-ooo', 'auto-reply', 'Out of office');
    const skipped = await w.api('POST', `/api/v1/automation/rules/${r.id}/dry-run`, { conversationId: noise });
    expect(skipped.json.actions[1].skipped).toMatch(/auto-reply/);
    await sleep(300);
    expect(await messages(conversationId)).toHaveLength(before.length);
    expect((await w.api('GET', `/api/v1/tickets/${ticket.id}`)).json.tags).toEqual([]);
    expect((await getRule(r.id)).stats.runs).toBe(0);
  });

  it('a redelivered event never runs a rule twice', async () => {
    const r = await rule({ name: 'Count me', trigger: { kind: 'message_received' }, conditions: [{ kind: 'text', op: 'contains', value: 'redeliver' }], actions: [{ type: 'add_tags', tags: ['once'] }] });
    const { conversationId } = await w.customerWrites({ thread: 'redeliver-1', text: 'redeliver me' });
    await runsOf(r.id, 1);
    const event = w.events.find((e: DomainEvent) => e.type === 'message.created' && e.data.conversationId === conversationId)!;
    await w.app.ticketing.automation.runner.onEvent(event);
    await w.app.ticketing.automation.runner.onEvent(event);
    expect((await getRule(r.id)).stats.runs).toBe(1);
    await disable(r.id);
  });

  it('rules are for admins, refuse what cannot work with clear codes, and stay in their tenant', async () => {
    const agentId = await w.addAgent('Plain Agent');
    const agentToken = await w.tokenFor(agentId, 'agent');
    expect((await w.api('GET', '/api/v1/automation/rules', undefined, agentToken)).status).toBe(403);
    const bad = await w.api('POST', '/api/v1/automation/rules', { name: 'Bad', trigger: { kind: 'message_received' }, conditions: [{ kind: 'text', op: 'matches', value: '([a-z' }], actions: [{ type: 'close' }] });
    expect(bad.status).toBe(422);
    expect(bad.json.error.code).toBe('SB_ERR_AUTOMATION_INVALID');
    const ghost = await w.api('POST', '/api/v1/automation/rules', { name: 'Ghost', trigger: { kind: 'contact_created' }, actions: [{ type: 'assign_agent', agentId: newId() }] });
    expect(ghost.json.error.code).toBe('SB_ERR_AUTOMATION_INVALID');
    const order = await w.api('POST', '/api/v1/automation/rules/reorder', { ids: [newId()] });
    expect(order.status).toBe(400);
    expect(order.json.error.code).toBe('SB_ERR_AUTOMATION_ORDER');

    // Another tenant sees none of these rules and cannot touch them.
    const other = newId();
    await repos.createTenant({ _id: other, name: 'Other Co', createdAt: new Date() });
    const otherAdmin = newId();
    await repos.forTenant(other).agents.insertOne({ _id: otherAdmin, email: `other-${other.slice(-6)}@x.test`, name: 'Other', role: 'admin', passwordHash: await hashPassword('a long password'), createdAt: new Date() });
    const otherToken = await w.platform.tokens.signAccess({ agentId: otherAdmin, tenantId: other, role: 'admin', name: 'Other' });
    const mine = (await w.api('GET', '/api/v1/automation/rules')).json.items[0] as AutomationRuleView;
    expect((await w.api('GET', '/api/v1/automation/rules', undefined, otherToken)).json.items).toEqual([]);
    expect((await w.api('PATCH', `/api/v1/automation/rules/${mine.id}`, { enabled: true }, otherToken)).status).toBe(404);
    expect((await w.api('POST', `/api/v1/automation/rules/${mine.id}/dry-run`, { conversationId: newId() }, otherToken)).status).toBe(404);
    const audit = await repos.forTenant(w.tenantId).audit.find({ type: 'automation.created' });
    expect(audit.length).toBeGreaterThan(0);
  });
});

describe('macros', () => {
  it('any agent lists and runs a macro: its actions apply in order, as that agent', async () => {
    const agentId = await w.addAgent('Mac Agent');
    const agentToken = await w.tokenFor(agentId, 'agent');
    const team = await w.api('POST', '/api/v1/teams', { name: 'Billing', strategy: 'manual', members: [] });
    const created = await w.api('POST', '/api/v1/macros', {
      name: 'Hand to billing and wait',
      actions: [
        { type: 'assign_team', teamId: team.json.id, runStrategy: false },
        { type: 'assign_agent', agentId },
        { type: 'set_status', status: 'pending' },
        { type: 'auto_reply', text: 'Billing has it, {{contact.name}}.' },
        { type: 'snooze', minutes: 120 },
      ],
    });
    expect(created.status).toBe(201);
    expect((await w.api('POST', '/api/v1/macros', { name: 'x', actions: [{ type: 'close' }] }, agentToken)).status).toBe(403);
    expect((await w.api('GET', '/api/v1/macros', undefined, agentToken)).json.items.map((m: { name: string }) => m.name)).toContain('Hand to billing and wait');

    const { conversationId } = await w.customerWrites({ thread: 'macro-1', text: 'my bill is wrong', sender: { name: 'Bill' } });
    await ticketOf(conversationId);
    const run = await w.api('POST', `/api/v1/macros/${created.json.id}/run`, { conversationId }, agentToken);
    expect(run.status, JSON.stringify(run.json)).toBe(200);
    expect(run.json.actions.map((a: { type: string }) => a.type)).toEqual(['assign_team', 'assign_agent', 'set_status', 'auto_reply', 'snooze']);
    const t = await ticketOf(conversationId, (x) => x.status === 'pending', 'pending');
    expect(t).toMatchObject({ teamId: team.json.id, assigneeId: agentId });
    const conv = await conversation(conversationId);
    expect(conv).toMatchObject({ status: 'snoozed', assigneeId: agentId });
    const reply = (await messages(conversationId)).find((m) => m.direction === 'out');
    expect(reply).toMatchObject({ text: 'Billing has it, Bill.', author: { kind: 'agent', id: agentId } });

    const close = await w.api('POST', '/api/v1/macros', { name: 'Close', actions: [{ type: 'close' }] });
    expect((await w.api('POST', `/api/v1/macros/${close.json.id}/run`, { conversationId }, agentToken)).status).toBe(200);
    expect((await conversation(conversationId))!.status).toBe('resolved');
    expect((await ticketOf(conversationId, (x) => x.status === 'solved', 'solved')).status).toBe('solved');
  });

  it('a failing action stops the macro and says which one', async () => {
    const { conversationId } = await w.customerWrites({ thread: 'macro-2', text: 'hi' });
    const ticket = await ticketOf(conversationId);
    const hook = await w.api('POST', '/api/v1/webhooks', { url: 'https://example.com/gone', events: ['ticket.created'] });
    const macro = await w.api('POST', '/api/v1/macros', { name: 'Tag and notify', actions: [{ type: 'add_tags', tags: ['first'] }, { type: 'send_webhook', webhookId: hook.json.id }, { type: 'add_tags', tags: ['never'] }] });
    await w.api('DELETE', `/api/v1/webhooks/${hook.json.id}`);
    const run = await w.api('POST', `/api/v1/macros/${macro.json.id}/run`, { conversationId });
    expect(run.status).toBe(422);
    expect(run.json.error.code).toBe('SB_ERR_MACRO_ACTION_FAILED');
    expect(run.json.error.message).toMatch(/^Action 2 \(send_webhook\)/);
    expect((await w.api('GET', `/api/v1/tickets/${ticket.id}`)).json.tags).toEqual(['first']);
  });
});
