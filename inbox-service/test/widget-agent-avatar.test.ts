import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Socket } from 'socket.io-client';
import { loadConfig } from '@switchboard/config';
import { newId, type WidgetSession } from '@switchboard/contracts';
import { createHttpServer } from '@switchboard/http';
import { createLogger } from '@switchboard/logging';
import { createRealtime, type Realtime } from '@switchboard/realtime';
import { createPlatform, type Platform } from '@switchboard/runtime';
import { eventually, tempDir } from '@switchboard/testkit';
import inboxService from '../src/plugin.js';
import { Repositories } from '../src/repositories/index.js';
import { connected, emitAck, injectApi, JWT_SECRET, seedTenant, widgetSocket, type SeededTenant } from './harness.js';

type AckResult<T> = { ok: true; data: T } | { ok: false; error: { code: string; message: string } };

/**
 * The agent's photo reaches the website visitor: an admin sets it on the agent's profile
 * (PATCH /agents/:id), and the widget's session names the assigned agent with it; without one the
 * widget draws the agent's initials.
 */
describe('agent photo in the widget', () => {
  const data = tempDir('sb-agent-avatar');
  let platform: Platform;
  let realtime: Realtime;
  let app: FastifyInstance;
  let url = '';
  let a: SeededTenant;
  let token = '';
  const sockets: Socket[] = [];

  beforeAll(async () => {
    const config = loadConfig({ DATA_DIR: data.dir, JWT_SECRET, LOG_LEVEL: 'silent', DEMO_SEED: 'false', PUBLIC_URL: 'https://hub.example' });
    const logger = createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent', format: 'json' });
    platform = await createPlatform(config, 'agent-avatar-test', { logger });
    app = createHttpServer({ logger, bodyLimit: config.bodyLimit }) as unknown as FastifyInstance;
    realtime = await createRealtime(platform.realtime, app.server);
    await app.register(inboxService, { platform, io: realtime.io });
    await app.listen({ port: 0, host: '127.0.0.1' });
    url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    a = await seedTenant(new Repositories(platform.store), 'avatar-a');
    token = await platform.tokens.signAccess({ agentId: a.agentId, tenantId: a.tenantId, role: 'admin', name: 'Agent avatar-a' });
  });
  afterAll(async () => {
    sockets.forEach((s) => s.disconnect());
    await realtime?.close();
    await app?.close();
    await platform?.close();
    data.remove();
  });

  async function session(socket: Socket): Promise<WidgetSession> {
    const answer = await emitAck<AckResult<WidgetSession>>(socket, 'session:resume', {});
    if (!answer.ok) throw new Error(answer.error.message);
    return answer.data;
  }

  it('sends the assigned agent’s name and photo with the session, and none once the photo is removed', async () => {
    const socket = widgetSocket(url, a.widgetToken);
    sockets.push(socket);
    await connected(socket);
    await session(socket);
    expect((await emitAck<AckResult<unknown>>(socket, 'message:send', { clientId: newId(), text: 'Where is my parcel?' })).ok).toBe(true);
    let conversationId: string | null = null;
    await eventually(async () => expect((conversationId = (await session(socket)).conversationId)).toBeTruthy());

    const photo = 'https://cdn.example/agents/anna.png';
    const set = await injectApi(app, 'PATCH', `/agents/${a.agentId}`, { avatarUrl: photo }, token);
    expect(set.status).toBe(200);
    expect(set.body.avatarUrl).toBe(photo);
    expect((await injectApi(app, 'POST', `/conversations/${conversationId}/assign`, { agentId: a.agentId }, token)).status).toBe(200);
    expect(await session(socket)).toMatchObject({ agentName: 'Agent avatar-a', agentAvatarUrl: photo });

    const removed = await injectApi(app, 'PATCH', `/agents/${a.agentId}`, { avatarUrl: null }, token);
    expect(removed.status).toBe(200);
    expect(removed.body).not.toHaveProperty('avatarUrl');
    const after = await session(socket);
    expect(after.agentName).toBe('Agent avatar-a');
    expect(after).not.toHaveProperty('agentAvatarUrl');
  });

  it('refuses a photo address that is not https, with a machine-readable code', async () => {
    for (const avatarUrl of ['http://cdn.example/a.png', 'javascript:alert(1)', 'https://has space.example/a.png']) {
      const refused = await injectApi(app, 'PATCH', `/agents/${a.agentId}`, { avatarUrl }, token);
      expect(refused.status, avatarUrl).toBe(400);
      expect(refused.body.error.code).toBe('SB_ERR_VALIDATION');
    }
  });
});
