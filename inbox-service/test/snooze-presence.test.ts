import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Socket } from 'socket.io-client';
import { newId, type AgentPresenceView, type ConversationView } from '@switchboard/contracts';
import { hashPassword } from '@switchboard/auth';
import { eventually } from '@switchboard/testkit';
import { Repositories } from '../src/repositories/index.js';
import { SnoozeWaker } from '../src/snooze-waker.js';
import { agentSocket, agentToken, connected, emitAck, inboundMessage, injectApi, seedTenant, startInstance, type Instance, type SeededTenant } from './harness.js';

type AckResult<T> = { ok: true; data: T } | { ok: false; error: { code: string; message: string } };

let hub: Instance;
let t: SeededTenant;
let repos: Repositories;
let token = '';
const sockets: Socket[] = [];
const api = (method: string, url: string, body?: unknown, as = token) => injectApi(hub.app, method, url, body, as);

/** A customer writes on Telegram; answers the conversation it lands in. */
async function customerWrites(threadKey: string, text = 'Hello?'): Promise<string> {
  const ev = inboundMessage(t, { threadKey, text });
  await hub.platform.bus.publishInbound(ev);
  const msg = await eventually(() => repos.forTenant(t.tenantId).messages.findOne({ externalId: ev.externalId, applied: true }), 5000, 'message stored');
  return msg.conversationId;
}

const waker = (now: Date) => new SnoozeWaker({ repos: hub.app.inbox.repos, conversations: hub.app.inbox.conversations, logger: hub.platform.logger, now: () => now });
const hoursFromNow = (h: number) => new Date(Date.now() + h * 3_600_000);

beforeAll(async () => {
  hub = await startInstance();
  repos = new Repositories(hub.platform.store);
  t = await seedTenant(repos, 'snooze');
  token = await agentToken(hub, t);
});
afterAll(async () => {
  sockets.forEach((s) => s.disconnect());
  await hub.close();
});

describe('snooze', () => {
  it('refuses a time in the past, more than a year ahead, or not a time, and snoozed as a plain status', async () => {
    const id = await customerWrites('snooze-validation');
    const past = await api('POST', `/conversations/${id}/snooze`, { until: new Date(Date.now() - 60_000).toISOString() });
    expect(past.status).toBe(400);
    expect(past.body.error.code).toBe('SB_ERR_SNOOZE_IN_PAST');
    const far = await api('POST', `/conversations/${id}/snooze`, { until: hoursFromNow(24 * 400).toISOString() });
    expect(far.status).toBe(400);
    expect(far.body.error.code).toBe('SB_ERR_SNOOZE_TOO_FAR');
    const garbled = await api('POST', `/conversations/${id}/snooze`, { until: 'tomorrow morning' });
    expect(garbled.status).toBe(400);
    expect(garbled.body.error.code).toBe('SB_ERR_VALIDATION');
    const plain = await api('POST', `/conversations/${id}/status`, { status: 'snoozed' });
    expect(plain.status).toBe(400);
    expect(plain.body.error.code).toBe('SB_ERR_VALIDATION');
    expect((await api('GET', `/conversations/${id}`)).body.status).toBe('open');
    expect((await api('POST', `/conversations/missing/snooze`, { until: hoursFromNow(1).toISOString() })).status).toBe(404);
  });

  it('sets the conversation aside until the time: agents hear it, the open list drops it, the snoozed list has it', async () => {
    const agent = agentSocket(hub.url, token);
    sockets.push(agent);
    const heard: ConversationView[] = [];
    agent.on('conversation:updated', (c: ConversationView) => heard.push(c));
    await connected(agent);
    const id = await customerWrites('snooze-list');
    const until = hoursFromNow(3);
    const res = await api('POST', `/conversations/${id}/snooze`, { until: until.toISOString() });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id, status: 'snoozed', snoozedUntil: until.toISOString() });
    await eventually(() => heard.some((c) => c.id === id && c.status === 'snoozed' && c.snoozedUntil === until.toISOString()), 5000, 'agents hear the snooze');
    const open = await api('GET', '/conversations?status=open&limit=200');
    expect((open.body.items as ConversationView[]).map((c) => c.id)).not.toContain(id);
    const snoozed = await api('GET', '/conversations?status=snoozed&limit=200');
    expect((snoozed.body.items as ConversationView[]).map((c) => c.id)).toContain(id);
  });

  it('the waker opens it once its time has passed, not before, and only once across instances', async () => {
    const agent = agentSocket(hub.url, token);
    sockets.push(agent);
    const heard: ConversationView[] = [];
    agent.on('conversation:updated', (c: ConversationView) => heard.push(c));
    await connected(agent);
    const id = await customerWrites('snooze-wake');
    const until = hoursFromNow(2);
    await api('POST', `/conversations/${id}/snooze`, { until: until.toISOString() });

    await waker(new Date(until.getTime() - 1000)).runOnce();
    expect((await api('GET', `/conversations/${id}`)).body.status).toBe('snoozed');

    heard.length = 0;
    const later = new Date(until.getTime() + 1000);
    const woken = await Promise.all([waker(later).runOnce(), waker(later).runOnce()]);
    expect(woken.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(1);
    const after = (await api('GET', `/conversations/${id}`)).body as ConversationView;
    expect(after.status).toBe('open');
    expect(after.snoozedUntil).toBeUndefined();
    await eventually(() => heard.some((c) => c.id === id && c.status === 'open'), 5000, 'agents hear it open again');
    expect(heard.filter((c) => c.id === id && c.status === 'open')).toHaveLength(1);
  });

  it('the customer writing opens it at once', async () => {
    const id = await customerWrites('snooze-inbound');
    await api('POST', `/conversations/${id}/snooze`, { until: hoursFromNow(48).toISOString() });
    await customerWrites('snooze-inbound', 'Any news?');
    const conv = (await api('GET', `/conversations/${id}`)).body as ConversationView;
    expect(conv.status).toBe('open');
    expect(conv.snoozedUntil).toBeUndefined();
    // Nothing left for the waker to do later.
    expect(await hub.app.inbox.repos.dueSnoozes(hoursFromNow(49), 200)).not.toContainEqual({ id, tenantId: t.tenantId });
  });

  it('any other status ends the snooze and forgets its time', async () => {
    const id = await customerWrites('snooze-resolve');
    await api('POST', `/conversations/${id}/snooze`, { until: hoursFromNow(5).toISOString() });
    const resolved = await api('POST', `/conversations/${id}/status`, { status: 'resolved' });
    expect(resolved.body).toMatchObject({ status: 'resolved' });
    expect(resolved.body.snoozedUntil).toBeUndefined();
    await waker(hoursFromNow(6)).runOnce();
    expect((await api('GET', `/conversations/${id}`)).body.status).toBe('resolved');
  });
});

describe('presence', () => {
  let bobId: string;
  let bobToken: string;
  let watcher: Socket;
  const heard: AgentPresenceView[] = [];
  const lastHeard = (agentId: string) => heard.filter((p) => p.agentId === agentId).at(-1);

  beforeAll(async () => {
    bobId = newId();
    await repos.forTenant(t.tenantId).agents.insertOne({ _id: bobId, email: `bob-${bobId}@example.test`, name: 'Bob', role: 'agent', passwordHash: await hashPassword('pw-bob-secret'), createdAt: new Date() });
    bobToken = await hub.platform.tokens.signAccess({ agentId: bobId, tenantId: t.tenantId, role: 'agent', name: 'Bob' });
    watcher = agentSocket(hub.url, token);
    sockets.push(watcher);
    watcher.on('presence', (p: AgentPresenceView) => heard.push(p));
    await connected(watcher);
  });

  const statusOf = async (agentId: string) => ((await api('GET', '/agents/presence')).body.items as AgentPresenceView[]).find((p) => p.agentId === agentId);

  it('an agent is offline until a console connects, then online; teammates hear it', async () => {
    expect(await statusOf(bobId)).toMatchObject({ status: 'offline', since: null });
    const bob = agentSocket(hub.url, bobToken);
    sockets.push(bob);
    await connected(bob);
    await eventually(() => lastHeard(bobId)?.status === 'online', 5000, 'teammates hear Bob online');
    const listed = await statusOf(bobId);
    expect(listed?.status).toBe('online');
    expect(Date.parse(listed!.since!)).toBeGreaterThan(0);

    const away = await emitAck<AckResult<AgentPresenceView>>(bob, 'presence:set', { status: 'away' });
    expect(away).toMatchObject({ ok: true, data: { agentId: bobId, status: 'away', auto: false } });
    await eventually(() => lastHeard(bobId)?.status === 'away', 5000, 'teammates hear Bob away');
    expect((await statusOf(bobId))?.status).toBe('away');

    // The console's idleness never overrides the agent's own choice.
    const autoBack = await emitAck<AckResult<AgentPresenceView>>(bob, 'presence:set', { status: 'online', auto: true });
    expect(autoBack).toMatchObject({ ok: true, data: { status: 'away' } });

    const hidden = await emitAck<AckResult<AgentPresenceView>>(bob, 'presence:set', { status: 'offline' });
    expect(hidden).toMatchObject({ ok: true, data: { status: 'offline' } });
    await eventually(() => lastHeard(bobId)?.status === 'offline', 5000, 'teammates see Bob offline');

    await emitAck(bob, 'presence:set', { status: 'online' });
    await eventually(() => lastHeard(bobId)?.status === 'online', 5000, 'Bob back online');

    // Idle: away automatically, and activity brings the agent back.
    expect(await emitAck(bob, 'presence:set', { status: 'away', auto: true })).toMatchObject({ ok: true, data: { status: 'away', auto: true } });
    expect(await emitAck(bob, 'presence:set', { status: 'online', auto: true })).toMatchObject({ ok: true, data: { status: 'online', auto: false } });

    const wrong = await emitAck<AckResult<unknown>>(bob, 'presence:set', { status: 'busy' });
    expect(wrong).toMatchObject({ ok: false, error: { code: 'SB_ERR_VALIDATION' } });

    bob.disconnect();
    await eventually(() => lastHeard(bobId)?.status === 'offline', 5000, 'teammates hear Bob leave');
    expect((await statusOf(bobId))?.status).toBe('offline');
  });

  it('API keys cannot read presence', async () => {
    const key = await api('POST', '/api-keys', { name: 'presence probe', scopes: ['conversations:read'] });
    expect(key.status).toBe(201);
    const res = await api('GET', '/agents/presence', undefined, key.body.key as string);
    expect(res.status).toBe(403);
  });
});
