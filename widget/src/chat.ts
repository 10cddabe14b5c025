import type {
  CsatAnswer,
  MessageView,
  WidgetClientToServer,
  WidgetCsat,
  WidgetIdentify,
  WidgetInboxSettings,
  WidgetServerToClient,
  WidgetVisitor,
  WidgetVisitorUpdate,
} from '@switchboard/contracts';
import { newClientId } from './ids.js';
import { lazy } from './lazy.js';
import {
  addPending,
  fromView,
  highestSeq,
  markFailed,
  markPending,
  markSent,
  mergeServer,
  type ChatAttachment,
  type ChatMessage,
} from './messages.js';
import { createOutbox, type OutgoingAttachment, type OutgoingMessage, type SendOutcome } from './outbox.js';
import { storageKey, type KeyValueStorage } from './storage.js';
import { createStore, type Store } from './store.js';
import { createTypingIndicator, createTypingNotifier } from './typing.js';
import { createWire, type AckOf, type WireOptions } from './wire.js';

/**
 * The visitor's side of the conversation: one socket to the hub's /widget namespace, resumed
 * from a cursor on every connect, with an outbox so nothing typed while offline is lost.
 * No DOM here; the UI renders `state` and calls the methods.
 */

/**
 * connecting: first attempt of this page view (or of a new identity); online: connected and
 * resumed; reconnecting: the connection dropped or could not be made and is being retried;
 * unavailable: the hub refused us.
 */
export type ConnectionState = 'connecting' | 'online' | 'reconnecting' | 'unavailable';

export interface ChatState {
  connection: ConnectionState;
  messages: readonly ChatMessage[];
  /** Who is typing ("Anna"), or null. */
  typing: string | null;
  agentName?: string;
  agentAvatarUrl?: string;
  conversationId: string | null;
  /** null until the first session answer. */
  visitor: WidgetVisitor | null;
  /** null until the first session answer. */
  inbox: WidgetInboxSettings | null;
  /** 0 = none; visitor messages with seq <= it are "Seen". */
  agentReadSeq: number;
  /** The resolved conversation's rating survey while it may be answered (the csat chunk shows it). */
  csat?: WidgetCsat | undefined;
}

export type ChatResult = { ok: true } | { ok: false; code: string; message: string };

export interface ChatOptions {
  /** Origin of the hub, e.g. `https://hub.example.com`; the socket uses `${hubOrigin}/socket.io/`, namespace /widget. */
  hubOrigin: string;
  inboxToken: string;
  /** Keeps the visitor token and unsent messages across page loads (localStorage in the browser). */
  storage: KeyValueStorage;
  /** How long to wait for the server to answer a resume, a send, identify or update. Default 10 000 ms. */
  ackTimeoutMs?: number;
  /** Wait before sending again a message the hub did not take ("try later", no answer). Default 3000 ms. */
  sendRetryMs?: number;
  /** Wait before asking the hub again after it refused the connection. Default 30 000 ms. */
  refusedRetryMs?: number;
  /** Socket options (tests pass the `ws` package's WebSocket and short reconnection delays). */
  wire?: Partial<WireOptions>;
  /** For uploads; default the global fetch. */
  fetch?: typeof fetch;
  /** Each agent message that arrives while the chat runs (not the history a session starts with). */
  onAgentMessage?(message: ChatMessage): void;
}

export interface Chat {
  readonly state: Store<ChatState>;
  /** Show the message at once and deliver it as soon as the widget is online. */
  send(text: string): void;
  /** Upload then send (shown at once as pending with a local preview; refused before upload when over inbox.maxUploadBytes → failed message with a sentence). */
  sendFile(file: File): void;
  /** Queue again a message the server refused (or upload again a file that failed, while the page still has it). */
  retry(clientId: string): void;
  /** The composer's text changed. */
  composing(text: string): void;
  /** The composer lost focus. */
  blur(): void;
  /** Name the visitor as the site's user; the chat continues as that user (their history). */
  identify(v: WidgetIdentify): Promise<ChatResult>;
  /** Contact details and custom attributes of the visitor. */
  update(v: WidgetVisitorUpdate): Promise<ChatResult>;
  /** Forget the visitor (logout): new anonymous visitor, empty history. */
  reset(): void;
  /** The visitor has seen everything held (panel open, tab visible): emits messages:read once per new seq. */
  markRead(): void;
  /** Rate the resolved conversation, or change the rating (rejects when offline or unanswered in time). */
  rate(answer: CsatAnswer): Promise<AckOf<WidgetClientToServer['csat:answer']>>;
  close(): void;
}

const DEFAULT_NAME = 'Support';
/** Error codes that mean "not now" (docs/errors.md): the message stays queued and goes again. */
const TRANSIENT = new Set(['SB_ERR_UNAVAILABLE', 'SB_ERR_INTERNAL']);
export const UNREACHABLE = { ok: false, code: 'SB_ERR_UNAVAILABLE', message: 'The chat could not reach the server. Please try again.' } as const;
/** Uploads, a chunk loaded on the first file the visitor sends. */
const uploadChunk = lazy(() => import('./upload.js'));
/** A file that could not be uploaded, or whose upload chunk could not be had. */
const UPLOAD_FAILED = 'The file could not be sent. Check your connection and try again.';
/** identify/update's waiting and retrying, a chunk loaded on the first call. */
export const visitorChunk = lazy(() => import('./visitor.js'));

export function createChat(opts: ChatOptions): Chat {
  const { inboxToken, storage } = opts;
  const ackTimeoutMs = opts.ackTimeoutMs ?? 10_000;
  const visitorKey = storageKey('visitor', inboxToken);
  const outboxKey = storageKey('outbox', inboxToken);

  const restored = readOutbox(storage, outboxKey);
  let messages: ChatMessage[] = [];
  for (const m of restored) messages = addPending(messages, { ...m, attachments: m.attachments?.map(shownAttachment) });
  const state = createStore<ChatState>({
    connection: 'connecting',
    messages,
    typing: null,
    conversationId: null,
    visitor: null,
    inbox: null,
    agentReadSeq: 0,
  });
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
  /** The chat is reconnecting on purpose as another visitor (identify, reset): "connecting", not "reconnecting". */
  let switching = false;
  /** Counts reset() calls, so an answer or upload meant for the forgotten visitor changes nothing. */
  let identity = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  /** messages:read: the highest seq the visitor has seen, and the highest the hub was told. */
  let readWanted = 0;
  let readSent = 0;
  /** The last agent name a reply made us ask the session about. */
  let askedFor: string | undefined;
  /** Files picked on this page, by clientId, until the hub has the message: for retry, and the preview URL to free. */
  const files = new Map<string, { file: File; preview?: string }>();
  /** Refused messages that were already uploaded, by clientId: retry sends them again as they were. */
  const refused = new Map<string, OutgoingMessage>();
  let calls: Promise<unknown> = Promise.resolve();

  const wire = createWire<WidgetServerToClient, WidgetClientToServer>(opts.hubOrigin, '/widget', {
    // A function, so every reconnect presents the visitor token the latest session handed out.
    auth: () => ({ inboxToken, visitorToken: storage.get(visitorKey) ?? undefined }),
    ...opts.wire,
  });

  const outbox = createOutbox(
    {
      send: (msg) => deliver(msg),
      onSent: (msg) => setMessages((list) => markSent(list, msg.clientId)),
      onRejected: (msg, error) => {
        if (msg.attachments) refused.set(msg.clientId, msg);
        setMessages((list) => markFailed(list, msg.clientId, error.message));
      },
      onChange: (queue) => (queue.length ? storage.set(outboxKey, JSON.stringify(queue)) : storage.remove(outboxKey)),
      retryDelayMs: opts.sendRetryMs ?? 3000,
    },
    restored,
  );

  async function deliver(msg: OutgoingMessage): Promise<SendOutcome> {
    // Offline, emitWithAck rejects at once: retry.
    try {
      const res = await wire.emitWithAck(
        'message:send',
        // Keys left undefined are not sent (JSON).
        { clientId: msg.clientId, text: msg.text || undefined, attachments: msg.attachments?.map(({ ref }) => ({ ref })) },
        ackTimeoutMs,
      );
      if (res.ok) return { kind: 'sent' };
      return TRANSIENT.has(res.error.code) ? { kind: 'retry' } : { kind: 'rejected', error: res.error };
    } catch {
      return { kind: 'retry' };
    }
  }

  const notifier = createTypingNotifier({ emit: (typing) => wire.emit('typing', { typing }) });
  const indicator = createTypingIndicator((name) => {
    if (state.get().typing !== name) update({ typing: name });
  });

  /** Free the preview of files whose message the hub now holds (its copy carries the hub's link). */
  function settleFiles(list: readonly ChatMessage[]) {
    for (const [clientId, { preview }] of files) {
      if (!list.some((m) => m.clientId === clientId && m.id)) continue;
      freePreview(preview);
      files.delete(clientId);
    }
  }

  function setMerged(list: ChatMessage[]) {
    update({ messages: list });
    if (files.size) settleFiles(list);
  }

  function receive(view: MessageView, kind: 'new' | 'updated') {
    const list = state.get().messages;
    const held = list.some((m) => m.id === view.id);
    // An edit of a message older than the history this page holds would show up out of context.
    if (kind === 'updated' && !held && view.seq <= (highestSeq(list) ?? 0)) return;
    setMerged(mergeServer(list, [view]));
    if (synced && (cursor === undefined || view.seq > cursor)) cursor = view.seq;
    if (view.conversationId !== state.get().conversationId) update({ conversationId: view.conversationId });
    // The agent's message is what they were typing.
    if (view.direction === 'out') indicator.clear();
    // A reply from an agent the session did not name (the conversation was just assigned): ask
    // the session again, once per name, for the agent's name and photo.
    const author = view.author.kind === 'agent' && view.author.name;
    if (synced && author && author !== state.get().agentName && author !== askedFor) {
      askedFor = author;
      void resume(connection);
    }
    if (kind === 'new' && !held) announce([view]);
  }

  function announce(views: readonly MessageView[]) {
    if (!opts.onAgentMessage) return;
    for (const view of views) {
      const message = fromView(view);
      if (message.author === 'agent') opts.onAgentMessage(message);
    }
  }

  async function resume(conn: number): Promise<void> {
    let res;
    try {
      res = await wire.emitWithAck('session:resume', cursor === undefined ? {} : { afterSeq: cursor }, ackTimeoutMs);
    } catch {
      // No answer in time: ask again while this connection lasts.
      if (conn === connection && wire.connected) timer = setTimeout(() => void resume(conn), 2000);
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
    // What a drop made this page miss is news; the history a fresh session starts with is not.
    const missed = cursor === undefined ? [] : session.messages.filter((v) => !held.some((m) => m.id === v.id));
    storage.set(visitorKey, session.visitorToken);
    const merged = mergeServer(held, session.messages);
    const top = highestSeq(merged);
    if (top !== undefined && (cursor === undefined || top > cursor)) cursor = top;
    synced = true;
    switching = false;
    setMerged(merged);
    update({
      connection: 'online',
      conversationId: session.conversationId,
      visitor: session.visitor,
      inbox: session.inbox,
      agentReadSeq: Math.max(state.get().agentReadSeq, session.agentReadSeq ?? 0),
      csat: session.csat,
      // A session that names nobody keeps the agent already shown.
      agentName: session.agentName || state.get().agentName,
      agentAvatarUrl: session.agentAvatarUrl || state.get().agentAvatarUrl,
    });
    announce(missed);
    outbox.setOnline(true);
    flushRead();
  }

  function flushRead() {
    if (!synced || !wire.connected || readWanted <= readSent) return;
    readSent = readWanted;
    wire.emit('messages:read', { upToSeq: readSent });
  }

  /**
   * Continue as another visitor: drop what belongs to the previous one and reconnect, so the
   * session resumes with the token now stored. Messages still unsent stay and go out as the new one.
   */
  function switchVisitor() {
    cursor = undefined;
    synced = false;
    readWanted = readSent = 0;
    storage.remove(storageKey('seen', inboxToken));
    update({
      connection: 'connecting',
      messages: state.get().messages.filter((m) => !m.id),
      conversationId: null,
      agentReadSeq: 0,
      typing: null,
      agentName: undefined,
      agentAvatarUrl: undefined,
    });
    switching = true;
    wire.disconnect();
    if (!closed) wire.connect();
  }

  /** Resolves when the session is up (or the chat closed). */
  const online = () =>
    new Promise<void>((resolve) => {
      const ready = () => closed || (state.get().connection === 'online' && wire.connected);
      if (ready()) return resolve();
      const off = state.subscribe(() => {
        if (!ready()) return;
        off();
        resolve();
      });
    });

  /** identify/update: one at a time, in call order, each once the session is up. */
  function call<K extends 'visitor:identify' | 'visitor:update'>(
    event: K,
    req: Parameters<WidgetClientToServer[K]>[0],
    onOk: (data: Extract<AckOf<WidgetClientToServer[K]>, { ok: true }>['data']) => void,
  ): Promise<ChatResult> {
    const run = () =>
      visitorChunk().then(
        ({ ask }) =>
          ask({
            online,
            closed: () => closed,
            identity: () => identity,
            emit: () => wire.emitWithAck(event, req as never, ackTimeoutMs),
            onOk: onOk as (data: unknown) => void,
            unreachable: UNREACHABLE,
          }),
        // Its code did not download: as if the server could not be reached; the next call tries again.
        () => UNREACHABLE,
      );
    const result = calls.then(run);
    calls = result;
    return result;
  }

  function upload(clientId: string, file: File): void {
    const fail = (message = UPLOAD_FAILED) => setMessages((list) => markFailed(list, clientId, message));
    const asked = identity;
    uploadChunk().then(
      (chunk) =>
        chunk.upload(file, {
          online,
          current: () => !closed && asked === identity,
          maxBytes: () => state.get().inbox?.maxUploadBytes,
          fetch: opts.fetch ?? fetch,
          hubOrigin: opts.hubOrigin,
          visitorToken: () => storage.get(visitorKey) ?? '',
          fail,
          done(attachment) {
            const createdAt = state.get().messages.find((m) => m.clientId === clientId)?.createdAt ?? new Date().toISOString();
            outbox.enqueue({ clientId, text: '', createdAt, attachments: [attachment] });
          },
        }),
      // The upload's code did not download: the same sentence as a failed upload; retry tries again.
      () => fail(),
    );
  }

  wire.on('connect', () => {
    connection++;
    synced = false;
    clearTimeout(timer);
    void resume(connection);
  });
  wire.on('disconnect', (reason) => {
    connection++;
    synced = false;
    outbox.setOnline(false);
    indicator.clear();
    if (closed) return;
    update({ connection: switching ? 'connecting' : 'reconnecting' });
    // The wire retries by itself except when the server closed the socket (a graceful restart does).
    if (reason === 'io server disconnect') {
      clearTimeout(timer);
      timer = setTimeout(() => wire.connect(), 1000 + Math.random() * 2000);
    }
  });
  wire.on('connect_error', () => {
    if (closed) return;
    if (wire.active) {
      // Network trouble: the wire keeps retrying with backoff.
      if (!switching) update({ connection: 'reconnecting' });
    } else {
      // The hub refused the handshake (unknown inbox, origin not allowed, rate limit…); no automatic retry for that.
      update({ connection: 'unavailable' });
      clearTimeout(timer);
      timer = setTimeout(() => wire.connect(), opts.refusedRetryMs ?? 30_000);
    }
  });
  wire.on('message:new', (view) => receive(view, 'new'));
  wire.on('message:updated', (view) => receive(view, 'updated'));
  wire.on('typing', (ev) => indicator.update(ev.typing, ev.name || state.get().agentName || DEFAULT_NAME));
  wire.on('csat:request', (csat) => update({ csat }));
  // Still connected, but the hub's instances lost replies between them (Redis was down): fetch
  // after the last seq, spread over a few seconds so every visitor does not ask at once.
  wire.on('resync', () => {
    const conn = connection;
    setTimeout(() => synced && conn === connection && void resume(conn), Math.random() * 3000);
  });
  wire.on('messages:read', ({ upToSeq }) => {
    if (upToSeq > state.get().agentReadSeq) update({ agentReadSeq: upToSeq });
  });
  wire.connect();

  return {
    state,
    send(text) {
      const body = text.trim();
      if (!body || closed) return;
      notifier.stop();
      const msg: OutgoingMessage = { clientId: newClientId(), text: body, createdAt: new Date().toISOString() };
      setMessages((list) => addPending(list, { clientId: msg.clientId, text: msg.text, createdAt: msg.createdAt }));
      outbox.enqueue(msg);
    },
    sendFile(file) {
      if (closed) return;
      const clientId = newClientId();
      const image = file.type.startsWith('image/');
      const preview = image ? URL.createObjectURL(file) : undefined;
      files.set(clientId, { file, preview });
      const shown: ChatAttachment = { name: file.name, mime: file.type || undefined, size: file.size, url: preview, image, local: true };
      setMessages((list) => addPending(list, { clientId, text: '', createdAt: new Date().toISOString(), attachments: [shown] }));
      upload(clientId, file);
    },
    retry(clientId) {
      const failed = state.get().messages.find((m) => m.clientId === clientId && m.status === 'failed' && !m.id);
      if (!failed) return;
      const again = refused.get(clientId);
      const picked = files.get(clientId);
      if (!again && !picked && !failed.text) return;
      refused.delete(clientId);
      setMessages((list) => markPending(list, clientId));
      if (again) outbox.enqueue(again);
      else if (picked) upload(clientId, picked.file);
      else outbox.enqueue({ clientId, text: failed.text, createdAt: failed.createdAt });
    },
    composing: (text) => notifier.input(text),
    blur: () => notifier.stop(),
    identify: (v) =>
      call('visitor:identify', v, ({ visitorToken, visitor }) => {
        update({ visitor });
        if (visitorToken === storage.get(visitorKey)) return;
        storage.set(visitorKey, visitorToken);
        switchVisitor();
      }),
    update: (v) => call('visitor:update', v, ({ visitor }) => update({ visitor })),
    reset() {
      if (closed) return;
      identity++;
      storage.remove(visitorKey);
      outbox.clear();
      files.forEach(({ preview }) => freePreview(preview));
      files.clear();
      refused.clear();
      update({ messages: [], visitor: null });
      switchVisitor();
    },
    rate: (answer) => wire.emitWithAck('csat:answer', answer, ackTimeoutMs),
    markRead() {
      readWanted = Math.max(readWanted, highestSeq(state.get().messages) ?? 0);
      flushRead();
    },
    close() {
      closed = true;
      clearTimeout(timer);
      notifier.stop();
      indicator.clear();
      outbox.setOnline(false);
      wire.disconnect();
      files.forEach(({ preview }) => freePreview(preview));
      // Wakes identify/update calls still waiting for a session: they answer "unreachable".
      update({});
    },
  };
}

const freePreview = (url?: string) => url && URL.revokeObjectURL(url);

const shownAttachment = ({ name, mime, size }: OutgoingAttachment): ChatAttachment => ({ name, mime, size, image: Boolean(mime?.startsWith('image/')) });


function readOutbox(storage: KeyValueStorage, key: string): OutgoingMessage[] {
  try {
    const parsed: unknown = JSON.parse(storage.get(key) ?? '[]');
    if (!Array.isArray(parsed)) return [];
    const text = (value: unknown) => typeof value === 'string';
    return parsed.filter(
      (m): m is OutgoingMessage =>
        text(m?.clientId) &&
        text(m.text) &&
        text(m.createdAt) &&
        (m.attachments === undefined || (Array.isArray(m.attachments) && m.attachments.every((a: { ref?: unknown }) => text(a?.ref)))),
    );
  } catch {
    return [];
  }
}
