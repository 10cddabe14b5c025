import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Socket } from 'socket.io-client';
import type { ConversationView, MessageView, WidgetSession } from '@switchboard/contracts';
import { eventually } from '@switchboard/testkit';
import { Repositories } from '../src/repositories/index.js';
import {
  agentSocket,
  connected,
  emitAck,
  inboundMessage,
  injectApi,
  seedTenant,
  startInstance,
  widgetSocket,
  type Instance,
  type SeededTenant,
} from './harness.js';

type AckResult<T> = { ok: true; data: T } | { ok: false; error: { code: string; message: string } };

/** The spine on embedded defaults: what an agent and a visitor do, through the public interfaces. */
describe('inbox-service on embedded defaults', () => {
  let hub: Instance;
  let t: SeededTenant;
  let access = '';
  let refresh = '';
  const sockets: Socket[] = [];

  const api = (method: string, url: string, body?: unknown, token = access) => injectApi(hub.app, method, url, body, token);

  beforeAll(async () => {
    hub = await startInstance();
    t = await seedTenant(new Repositories(hub.platform.store), 'api');
  });
  afterAll(async () => {
    sockets.forEach((s) => s.disconnect());
    await hub.close();
  });

  describe('sign-in', () => {
    it('refuses a wrong password with a coded error', async () => {
      const res = await api('POST', '/auth/login', { email: t.email, password: 'nope' }, '');
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('SB_ERR_BAD_CREDENTIALS');
    });

    it('signs in and answers /me', async () => {
      const res = await api('POST', '/auth/login', { email: t.email.toUpperCase(), password: t.password }, '');
      expect(res.status).toBe(200);
      access = res.body.accessToken;
      refresh = res.body.refreshToken;
      expect(res.body.agent.email).toBe(t.email);
      const me = await api('GET', '/me');
      expect(me.body.id).toBe(t.agentId);
    });

    it('rotates refresh tokens, and reuse of an old one signs the whole family out', async () => {
      const first = await api('POST', '/auth/refresh', { refreshToken: refresh }, '');
      expect(first.status).toBe(200);
      const reuse = await api('POST', '/auth/refresh', { refreshToken: refresh }, '');
      expect(reuse.status).toBe(401);
      const rotated = await api('POST', '/auth/refresh', { refreshToken: first.body.refreshToken }, '');
      expect(rotated.status).toBe(401);
      const again = await api('POST', '/auth/login', { email: t.email, password: t.password }, '');
      access = again.body.accessToken;
    });

    it('refuses requests without a token, and unknown fields in a body', async () => {
      const res = await api('GET', '/conversations', undefined, '');
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('SB_ERR_UNAUTHORIZED');
      const extra = await api('POST', '/auth/login', { email: t.email, password: t.password, admin: true }, '');
      expect(extra.status).toBe(400);
      expect(extra.body.error.code).toBe('SB_ERR_VALIDATION');
    });
  });

  describe('a visitor and an agent in real time', () => {
    let agent: Socket;
    let visitor: Socket;
    let session: WidgetSession;
    let conversationId = '';
    const agentGot: MessageView[] = [];
    const agentConvs: ConversationView[] = [];
    const visitorGot: MessageView[] = [];

    beforeAll(async () => {
      agent = agentSocket(hub.url, access);
      sockets.push(agent);
      agent.on('message:new', (m: MessageView) => agentGot.push(m));
      agent.on('conversation:updated', (c: ConversationView) => agentConvs.push(c));
      await connected(agent);
      visitor = widgetSocket(hub.url, t.widgetToken);
      sockets.push(visitor);
      visitor.on('message:new', (m: MessageView) => visitorGot.push(m));
      await connected(visitor);
      const res = await emitAck<AckResult<WidgetSession>>(visitor, 'session:resume', {});
      if (!res.ok) throw new Error(res.error.message);
      session = res.data;
    });

    it('a new visitor starts with no conversation and gets a visitor token', () => {
      expect(session.conversationId).toBeNull();
      expect(session.visitorToken.length).toBeGreaterThan(20);
    });

    it('the visitor says hello; the agent sees the conversation and message live, stored once', async () => {
      const send = { clientId: 'c0ffee00-0000-4000-8000-000000000001', text: 'hello' };
      expect(await emitAck<AckResult<unknown>>(visitor, 'message:send', send)).toMatchObject({ ok: true });
      expect(await emitAck<AckResult<unknown>>(visitor, 'message:send', send)).toMatchObject({ ok: true }); // a retry after a lost ack
      const msg = await eventually(() => agentGot.find((m) => m.text === 'hello'), 5000, 'agent got hello');
      conversationId = msg.conversationId;
      const conv = await eventually(() => agentConvs.find((c) => c.id === conversationId && c.unreadCount === 1));
      expect(conv.channel).toBe('web');
      await eventually(() => visitorGot.some((m) => m.text === 'hello' && m.clientId === send.clientId));
      const list = await api('GET', '/conversations');
      expect(list.body.items.map((c: ConversationView) => c.id)).toContain(conversationId);
      const msgs = await api('GET', `/conversations/${conversationId}/messages`);
      expect(msgs.body.items.filter((m: MessageView) => m.text === 'hello')).toHaveLength(1);
    });

    it('typing shows both ways', async () => {
      expect(await emitAck<AckResult<unknown>>(agent, 'conversation:join', { conversationId })).toMatchObject({ ok: true });
      const agentSees = new Promise((r) => agent.once('typing', r));
      visitor.emit('typing', { typing: true });
      expect(await agentSees).toMatchObject({ conversationId, typing: true, who: 'contact' });
      const visitorSees = new Promise((r) => visitor.once('typing', r));
      agent.emit('typing', { conversationId, typing: true });
      expect(await visitorSees).toMatchObject({ typing: true, name: 'Agent api' });
    });

    it('the agent replies; the visitor sees it live; the same idempotencyKey sends once', async () => {
      const body = { text: 'Hi! How can I help?', idempotencyKey: 'reply-0001-abcd' };
      const first = await api('POST', `/conversations/${conversationId}/messages`, body);
      expect(first.status).toBe(201);
      expect(first.body.status).toBe('sent');
      const second = await api('POST', `/conversations/${conversationId}/messages`, body);
      expect(second.body.id).toBe(first.body.id);
      await eventually(() => visitorGot.some((m) => m.text === 'Hi! How can I help?' && m.direction === 'out'));
      const msgs = await api('GET', `/conversations/${conversationId}/messages`);
      expect(msgs.body.items.filter((m: MessageView) => m.text === 'Hi! How can I help?')).toHaveLength(1);
    });

    it('a reconnecting visitor (same token) gets what it missed after its last seq', async () => {
      const reply = await api('POST', `/conversations/${conversationId}/messages`, { text: 'Are you still there?', idempotencyKey: 'reply-0002-abcd' });
      const again = widgetSocket(hub.url, t.widgetToken, session.visitorToken);
      sockets.push(again);
      await connected(again);
      const res = await emitAck<AckResult<WidgetSession>>(again, 'session:resume', { afterSeq: reply.body.seq - 1 });
      if (!res.ok) throw new Error(res.error.message);
      expect(res.data.conversationId).toBe(conversationId);
      expect(res.data.messages.map((m) => m.text)).toEqual(['Are you still there?']);
      const full = await emitAck<AckResult<WidgetSession>>(again, 'session:resume', {});
      expect(full.ok && full.data.messages.map((m) => m.text)).toEqual(['hello', 'Hi! How can I help?', 'Are you still there?']);
    });

    it('assign to me, resolve, reopen, mark read — each pushed to agents', async () => {
      const assigned = await api('POST', `/conversations/${conversationId}/assign`, { agentId: t.agentId });
      expect(assigned.body.assigneeId).toBe(t.agentId);
      const mine = await api('GET', '/conversations?assignee=me');
      expect(mine.body.items.map((c: ConversationView) => c.id)).toEqual([conversationId]);
      const resolved = await api('POST', `/conversations/${conversationId}/status`, { status: 'resolved' });
      expect(resolved.body.status).toBe('resolved');
      expect((await api('GET', '/conversations?status=open')).body.items).toHaveLength(0);
      await eventually(() => agentConvs.some((c) => c.id === conversationId && c.status === 'resolved'));
      const reopened = await api('POST', `/conversations/${conversationId}/status`, { status: 'open' });
      expect(reopened.body.status).toBe('open');
      const read = await api('POST', `/conversations/${conversationId}/read`);
      expect(read.body.unreadCount).toBe(0);
      const bad = await api('POST', `/conversations/${conversationId}/assign`, { agentId: 'nobody' });
      expect(bad.status).toBe(400);
    });

    it('/metrics shows what was stored, stage latencies and connected sockets', async () => {
      const res = await hub.app.inject({ method: 'GET', url: '/metrics' });
      expect(res.statusCode).toBe(200);
      expect(res.body).toMatch(/^sb_messages_stored_total\{[^}]*channel="web"[^}]*direction="in"[^}]*\} [1-9]/m);
      expect(res.body).toMatch(/^sb_inbound_duplicates_total\{[^}]*channel="web"[^}]*\} 1$/m);
      expect(res.body).toMatch(/^sb_stage_seconds_count\{[^}]*stage="end_to_end"[^}]*\} [1-9]/m);
      expect(res.body).toMatch(/^sb_sockets\{[^}]*namespace="\/agent"[^}]*\} 1$/m);
      expect(res.body).toMatch(/^sb_queue_depth\{[^}]*queue="sb\.inbound\.work\.0"[^}]*\} 0$/m);
    });

    it('a resolved conversation reopens when the customer writes again', async () => {
      await api('POST', `/conversations/${conversationId}/status`, { status: 'resolved' });
      await emitAck(visitor, 'message:send', { clientId: 'c0ffee00-0000-4000-8000-000000000002', text: 'one more thing' });
      await eventually(async () => (await api('GET', `/conversations/${conversationId}`)).body.status === 'open');
    });
  });

  describe('other channels', () => {
    it('stores edits, and a delivery status never goes backwards', async () => {
      const ev = inboundMessage(t, { externalId: 'tg-1', threadKey: 'chat-edit', text: 'first version' });
      await hub.platform.bus.publishInbound(ev);
      const r = new Repositories(hub.platform.store).forTenant(t.tenantId);
      const msg = await eventually(() => r.messages.findOne({ externalId: 'tg-1' }));
      await hub.platform.bus.publishInbound({ ...ev, id: 'e2', kind: 'edit', externalId: 'tg-1-edit', replyTo: 'tg-1', text: 'second version' });
      await eventually(async () => (await r.messages.findById(msg._id))?.text === 'second version');

      const reply = await api('POST', `/conversations/${msg.conversationId}/messages`, { text: 'noted', idempotencyKey: 'reply-tg-000001' });
      expect(reply.body.status).toBe('queued');
      const status = (s: string, id: string) => ({ ...ev, id, kind: 'status', externalId: `st-${id}`, replyTo: reply.body.id, status: s });
      await hub.platform.bus.publishInbound(status('read', 's1'));
      await eventually(async () => (await r.messages.findById(reply.body.id))?.status === 'read');
      await hub.platform.bus.publishInbound(status('delivered', 's2'));
      // Same thread, same partition: once this later message is stored, s2 was handled before it.
      await hub.platform.bus.publishInbound(inboundMessage(t, { externalId: 'tg-2', threadKey: 'chat-edit', text: 'sentinel' }));
      await eventually(() => r.messages.findOne({ externalId: 'tg-2' }));
      expect((await r.messages.findById(reply.body.id))?.status).toBe('read');
    });
  });
});
