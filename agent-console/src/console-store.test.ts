import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ConversationView, MessageView } from '@switchboard/contracts';
import { ApiError, type ConsoleApi, type ConversationQuery, type MessageQuery, type ReplyBody } from './api.js';
import { ConsoleStore, TYPING_TTL_MS } from './console-store.js';
import type { Realtime, RealtimeHandlers } from './realtime.js';
import { memoryStorage, writeSession, type KeyValueStorage } from './session.js';
import { conversation, message } from './test-fixtures.js';
import type { Clock } from './typing.js';

const ada = { id: 'agent-1', tenantId: 't1', email: 'ada@example.com', name: 'Ada Lovelace', role: 'agent' as const };

/** An in-memory stand-in for the inbox REST API, recording what the console asked for. */
class FakeApi implements ConsoleApi {
  conversations = new Map<string, ConversationView>();
  messages = new Map<string, MessageView[]>();
  calls: string[] = [];
  failSend: ApiError | null = null;
  sendGate: Promise<void> | null = null;
  /** What each reply POST carried, in order. */
  sentBodies: ReplyBody[] = [];
  /** Uploads wait for these, by file name, when set; a rejected one fails the upload. */
  uploadGates = new Map<string, Promise<void>>();
  uploads = 0;
  private seq = new Map<string, number>();
  private sentKeys = new Map<string, MessageView>();

  add(conv: ConversationView, msgs: MessageView[] = []) {
    this.conversations.set(conv.id, conv);
    this.messages.set(conv.id, msgs);
    this.seq.set(conv.id, msgs.reduce((m, x) => Math.max(m, x.seq), 0));
  }
  /** A contact writes: stored server-side (the console learns by socket or by fetching). */
  inbound(id: string, text: string): MessageView {
    const seq = (this.seq.get(id) ?? 0) + 1;
    this.seq.set(id, seq);
    const m = message(id, seq, { text });
    this.messages.get(id)!.push(m);
    const c = this.conversations.get(id)!;
    this.conversations.set(id, { ...c, unreadCount: c.unreadCount + 1, lastSeq: seq, updatedAt: m.createdAt, lastMessage: { text, direction: 'in', at: m.createdAt } });
    return m;
  }

  async login(): Promise<never> {
    throw new Error('not used');
  }
  async me() {
    this.calls.push('GET /me');
    return ada;
  }
  async listConversations(q: ConversationQuery) {
    this.calls.push(`GET /conversations?status=${q.status}&assignee=${q.assignee}`);
    const items = [...this.conversations.values()]
      .filter((c) => (q.status === 'all' || c.status === q.status) && (q.assignee === 'all' || (q.assignee === 'me' ? c.assigneeId === ada.id : c.assigneeId === null)))
      .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
    return { items, nextCursor: null };
  }
  async getConversation(id: string) {
    this.calls.push(`GET /conversations/${id}`);
    const c = this.conversations.get(id);
    if (!c) throw new ApiError(404, 'SB_ERR_NOT_FOUND', 'Conversation not found.');
    return c;
  }
  async listMessages(id: string, q: MessageQuery = {}) {
    this.calls.push(`GET /conversations/${id}/messages${q.afterSeq !== undefined ? `?afterSeq=${q.afterSeq}` : q.beforeSeq !== undefined ? `?beforeSeq=${q.beforeSeq}` : ''}`);
    const all = this.messages.get(id) ?? [];
    const limit = q.limit ?? 100;
    if (q.afterSeq !== undefined) return { items: all.filter((m) => m.seq > q.afterSeq!).slice(0, limit) };
    const upTo = q.beforeSeq !== undefined ? all.filter((m) => m.seq < q.beforeSeq!) : all;
    return { items: upTo.slice(-limit) };
  }
  async sendMessage(id: string, body: ReplyBody) {
    this.calls.push(`POST /conversations/${id}/messages ${body.idempotencyKey}`);
    this.sentBodies.push(body);
    if (this.sendGate) await this.sendGate;
    if (this.failSend) throw this.failSend;
    const existing = this.sentKeys.get(body.idempotencyKey);
    if (existing) return existing;
    const seq = (this.seq.get(id) ?? 0) + 1;
    this.seq.set(id, seq);
    const attachments = (body.attachments ?? []).map((a) => ({ kind: 'file' as const, ref: a.ref, name: `name of ${a.ref}` }));
    const m = message(id, seq, { direction: 'out', text: body.text, attachments, status: 'queued', author: { kind: 'agent', id: ada.id, name: ada.name } });
    this.messages.get(id)!.push(m);
    this.sentKeys.set(body.idempotencyKey, m);
    return m;
  }
  async uploadFile(file: Blob, name: string) {
    this.calls.push(`POST /blobs ${name}`);
    await this.uploadGates.get(name);
    const n = ++this.uploads;
    return { ref: `blob:${n}`, name, mime: file.type || 'application/octet-stream', size: file.size, kind: 'file' as const };
  }
  async assign(id: string, agentId: string | null) {
    this.calls.push(`POST /conversations/${id}/assign ${agentId}`);
    return this.update(id, { assigneeId: agentId });
  }
  async setStatus(id: string, status: ConversationView['status']) {
    this.calls.push(`POST /conversations/${id}/status ${status}`);
    return this.update(id, { status });
  }
  async markRead(id: string) {
    this.calls.push(`POST /conversations/${id}/read`);
    return this.update(id, { unreadCount: 0 });
  }
  async refreshAccess() {
    return 'access-2';
  }
  private update(id: string, patch: Partial<ConversationView>) {
    const c = { ...this.conversations.get(id)!, ...patch };
    this.conversations.set(id, c);
    return c;
  }
}

/** The socket, driven by the test: connect, drop, and push server events. */
class FakeRealtime implements Realtime {
  handlers!: RealtimeHandlers;
  connected = false;
  joined: string[] = [];
  left: string[] = [];
  typingSent: Array<[string, boolean]> = [];
  private ever = false;

  start(h: RealtimeHandlers) {
    this.handlers = h;
    h.onState('connecting');
  }
  stop() {
    this.connected = false;
  }
  isConnected() {
    return this.connected;
  }
  async join(id: string) {
    this.joined.push(id);
  }
  leave(id: string) {
    this.left.push(id);
  }
  typing(id: string, typing: boolean) {
    this.typingSent.push([id, typing]);
  }
  connect() {
    this.connected = true;
    this.handlers.onState('live');
    this.handlers.onConnect(this.ever);
    this.ever = true;
  }
  drop() {
    this.connected = false;
    this.handlers.onState('reconnecting');
  }
}

const clock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

const settle = async () => {
  for (let i = 0; i < 10; i++) await Promise.resolve();
  await vi.advanceTimersByTimeAsync(0);
};

function setup(opts: { storage?: KeyValueStorage; afterPaint?: (fn: () => void) => void } = {}) {
  const storage = opts.storage ?? memoryStorage();
  writeSession(storage, { accessToken: 'access-1', refreshToken: 'refresh-1', agent: ada });
  const api = new FakeApi();
  const rt = new FakeRealtime();
  let focused = true;
  let keys = 0;
  const store = new ConsoleStore({
    api,
    storage,
    createRealtime: () => rt,
    isFocused: () => focused,
    clock,
    newKey: () => `key-${++keys}`,
    ...(opts.afterPaint ? { afterPaint: opts.afterPaint } : {}),
  });
  return {
    store,
    api,
    rt,
    storage,
    setFocused: (f: boolean) => {
      focused = f;
    },
  };
}

const texts = (store: ConsoleStore) => store.thread.value?.messages.map((m) => m.text) ?? [];
const listIds = (store: ConsoleStore) => store.conversations.value.map((c) => c.id);

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(new Date('2025-03-12T12:00:00Z'));
});
afterEach(() => vi.useRealTimers());

describe('starting the console', () => {
  it('resumes a stored session, connects, and lists open conversations newest first', async () => {
    const { store, api, rt } = setup();
    api.add(conversation('old', { updatedAt: '2025-03-12T09:00:00.000Z' }));
    api.add(conversation('new', { updatedAt: '2025-03-12T11:00:00.000Z' }));
    api.add(conversation('done', { status: 'resolved' }));
    store.start();
    rt.connect();
    await settle();
    expect(store.agent.value?.name).toBe('Ada Lovelace');
    expect(store.connection.value).toBe('live');
    expect(listIds(store)).toEqual(['new', 'old']);
  });

  it('switches filters and remembers them for the next visit', async () => {
    const { store, api, storage } = setup();
    api.add(conversation('mine', { assigneeId: ada.id }));
    api.add(conversation('theirs', { assigneeId: 'agent-2' }));
    store.start();
    await settle();
    store.setFilter({ assignee: 'me' });
    await settle();
    expect(listIds(store)).toEqual(['mine']);
    expect(api.calls).toContain('GET /conversations?status=open&assignee=me');
    const again = new ConsoleStore({ api, storage, createRealtime: () => new FakeRealtime(), isFocused: () => true, clock });
    expect(again.filter.value).toEqual({ status: 'open', assignee: 'me', view: 'mine', sort: 'newest' });
  });

  it('asks for an inbox view in a sort, keeps it current live and remembers it', async () => {
    const { store, api, storage, rt } = setup();
    api.add(conversation('web-1', { inboxId: 'web', waitingSince: '2025-03-12T10:00:00.000Z' }));
    api.add(conversation('tg-1', { inboxId: 'telegram' }));
    const asked: ConversationQuery[] = [];
    const original = api.listConversations.bind(api);
    api.listConversations = async (q) => {
      asked.push(q);
      const page = await original(q);
      return { ...page, items: page.items.filter((c) => !q.inboxId || c.inboxId === q.inboxId) };
    };
    store.start();
    await settle();
    store.setFilter({ view: 'inbox:web', sort: 'waiting' });
    await settle();
    expect(asked.at(-1)).toMatchObject({ status: 'open', assignee: 'all', inboxId: 'web', sort: 'waiting' });
    expect(listIds(store)).toEqual(['web-1']);
    // A conversation of the inbox whose customer waits longer comes first; another inbox's stays out.
    rt.handlers.onConversationUpdated(conversation('web-2', { inboxId: 'web', waitingSince: '2025-03-12T09:00:00.000Z' }));
    rt.handlers.onConversationUpdated(conversation('tg-2', { inboxId: 'telegram' }));
    await settle();
    expect(listIds(store)).toEqual(['web-2', 'web-1']);
    const again = new ConsoleStore({ api, storage, createRealtime: () => new FakeRealtime(), isFocused: () => true, clock });
    expect(again.filter.value).toEqual({ status: 'open', assignee: 'all', view: 'inbox:web', sort: 'waiting' });
  });

  it('shows the list of the last filter chosen even if an earlier answer arrives late', async () => {
    const { store, api } = setup();
    api.add(conversation('a'));
    store.start();
    let release!: () => void;
    const slow = new Promise<void>((r) => (release = r));
    const original = api.listConversations.bind(api);
    api.listConversations = async (q) => {
      if (q.status === 'pending') await slow;
      return original(q);
    };
    store.setFilter({ status: 'pending' });
    store.setFilter({ status: 'open' });
    await settle();
    release();
    await settle();
    expect(store.filter.value.status).toBe('open');
    expect(listIds(store)).toEqual(['a']);
  });
});

describe('opening a conversation', () => {
  it('joins its room, shows its messages in order and clears its unread badge', async () => {
    const { store, api, rt } = setup();
    api.add(conversation('c1', { unreadCount: 2 }), [message('c1', 1, { text: 'Hi' }), message('c1', 2, { text: 'Anyone there?' })]);
    store.start();
    rt.connect();
    await settle();
    await store.open('c1');
    await settle();
    expect(rt.joined).toEqual(['c1']);
    expect(texts(store)).toEqual(['Hi', 'Anyone there?']);
    expect(api.calls).toContain('POST /conversations/c1/read');
    expect(store.conversations.value.find((c) => c.id === 'c1')?.unreadCount).toBe(0);
  });

  it('leaves the previous room when switching conversations', async () => {
    const { store, api, rt } = setup();
    api.add(conversation('c1'));
    api.add(conversation('c2'));
    store.start();
    rt.connect();
    await store.open('c1');
    await store.open('c2');
    expect(rt.left).toEqual(['c1']);
    expect(store.selectedId.value).toBe('c2');
  });

  it('says why when the messages cannot be loaded', async () => {
    const { store, api, rt } = setup();
    api.add(conversation('c1'));
    api.listMessages = async () => {
      throw new ApiError(500, 'SB_ERR_INTERNAL', 'Switchboard had a problem handling that. Please try again.');
    };
    store.start();
    rt.connect();
    await store.open('c1');
    expect(store.thread.value).toMatchObject({ loading: false, error: 'Switchboard had a problem handling that. Please try again.' });
  });
});

describe('live updates', () => {
  it('shows a new inbound message in the open thread at once and marks it read', async () => {
    const { store, api, rt } = setup();
    api.add(conversation('c1'), [message('c1', 1)]);
    store.start();
    rt.connect();
    await store.open('c1');
    api.calls = [];
    const m = api.inbound('c1', 'Order #42 never arrived');
    rt.handlers.onMessageNew(m);
    rt.handlers.onMessageNew(m); // delivered twice: still one bubble
    await settle();
    expect(texts(store)).toEqual(['message 1', 'Order #42 never arrived']);
    expect(api.calls.filter((c) => c === 'POST /conversations/c1/read').length).toBeGreaterThanOrEqual(1);
  });

  it('leaves the message unread when the agent is looking at another window', async () => {
    const { store, api, rt, setFocused } = setup();
    api.add(conversation('c1'), [message('c1', 1)]);
    store.start();
    rt.connect();
    await store.open('c1');
    setFocused(false);
    api.calls = [];
    rt.handlers.onMessageNew(api.inbound('c1', 'hello?'));
    rt.handlers.onConversationUpdated(api.conversations.get('c1')!);
    await settle();
    expect(api.calls).not.toContain('POST /conversations/c1/read');
    expect(store.conversations.value[0]?.unreadCount).toBe(1);
    setFocused(true);
    store.focusChanged();
    await settle();
    expect(store.conversations.value[0]?.unreadCount).toBe(0);
  });

  it('bumps another conversation to the top with its unread count, without touching the open thread', async () => {
    const { store, api, rt } = setup();
    api.add(conversation('c1', { updatedAt: '2025-03-12T09:30:00.000Z' }), [message('c1', 1)]);
    api.add(conversation('c2', { updatedAt: '2025-03-12T09:00:00.000Z' }), [message('c2', 1)]);
    store.start();
    rt.connect();
    await store.open('c1');
    const m = api.inbound('c2', 'Need help');
    rt.handlers.onMessageNew(m);
    rt.handlers.onConversationUpdated(api.conversations.get('c2')!);
    await settle();
    expect(listIds(store)).toEqual(['c2', 'c1']);
    expect(store.conversations.value[0]?.unreadCount).toBe(1);
    expect(texts(store)).toEqual(['message 1']);
  });

  it('shows a new message at once; its conversation change and the read mark follow once that frame is painted', async () => {
    const frames: Array<() => void> = [];
    const { store, api, rt } = setup({ afterPaint: (fn) => frames.push(fn) });
    api.add(conversation('c1', { updatedAt: '2025-03-12T09:30:00.000Z' }), [message('c1', 1)]);
    api.add(conversation('c2', { updatedAt: '2025-03-12T09:00:00.000Z' }), [message('c2', 1)]);
    store.start();
    rt.connect();
    await store.open('c1');
    await settle();
    api.calls = [];
    const m = api.inbound('c1', 'Still there?');
    rt.handlers.onMessageNew(m);
    rt.handlers.onConversationUpdated(api.conversations.get('c1')!);
    rt.handlers.onConversationUpdated({ ...api.conversations.get('c2')!, unreadCount: 3, updatedAt: '2025-03-12T11:00:00.000Z' });
    rt.handlers.onConversationUpdated({ ...api.conversations.get('c2')!, unreadCount: 2, updatedAt: '2025-03-12T10:00:00.000Z' });
    expect(texts(store)).toEqual(['message 1', 'Still there?']);
    expect(listIds(store)).toEqual(['c1', 'c2']);
    expect(store.conversations.value.map((c) => c.unreadCount)).toEqual([0, 0]);
    expect(api.calls).toEqual([]);
    // One run after the frame: both conversations, each at its newest, and the read mark.
    expect(frames).toHaveLength(2);
    for (const fn of frames.splice(0)) fn();
    await settle();
    expect(listIds(store)).toEqual(['c2', 'c1']);
    expect(store.conversations.value[0]?.unreadCount).toBe(3);
    expect(api.calls).toContain('POST /conversations/c1/read');
  });

  it('moves delivery ticks forward on message:updated', async () => {
    const { store, api, rt } = setup();
    const out = message('c1', 1, { direction: 'out', status: 'sent' });
    api.add(conversation('c1'), [out]);
    store.start();
    rt.connect();
    await store.open('c1');
    rt.handlers.onMessageUpdated({ ...out, status: 'read' });
    rt.handlers.onMessageUpdated({ ...out, status: 'delivered' });
    expect(store.thread.value?.messages[0]?.status).toBe('read');
  });

  it('tells listeners (the ticket panel) when the open conversation’s room is joined: on open and after every reconnect', async () => {
    const { store, api, rt } = setup();
    api.add(conversation('c1'));
    api.add(conversation('c2'));
    store.start();
    rt.connect();
    const ready: string[] = [];
    store.onConversationReady((id) => ready.push(`${id} after ${rt.joined.length} join(s)`));
    await store.open('c1');
    rt.drop();
    rt.connect();
    await settle();
    await store.open('c2');
    expect(ready).toEqual(['c1 after 1 join(s)', 'c1 after 2 join(s)', 'c2 after 3 join(s)']);
  });
});

describe('replying', () => {
  it('shows the reply at once as sending, then as the stored message', async () => {
    const { store, api, rt } = setup();
    api.add(conversation('c1'), [message('c1', 1)]);
    store.start();
    rt.connect();
    await store.open('c1');
    let release!: () => void;
    api.sendGate = new Promise<void>((r) => (release = r));
    store.composerInput('  Sorry about that — refund is on its way.  ');
    store.send();
    expect(store.drafts.value.c1).toBe('');
    expect(store.pendingInThread.value).toMatchObject([{ text: 'Sorry about that — refund is on its way.', state: 'sending' }]);
    release();
    await settle();
    expect(store.pendingInThread.value).toEqual([]);
    expect(store.thread.value?.messages.at(-1)).toMatchObject({ direction: 'out', text: 'Sorry about that — refund is on its way.', status: 'queued' });
  });

  it('shows the reply once when the socket delivers it before the POST answers', async () => {
    const { store, api, rt } = setup();
    api.add(conversation('c1'), [message('c1', 1)]);
    store.start();
    rt.connect();
    await store.open('c1');
    let release!: () => void;
    api.sendGate = new Promise<void>((r) => (release = r));
    store.composerInput('On it');
    store.send();
    const stored = message('c1', 2, { direction: 'out', text: 'On it', author: { kind: 'agent', id: ada.id, name: ada.name } });
    rt.handlers.onMessageNew(stored);
    expect(store.thread.value?.messages.filter((m) => m.text === 'On it')).toHaveLength(1);
    expect(store.pendingInThread.value).toEqual([]);
    release();
    await settle();
  });

  it('keeps a refused reply visible with the reason, and retries it with the same key', async () => {
    const { store, api, rt } = setup();
    api.add(conversation('c1'), [message('c1', 1)]);
    store.start();
    rt.connect();
    await store.open('c1');
    api.failSend = new ApiError(0, 'SB_ERR_NETWORK', 'Cannot reach Switchboard. Check your connection; the console keeps trying.');
    store.composerInput('Are you still there?');
    store.send();
    await settle();
    expect(store.pendingInThread.value).toMatchObject([{ state: 'unsent', error: expect.stringContaining('Cannot reach') }]);
    api.failSend = null;
    store.retry('key-1');
    await settle();
    expect(store.pendingInThread.value).toEqual([]);
    expect(api.calls.filter((c) => c.startsWith('POST /conversations/c1/messages'))).toEqual([
      'POST /conversations/c1/messages key-1',
      'POST /conversations/c1/messages key-1',
    ]);
    expect(texts(store)).toEqual(['message 1', 'Are you still there?']);
  });

  it('keeps a separate draft per conversation', async () => {
    const { store, api, rt } = setup();
    api.add(conversation('c1'));
    api.add(conversation('c2'));
    store.start();
    rt.connect();
    await store.open('c1');
    store.composerInput('half a thought');
    await store.open('c2');
    expect(store.drafts.value.c2 ?? '').toBe('');
    await store.open('c1');
    expect(store.drafts.value.c1).toBe('half a thought');
  });
});

describe('replying in a conversation with threads (Slack)', () => {
  it('goes into the latest thread unless the agent picks another or the top level; without threads, no thread is sent', async () => {
    const { store, api, rt } = setup();
    api.add(conversation('c1'), [message('c1', 1, { thread: { ref: 'C1:1.1', root: true } }), message('c1', 2, { thread: { ref: 'C1:1.1' } })]);
    api.add(conversation('c2'), [message('c2', 1)]);
    store.start();
    rt.connect();
    await store.open('c1');
    expect(store.threaded.value).toBe(true);
    store.composerInput('In the thread');
    store.send();
    store.replyThreads.value = { c1: null };
    store.composerInput('To the channel');
    store.send();
    await settle();
    expect(api.sentBodies.map((b) => [b.text, b.thread])).toEqual([
      ['In the thread', 'C1:1.1'],
      ['To the channel', null],
    ]);
    await store.open('c2');
    expect(store.threaded.value).toBe(false);
    store.composerInput('Plain');
    store.send();
    await settle();
    expect('thread' in api.sentBodies.at(-1)!).toBe(false);
  });
});

describe('replying with files', () => {
  const file = (name: string, size = 10, type = 'application/pdf') => Object.assign(new Blob([new Uint8Array(size)], { type }), { name });
  const opened = async () => {
    const ctx = setup();
    ctx.api.add(conversation('c1'), [message('c1', 1)]);
    ctx.store.start();
    ctx.rt.connect();
    await ctx.store.open('c1');
    return ctx;
  };

  it('uploads at once, shows chips, and sends the refs with the reply — text optional', async () => {
    const { store, api } = await opened();
    let release!: () => void;
    api.uploadGates.set('invoice.pdf', new Promise<void>((r) => (release = r)));
    store.attach([file('invoice.pdf', 1536)]);
    expect(store.composerFiles.value).toMatchObject([{ name: 'invoice.pdf', size: 1536, state: 'uploading' }]);
    expect(store.sendBlocked.value).toBe('Uploading…');
    store.send();
    expect(api.sentBodies).toEqual([]);
    release();
    await settle();
    expect(store.composerFiles.value).toMatchObject([{ state: 'ready', uploaded: { ref: 'blob:1', name: 'invoice.pdf' } }]);
    expect(store.sendBlocked.value).toBeNull();
    store.send();
    expect(store.composerFiles.value).toEqual([]);
    expect(store.pendingInThread.value).toMatchObject([{ text: '', attachments: [{ ref: 'blob:1' }], state: 'sending' }]);
    await settle();
    expect(api.sentBodies).toEqual([{ attachments: [{ ref: 'blob:1' }], idempotencyKey: 'key-1' }]);
    expect(store.pendingInThread.value).toEqual([]);
    expect(store.thread.value?.messages.at(-1)?.attachments.map((a) => a.ref)).toEqual(['blob:1']);
  });

  it('refuses empty, too large and too many files in words, and a failed upload blocks sending until removed', async () => {
    const { store, api } = await opened();
    store.attach([file('empty.txt', 0), ...Array.from({ length: 11 }, (_, i) => file(`f${i}.pdf`))]);
    expect(store.notice.value?.text).toBe('empty.txt is empty. f10.pdf was not added: one reply can carry 10 files.');
    expect(store.composerFiles.value).toHaveLength(10);
    await settle();
    for (const f of store.composerFiles.value.slice(1)) store.removeFile(f.id);
    api.uploadGates.set('broken.pdf', Promise.reject(new ApiError(413, 'SB_ERR_BLOB_TOO_LARGE', 'The file is larger than 25 MB, the most an upload may be.')));
    store.attach([file('broken.pdf')]);
    await settle();
    expect(store.composerFiles.value.map((f) => [f.name, f.state, f.error])).toEqual([
      ['f0.pdf', 'ready', undefined],
      ['broken.pdf', 'failed', 'The file is larger than 25 MB, the most an upload may be.'],
    ]);
    store.composerInput('see attached');
    expect(store.sendBlocked.value).toBe('Remove the files that could not be uploaded.');
    store.removeFile(store.composerFiles.value[1]!.id);
    store.send();
    await settle();
    expect(api.sentBodies).toEqual([{ text: 'see attached', attachments: [{ ref: 'blob:1' }], idempotencyKey: 'key-1' }]);
  });

  it('names pasted screenshots by time, and keeps files per conversation', async () => {
    const { store, api } = await opened();
    api.add(conversation('c2'));
    store.attach([file('image.png', 5, 'image/png')], { pasted: true });
    const hours = String(new Date('2025-03-12T12:00:00Z').getHours()).padStart(2, '0');
    expect(store.composerFiles.value[0]?.name).toBe(`Pasted image ${hours}-00-00.png`);
    await store.open('c2');
    expect(store.composerFiles.value).toEqual([]);
    await store.open('c1');
    expect(store.composerFiles.value).toHaveLength(1);
  });

  it('puts the text and files of a discarded reply back in the composer', async () => {
    const { store, api } = await opened();
    store.attach([file('invoice.pdf')]);
    await settle();
    api.failSend = new ApiError(400, 'SB_ERR_VALIDATION', 'Attachment 1 (blob:1) is not a file of this team.');
    store.composerInput('here');
    store.send();
    await settle();
    expect(store.pendingInThread.value).toMatchObject([{ state: 'unsent', error: 'Attachment 1 (blob:1) is not a file of this team.' }]);
    store.discard('key-1');
    expect(store.drafts.value.c1).toBe('here');
    expect(store.composerFiles.value).toMatchObject([{ name: 'invoice.pdf', state: 'ready', uploaded: { ref: 'blob:1' } }]);
  });
});

describe('typing indicators', () => {
  it('tells the contact the agent is typing, and stops on send', async () => {
    const { store, api, rt } = setup();
    api.add(conversation('c1'));
    store.start();
    rt.connect();
    await store.open('c1');
    store.composerInput('H');
    store.composerInput('He');
    store.composerInput('Hello');
    store.send();
    expect(rt.typingSent).toEqual([
      ['c1', true],
      ['c1', false],
    ]);
  });

  it('shows "… is typing" for the open conversation and hides it when the message lands or after a while', async () => {
    const { store, api, rt } = setup();
    api.add(conversation('c1', { contact: { id: 'k1', name: 'Maria Lopez', channel: 'web' } }), [message('c1', 1)]);
    store.start();
    rt.connect();
    await store.open('c1');
    rt.handlers.onTyping({ conversationId: 'c1', typing: true, who: 'contact' });
    expect(store.typingText.value).toBe('Maria Lopez is typing…');
    rt.handlers.onMessageNew(api.inbound('c1', 'ok'));
    expect(store.typingText.value).toBe('');
    rt.handlers.onTyping({ conversationId: 'c1', typing: true, who: 'agent', agentId: 'agent-2', name: 'Bo' });
    expect(store.typingText.value).toBe('Bo is typing…');
    vi.advanceTimersByTime(TYPING_TTL_MS);
    expect(store.typingText.value).toBe('');
  });

  it('ignores its own typing echoed back and typing in other conversations', async () => {
    const { store, api, rt } = setup();
    api.add(conversation('c1'));
    store.start();
    rt.connect();
    await store.open('c1');
    rt.handlers.onTyping({ conversationId: 'c1', typing: true, who: 'agent', agentId: ada.id, name: ada.name });
    rt.handlers.onTyping({ conversationId: 'c9', typing: true, who: 'contact', name: 'Zed' });
    expect(store.typingText.value).toBe('');
  });
});

describe('assign, resolve, reopen', () => {
  it('assigns to me and shows my name as the assignee', async () => {
    const { store, api, rt } = setup();
    api.add(conversation('c1'));
    store.start();
    rt.connect();
    await store.open('c1');
    expect(store.assigneeName.value).toBe('Unassigned');
    await store.assignToMe();
    expect(api.calls).toContain('POST /conversations/c1/assign agent-1');
    expect(store.assigneeName.value).toBe('Ada Lovelace');
  });

  it('names another agent when their messages taught us the name', async () => {
    const { store, api, rt } = setup();
    api.add(conversation('c1', { assigneeId: 'agent-2' }), [
      message('c1', 1, { direction: 'out', author: { kind: 'agent', id: 'agent-2', name: 'Bo Diddley' } }),
    ]);
    store.start();
    rt.connect();
    await store.open('c1');
    expect(store.assigneeName.value).toBe('Bo Diddley');
  });

  it('resolving drops it from the Open tab but keeps the thread open as resolved; reopen brings it back', async () => {
    const { store, api, rt } = setup();
    api.add(conversation('c1'));
    store.start();
    rt.connect();
    await settle();
    await store.open('c1');
    await store.resolve();
    expect(listIds(store)).toEqual([]);
    expect(store.openConversation.value?.status).toBe('resolved');
    await store.reopen();
    expect(listIds(store)).toEqual(['c1']);
    expect(store.openConversation.value?.status).toBe('open');
  });

  it('says so when an action fails', async () => {
    const { store, api, rt } = setup();
    api.add(conversation('c1'));
    api.setStatus = async () => {
      throw new ApiError(409, 'SB_ERR_CONFLICT', 'Someone else changed this conversation.');
    };
    store.start();
    rt.connect();
    await store.open('c1');
    await store.resolve();
    expect(store.notice.value?.text).toBe('Could not resolve the conversation. Someone else changed this conversation.');
    expect(store.busy.value).toBeNull();
  });
});

describe('reconnecting', () => {
  it('fetches what was missed while offline — no reload needed', async () => {
    const { store, api, rt } = setup();
    api.add(conversation('c1', { updatedAt: '2025-03-12T11:00:00.000Z' }), [message('c1', 1), message('c1', 2)]);
    store.start();
    rt.connect();
    await store.open('c1');
    rt.drop();
    expect(store.connection.value).toBe('reconnecting');
    // While the socket is down: two messages in the open conversation, and a new conversation.
    api.inbound('c1', 'are you there');
    api.inbound('c1', 'hello??');
    api.add(conversation('c-new', { updatedAt: '2025-03-12T11:30:00.000Z', unreadCount: 1 }));
    api.calls = [];
    rt.connect();
    await settle();
    expect(store.connection.value).toBe('live');
    expect(rt.joined).toEqual(['c1', 'c1']);
    expect(api.calls).toContain('GET /conversations/c1/messages?afterSeq=2');
    expect(texts(store)).toEqual(['message 1', 'message 2', 'are you there', 'hello??']);
    expect(listIds(store)).toEqual(['c-new', 'c1']);
    expect(api.calls).toContain('POST /conversations/c1/read');
  });

  it('catches up the same way on the server\'s resync, though the socket never dropped', async () => {
    const { store, api, rt } = setup();
    api.add(conversation('c1', { updatedAt: '2025-03-12T11:00:00.000Z' }), [message('c1', 1)]);
    store.start();
    rt.connect();
    await store.open('c1');
    // Stored by another server instance while Redis was down: no live event reached this console.
    api.inbound('c1', 'missed live');
    api.add(conversation('c-other', { updatedAt: '2025-03-12T11:30:00.000Z', unreadCount: 1 }));
    api.calls = [];
    rt.handlers.onResync?.();
    await settle();
    expect(store.connection.value).toBe('live');
    expect(api.calls).toContain('GET /conversations/c1/messages?afterSeq=1');
    expect(texts(store)).toEqual(['message 1', 'missed live']);
    expect(listIds(store)).toEqual(['c-other', 'c1']);
  });

  it('picks up delivery ticks that changed while offline', async () => {
    const { store, api, rt } = setup();
    api.add(conversation('c1'), [message('c1', 1, { direction: 'out', status: 'sent' })]);
    store.start();
    rt.connect();
    await store.open('c1');
    rt.drop();
    api.messages.get('c1')![0] = { ...api.messages.get('c1')![0]!, status: 'read' };
    rt.connect();
    await settle();
    expect(store.thread.value?.messages[0]?.status).toBe('read');
  });
});

describe('the session', () => {
  it('returns to the login with a reason when the server ends the session', async () => {
    const { store, api, rt } = setup();
    api.add(conversation('c1'));
    store.start();
    rt.connect();
    await store.open('c1');
    store.sessionEnded('Your session has ended. Please sign in again.');
    expect(store.session.value).toBeNull();
    expect(store.loginError.value).toBe('Your session has ended. Please sign in again.');
    expect(store.conversations.value).toEqual([]);
    expect(store.thread.value).toBeNull();
  });

  it('follows a sign-out in another tab', async () => {
    const { store, storage, rt } = setup();
    store.start();
    rt.connect();
    writeSession(storage, null);
    store.syncSession();
    expect(store.session.value).toBeNull();
  });
});

describe('other server events', () => {
  it('hands events the store does not handle to their listeners until they unsubscribe', async () => {
    const { store, rt } = setup();
    store.start();
    rt.connect();
    await settle();
    const got: unknown[] = [];
    const off = store.onServerEvent('channel:session', (p) => got.push(p));
    rt.handlers.onEvent?.('channel:session', { accountId: 'a1', state: 'qr' });
    rt.handlers.onEvent?.('something:else', { x: 1 });
    off();
    rt.handlers.onEvent?.('channel:session', { accountId: 'a1', state: 'ready' });
    expect(got).toEqual([{ accountId: 'a1', state: 'qr' }]);
  });
});
