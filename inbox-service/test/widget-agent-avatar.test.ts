import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Socket } from 'socket.io-client';
import { newId, type WidgetSession } from '@switchboard/contracts';
import { eventually } from '@switchboard/testkit';
import { Repositories } from '../src/repositories/index.js';
import { connected, emitAck, injectApi, seedTenant, startInstance, widgetSocket, type Instance, type SeededTenant } from './harness.js';

type AckResult<T> = { ok: true; data: T } | { ok: false; error: { code: string; message: string } };

/**
 * The agent's photo reaches the website visitor: an admin sets it on the agent's profile
 * (PATCH /agents/:id), and the widget's session names the assigned agent with it; without one the
 * widget draws the agent's initials.
 */
describe('agent photo in the widget', () => {
  let hub: Instance;
  let app: FastifyInstance;
  let url = '';
  let a: SeededTenant;
  let token = '';
  const sockets: Socket[] = [];

  beforeAll(async () => {
    hub = await startInstance({ PUBLIC_URL: 'https://hub.example' });
    ({ app, url } = hub);
    a = await seedTenant(new Repositories(hub.platform.store), 'avatar-a');
    token = await hub.platform.tokens.signAccess({ agentId: a.agentId, tenantId: a.tenantId, role: 'admin', name: 'Agent avatar-a' });
  });
  afterAll(async () => {
    sockets.forEach((s) => s.disconnect());
    await hub?.close();
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
