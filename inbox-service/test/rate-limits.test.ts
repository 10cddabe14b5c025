import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Socket } from 'socket.io-client';
import type { WidgetSession } from '@switchboard/contracts';
import { eventually, sleep, testRedisUrl } from '@switchboard/testkit';
import { Repositories } from '../src/repositories/index.js';
import { agentToken, connected, emitAck, seedTenant, startInstance, widgetSocket, type Instance, type SeededTenant } from './harness.js';

type AckResult<T> = { ok: true; data: T } | { ok: false; error: { code: string; message: string } };

describe.each([
  ['memory', {}],
  ['redis', { REDIS_URL: testRedisUrl }],
])('rate limits on the %s KeyValue', (_name, kvEnv) => {
  let hub: Instance;
  let t: SeededTenant;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    hub = await startInstance({ ...kvEnv, RATE_LIMIT_AGENT_PER_MIN: '3', RATE_LIMIT_VISITOR_PER_MIN: '2' });
    t = await seedTenant(new Repositories(hub.platform.store), 'rl');
  });
  afterAll(async () => {
    sockets.forEach((s) => s.disconnect());
    await hub.close();
  });

  it('answers an agent over the limit with 429 SB_ERR_RATE_LIMITED and Retry-After', async () => {
    const token = await agentToken(hub, t);
    const get = () => hub.app.inject({ method: 'GET', url: '/api/v1/conversations', headers: { authorization: `Bearer ${token}` } });
    for (let i = 0; i < 3; i++) expect((await get()).statusCode).toBe(200);
    const refused = await get();
    expect(refused.statusCode).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(refused.json().error.code).toBe('SB_ERR_RATE_LIMITED');
  });

  it('limits a widget visitor sending messages, and tells the widget why', async () => {
    const socket = widgetSocket(hub.url, t.widgetToken);
    sockets.push(socket);
    await connected(socket);
    await emitAck<AckResult<WidgetSession>>(socket, 'session:resume', {});
    const send = (n: number) => emitAck<AckResult<{ clientId: string }>>(socket, 'message:send', { clientId: `client-${n}-abcdefgh`, text: `hi ${n}` });
    expect((await send(1)).ok).toBe(true);
    expect((await send(2)).ok).toBe(true);
    const third = await send(3);
    expect(third.ok).toBe(false);
    expect(third.ok === false && third.error.code).toBe('SB_ERR_RATE_LIMITED');
    const r = new Repositories(hub.platform.store).forTenant(t.tenantId);
    await eventually(async () => (await r.messages.countDocuments({ channel: 'web' })) === 2, 5000, 'accepted messages stored');
    await sleep(100);
    expect(await r.messages.countDocuments({ channel: 'web', text: 'hi 3' })).toBe(0);
  });
});
