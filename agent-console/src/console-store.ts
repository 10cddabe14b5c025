import { batch, computed, signal } from '@preact/signals';
import type { AgentView, ConversationStatus, ConversationView, MessageView } from '@switchboard/contracts';
import { ApiError, newIdempotencyKey, type ConsoleApi } from './api.js';
import { t } from './i18n/core.js';
import {
  ASSIGNEE_FILTERS,
  LIST_SORTS,
  STATUS_FILTERS,
  assigneeOf,
  contactName,
  isViewKey,
  listParams,
  viewOf,
  mergePage,
  newerOf,
  totalUnread,
  upsertConversation,
  type ListFilter,
} from './conversations.js';
import type { ConnectionState, Realtime, TypingEvent } from './realtime.js';
import { readSession, writeSession, type KeyValueStorage, type Session } from './session.js';
import { hasUnsettledOutbound, highestSeq, lowestSeq, mergeMessages, replyThread, typingLine, visiblePending, type PendingReply } from './thread.js';
import { browserClock, TypingSender, type Clock } from './typing.js';
import { admitFiles, asAttachment, filesBlockSending, pastedName, readyAttachments, type FileLike, type PendingFile } from './uploads.js';

/**
 * All console state and what the agent can do, as signals and methods. The UI only renders these
 * and calls methods; the REST API and the socket come in as dependencies, so the whole flow
 * (open, reply, live updates, reconnect catch-up) is tested without a browser or a server.
 */

export interface ConsoleStoreDeps {
  api: ConsoleApi;
  storage: KeyValueStorage;
  createRealtime(): Realtime;
  /** Whether the agent is looking at the console (tab visible and focused). */
  isFocused(): boolean;
  clock?: Clock;
  newKey?: () => string;
  /**
   * Runs work a new message brings besides showing it (marking it read: a request) once the frame
   * that shows it is painted. Default: a timer of the clock.
   */
  afterPaint?: (fn: () => void) => void;
}

export interface ThreadState {
  conversationId: string;
  messages: MessageView[];
  /** First load of this conversation's messages. */
  loading: boolean;
  loadingOlder: boolean;
  hasOlder: boolean;
  error: string | null;
}

export interface Notice {
  id: number;
  kind: 'error' | 'info';
  text: string;
}

export type ConversationAction = 'assign' | 'resolve' | 'reopen';

interface TypingEntry {
  key: string;
  who: 'contact' | 'agent';
  name?: string;
}

/** Conversations per list page. */
export const LIST_PAGE = 50;
/** Messages fetched when opening a conversation or loading older ones. */
export const MESSAGE_PAGE = 50;
/** Page size while catching up after a reconnect. */
export const CATCH_UP_PAGE = 100;
/** A typing indicator the server never cleared disappears after this long. */
export const TYPING_TTL_MS = 6000;
const NOTICE_MS = 6000;
const FILTER_KEY = 'sb:console:filter';
const CACHED_THREADS = 30;

export class ConsoleStore {
  readonly session = signal<Session | null>(null);
  readonly agent = computed<AgentView | null>(() => this.session.value?.agent ?? null);
  readonly connection = signal<ConnectionState>('offline');
  readonly filter = signal<ListFilter>({ status: 'open', assignee: 'all', view: 'all', sort: 'newest' });
  readonly conversations = signal<ConversationView[]>([]);
  readonly nextCursor = signal<string | null>(null);
  readonly listLoading = signal(false);
  /** The list has answered at least once for the current filters. */
  readonly listLoaded = signal(false);
  readonly listError = signal<string | null>(null);
  readonly selectedId = signal<string | null>(null);
  /** The open conversation's latest view, kept even when the filters hide it from the list. */
  readonly openConversation = signal<ConversationView | null>(null);
  readonly thread = signal<ThreadState | null>(null);
  readonly pending = signal<PendingReply[]>([]);
  readonly drafts = signal<Record<string, string>>({});
  /** Files attached in each conversation's composer, not sent yet. */
  readonly files = signal<Record<string, PendingFile[]>>({});
  /** The thread each conversation's reply goes into, as the agent picked it (null = top level; message-threads.tsx sets it). */
  readonly replyThreads = signal<Record<string, string | null>>({});
  readonly busy = signal<ConversationAction | null>(null);
  readonly notice = signal<Notice | null>(null);
  readonly loginError = signal<string | null>(null);
  readonly loggingIn = signal(false);
  /** Agent names learned from messages and typing events, for "Assigned to …". */
  readonly agentNames = signal<Record<string, string>>({});
  private readonly typingByConversation = signal<Record<string, TypingEntry[]>>({});

  readonly unreadTotal = computed(() => totalUnread(this.conversations.value));

  /** The open conversation's attached files. */
  readonly composerFiles = computed(() => {
    const id = this.selectedId.value;
    return id ? (this.files.value[id] ?? []) : [];
  });

  /** Whether the open conversation's reply can go now, or why not (null = it can). */
  readonly sendBlocked = computed(() => {
    const id = this.selectedId.value;
    if (!id) return t('store.noOpen');
    const files = this.composerFiles.value;
    const waiting = filesBlockSending(files);
    if (waiting) return waiting;
    return (this.drafts.value[id] ?? '').trim() || files.length ? null : t('store.writeReply');
  });

  /** Whether the open conversation has threads (Slack): changes rarely, so few renders follow it. */
  readonly threaded = computed(() => this.thread.value?.messages.some((m) => m.thread) ?? false);

  readonly pendingInThread = computed(() => {
    const id = this.selectedId.value;
    const mine = this.pending.value.filter((p) => p.conversationId === id);
    return visiblePending(mine, this.thread.value?.messages ?? [], this.agent.value?.id ?? null);
  });

  readonly typingText = computed(() => {
    const id = this.selectedId.value;
    const entries = id ? (this.typingByConversation.value[id] ?? []) : [];
    const contact = this.openConversation.value?.contact;
    return typingLine(
      entries.map((e) => e.name || (e.who === 'contact' && contact ? contactName(contact) : e.who === 'agent' ? t('store.anotherAgent') : t('typing.someone'))),
    );
  });

  readonly assigneeName = computed(() => {
    const id = this.openConversation.value?.assigneeId ?? null;
    if (id === null) return t('store.unassigned');
    const me = this.agent.value;
    if (me && id === me.id) return me.name;
    return this.agentNames.value[id] ?? t('store.anotherAgent');
  });

  private readonly api: ConsoleApi;
  private readonly clock: Clock;
  private readonly newKey: () => string;
  private readonly afterPaint: (fn: () => void) => void;
  private realtime: Realtime | null = null;
  private listGen = 0;
  /** Conversations a socket event touched since the current first-page fetch started. */
  private touched = new Set<string>();
  /** Conversation changes from the socket not applied yet: they wait for the frame in progress to be painted. */
  private queued: ConversationView[] = [];
  private threadGen = 0;
  private readonly threadCache = new Map<string, { messages: MessageView[]; hasOlder: boolean }>();
  private readonly reading = new Map<string, 'busy' | 'again'>();
  private readonly typingTimers = new Map<string, unknown>();
  private typingSender: TypingSender | null = null;
  private noticeTimer: unknown = null;
  private noticeSeq = 0;
  private fileSeq = 0;
  private readonly eventListeners = new Map<string, Set<(payload: unknown) => void>>();
  private readonly readyListeners = new Set<(conversationId: string) => void>();

  constructor(private readonly deps: ConsoleStoreDeps) {
    this.api = deps.api;
    this.clock = deps.clock ?? browserClock;
    this.newKey = deps.newKey ?? newIdempotencyKey;
    this.afterPaint = deps.afterPaint ?? ((fn) => this.clock.setTimeout(fn, 0));
    this.filter.value = readFilter(deps.storage) ?? this.filter.value;
  }

  /** Listen to a server event the store does not handle itself (e.g. 'channel:session'); returns the unsubscribe. */
  onServerEvent(event: string, fn: (payload: unknown) => void): () => void {
    let set = this.eventListeners.get(event);
    if (!set) this.eventListeners.set(event, (set = new Set()));
    set.add(fn);
    return () => set.delete(fn);
  }

  /**
   * Called with the open conversation's id once its room is joined (or joining was not possible):
   * when it is opened and after every reconnect. The moment to fetch what hangs off the
   * conversation (its ticket), so no live event falls between that fetch and the room.
   */
  onConversationReady(fn: (conversationId: string) => void): () => void {
    this.readyListeners.add(fn);
    return () => this.readyListeners.delete(fn);
  }

  /** An acknowledged /agent event the store keeps no state for (presence:set); rejects when offline or refused. */
  request(event: 'presence:set', payload: { status: 'online' | 'away' | 'offline'; auto?: boolean }): Promise<unknown> {
    return this.realtime?.request?.(event, payload) ?? Promise.reject(new Error(t('store.notConnected')));
  }

  /** Resume a stored session, if any. */
  start(): void {
    const session = readSession(this.deps.storage);
    this.session.value = session;
    if (session) this.enter();
  }

  async login(email: string, password: string): Promise<void> {
    if (this.loggingIn.value) return;
    batch(() => {
      this.loggingIn.value = true;
      this.loginError.value = null;
    });
    try {
      const session = await this.api.login(email.trim(), password);
      this.session.value = readSession(this.deps.storage) ?? session;
      this.enter();
    } catch (err) {
      this.loginError.value = describe(err);
    } finally {
      this.loggingIn.value = false;
    }
  }

  signOut(): void {
    writeSession(this.deps.storage, null);
    this.sessionEnded();
  }

  /** The session is over (signed out here, in another tab, or refused by the server). */
  sessionEnded(reason?: string): void {
    this.realtime?.stop();
    this.realtime = null;
    this.typingSender?.stop();
    this.typingSender = null;
    for (const t of this.typingTimers.values()) this.clock.clearTimeout(t);
    this.typingTimers.clear();
    this.threadCache.clear();
    this.queued = [];
    this.listGen++;
    this.threadGen++;
    batch(() => {
      this.session.value = null;
      this.connection.value = 'offline';
      this.conversations.value = [];
      this.nextCursor.value = null;
      this.listLoaded.value = false;
      this.listError.value = null;
      this.selectedId.value = null;
      this.openConversation.value = null;
      this.thread.value = null;
      this.pending.value = [];
      this.drafts.value = {};
      this.files.value = {};
      this.busy.value = null;
      this.typingByConversation.value = {};
      this.loginError.value = reason ?? null;
    });
  }

  /** Another tab changed `sb:auth`: follow its sign-in or sign-out. */
  syncSession(): void {
    const stored = readSession(this.deps.storage);
    const current = this.session.value;
    if (!stored) {
      if (current) this.sessionEnded();
      return;
    }
    if (!current || current.agent.id !== stored.agent.id) {
      if (current) this.sessionEnded();
      this.session.value = stored;
      this.enter();
      return;
    }
    this.session.value = stored;
  }

  /** Change the status tab, the view (Mine, an inbox, a team …; `assignee` follows it or picks it) or the sort. */
  setFilter(change: Partial<ListFilter>): void {
    const held = this.filter.value;
    const view = change.view ?? (change.assignee ? viewOf({ status: held.status, assignee: change.assignee }) : viewOf(held));
    const next: ListFilter = { status: change.status ?? held.status, assignee: assigneeOf(view), view, sort: change.sort ?? held.sort ?? 'newest' };
    if (next.status === held.status && next.view === viewOf(held) && next.sort === (held.sort ?? 'newest')) return;
    batch(() => {
      this.filter.value = next;
      this.conversations.value = [];
      this.nextCursor.value = null;
      this.listLoaded.value = false;
    });
    try {
      this.deps.storage.setItem(FILTER_KEY, JSON.stringify(next));
    } catch {
      // not remembering the filter is fine
    }
    void this.loadList();
  }

  /** Load the first page (replacing the list) or, with `more`, the next one. */
  async loadList(more = false): Promise<void> {
    if (more && (!this.nextCursor.value || this.listLoading.value)) return;
    const gen = more ? this.listGen : ++this.listGen;
    if (!more) this.touched = new Set();
    const filter = this.filter.value;
    batch(() => {
      this.listLoading.value = true;
      this.listError.value = null;
    });
    try {
      const page = await this.api.listConversations({
        ...listParams(filter),
        limit: LIST_PAGE,
        cursor: more ? this.nextCursor.value : null,
      });
      if (gen !== this.listGen) return;
      batch(() => {
        this.conversations.value = mergePage(this.conversations.value, page.items, { replace: !more, keep: this.touched, sort: filter.sort ?? 'newest' });
        this.nextCursor.value = page.nextCursor;
        this.listLoaded.value = true;
      });
      const open = this.openConversation.value;
      const fresh = open && page.items.find((c) => c.id === open.id);
      if (open && fresh) this.openConversation.value = newerOf(open, fresh);
    } catch (err) {
      if (gen === this.listGen) this.listError.value = describe(err);
    } finally {
      if (gen === this.listGen) this.listLoading.value = false;
    }
  }

  async open(id: string): Promise<void> {
    const prev = this.selectedId.value;
    if (prev === id) return;
    if (prev) this.leaveConversation(prev);
    const gen = ++this.threadGen;
    const cached = this.threadCache.get(id);
    batch(() => {
      this.selectedId.value = id;
      this.openConversation.value = this.conversations.value.find((c) => c.id === id) ?? null;
      this.thread.value = {
        conversationId: id,
        messages: cached?.messages ?? [],
        loading: !cached,
        loadingOlder: false,
        hasOlder: cached?.hasOlder ?? false,
        error: null,
      };
    });
    // Join before fetching, so no message falls between the fetched page and the live events.
    await this.joinRoom(id);
    if (gen !== this.threadGen) return;
    this.conversationReady(id);
    await Promise.all([this.refreshConversation(id, gen), this.loadLatest(id, gen)]);
    if (gen === this.threadGen) void this.markRead(id);
  }

  /** Back to the list (narrow screens). */
  close(): void {
    const prev = this.selectedId.value;
    if (!prev) return;
    this.leaveConversation(prev);
    this.threadGen++;
    batch(() => {
      this.selectedId.value = null;
      this.openConversation.value = null;
      this.thread.value = null;
    });
  }

  /** Retry the first load of the open conversation after an error. */
  reloadThread(): void {
    const id = this.selectedId.value;
    if (!id) return;
    const gen = this.threadGen;
    this.patchThread(id, { loading: true, error: null });
    void this.loadLatest(id, gen);
  }

  async loadOlder(): Promise<void> {
    const held = this.thread.value;
    if (!held || held.loadingOlder || !held.hasOlder) return;
    const { conversationId: id } = held;
    const gen = this.threadGen;
    this.patchThread(id, { loadingOlder: true });
    try {
      const { items } = await this.api.listMessages(id, { beforeSeq: lowestSeq(held.messages), limit: MESSAGE_PAGE });
      if (gen !== this.threadGen) return;
      const cur = this.thread.value!;
      this.patchThread(id, { messages: mergeMessages(cur.messages, items), hasOlder: items.length >= MESSAGE_PAGE, loadingOlder: false });
    } catch (err) {
      if (gen !== this.threadGen) return;
      this.patchThread(id, { loadingOlder: false });
      this.notify('error', t('store.olderFailed', { reason: describe(err) }));
    }
  }

  /** The composer changed: keep the draft and tell the contact the agent is typing. */
  composerInput(text: string): void {
    const id = this.selectedId.value;
    if (!id) return;
    this.drafts.value = { ...this.drafts.value, [id]: text };
    if (!text.trim()) return this.typingSender?.stop();
    if (!this.typingSender) {
      this.typingSender = new TypingSender((typing) => this.realtime?.typing(id, typing), this.clock);
    }
    this.typingSender.input();
  }

  /**
   * Send the open conversation's draft and attached files. It shows at once as "Sending…" and
   * never goes out twice. Waits (does nothing) while a file is still uploading or has failed.
   */
  send(): void {
    const id = this.selectedId.value;
    if (!id || this.sendBlocked.value) return;
    const text = (this.drafts.value[id] ?? '').trim();
    const attachments = readyAttachments(this.files.value[id] ?? []);
    // Conversations with threads: the agent's pick, else the latest message's thread.
    const thread = this.threaded.value ? replyThread(this.thread.value?.messages ?? [], this.replyThreads.value[id]) : undefined;
    this.typingSender?.stop();
    const reply: PendingReply = {
      ...(thread !== undefined ? { thread } : {}),
      key: this.newKey(),
      conversationId: id,
      text,
      attachments,
      state: 'sending',
      afterSeq: highestSeq(this.thread.value?.messages ?? []),
      createdAt: new Date(this.clock.now()).toISOString(),
    };
    batch(() => {
      this.pending.value = [...this.pending.value, reply];
      this.drafts.value = { ...this.drafts.value, [id]: '' };
      this.files.value = { ...this.files.value, [id]: [] };
    });
    void this.deliver(reply);
  }

  /**
   * Attach files (picked, pasted or dropped) to the open conversation's reply: each uploads at
   * once and shows as a chip; empty, too large or too many files are refused with a notice.
   */
  attach(picked: ReadonlyArray<Blob & FileLike>, opts: { pasted?: boolean } = {}): void {
    const id = this.selectedId.value;
    if (!id || picked.length === 0) return;
    const { accepted, refused } = admitFiles((this.files.value[id] ?? []).length, picked);
    if (refused.length) this.notify('error', refused.join(' '));
    const now = new Date(this.clock.now());
    for (const file of accepted) {
      const entry: PendingFile = { id: `f${++this.fileSeq}`, name: opts.pasted ? pastedName(file, now) : file.name || t('msg.file'), size: file.size, state: 'uploading' };
      this.patchFiles(id, (files) => [...files, entry]);
      this.api.uploadFile(file, entry.name).then(
        (uploaded) => this.patchFiles(id, (files) => files.map((f) => (f.id === entry.id ? { ...f, name: uploaded.name, state: 'ready', uploaded: asAttachment(uploaded) } : f))),
        (err: unknown) => {
          if (err instanceof ApiError && err.code === 'SB_ERR_SESSION_ENDED') return;
          this.patchFiles(id, (files) => files.map((f) => (f.id === entry.id ? { ...f, state: 'failed', error: describe(err) } : f)));
        },
      );
    }
  }

  /** Take a file off the open conversation's reply (an upload still running is simply forgotten). */
  removeFile(fileId: string): void {
    const id = this.selectedId.value;
    if (id) this.patchFiles(id, (files) => files.filter((f) => f.id !== fileId));
  }

  /** Send a refused reply again with the same idempotency key. */
  retry(key: string): void {
    const reply = this.pending.value.find((p) => p.key === key);
    if (!reply || reply.state === 'sending') return;
    const again: PendingReply = { ...reply, state: 'sending', afterSeq: highestSeq(this.thread.value?.messages ?? []) };
    delete again.error;
    this.pending.value = this.pending.value.map((p) => (p.key === key ? again : p));
    void this.deliver(again);
  }

  /** Drop a refused reply, putting its text and files back in the composer where that is empty. */
  discard(key: string): void {
    const reply = this.pending.value.find((p) => p.key === key);
    if (!reply) return;
    const id = reply.conversationId;
    batch(() => {
      this.pending.value = this.pending.value.filter((p) => p.key !== key);
      if (!(this.drafts.value[id] ?? '').trim()) {
        this.drafts.value = { ...this.drafts.value, [id]: reply.text };
      }
      if (reply.attachments.length && !(this.files.value[id] ?? []).length) {
        const back = reply.attachments.map((a): PendingFile => ({ id: `f${++this.fileSeq}`, name: a.name ?? t('msg.file'), size: a.size ?? 0, state: 'ready', uploaded: a }));
        this.files.value = { ...this.files.value, [id]: back };
      }
    });
  }

  assignToMe(): Promise<void> {
    const me = this.agent.value;
    return this.act('assign', 'store.assignFailed', (id) => this.api.assign(id, me?.id ?? null));
  }

  resolve(): Promise<void> {
    return this.act('resolve', 'store.resolveFailed', (id) => this.api.setStatus(id, 'resolved'));
  }

  reopen(): Promise<void> {
    return this.act('reopen', 'store.reopenFailed', (id) => this.api.setStatus(id, 'open' satisfies ConversationStatus));
  }

  /** The tab was shown or focused: the open conversation counts as read now. */
  focusChanged(): void {
    const open = this.openConversation.value;
    if (open && open.unreadCount > 0 && this.deps.isFocused()) void this.markRead(open.id);
  }

  dismissNotice(): void {
    this.notice.value = null;
  }

  private enter(): void {
    this.connectRealtime();
    void this.loadList();
    // Refresh the stored profile (name, role); also proves the stored session still works.
    this.api.me().then(
      (agent) => {
        const s = this.session.value;
        if (!s || s.agent.id !== agent.id) return;
        const next = { ...(readSession(this.deps.storage) ?? s), agent };
        writeSession(this.deps.storage, next);
        this.session.value = next;
      },
      () => {},
    );
  }

  private connectRealtime(): void {
    this.realtime?.stop();
    const rt = this.deps.createRealtime();
    this.realtime = rt;
    rt.start({
      onState: (state) => {
        if (this.realtime === rt) this.connection.value = state;
      },
      onConnect: () => {
        if (this.realtime === rt) this.resume();
      },
      onConversationUpdated: (c) => this.queueConversation(c),
      onMessageNew: (m) => this.applyMessage(m, true),
      onMessageUpdated: (m) => this.applyMessage(m, false),
      onTyping: (ev) => this.applyTyping(ev),
      // The socket stayed up but live events between server instances were lost: the same catch-up.
      onResync: () => {
        if (this.realtime === rt) this.resume();
      },
      onEvent: (event, payload) => {
        if (this.realtime === rt) for (const fn of this.eventListeners.get(event) ?? []) fn(payload);
      },
    });
  }

  /**
   * After every (re)connect, and on the server's `resync` (live events lost between its instances):
   * rejoin the open conversation's room, then fetch what may have been missed (the list's first
   * page, the open thread after its highest seq), so nothing needs a reload.
   */
  private resume(): void {
    void this.loadList();
    const id = this.selectedId.value;
    if (!id) return;
    const gen = this.threadGen;
    void this.joinRoom(id).then(() => {
      if (gen !== this.threadGen) return;
      this.conversationReady(id);
      void this.refreshConversation(id, gen);
      void this.catchUp(id, gen);
    });
  }

  private conversationReady(id: string): void {
    for (const fn of this.readyListeners) fn(id);
  }

  private async joinRoom(id: string): Promise<void> {
    const rt = this.realtime;
    if (!rt?.isConnected()) return; // joined on connect instead
    try {
      await rt.join(id);
    } catch {
      // Refused or unanswered: the fetches below still show the conversation; live events may lag.
    }
  }

  private leaveConversation(id: string): void {
    this.typingSender?.stop();
    this.typingSender = null;
    this.realtime?.leave(id);
    const t = this.thread.value;
    if (t && t.conversationId === id && !t.loading && !t.error) this.cacheThread(t);
  }

  private cacheThread(t: ThreadState): void {
    this.threadCache.delete(t.conversationId);
    this.threadCache.set(t.conversationId, { messages: t.messages, hasOlder: t.hasOlder });
    if (this.threadCache.size > CACHED_THREADS) this.threadCache.delete(this.threadCache.keys().next().value!);
  }

  private async refreshConversation(id: string, gen: number): Promise<void> {
    try {
      const conv = await this.api.getConversation(id);
      if (gen === this.threadGen) this.applyConversation(conv);
    } catch (err) {
      if (gen === this.threadGen && !this.openConversation.value) this.patchThread(id, { loading: false, error: describe(err) });
    }
  }

  private async loadLatest(id: string, gen: number): Promise<void> {
    try {
      const { items } = await this.api.listMessages(id, { limit: MESSAGE_PAGE });
      if (gen !== this.threadGen) return;
      const held = this.thread.value?.messages ?? [];
      // A cached thread that does not reach the fresh page has a hole: start over from the page.
      const gap = held.length > 0 && items.length > 0 && highestSeq(held) < lowestSeq(items) - 1;
      const base = gap ? [] : held;
      const hasOlder = items.length >= MESSAGE_PAGE || (!gap && (this.thread.value?.hasOlder ?? false));
      this.patchThread(id, { messages: mergeMessages(base, items), hasOlder, loading: false, error: null });
    } catch (err) {
      if (gen === this.threadGen) this.patchThread(id, { loading: false, error: describe(err) });
    }
  }

  private async catchUp(id: string, gen: number): Promise<void> {
    const held = this.thread.value?.messages ?? [];
    if (held.length === 0) return this.loadLatest(id, gen);
    let after = highestSeq(held);
    let sawInbound = false;
    try {
      for (;;) {
        const { items } = await this.api.listMessages(id, { afterSeq: after, limit: CATCH_UP_PAGE });
        if (gen !== this.threadGen) return;
        this.patchThread(id, { messages: mergeMessages(this.thread.value!.messages, items) });
        sawInbound ||= items.some((m) => m.direction === 'in');
        if (items.length < CATCH_UP_PAGE) break;
        after = highestSeq(items);
      }
      // Delivery ticks that changed while away: refresh the latest page when some may have moved.
      if (hasUnsettledOutbound(this.thread.value!.messages.slice(-MESSAGE_PAGE))) {
        const { items } = await this.api.listMessages(id, { limit: MESSAGE_PAGE });
        if (gen !== this.threadGen) return;
        this.patchThread(id, { messages: mergeMessages(this.thread.value!.messages, items) });
      }
    } catch {
      return; // the next reconnect tries again; the connection pill already says we are not live
    }
    if (sawInbound && this.deps.isFocused()) void this.markRead(id);
  }

  /**
   * A conversation changed (socket): its row, the counts and the open conversation's header follow
   * once the frame in progress is painted — the new message that came just before is in that
   * frame, not held back by the list — and changes arriving meanwhile are applied in one go.
   */
  private queueConversation(conv: ConversationView): void {
    this.touched.add(conv.id);
    if (this.queued.push(conv) === 1) this.afterPaint(() => this.applyQueued());
  }

  private applyQueued(): void {
    const queued = this.queued;
    this.queued = [];
    batch(() => queued.forEach((c) => this.applyConversation(c)));
  }

  private applyConversation(conv: ConversationView): void {
    // Changes the socket brought first are applied first.
    if (this.queued.length) this.applyQueued();
    batch(() => {
      this.touched.add(conv.id);
      this.conversations.value = upsertConversation(this.conversations.value, conv, this.filter.value, this.agent.value?.id ?? null);
      const open = this.openConversation.value;
      if (this.selectedId.value === conv.id) this.openConversation.value = open ? newerOf(open, conv) : conv;
    });
  }

  private applyMessage(msg: MessageView, isNew: boolean): void {
    const t = this.thread.value;
    if (t && t.conversationId === msg.conversationId) {
      this.patchThread(msg.conversationId, { messages: mergeMessages(t.messages, [msg]) });
    } else {
      const cached = this.threadCache.get(msg.conversationId);
      if (cached) this.threadCache.set(msg.conversationId, { ...cached, messages: mergeMessages(cached.messages, [msg]) });
    }
    if (!isNew) return;
    // Whoever just sent a message has stopped typing it.
    const who = msg.direction === 'in' ? 'contact' : 'agent';
    this.clearTyping(msg.conversationId, (e) => e.who === who && (who === 'contact' || e.key.endsWith(`|${msg.author.id ?? ''}`)));
    if (msg.direction === 'in' && this.selectedId.value === msg.conversationId && this.deps.isFocused()) {
      // Starting a request costs the socket's task milliseconds: after the message is painted.
      const id = msg.conversationId;
      this.afterPaint(() => {
        if (this.selectedId.value === id) void this.markRead(id);
      });
    }
  }

  private applyTyping(ev: TypingEvent): void {
    const me = this.agent.value;
    if (ev.who === 'agent' && me && ev.agentId === me.id) return;
    if (ev.who === 'agent' && ev.agentId && ev.name) this.learnName(ev.agentId, ev.name);
    const key = `${ev.conversationId}|${ev.who}|${ev.agentId ?? ''}`;
    const timer = this.typingTimers.get(key);
    if (timer !== undefined) this.clock.clearTimeout(timer);
    this.typingTimers.delete(key);
    if (!ev.typing) return this.clearTyping(ev.conversationId, (e) => e.key === key);
    const entries = (this.typingByConversation.value[ev.conversationId] ?? []).filter((e) => e.key !== key);
    const entry: TypingEntry = { key, who: ev.who };
    if (ev.name) entry.name = ev.name;
    this.typingByConversation.value = { ...this.typingByConversation.value, [ev.conversationId]: [...entries, entry] };
    this.typingTimers.set(
      key,
      this.clock.setTimeout(() => {
        this.typingTimers.delete(key);
        this.clearTyping(ev.conversationId, (e) => e.key === key);
      }, TYPING_TTL_MS),
    );
  }

  private clearTyping(conversationId: string, match: (e: TypingEntry) => boolean): void {
    const entries = this.typingByConversation.value[conversationId];
    if (!entries?.some(match)) return;
    for (const e of entries.filter(match)) {
      const t = this.typingTimers.get(e.key);
      if (t !== undefined) this.clock.clearTimeout(t);
      this.typingTimers.delete(e.key);
    }
    this.typingByConversation.value = { ...this.typingByConversation.value, [conversationId]: entries.filter((e) => !match(e)) };
  }

  /** POST /read, one at a time per conversation; messages arriving meanwhile trigger one more. */
  private async markRead(id: string): Promise<void> {
    if (this.reading.has(id)) {
      this.reading.set(id, 'again');
      return;
    }
    this.reading.set(id, 'busy');
    try {
      this.applyConversation(await this.api.markRead(id));
    } catch {
      // The badge stays; the next open or focus tries again.
    }
    const again = this.reading.get(id) === 'again';
    this.reading.delete(id);
    if (again && this.selectedId.value === id) void this.markRead(id);
  }

  private async deliver(reply: PendingReply): Promise<void> {
    try {
      const msg = await this.api.sendMessage(reply.conversationId, {
        ...(reply.text ? { text: reply.text } : {}),
        ...(reply.attachments.length ? { attachments: reply.attachments.map((a) => ({ ref: a.ref })) } : {}),
        idempotencyKey: reply.key,
        ...(reply.thread !== undefined ? { thread: reply.thread } : {}),
      });
      batch(() => {
        this.pending.value = this.pending.value.filter((p) => p.key !== reply.key);
        this.applyMessage(msg, false);
      });
    } catch (err) {
      if (err instanceof ApiError && err.code === 'SB_ERR_SESSION_ENDED') return;
      this.pending.value = this.pending.value.map((p) => (p.key === reply.key ? { ...p, state: 'unsent', error: describe(err) } : p));
    }
  }

  private async act(name: ConversationAction, failed: 'store.assignFailed' | 'store.resolveFailed' | 'store.reopenFailed', call: (id: string) => Promise<ConversationView>): Promise<void> {
    const id = this.selectedId.value;
    if (!id || this.busy.value) return;
    this.busy.value = name;
    try {
      this.applyConversation(await call(id));
    } catch (err) {
      this.notify('error', t(failed, { reason: describe(err) }));
    } finally {
      this.busy.value = null;
    }
  }

  private patchFiles(conversationId: string, change: (files: PendingFile[]) => PendingFile[]): void {
    this.files.value = { ...this.files.value, [conversationId]: change(this.files.value[conversationId] ?? []) };
  }

  private patchThread(id: string, patch: Partial<ThreadState>): void {
    const t = this.thread.value;
    if (!t || t.conversationId !== id) return;
    if (patch.messages && patch.messages !== t.messages) {
      for (const m of patch.messages) if (m.author.kind === 'agent' && m.author.id && m.author.name) this.learnName(m.author.id, m.author.name);
    }
    this.thread.value = { ...t, ...patch };
  }

  private learnName(id: string, name: string): void {
    if (this.agentNames.value[id] !== name) this.agentNames.value = { ...this.agentNames.value, [id]: name };
  }

  private notify(kind: Notice['kind'], text: string): void {
    if (this.noticeTimer !== null) this.clock.clearTimeout(this.noticeTimer);
    const id = ++this.noticeSeq;
    this.notice.value = { id, kind, text };
    this.noticeTimer = this.clock.setTimeout(() => {
      this.noticeTimer = null;
      if (this.notice.value?.id === id) this.notice.value = null;
    }, NOTICE_MS);
  }
}

/** A sentence for the agent from any error. */
export function describe(err: unknown): string {
  if (err instanceof ApiError) return err.message;
  if (err instanceof Error && err.message) return err.message;
  return t('store.wentWrong');
}

function readFilter(storage: KeyValueStorage): ListFilter | null {
  try {
    const raw = storage.getItem(FILTER_KEY);
    if (!raw) return null;
    const f = JSON.parse(raw) as Partial<ListFilter>;
    if (!STATUS_FILTERS.includes(f.status!) || !ASSIGNEE_FILTERS.includes(f.assignee!)) return null;
    // Remembered before views and sorts existed: the assignee chip was the view.
    const view = isViewKey(f.view) ? f.view : viewOf(f as ListFilter);
    return { status: f.status!, assignee: assigneeOf(view), view, sort: LIST_SORTS.includes(f.sort!) ? f.sort! : 'newest' };
  } catch {
    // ignore a damaged value
  }
  return null;
}

