import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Socket } from 'socket.io-client';
import type { Bus, Subscription } from '@switchboard/bus';
import { RabbitScratch } from '@switchboard/bus/testing';
import { newId, type MessageView, type OutboundCommand, type WidgetSession } from '@switchboard/contracts';
import { createStore, type DocumentStore } from '@switchboard/store';
import { eventually, sleep, tempDir, testRedisUrl, uniqueName } from '@switchboard/testkit';
import { Repositories } from '../src/repositories/index.js';
import { agentToken, connected, emitAck, injectApi, seedTenant, startInstance, widgetSocket, type Instance, type SeededTenant } from './harness.js';

type AckResult<T> = { ok: true; data: T } | { ok: false; error: { code: string; message: string } };

/**
 * Website replies to a visitor who left: queued for the team's email inbox (sb.outbound.email)
 * only when no widget of the visitor is open on any node. Two instances on Redis share the rooms;
 * the email connector's side (the mail itself) is tested in connectors/email/test/web-offline.test.ts.
 */
describe('web replies to away visitors are queued for email', () => {
  const data = tempDir('sb-offline-store');
  const scratch = new RabbitScratch();
  const prefix = uniqueName('sbo');
  const env = { REDIS_URL: testRedisUrl };
  let store: DocumentStore;
  let busA: Bus;
  let busB: Bus;
  let a: Instance;
  let b: Instance;
  let t: SeededTenant;
  let token = '';
  let outbound: Subscription;
  let refuseOutbound = false;
  const commands: OutboundCommand[] = [];
  const sockets: Socket[] = [];
  let visitorToken = '';
  let conversationId = '';

  const reply = (text: string) => injectApi(a.app, 'POST', `/conversations/${conversationId}/messages`, { text, idempotencyKey: newId() }, token);
  const visitorOn = async (instance: Instance) => {
    const s = widgetSocket(instance.url, t.widgetToken, visitorToken || undefined);
    sockets.push(s);
    await connected(s);
    const session = await emitAck<AckResult<WidgetSession>>(s, 'session:resume', {});
    if (!session.ok) throw new Error(session.error.message);
    visitorToken = session.data.visitorToken;
    return s;
  };

  beforeAll(async () => {
    store = await createStore({ driver: 'embedded', dir: data.dir });
    const bus = () => scratch.bus({ partitions: 2, prefix, deliveryLimit: 3, retryDelayMs: 50 });
    [busA, busB] = await Promise.all([bus(), bus()]);
    // Instance A's broker stops confirming outbound commands when told to.
    const breakable = new Proxy(busA, {
      get: (target, prop, receiver) => {
        if (prop === 'publishOutbound' && refuseOutbound) return async () => Promise.reject(new Error('broker unavailable'));
        const value = Reflect.get(target, prop, receiver) as unknown;
        return typeof value === 'function' ? (value as (...x: unknown[]) => unknown).bind(target) : value;
      },
    });
    a = await startInstance(env, { store, bus: breakable }, { consume: true });
    b = await startInstance(env, { store, bus: busB }, { consume: false });
    const repos = new Repositories(store);
    t = await seedTenant(repos, 'offline');
    token = await agentToken(a, t, 'Agent offline');
    const r = repos.forTenant(t.tenantId);
    await r.inboxes.insertOne({ _id: newId(), name: 'Support mail', channel: 'email', channelAccountId: 'mailbox-1', createdAt: new Date() });
    outbound = await busB.consumeOutbound('email', async (c) => {
      commands.push(c);
    });

    const first = await visitorOn(b);
    await emitAck(first, 'message:send', { clientId: newId(), text: 'Are you open on Sunday?' });
    const conv = await eventually(() => r.conversations.findOne({ channel: 'web' }), 10_000, 'web conversation');
    conversationId = conv._id;
    const saved = await emitAck<{ ok: boolean }>(first, 'visitor:update', { email: 'sunday@visitor.example', name: 'Sunny' });
    expect(saved.ok).toBe(true);
  });

  afterAll(async () => {
    sockets.forEach((s) => s.disconnect());
    await outbound?.close();
    await a?.close();
    await b?.close();
    await Promise.all([busA, busB].map((x) => x?.close()));
    await scratch.cleanup();
    await store?.close();
    data.remove();
  });

  it('a visitor with the widget open on another node gets no mail', async () => {
    const got: MessageView[] = [];
    sockets[0]!.on('message:new', (m: MessageView) => got.push(m));
    const res = await reply('We are closed on Sundays.');
    expect(res.status).toBe(201);
    await eventually(() => got.some((m) => m.text === 'We are closed on Sundays.'), 5_000, 'visitor on node B got the reply');
    await sleep(300);
    expect(commands).toEqual([]);
  });

  it('once the visitor left, the reply is queued for the email inbox, addressed to them', async () => {
    sockets[0]!.disconnect();
    await sleep(100);
    const res = await reply('But we open at 9 on Monday.');
    expect(res.status).toBe(201);
    expect(res.body.status).toBe('sent');
    const command = await eventually(() => commands.find((c) => c.messageId === res.body.id), 10_000, 'email command');
    expect(command).toMatchObject({
      tenantId: t.tenantId,
      conversationId,
      channel: 'email',
      channelAccountId: 'mailbox-1',
      threadKey: `web:${conversationId}`,
      author: { name: 'Agent offline' },
      mailTo: { address: 'sunday@visitor.example', name: 'Sunny', subject: 'Website: new reply' },
    });
    expect(command.text).toMatch(/^But we open at 9 on Monday\.\n\n-- \nYou left the chat before we answered\. Answer this email, or continue the chat/);
  });

  it('the visitor back on any node: no more mail', async () => {
    await visitorOn(a);
    const before = commands.length;
    expect((await reply('See you Monday!')).status).toBe(201);
    await sleep(300);
    expect(commands.length).toBe(before);
    sockets[1]!.disconnect();
    await sleep(100);
  });

  it('a mail that cannot be queued marks the reply failed, with a sentence; the reply is still in the chat', async () => {
    refuseOutbound = true;
    const res = await reply('Anything else?').finally(() => (refuseOutbound = false));
    expect(res.status).toBe(201);
    expect(res.body.status).toBe('failed');
    expect(res.body.error).toBe('The visitor is away, and the email copy of this reply could not be queued; it waits in the chat.');
    const back = await visitorOn(b);
    const session = await emitAck<AckResult<WidgetSession>>(back, 'session:resume', {});
    expect(session.ok && session.data.messages.some((m) => m.text === 'Anything else?')).toBe(true);
  });
});
