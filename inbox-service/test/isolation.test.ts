import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Socket } from 'socket.io-client';
import type { ConversationView } from '@switchboard/contracts';
import { eventually, sleep } from '@switchboard/testkit';
import { Repositories } from '../src/repositories/index.js';
import { agentSocket, agentToken, connected, emitAck, inboundMessage, seedTenant, startInstance, type Instance, type SeededTenant } from './harness.js';

/** Tenant B's agent must not see or touch tenant A's conversations, over REST or sockets. */
describe('tenant isolation', () => {
  let hub: Instance;
  let a: SeededTenant;
  let b: SeededTenant;
  let tokenB = '';
  let convA = '';
  const sockets: Socket[] = [];

  beforeAll(async () => {
    hub = await startInstance();
    const repos = new Repositories(hub.platform.store);
    a = await seedTenant(repos, 'a');
    b = await seedTenant(repos, 'b');
    tokenB = await agentToken(hub, b);
    await hub.platform.bus.publishInbound(inboundMessage(a, { externalId: 'secret-1', text: 'tenant A secret' }));
    const conv = await eventually(() => repos.forTenant(a.tenantId).conversations.findOne({}));
    convA = conv._id;
  });
  afterAll(async () => {
    sockets.forEach((s) => s.disconnect());
    await hub.close();
  });

  const asB = (method: string, url: string, body?: unknown) =>
    hub.app.inject({
      method: method as 'GET',
      url: `/api/v1${url}`,
      headers: { authorization: `Bearer ${tokenB}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { payload: JSON.stringify(body) } : {}),
    });

  it.each([
    ['GET', () => `/conversations/${convA}`, undefined],
    ['GET', () => `/conversations/${convA}/messages`, undefined],
    ['POST', () => `/conversations/${convA}/messages`, { text: 'hi', idempotencyKey: 'cross-tenant-1' }],
    ['POST', () => `/conversations/${convA}/assign`, { agentId: null }],
    ['POST', () => `/conversations/${convA}/status`, { status: 'resolved' }],
    ['POST', () => `/conversations/${convA}/read`, undefined],
  ] as const)('%s %s answers 404 to another tenant, changing nothing', async (method, url, body) => {
    const res = await asB(method, url(), body);
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('SB_ERR_NOT_FOUND');
    const conv = await new Repositories(hub.platform.store).forTenant(a.tenantId).conversations.findById(convA);
    expect(conv?.status).toBe('open');
    expect(conv?.unreadCount).toBe(1);
  });

  it("B's list never contains A's conversations", async () => {
    const res = await asB('GET', '/conversations?status=all');
    expect(res.json().items.map((c: ConversationView) => c.id)).not.toContain(convA);
  });

  it("B's socket cannot join A's conversation room and hears nothing of A", async () => {
    const s = agentSocket(hub.url, tokenB);
    sockets.push(s);
    const heard: unknown[] = [];
    s.onAny((event, payload) => {
      // B's team hears B come online; that is B's own, not A's.
      if (event === 'presence' && (payload as { agentId?: string }).agentId === b.agentId) return;
      heard.push([event, payload]);
    });
    await connected(s);
    const res = await emitAck<{ ok: boolean; error?: { code: string } }>(s, 'conversation:join', { conversationId: convA });
    expect(res).toEqual({ ok: false, error: { code: 'SB_ERR_NOT_FOUND', message: 'The conversation was not found.' } });
    s.emit('typing', { conversationId: convA, typing: true });
    await hub.platform.bus.publishInbound(inboundMessage(a, { externalId: 'secret-2', text: 'another A secret' }));
    await eventually(() => new Repositories(hub.platform.store).forTenant(a.tenantId).messages.findOne({ externalId: 'secret-2' }));
    await sleep(200);
    expect(heard).toEqual([]);
  });

  it("an agent token of tenant A opens A's room", async () => {
    const s = agentSocket(hub.url, await agentToken(hub, a));
    sockets.push(s);
    await connected(s);
    const res = await emitAck<{ ok: boolean }>(s, 'conversation:join', { conversationId: convA });
    expect(res.ok).toBe(true);
  });

  it('a socket without a valid token is refused at the handshake', async () => {
    const s = agentSocket(hub.url, 'not-a-token');
    sockets.push(s);
    await expect(connected(s)).rejects.toThrow('SB_ERR_UNAUTHORIZED');
  });
});

