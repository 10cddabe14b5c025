import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MessageView, OutboundCommand } from '@switchboard/contracts';
import type { Subscription } from '@switchboard/bus';
import { eventually } from '@switchboard/testkit';
import { Repositories } from '../src/repositories/index.js';
import { agentToken, inboundMessage, injectApi, seedTenant, startInstance, type Instance, type SeededTenant } from './harness.js';

/**
 * Threads inside a conversation (Slack thread_ts; any channel may fill `thread`): stored with each
 * message, returned by the messages API, and an agent's reply goes into the thread picked or to
 * the top level.
 */
describe('threads inside a conversation', () => {
  let hub: Instance;
  let t: SeededTenant;
  let token = '';
  let outbound: Subscription;
  const commands: OutboundCommand[] = [];
  let threaded = '';
  let flat = '';

  const api = (method: string, url: string, body?: unknown) => injectApi(hub.app, method, url, body, token);
  const messages = async (id: string) => (await api('GET', `/conversations/${id}/messages`)).body.items as MessageView[];
  const commandFor = (messageId: string) => eventually(() => commands.find((c) => c.messageId === messageId), 10_000, 'outbound command');

  beforeAll(async () => {
    hub = await startInstance();
    const repos = new Repositories(hub.platform.store);
    t = await seedTenant(repos, 'threads');
    token = await agentToken(hub, t);
    outbound = await hub.platform.bus.consumeOutbound('telegram', async (command) => {
      commands.push(command);
    });
    const event = (externalId: string, text: string, thread?: string, threadKey = 'chat-threads') => ({
      ...inboundMessage(t, { externalId, threadKey, text }),
      ...(thread ? { thread } : {}),
    });
    await hub.platform.bus.publishInbound(event('th-1', 'The invoice has the wrong VAT number', 'th-1'));
    await hub.platform.bus.publishInbound(event('th-2', 'It should be DE123456789', 'th-1'));
    await hub.platform.bus.publishInbound(event('th-3', 'Also, hello everyone'));
    await hub.platform.bus.publishInbound(event('fl-1', 'No threads here', undefined, 'chat-flat'));
    const r = repos.forTenant(t.tenantId);
    // Applied, not only counted: the conversation's seq moves before its message is written.
    const stored = async (threadKey: string, count: number) => {
      const c = await r.conversations.findOne({ threadKey });
      return c && (await r.messages.find({ conversationId: c._id, applied: true })).length >= count ? c._id : null;
    };
    threaded = await eventually(() => stored('chat-threads', 3), 10_000, 'three messages stored');
    flat = await eventually(() => stored('chat-flat', 1), 10_000, 'flat conversation');
  });
  afterAll(async () => {
    await outbound?.close();
    await hub?.close();
  });

  it('stores the thread of each message and returns it, marking the thread’s first message', async () => {
    const [root, reply, top] = await messages(threaded);
    expect(root).toMatchObject({ text: 'The invoice has the wrong VAT number', thread: { ref: 'th-1', root: true } });
    expect(reply).toMatchObject({ text: 'It should be DE123456789', thread: { ref: 'th-1' } });
    expect(reply!.thread!.root).toBeUndefined();
    expect(top!.thread).toBeUndefined();
  });

  it('a reply into a thread is stored in it and its command names the thread', async () => {
    const res = await api('POST', `/conversations/${threaded}/messages`, { text: 'Corrected, thanks', thread: 'th-1', idempotencyKey: 'thread-reply-0001' });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.thread).toEqual({ ref: 'th-1' });
    expect((await commandFor(res.body.id as string)).thread).toBe('th-1');
    expect((await messages(threaded)).find((m) => m.id === res.body.id)?.thread).toEqual({ ref: 'th-1' });
  });

  it('a reply to the top level (thread null) is in no thread, and its command says so; without `thread` nothing changes', async () => {
    const top = await api('POST', `/conversations/${threaded}/messages`, { text: 'For everyone', thread: null, idempotencyKey: 'thread-top-0001' });
    expect(top.status, JSON.stringify(top.body)).toBe(201);
    expect(top.body.thread).toBeUndefined();
    expect((await commandFor(top.body.id as string)).thread).toBeNull();

    const plain = await api('POST', `/conversations/${flat}/messages`, { text: 'Hello', idempotencyKey: 'thread-none-0001' });
    expect(plain.status).toBe(201);
    expect('thread' in (await commandFor(plain.body.id as string))).toBe(false);
  });

  it('a retried reply goes where it first went: into its thread, or to the top level', async () => {
    const failed = async (thread: string | null, key: string) => {
      const res = await api('POST', `/conversations/${threaded}/messages`, { text: `Retry ${key}`, thread, idempotencyKey: key });
      expect(res.status).toBe(201);
      const id = res.body.id as string;
      await commandFor(id);
      await hub.platform.bus.publishInbound({ ...inboundMessage(t, { threadKey: 'chat-threads' }), kind: 'status', externalId: `st-${key}`, replyTo: id, status: 'failed' });
      await eventually(async () => (await messages(threaded)).find((m) => m.id === id && m.status === 'failed'), 10_000, 'reply failed');
      const before = commands.filter((c) => c.messageId === id).length;
      expect((await api('POST', `/conversations/${threaded}/messages/${id}/retry`)).status).toBe(200);
      return eventually(() => commands.filter((c) => c.messageId === id)[before], 10_000, 'retried command');
    };
    expect((await failed('th-1', 'thread-retry-0001')).thread).toBe('th-1');
    expect((await failed(null, 'thread-retry-0002')).thread).toBeNull();
  });

  it('refuses a thread the conversation does not have, and the top level where there are no threads (400, nothing stored)', async () => {
    const before = (await messages(threaded)).length;
    const unknown = await api('POST', `/conversations/${threaded}/messages`, { text: 'Lost', thread: 'th-999', idempotencyKey: 'thread-bad-0001' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toMatchObject({ code: 'SB_ERR_VALIDATION', details: { path: '/thread' } });
    expect((await messages(threaded)).length).toBe(before);

    const noThreads = await api('POST', `/conversations/${flat}/messages`, { text: 'Top?', thread: null, idempotencyKey: 'thread-bad-0002' });
    expect(noThreads.status).toBe(400);
    expect(noThreads.body.error).toMatchObject({ code: 'SB_ERR_VALIDATION', details: { path: '/thread' } });
  });
});
