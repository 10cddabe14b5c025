import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Socket } from 'socket.io-client';
import { hashPassword } from '@switchboard/auth';
import { newId, type ConversationView, type MessageView } from '@switchboard/contracts';
import { eventually, sleep } from '@switchboard/testkit';
import { Repositories } from '../src/repositories/index.js';
import { agentSocket, agentToken, connected, inboundMessage, injectApi, seedTenant, startInstance, type Instance, type SeededTenant } from './harness.js';

/**
 * An agent limited to some inboxes hears, live, only the conversations of those inboxes; when an
 * admin changes the agent's access, the open console follows at once (no reconnect); when the
 * agent is deactivated, the console is disconnected.
 */
describe('live updates follow per-inbox access', () => {
  let hub: Instance;
  let repos: Repositories;
  let t: SeededTenant;
  let adminToken = '';
  let telegramInboxId = '';
  const limitedId = newId();
  const sockets: Socket[] = [];
  let heard: string[] = [];

  /** A Telegram message (the limited agent's access does not include Telegram at first). */
  const telegram = (text: string) => hub.platform.bus.publishInbound(inboundMessage(t, { text, threadKey: `chat-${text}` }));
  /** A website visitor's message, through the web inbox the agent may see. */
  const web = (text: string) => hub.platform.bus.publishInbound({ ...inboundMessage(t, { text, threadKey: `visitor-${text}`, channel: 'web' }), channelAccountId: t.inboxId });
  const stored = (text: string) => eventually(async () => (await repos.forTenant(t.tenantId).messages.findOne({ text })) !== null, 10_000, `“${text}” stored`);

  beforeAll(async () => {
    hub = await startInstance();
    repos = new Repositories(hub.platform.store);
    t = await seedTenant(repos, 'fanout');
    adminToken = await agentToken(hub, t);
    telegramInboxId = (await repos.forTenant(t.tenantId).inboxes.findOne({ channel: 'telegram' }))!._id;
    await repos.forTenant(t.tenantId).agents.insertOne({
      _id: limitedId,
      email: `limited-${limitedId}@example.test`,
      name: 'Lima Limited',
      role: 'agent',
      passwordHash: await hashPassword('limited-agent-password'),
      inboxIds: [t.inboxId],
      createdAt: new Date(),
    });
    const token = await hub.platform.tokens.signAccess({ agentId: limitedId, tenantId: t.tenantId, role: 'agent', name: 'Lima Limited' });
    const s = agentSocket(hub.url, token);
    sockets.push(s);
    s.on('message:new', (m: MessageView) => heard.push(`message:${m.text ?? ''}`));
    s.on('conversation:updated', (c: ConversationView) => heard.push(`conversation:${c.lastMessage?.text ?? ''}`));
    await connected(s);
  });
  afterAll(async () => {
    sockets.forEach((s) => s.disconnect());
    await hub.close();
  });

  it('hears its website inbox and nothing of the Telegram inbox', async () => {
    await telegram('tg-before');
    await web('web-before');
    await stored('tg-before');
    await eventually(() => heard.includes('message:web-before'), 10_000, 'the web message reaches the limited agent');
    await sleep(200);
    expect(heard.filter((h) => h.includes('tg-before'))).toEqual([]);
    expect(heard).toEqual(expect.arrayContaining(['message:web-before', 'conversation:web-before']));
  });

  it('hears Telegram as soon as an admin gives access, and stops when it is taken away', async () => {
    const give = await injectApi(hub.app, 'PATCH', `/agents/${limitedId}`, { inboxIds: [t.inboxId, telegramInboxId] }, adminToken);
    expect(give.status).toBe(200);
    heard = [];
    await telegram('tg-granted');
    await eventually(() => heard.includes('message:tg-granted'), 10_000, 'Telegram reaches the agent after access was given');

    const take = await injectApi(hub.app, 'PATCH', `/agents/${limitedId}`, { inboxIds: [t.inboxId] }, adminToken);
    expect(take.status).toBe(200);
    heard = [];
    await telegram('tg-revoked');
    await web('web-after');
    await stored('tg-revoked');
    await eventually(() => heard.includes('message:web-after'), 10_000, 'the web inbox still reaches the agent');
    await sleep(200);
    expect(heard.filter((h) => h.includes('tg-revoked'))).toEqual([]);
  });

  it('a deactivated agent’s console is disconnected', async () => {
    const s = sockets[0]!;
    const gone = new Promise<string>((resolve) => s.once('disconnect', (reason) => resolve(reason)));
    const res = await injectApi(hub.app, 'POST', `/agents/${limitedId}/deactivate`, undefined, adminToken);
    expect(res.status).toBe(200);
    expect(await gone).toBe('io server disconnect');
  });
});
