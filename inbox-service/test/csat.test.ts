import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Socket } from 'socket.io-client';
import type { Subscription } from '@switchboard/bus';
import { loadConfig } from '@switchboard/config';
import { newId, type DomainEvent, type OutboundCommand, type WidgetCsat, type WidgetSession } from '@switchboard/contracts';
import { createHttpServer } from '@switchboard/http';
import { createLogger } from '@switchboard/logging';
import { createRealtime, type Realtime } from '@switchboard/realtime';
import { createPlatform, type Platform } from '@switchboard/runtime';
import { eventually, tempDir } from '@switchboard/testkit';
import inboxService from '../src/plugin.js';
import { Repositories, type TenantRepositories } from '../src/repositories/index.js';
import { connected, emitAck, inboundMessage, injectApi, JWT_SECRET, seedTenant, widgetSocket, type SeededTenant } from './harness.js';

type AckResult<T> = { ok: true; data: T } | { ok: false; error: { code: string; message: string } };
const DAY = 86_400_000;

/**
 * CSAT: resolving a conversation asks the customer to rate it once — in the widget for a website
 * visitor, by a link to a small page for every other channel — and the answer shows on the
 * conversation, can change for a day, and is announced on sb.events. The clock of the edit window
 * is the test's, so "a day later" needs no waiting.
 */
describe('customer satisfaction survey (CSAT)', () => {
  const data = tempDir('sb-csat');
  let offsetMs = 0;
  let platform: Platform;
  let realtime: Realtime;
  let app: FastifyInstance;
  let url = '';
  let repos: Repositories;
  let a: SeededTenant;
  let b: SeededTenant;
  let tokenA = '';
  let tokenB = '';
  const sockets: Socket[] = [];
  const events: DomainEvent[] = [];
  const outbound: OutboundCommand[] = [];
  const subscriptions: Subscription[] = [];

  beforeAll(async () => {
    const config = loadConfig({ DATA_DIR: data.dir, JWT_SECRET, LOG_LEVEL: 'silent', DEMO_SEED: 'false', PUBLIC_URL: 'https://hub.example' });
    const logger = createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent', format: 'json' });
    platform = await createPlatform(config, 'csat-test', { logger });
    app = createHttpServer({ logger, bodyLimit: config.bodyLimit }) as unknown as FastifyInstance;
    realtime = await createRealtime(platform.realtime, app.server);
    await app.register(inboxService, { platform, io: realtime.io, clock: () => new Date(Date.now() + offsetMs) });
    await app.listen({ port: 0, host: '127.0.0.1' });
    url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    repos = new Repositories(platform.store);
    a = await seedTenant(repos, 'csat-a');
    b = await seedTenant(repos, 'csat-b');
    tokenA = await platform.tokens.signAccess({ agentId: a.agentId, tenantId: a.tenantId, role: 'admin', name: 'Anna' });
    tokenB = await platform.tokens.signAccess({ agentId: b.agentId, tenantId: b.tenantId, role: 'admin', name: 'Boris' });
    subscriptions.push(await platform.bus.subscribeEvents(`csat-test-${newId()}`, ['csat.*'], async (e) => void events.push(e)));
    subscriptions.push(await platform.bus.consumeOutbound('telegram', async (c) => void outbound.push(c)));
  });
  afterAll(async () => {
    sockets.forEach((s) => s.disconnect());
    for (const s of subscriptions) await s.close();
    await realtime?.close();
    await app?.close();
    await platform?.close();
    data.remove();
  });

  const forA = (): TenantRepositories => repos.forTenant(a.tenantId);
  const setStatus = (id: string, status: string, token = tokenA) => injectApi(app, 'POST', `/conversations/${id}/status`, { status }, token);

  /** A website visitor who wrote once; their socket and conversation. */
  async function visitorWhoWrote(t: SeededTenant, text: string) {
    const socket = widgetSocket(url, t.widgetToken);
    sockets.push(socket);
    await connected(socket);
    const session = await emitAck<AckResult<WidgetSession>>(socket, 'session:resume', {});
    if (!session.ok) throw new Error(session.error.message);
    const sent = await emitAck<AckResult<unknown>>(socket, 'message:send', { clientId: newId(), text });
    expect(sent.ok).toBe(true);
    const conv = await eventually(() => repos.forTenant(t.tenantId).conversations.findOne({ channel: 'web', 'lastMessage.text': text }), 10_000, 'visitor conversation stored');
    return { socket, visitorToken: session.data.visitorToken, conversationId: conv._id };
  }

  const nextRequest = (socket: Socket) => new Promise<WidgetCsat>((resolve) => socket.once('csat:request', resolve));

  it('asks a website visitor once per resolution: live, and in the session while unanswered', async () => {
    const { socket, visitorToken, conversationId } = await visitorWhoWrote(a, 'My parcel is late');
    const asked = nextRequest(socket);
    expect((await setStatus(conversationId, 'resolved')).status).toBe(200);
    expect(await asked).toEqual({ rating: null });

    // Reopened and resolved again with nothing new from the visitor: still the one survey.
    await setStatus(conversationId, 'open');
    await setStatus(conversationId, 'resolved');
    expect(await forA().csat.countDocuments({ conversationId })).toBe(1);
    const survey = (await forA().csat.findOne({ conversationId }))!;
    expect(survey).toMatchObject({ channel: 'web', inboxId: a.inboxId, round: 1, rating: null, answeredAt: null });

    // A page load later the widget is asked again, from the session answer.
    const again = widgetSocket(url, a.widgetToken, visitorToken);
    sockets.push(again);
    await connected(again);
    const session = await emitAck<AckResult<WidgetSession>>(again, 'session:resume', {});
    expect(session.ok && session.data.csat).toEqual({ rating: null });
  });

  it('takes the rating from the widget, shows it on the conversation, lets it change for a day and not after', async () => {
    const { socket, conversationId } = await visitorWhoWrote(a, 'Can I change my address?');
    const asked = nextRequest(socket);
    await setStatus(conversationId, 'resolved');
    await asked;

    for (const rating of [0, 6, 3.5, '4']) {
      const bad = await emitAck<AckResult<WidgetCsat>>(socket, 'csat:answer', { rating });
      expect(bad.ok ? 'accepted' : bad.error.code).toBe('SB_ERR_VALIDATION');
    }
    const answered = await emitAck<AckResult<WidgetCsat>>(socket, 'csat:answer', { rating: 4, comment: '  Quick and kind  ' });
    if (!answered.ok) throw new Error(answered.error.message);
    expect(answered.data).toMatchObject({ rating: 4, comment: 'Quick and kind' });
    const until = Date.parse(answered.data.editableUntil!);
    expect(until - Date.now()).toBeGreaterThan(DAY - 60_000);
    expect(until - Date.now()).toBeLessThanOrEqual(DAY);

    const view = await injectApi(app, 'GET', `/conversations/${conversationId}`, undefined, tokenA);
    expect(view.body.csat).toMatchObject({ rating: 4, comment: 'Quick and kind' });
    const event = await eventually(() => events.find((e) => e.type === 'csat.answered' && e.data.conversationId === conversationId), 10_000, 'csat.answered');
    expect(event).toMatchObject({ tenantId: a.tenantId, data: { rating: 4, comment: 'Quick and kind', channel: 'web', edited: false, inboxId: a.inboxId } });

    offsetMs = 23 * 3_600_000;
    const changed = await emitAck<AckResult<WidgetCsat>>(socket, 'csat:answer', { rating: 5 });
    expect(changed.ok && changed.data.rating).toBe(5);
    expect((await injectApi(app, 'GET', `/conversations/${conversationId}`, undefined, tokenA)).body.csat).toMatchObject({ rating: 5 });
    await eventually(() => events.find((e) => e.type === 'csat.answered' && e.data.conversationId === conversationId && e.data.edited === true), 10_000, 'edit announced');

    offsetMs = DAY + 60_000;
    try {
      const late = await emitAck<AckResult<WidgetCsat>>(socket, 'csat:answer', { rating: 1 });
      expect(late.ok ? 'accepted' : late.error.code).toBe('SB_ERR_CSAT_CLOSED');
      expect((await forA().csat.findOne({ conversationId }))!.rating).toBe(5);
      // Nothing left to ask: the session answer carries no survey.
      const session = await emitAck<AckResult<WidgetSession>>(socket, 'session:resume', {});
      expect(session.ok && session.data.csat).toBeUndefined();
    } finally {
      offsetMs = 0;
    }
  });

  it('sends other channels a link to a page that works as a plain form, once per resolution', async () => {
    await platform.bus.publishInbound(inboundMessage(a, { threadKey: 'chat-csat', text: 'Refund please' }));
    const conv = await eventually(() => forA().conversations.findOne({ channel: 'telegram', threadKey: 'chat-csat' }), 10_000, 'telegram conversation');
    await injectApi(app, 'PATCH', '/tenant', { locale: 'ru' }, tokenA);
    await setStatus(conv._id, 'resolved');
    const command = await eventually(() => outbound.find((c) => c.conversationId === conv._id), 10_000, 'link message queued');
    // The team speaks Russian: so does the message.
    expect(command.text).toMatch(/^Как мы справились\?.*https:\/\/hub\.example\/csat\/[\w-]{20,}$/);
    const token = /\/csat\/([\w-]+)$/.exec(command.text!)![1]!;
    const page = `/csat/${token}`;

    const shown = await app.inject({ method: 'GET', url: page, headers: { 'accept-language': 'en-GB,en;q=0.9' } });
    expect(shown.statusCode).toBe(200);
    expect(shown.headers['content-type']).toContain('text/html');
    expect(shown.headers['x-robots-tag']).toContain('noindex');
    expect(shown.body).toContain('<meta name="robots" content="noindex,nofollow">');
    expect(shown.body).not.toContain('<script');
    expect(shown.body.match(/type="radio" name="rating"/g)).toHaveLength(5);
    expect(shown.body).toContain('How satisfied are you');
    const russian = await app.inject({ method: 'GET', url: page, headers: { 'accept-language': 'ru-RU,ru;q=0.9' } });
    expect(russian.body).toContain('Насколько вы довольны');

    const post = (body: string) => app.inject({ method: 'POST', url: page, headers: { 'content-type': 'application/x-www-form-urlencoded', 'accept-language': 'en' }, payload: body });
    const bad = await post('rating=9&comment=x');
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('data-code="SB_ERR_VALIDATION"');
    expect(bad.body).toContain('Choose a rating from 1 to 5.');
    const saved = await post('rating=2&comment=Too+slow');
    expect(saved.statusCode).toBe(303);
    expect(saved.headers.location).toBe(token);
    const thanks = await app.inject({ method: 'GET', url: page, headers: { 'accept-language': 'en' } });
    expect(thanks.body).toContain('Thank you for your feedback!');
    expect(thanks.body).toContain('Your rating: 2 of 5');
    expect(thanks.body).toContain('Too slow');
    expect(thanks.body).toContain('Change my answer');
    expect((await injectApi(app, 'GET', `/conversations/${conv._id}`, undefined, tokenA)).body.csat).toMatchObject({ rating: 2, comment: 'Too slow' });

    // Resolved again without the customer writing: no second link.
    await setStatus(conv._id, 'open');
    await setStatus(conv._id, 'resolved');
    expect(await forA().csat.countDocuments({ conversationId: conv._id })).toBe(1);

    // A day later the page shows the answer read-only and refuses a change.
    offsetMs = DAY + 60_000;
    try {
      const late = await post('rating=5');
      expect(late.statusCode).toBe(409);
      expect(late.body).toContain('data-code="SB_ERR_CSAT_CLOSED"');
      const readOnly = await app.inject({ method: 'GET', url: page, headers: { 'accept-language': 'en' } });
      expect(readOnly.body).toContain('Your rating: 2 of 5');
      expect(readOnly.body).not.toContain('<form');
    } finally {
      offsetMs = 0;
    }

    // The customer writes again and it is resolved again: a new round, a new link.
    await platform.bus.publishInbound(inboundMessage(a, { threadKey: 'chat-csat', text: 'One more thing' }));
    await eventually(async () => (await forA().conversations.findById(conv._id))?.status === 'open', 10_000, 'reopened by the customer');
    await setStatus(conv._id, 'resolved');
    await eventually(() => outbound.filter((c) => c.conversationId === conv._id).length === 2, 10_000, 'second link');
    expect((await forA().csat.findOne({ conversationId: conv._id }, { sort: { round: -1 } }))!.round).toBe(2);
    expect(outbound.filter((c) => c.conversationId === conv._id)).toHaveLength(2);

    const unknown = await app.inject({ method: 'GET', url: '/csat/not-a-real-survey-token-000000', headers: { 'accept-language': 'en' } });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.body).toContain('Survey not found');
    await injectApi(app, 'PATCH', '/tenant', { locale: 'en' }, tokenA);
  });

  it('asks nothing when the team switched CSAT off', async () => {
    const off = await injectApi(app, 'PATCH', '/tenant', { csatEnabled: false }, tokenB);
    expect(off.body.csatEnabled).toBe(false);
    const { conversationId } = await visitorWhoWrote(b, 'Hello from B');
    await setStatus(conversationId, 'resolved', tokenB);
    expect(await repos.forTenant(b.tenantId).csat.countDocuments({})).toBe(0);
    expect((await injectApi(app, 'PATCH', '/tenant', { csatEnabled: true }, tokenB)).body.csatEnabled).toBe(true);
  });

  it("keeps each team's surveys to itself", async () => {
    const { socket: visitorA, conversationId } = await visitorWhoWrote(a, 'Isolation check');
    const asked = nextRequest(visitorA);
    await setStatus(conversationId, 'resolved');
    await asked;
    // Team B cannot resolve, read or rate team A's conversation.
    expect((await setStatus(conversationId, 'resolved', tokenB)).status).toBe(404);
    expect((await injectApi(app, 'GET', `/conversations/${conversationId}`, undefined, tokenB)).status).toBe(404);
    const { socket: visitorB } = await visitorWhoWrote(b, 'Not resolved');
    const refused = await emitAck<AckResult<WidgetCsat>>(visitorB, 'csat:answer', { rating: 1 });
    expect(refused.ok ? 'accepted' : refused.error.code).toBe('SB_ERR_NOT_FOUND');
    expect((await forA().csat.findOne({ conversationId }))!.rating).toBeNull();
    expect(await repos.forTenant(b.tenantId).csat.countDocuments({ conversationId })).toBe(0);
  });
});
