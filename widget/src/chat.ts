import { io, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client';
import type { MessageView, WidgetClientToServer, WidgetServerToClient } from '@switchboard/contracts';
import { newClientId } from './ids.js';
import { addPending, highestSeq, markFailed, markPending, markSent, mergeServer, type ChatMessage } from './messages.js';
import { Outbox, type OutgoingMessage, type SendOutcome } from './outbox.js';
import { storageKeys, type KeyValueStorage } from './storage.js';
import { createStore, type Store } from './store.js';
import { TypingIndicator, TypingNotifier } from './typing.js';

/**
 * The visitor's side of the conversation: one socket to the hub's /widget namespace, resumed
 * from a cursor on every connect, with an outbox so nothing typed while offline is lost.
 * No DOM here; the UI renders `state` and calls the methods.
 */

/**
 * connecting: first attempt of this page view; online: connected and resumed; reconnecting: the
 * connection dropped or could not be made, socket.io is retrying; unavailable: the hub refused us.
 */
export type ConnectionState = 'connecting' | 'online' | 'reconnecting' | 'unavailable';

export interface ChatState {
  connection: ConnectionState;
  messages: readonly ChatMessage[];
  /** Who is typing ("Anna"), or null. */
  typing: string | null;
  agentName?: string;
  conversationId: string | null;
}

export interface ChatOptions {
  /** Origin of the hub, e.g. `https://hub.example.com`; the socket uses `${hubOrigin}/widget`. */
  hubOrigin: string;
  inboxToken: string;
  /** Keeps the visitor token and unsent messages across page loads (localStorage in the browser). */
  storage: KeyValueStorage;
  /** How long to wait for the server to answer a resume or a send. Default 10 000 ms. */
  ackTimeoutMs?: number;
  /** Wait before sending again a message the hub did not take ("try later", no answer). Default 3000 ms. */
  sendRetryMs?: number;
  /** Wait before asking the hub again after it refused the connection. Default 30 000 ms. */
  refusedRetryMs?: number;
  /** Extra socket.io-client options (tests pass `forceNew`, `reconnectionDelay`). */
  socketOptions?: Partial<ManagerOptions & SocketOptions>;
}

export interface Chat {
  readonly state: Store<ChatState>;
  /** Show the message at once and deliver it as soon as the widget is online. */
  send(text: string): void;
  /** Queue again a message the server refused. */
  retry(clientId: string): void;
  /** The composer's text changed. */
  composing(text: string): void;
  /** The composer lost focus. */
  blur(): void;
  close(): void;
}

type WidgetSocket = Socket<WidgetServerToClient, WidgetClientToServer>;

const DEFAULT_NAME = 'Support';
/** Error codes that mean "not now" (docs/errors.md): the message stays queued and goes again. */
const TRANSIENT = new Set(['SB_ERR_UNAVAILABLE', 'SB_ERR_INTERNAL']);

export function createChat(opts: ChatOptions): Chat {
  const { inboxToken, storage } = opts;
  const ackTimeoutMs = opts.ackTimeoutMs ?? 10_000;
  const visitorKey = storageKeys.visitor(inboxToken);
  const outboxKey = storageKeys.outbox(inboxToken);

  const restored = readOutbox(storage, outboxKey);
  let messages: ChatMessage[] = [];
  for (const m of restored) messages = addPending(messages, m);
  const state = createStore<ChatState>({ connection: 'connecting', messages, typing: null, conversationId: null });
  const update = (patch: Partial<ChatState>) => state.set({ ...state.get(), ...patch });
  const setMessages = (fn: (list: readonly ChatMessage[]) => ChatMessage[]) => update({ messages: fn(state.get().messages) });

  /**
   * The resume cursor: highest seq known to be complete up to. Live messages that arrive before
   * this connection's resume answer do not move it, or a failed resume would skip what they jumped.
   */
  let cursor: number | undefined;
  let synced = false;
  /** Counts connections, so an answer meant for an earlier one is ignored. */
  let connection = 0;
  let closed = false;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const socket: WidgetSocket = io(`${opts.hubOrigin}/widget`, {
    // A function, so every reconnect presents the visitor token the first session handed out.
    auth: (cb) => cb({ inboxToken, visitorToken: storage.get(visitorKey) ?? undefined }),
    ...opts.socketOptions,
  });

  const outbox = new Outbox(
    {
      send: (msg) => deliver(msg),
      onSent: (msg) => setMessages((list) => markSent(list, msg.clientId)),
      onRejected: (msg, error) => setMessages((list) => markFailed(list, msg.clientId, error.message)),
      onChange: (queue) => (queue.length ? storage.set(outboxKey, JSON.stringify(queue)) : storage.remove(outboxKey)),
      retryDelayMs: opts.sendRetryMs ?? 3000,
    },
    restored,
  );

  async function deliver(msg: OutgoingMessage): Promise<SendOutcome> {
    if (!socket.connected) return { kind: 'retry' };
    try {
      const res = await socket.timeout(ackTimeoutMs).emitWithAck('message:send', { clientId: msg.clientId, text: msg.text });
      if (res.ok) return { kind: 'sent' };
      return TRANSIENT.has(res.error.code) ? { kind: 'retry' } : { kind: 'rejected', error: res.error };
    } catch {
      return { kind: 'retry' };
    }
  }

  const notifier = new TypingNotifier({
    // Not volatile: a volatile "stopped" right after "typing" is dropped while the first is in flight.
    emit: (typing) => {
      if (socket.connected) socket.emit('typing', { typing });
    },
  });
  const indicator = new TypingIndicator((name) => {
    if (state.get().typing !== name) update({ typing: name });
  });

  function receive(view: MessageView, kind: 'new' | 'updated') {
    const list = state.get().messages;
    // An edit of a message older than the history this page holds would show up out of context.
    if (kind === 'updated' && !list.some((m) => m.id === view.id) && view.seq <= (highestSeq(list) ?? 0)) return;
    update({ messages: mergeServer(list, [view]) });
    if (synced && (cursor === undefined || view.seq > cursor)) cursor = view.seq;
    if (view.conversationId !== state.get().conversationId) update({ conversationId: view.conversationId });
    // The agent's message is what they were typing.
    if (view.direction === 'out') indicator.clear();
  }

  async function resume(conn: number): Promise<void> {
    let res;
    try {
      res = await socket.timeout(ackTimeoutMs).emitWithAck('session:resume', { afterSeq: cursor });
    } catch {
      // No answer in time: ask again while this connection lasts.
      if (conn === connection && socket.connected) timer = setTimeout(() => void resume(conn), 2000);
      return;
    }
    if (conn !== connection || closed) return;
    if (!res.ok) {
      // The hub is up but could not load the conversation (store down): ask again shortly.
      update({ connection: 'unavailable' });
      timer = setTimeout(() => void resume(conn), 5000);
      return;
    }
    const session = res.data;
    let held = state.get().messages;
    const previous = storage.get(visitorKey);
    if (previous && previous !== session.visitorToken) {
      // The hub did not know our token and made a new visitor: what we held was another conversation.
      held = held.filter((m) => !m.id);
      cursor = undefined;
    }
    storage.set(visitorKey, session.visitorToken);
    const merged = mergeServer(held, session.messages);
    const top = highestSeq(merged);
    if (top !== undefined && (cursor === undefined || top > cursor)) cursor = top;
    synced = true;
    update({
      connection: 'online',
      messages: merged,
      conversationId: session.conversationId,
      ...(session.agentName ? { agentName: session.agentName } : {}),
    });
    outbox.setOnline(true);
  }

  socket.on('connect', () => {
    connection++;
    synced = false;
    clearTimeout(timer);
    void resume(connection);
  });
  socket.on('disconnect', (reason) => {
    connection++;
    synced = false;
    outbox.setOnline(false);
    indicator.clear();
    if (closed) return;
    update({ connection: 'reconnecting' });
    // socket.io retries by itself except when the server closed the socket (a graceful restart does).
    if (reason === 'io server disconnect') {
      clearTimeout(timer);
      timer = setTimeout(() => socket.connect(), 1000 + Math.random() * 2000);
    }
  });
  socket.on('connect_error', () => {
    if (closed) return;
    if (socket.active) {
      // Network trouble: socket.io keeps retrying with backoff.
      update({ connection: 'reconnecting' });
    } else {
      // The hub refused the handshake (unknown inbox, rate limit…); socket.io does not retry that.
      update({ connection: 'unavailable' });
      retryLater(() => socket.connect());
    }
  });

  function retryLater(fn: () => void) {
    clearTimeout(timer);
    timer = setTimeout(fn, opts.refusedRetryMs ?? 30_000);
  }
  socket.on('message:new', (view) => receive(view, 'new'));
  socket.on('message:updated', (view) => receive(view, 'updated'));
  socket.on('typing', (ev) => indicator.update(ev.typing, ev.name || state.get().agentName || DEFAULT_NAME));

  return {
    state,
    send(text) {
      const body = text.trim();
      if (!body || closed) return;
      notifier.stop();
      const msg: OutgoingMessage = { clientId: newClientId(), text: body, createdAt: new Date().toISOString() };
      setMessages((list) => addPending(list, msg));
      outbox.enqueue(msg);
    },
    retry(clientId) {
      const failed = state.get().messages.find((m) => m.clientId === clientId && m.status === 'failed' && !m.id);
      if (!failed) return;
      setMessages((list) => markPending(list, clientId));
      outbox.enqueue({ clientId, text: failed.text, createdAt: failed.createdAt });
    },
    composing: (text) => notifier.input(text),
    blur: () => notifier.stop(),
    close() {
      closed = true;
      clearTimeout(timer);
      notifier.stop();
      indicator.clear();
      outbox.setOnline(false);
      socket.disconnect();
    },
  };
}

function readOutbox(storage: KeyValueStorage, key: string): OutgoingMessage[] {
  try {
    const parsed: unknown = JSON.parse(storage.get(key) ?? '[]');
    if (!Array.isArray(parsed)) return [];
    return parsed.filter(
      (m): m is OutgoingMessage =>
        typeof m === 'object' && m !== null && typeof m.clientId === 'string' && typeof m.text === 'string' && typeof m.createdAt === 'string',
    );
  } catch {
    return [];
  }
}
