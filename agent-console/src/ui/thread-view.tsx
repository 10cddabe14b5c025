import type { MessageView } from '@switchboard/contracts';
import type { VNode } from 'preact';
import { useComputed, useSignal } from '@preact/signals';
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef } from 'preact/hooks';
import { collisionNotice, ReplyCollisions } from '../collision.js';
import type { ConsoleStore, ThreadState } from '../console-store.js';
import { channelLabel, contactDetail, contactName } from '../conversations.js';
import { subjectsToShow } from '../email.js';
import { t } from '../i18n/core.js';
import { clockTime, dayKey, dayLabel, fullTime } from '../relative-time.js';
import type { TypingEvent } from '../realtime.js';
import { replaceSlash, slashQueryAt, type SlashQuery } from '../slash.js';
import { mergeMessages, replyQuote, type PendingReply, type ReplyQuote } from '../thread.js';
import { AttachmentView } from './attachment-view.js';
import { Avatar } from './avatar.js';
import { ComposerFiles, FileLine } from './composer-files.js';
import { EmailBody, EmailHead } from './email-view.js';
import { now, useApi, useStore } from './context.js';
import { IconAlert, IconBack, IconBook, IconCheck, IconChecks, IconChat, IconClock, IconDown, IconPaperclip, IconReopen, IconResolve, IconSend, IconUser } from './icons.js';
import { lazyView } from './lazy.js';
import { TicketPanel } from './ticket-panel.js';
import { CsatBadge } from './csat-badge.js';
import { SnoozeControl } from './snooze-control.js';
import { MacroButton } from './automation/macro-button.js';
import { memo, shallowEqual } from './memo.js';
import { endScroller } from './scroll-end.js';

/** The composer's help-center article search, fetched the first time an agent opens it. */
const ArticleSearch = lazyView(() => import('./article-search.js').then((m) => m.ArticleSearch));
/** The composer's canned-response picker ("/"), fetched the first time an agent types a "/". */
const CannedPicker = lazyView(() => import('./canned-picker.js').then((m) => m.CannedPicker));
/** Threads inside a conversation (Slack): replies grouped under their first message, and where a reply goes. Flat until fetched. */
const Threads = lazyView<{ rows?: Row[]; render?: (r: Row) => VNode }>(
  () => import('./message-threads.js').then((m) => m.Threads),
  (p) => (p.rows ? <>{p.rows.map(p.render!)}</> : null),
);
const listRows = (threaded: boolean, rows: Row[], render: (r: Row) => VNode) => (threaded ? <Threads rows={rows} render={render} /> : rows.map(render));

/** Messages closer together than this from one author form a group with one name label. */
const GROUP_GAP_MS = 5 * 60_000;

type Row =
  | { kind: 'day'; key: string; label: string }
  | { kind: 'msg'; key: string; m: MessageView; first: boolean }
  | { kind: 'pending'; key: string; p: PendingReply; first: boolean };

function authorKey(m: MessageView): string {
  return `${m.direction}|${m.author.kind}|${m.author.id ?? m.author.name ?? ''}`;
}

function buildRows(messages: readonly MessageView[], pending: readonly PendingReply[], nowMs: number, meId: string | null): Row[] {
  const rows: Row[] = [];
  let lastDay = -1;
  let lastAuthor = '';
  let lastAt = 0;
  const place = (at: string, author: string): boolean => {
    const day = dayKey(at);
    if (day !== lastDay) {
      rows.push({ kind: 'day', key: `day-${day}`, label: dayLabel(at, nowMs) });
      lastDay = day;
      lastAuthor = '';
    }
    const t = Date.parse(at);
    const first = author !== lastAuthor || t - lastAt > GROUP_GAP_MS;
    lastAuthor = author;
    lastAt = t;
    return first;
  };
  for (const m of messages) rows.push({ kind: 'msg', key: m.id, m, first: place(m.createdAt, authorKey(m)) });
  for (const p of pending) rows.push({ kind: 'pending', key: p.key, p, first: place(p.createdAt, `out|agent|${meId ?? ''}`) });
  return rows;
}

/** Text of a message; HTML bodies are reduced to text, never injected. */
function plainText(m: MessageView): string {
  if (m.text) return m.text;
  if (!m.html) return '';
  return new DOMParser().parseFromString(m.html, 'text/html').body.textContent ?? '';
}

const URL_RE = /\bhttps?:\/\/[^\s<>"']+[^\s<>"'.,;:!?)\]]/g;

/** Text with web links made clickable (opened in a new tab, without a referrer). */
function Linkified({ text }: { text: string }) {
  const parts: Array<string | { href: string }> = [];
  let at = 0;
  for (const match of text.matchAll(URL_RE)) {
    parts.push(text.slice(at, match.index), { href: match[0] });
    at = match.index + match[0].length;
  }
  parts.push(text.slice(at));
  return (
    <>
      {parts.map((p, i) =>
        typeof p === 'string' ? (
          p
        ) : (
          <a key={i} href={p.href} target="_blank" rel="noopener noreferrer">
            {p.href}
          </a>
        ),
      )}
    </>
  );
}

const STATUSES = new Set(['queued', 'sent', 'delivered', 'read', 'failed', 'sending', 'unsent'] as const);
type Status = typeof STATUSES extends Set<infer S> ? S : never;

function Ticks({ status }: { status: string }) {
  const label = STATUSES.has(status as Status) ? t(`msg.${status as Status}`) : status;
  const icon =
    status === 'read' || status === 'delivered' ? (
      <IconChecks size={15} />
    ) : status === 'sent' ? (
      <IconCheck size={15} />
    ) : status === 'failed' || status === 'unsent' ? (
      <IconAlert size={14} />
    ) : (
      <IconClock size={13} />
    );
  return (
    <span class={`ticks ticks-${status}`} title={label} aria-label={label}>
      {icon}
    </span>
  );
}

const linkified = (text: string) => <Linkified text={text} />;

/** Above a reply to an earlier message: its author and first line; a click shows the original. */
function Quote({ quote, onShow }: { quote: ReplyQuote; onShow: (id: string) => void }) {
  if (quote.kind === 'missing') {
    return (
      <div class="msg-quote msg-quote-missing" data-testid="reply-quote" data-state="missing">
        {t('msg.quoteMissing')}
      </div>
    );
  }
  return (
    <button
      type="button"
      class="msg-quote"
      data-testid="reply-quote"
      data-state="loaded"
      title={t('msg.showOriginal')}
      aria-label={t('msg.inReplyTo', { author: quote.author, line: quote.line })}
      onClick={() => onShow(quote.id)}
    >
      <span class="msg-quote-author">{quote.author}</span>
      <span class="msg-quote-line">{quote.line}</span>
    </button>
  );
}

/** Why a reply was not delivered, and Retry (the server sends it again with its own idempotency key). */
function DeliveryFailed({ m }: { m: MessageView }) {
  const store = useStore();
  const api = useApi();
  const busy = useSignal(false);
  const refused = useSignal<string | null>(null);
  const retry = async () => {
    busy.value = true;
    refused.value = null;
    try {
      const path = `/api/v1/conversations/${encodeURIComponent(m.conversationId)}/messages/${encodeURIComponent(m.id)}/retry`;
      const again = await api.call<MessageView>('POST', path);
      // The socket brings the same change; this shows it even if the socket is behind.
      const t = store.thread.value;
      if (t && t.conversationId === again.conversationId) store.thread.value = { ...t, messages: mergeMessages(t.messages, [again]) };
    } catch (err) {
      refused.value = (err as Error).message;
    } finally {
      busy.value = false;
    }
  };
  return (
    <div class="msg-error">
      {m.error ? t('msg.notDeliveredWhy', { reason: m.error }) : t('msg.notDelivered')}{' '}
      {m.direction === 'out' && (
        <button type="button" class="link-btn" data-testid="message-retry" disabled={busy.value} onClick={() => void retry()}>
          {busy.value ? t('msg.retrying') : t('common.retry')}
        </button>
      )}
      {refused.value && <span role="alert"> {refused.value}</span>}
    </div>
  );
}

interface MessageProps {
  m: MessageView;
  first: boolean;
  subject: string | undefined;
  quote: ReplyQuote | null;
  flash: boolean;
  onShowOriginal: (id: string) => void;
}

function sameQuote(a: ReplyQuote | null, b: ReplyQuote | null): boolean {
  if (a === b) return true;
  if (!a || !b || a.kind !== b.kind) return false;
  return a.kind === 'missing' || (b.kind === 'loaded' && a.id === b.id && a.author === b.author && a.line === b.line);
}

/**
 * One message, rendered again only when it changed (its view, its grouping, its quote…): a new
 * message in a long thread renders its own row, not every row (the "within one frame").
 */
const MessageRow = memo<MessageProps>(
  (p) => <Message {...p} />,
  (a, b) => a.m === b.m && a.first === b.first && a.subject === b.subject && a.flash === b.flash && a.onShowOriginal === b.onShowOriginal && sameQuote(a.quote, b.quote),
);

const PendingRow = memo<{ p: PendingReply; first: boolean }>((props) => <Pending {...props} />, shallowEqual);

function Message({ m, first, subject, quote, flash, onShowOriginal }: MessageProps) {
  if (m.author.kind === 'system') {
    return (
      <div class="sys-note" data-testid="message" data-direction={m.direction} data-id={m.id}>
        {plainText(m)}
      </div>
    );
  }
  const out = m.direction === 'out';
  const author = m.author.name || (out ? t('msg.agent') : t('msg.contact'));
  const text = plainText(m);
  const email = m.email && !m.deletedAt ? { ...m, email: m.email } : null;
  return (
    <div
      class={`msg ${out ? 'msg-out' : 'msg-in'}${first ? ' msg-first' : ''}${m.status === 'failed' ? ' msg-failed' : ''}${email ? ' msg-email' : ''}${flash ? ' msg-flash' : ''}`}
      data-testid="message"
      data-direction={m.direction}
      data-status={out ? m.status : undefined}
      data-id={m.id}
      data-seq={m.seq}
    >
      {first && <div class="msg-author">{author}</div>}
      {quote && <Quote quote={quote} onShow={onShowOriginal} />}
      <div class="bubble">
        {m.deletedAt ? (
          <em class="msg-deleted">{t('msg.deleted')}</em>
        ) : (
          <>
            {email && <EmailHead m={email} subject={subject} />}
            {email ? (
              <EmailBody m={email} text={text} render={linkified} />
            ) : (
              text && (
                <span class="msg-text">
                  <Linkified text={text} />
                </span>
              )
            )}
            {m.attachments.map((a, i) => (
              <AttachmentView key={`${i}:${a.ref}`} a={a} />
            ))}
          </>
        )}
        <span class="stamp">
          {m.editedAt && !m.deletedAt && <span class="edited">{t('msg.edited')}</span>}
          <time dateTime={m.createdAt} title={fullTime(m.createdAt)}>
            {clockTime(m.createdAt)}
          </time>
          {out && m.status && <Ticks status={m.status} />}
        </span>
      </div>
      {m.status === 'failed' && <DeliveryFailed m={m} />}
    </div>
  );
}

function Pending({ p, first }: { p: PendingReply; first: boolean }) {
  const store = useStore();
  const name = store.agent.value?.name ?? t('msg.you');
  return (
    <div class={`msg msg-out msg-pending${first ? ' msg-first' : ''}`} data-testid="message" data-direction="out" data-status={p.state}>
      {first && <div class="msg-author">{name}</div>}
      <div class="bubble">
        {p.text && <span class="msg-text">{p.text}</span>}
        {p.attachments.map((a, i) => (
          <FileLine key={`${i}:${a.ref}`} name={a.name ?? t('msg.file')} size={a.size} />
        ))}
        <span class="stamp">
          <time dateTime={p.createdAt}>{clockTime(p.createdAt)}</time>
          <Ticks status={p.state} />
        </span>
      </div>
      {p.state === 'unsent' && (
        <div class="msg-error" role="alert">
          {p.error ? t('msg.notSentWhy', { reason: p.error }) : t('msg.notSent')}{' '}
          <button class="link-btn" onClick={() => store.retry(p.key)}>
            {t('common.retry')}
          </button>
          {' · '}
          <button class="link-btn" onClick={() => store.discard(p.key)}>
            {t('msg.discard')}
          </button>
        </div>
      )}
    </div>
  );
}

/** What MessageList shows in the moment between closing a conversation and unmounting. */
const NO_THREAD: ThreadState = { conversationId: '', messages: [], loading: false, loadingOlder: false, hasOlder: false, error: null };

function MessageList({ store }: { store: ConsoleStore }) {
  const thread = store.thread.value ?? NO_THREAD;
  const pending = store.pendingInThread.value;
  const rows = buildRows(thread.messages, pending, now.value, store.agent.value?.id ?? null);
  const subjects = useMemo(() => subjectsToShow(thread.messages), [thread.messages]);
  const byId = useMemo(() => new Map(thread.messages.map((m) => [m.id, m])), [thread.messages]);
  const flashId = useSignal<string | null>(null);
  const scroller = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);
  const prev = useRef({ conversationId: '', firstKey: '', lastKey: '', height: 0, count: 0 });
  const unseen = useSignal(false);
  const toEnd = useMemo(endScroller, []);

  const lastRow = rows[rows.length - 1];
  const firstMsg = rows.find((r) => r.kind !== 'day');
  const lastKey = lastRow?.key ?? '';
  const firstKey = firstMsg?.key ?? '';

  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const was = prev.current;
    const switched = was.conversationId !== thread.conversationId;
    const prepended = !switched && firstKey !== was.firstKey && lastKey === was.lastKey && rows.length > was.count;
    if (switched || (was.count === 0 && rows.length > 0)) {
      el.scrollTop = el.scrollHeight;
      unseen.value = false;
    } else if (prepended) {
      // Older messages came in above: keep the agent's place.
      if (was.height > 0) el.scrollTop += el.scrollHeight - was.height;
    } else if (lastKey !== was.lastKey) {
      const mine = lastRow?.kind === 'pending' || (lastRow?.kind === 'msg' && lastRow.m.direction === 'out');
      if (atBottom.current || mine) {
        // After the browser's own layout: a new message paints in the next frame (docs/console.md).
        toEnd(el);
        unseen.value = false;
      } else {
        unseen.value = true;
      }
    }
    // The height is what keeps the place when older messages come in above: read (a layout) only while they load.
    prev.current = { conversationId: thread.conversationId, firstKey, lastKey, height: thread.loadingOlder ? el.scrollHeight : 0, count: rows.length };
  });

  const onScroll = () => {
    const el = scroller.current!;
    atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < 80;
    if (atBottom.current) unseen.value = false;
    if (el.scrollTop < 120 && thread.hasOlder && !thread.loadingOlder) void store.loadOlder();
  };

  /** A reply's quote was clicked: bring its original into view and mark it for a moment. */
  const showOriginal = useCallback((id: string) => {
    const el = scroller.current?.querySelector<HTMLElement>(`[data-testid="message"][data-id="${CSS.escape(id)}"]`);
    if (!el) return;
    el.scrollIntoView({ block: 'center', behavior: 'smooth' });
    flashId.value = id;
    setTimeout(() => {
      if (flashId.value === id) flashId.value = null;
    }, 1600);
  }, []);

  const jumpDown = () => {
    const el = scroller.current!;
    el.scrollTo({ top: el.scrollHeight, behavior: 'smooth' });
    unseen.value = false;
  };

  return (
    <div class="messages-wrap">
      <div class="messages" ref={scroller} onScroll={onScroll} role="log" aria-live="polite" aria-label={t('thread.messages')}>
        {thread.hasOlder && (
          <button class="btn btn-ghost btn-small load-older" disabled={thread.loadingOlder} onClick={() => void store.loadOlder()}>
            {thread.loadingOlder ? t('thread.loadingOlder') : t('thread.loadOlder')}
          </button>
        )}
        {thread.loading && rows.length === 0 && <div class="thread-note">{t('thread.loading')}</div>}
        {thread.error && (
          <div class="inline-error" role="alert">
            <span>{t('thread.error', { reason: thread.error })}</span>
            <button class="btn btn-small" onClick={() => store.reloadThread()}>
              {t('common.retry')}
            </button>
          </div>
        )}
        {!thread.loading && !thread.error && rows.length === 0 && <div class="thread-note">{t('thread.empty')}</div>}
        {listRows(store.threaded.value, rows, (r) =>
          r.kind === 'day' ? (
            <div key={r.key} class="day-sep" role="separator">
              <span>{r.label}</span>
            </div>
          ) : r.kind === 'msg' ? (
            <MessageRow
              key={r.key}
              m={r.m}
              first={r.first}
              subject={subjects.get(r.m.id)}
              quote={replyQuote(r.m, byId)}
              flash={flashId.value === r.m.id}
              onShowOriginal={showOriginal}
            />
          ) : (
            <PendingRow key={r.key} p={r.p} first={r.first} />
          ),
        )}
      </div>
      {unseen.value && (
        <button class="new-below" onClick={jumpDown}>
          <IconDown size={14} /> {t('thread.newBelow')}
        </button>
      )}
    </div>
  );
}

function Composer({ store }: { store: ConsoleStore }) {
  const id = store.selectedId.value!;
  const draft = store.drafts.value[id] ?? '';
  const blocked = store.sendBlocked.value;
  const area = useRef<HTMLTextAreaElement>(null);
  const picker = useRef<HTMLInputElement>(null);
  const dragging = useSignal(false);
  const articles = useSignal(false);
  const conv = store.openConversation.value;
  const name = conv ? contactName(conv.contact) : t('thread.theContact');
  // The "/" canned-response picker: open while the caret follows a "/query".
  const slash = useSignal<SlashQuery | null>(null);
  const dismissedAt = useRef<number | null>(null);
  const pickerKeys = useRef<((e: KeyboardEvent) => boolean) | null>(null);
  const activeOption = useSignal<string | null>(null);
  const listId = 'canned-options';

  const trackSlash = (el: HTMLTextAreaElement) => {
    const found = el.selectionStart === el.selectionEnd ? slashQueryAt(el.value, el.selectionStart) : null;
    if (!found) dismissedAt.current = null;
    slash.value = found && found.start !== dismissedAt.current ? found : null;
  };
  const closePicker = () => {
    dismissedAt.current = slash.value?.start ?? null;
    slash.value = null;
  };
  const insertCanned = (text: string) => {
    const el = area.current;
    const at = slash.value;
    if (!at) return;
    const { text: next, caret } = replaceSlash(store.drafts.value[id] ?? '', at, text);
    slash.value = null;
    store.composerInput(next);
    // Written to the box at once, caret included, so keys typed before the next render land
    // after the insert (the render then finds the value unchanged and keeps the caret).
    if (el) {
      el.value = next;
      el.focus();
      el.setSelectionRange(caret, caret);
    }
  };

  // Grow with the text up to a limit, then scroll.
  useLayoutEffect(() => {
    const el = area.current;
    if (!el) return;
    el.style.height = 'auto';
    el.style.height = `${Math.min(el.scrollHeight, 200)}px`;
  }, [draft]);

  useEffect(() => {
    slash.value = null;
    // Not while the agent walks the list with the keyboard (j / k): the next key would land in the reply.
    if (window.matchMedia('(pointer: fine)').matches && !document.activeElement?.matches('[data-testid="conversation-item"]:focus-visible')) area.current?.focus();
  }, [id]);

  const submit = (e?: Event) => {
    e?.preventDefault();
    store.send();
    area.current?.focus();
  };

  const hasFiles = (e: DragEvent) => e.dataTransfer?.types.includes('Files') ?? false;

  return (
    <form
      class={`composer${dragging.value ? ' composer-drop' : ''}`}
      onSubmit={submit}
      onDragOver={(e) => {
        if (!hasFiles(e)) return;
        e.preventDefault();
        dragging.value = true;
      }}
      onDragLeave={(e) => {
        if (!e.currentTarget.contains(e.relatedTarget as Node | null)) dragging.value = false;
      }}
      onDrop={(e) => {
        if (!hasFiles(e)) return;
        e.preventDefault();
        dragging.value = false;
        store.attach([...(e.dataTransfer?.files ?? [])]);
      }}
    >
      {store.threaded.value && <Threads />}
      <ComposerFiles store={store} onRemoved={() => area.current?.focus()} />
      <input
        ref={picker}
        type="file"
        multiple
        hidden
        onChange={(e) => {
          store.attach([...(e.currentTarget.files ?? [])]);
          e.currentTarget.value = '';
        }}
      />
      <button data-testid="attach" class="icon-btn attach" type="button" aria-label={t('thread.attach')} title={t('thread.attachTitle')} onClick={() => picker.current?.click()}>
        <IconPaperclip size={18} />
      </button>
      <button
        data-testid="articles"
        class="icon-btn attach"
        type="button"
        aria-label={t('thread.articles')}
        aria-expanded={articles.value}
        title={t('thread.articlesTitle')}
        onClick={() => (articles.value = !articles.value)}
      >
        <IconBook size={18} />
      </button>
      {articles.value && (
        <div class="article-search">
          <ArticleSearch store={store} area={area} onClose={() => (articles.value = false)} />
        </div>
      )}
      {slash.value && (
        <div class="article-search canned-picker">
          <CannedPicker
            query={slash.value.query}
            values={{ contact: { name: conv?.contact.name, email: conv?.contact.email }, agent: { name: store.agent.value?.name } }}
            onPick={insertCanned}
            onClose={closePicker}
            keys={pickerKeys}
            listId={listId}
            onActive={(option) => (activeOption.value = option)}
          />
        </div>
      )}
      <textarea
        ref={area}
        data-testid="composer"
        rows={1}
        placeholder={t('thread.placeholder', { name })}
        aria-label={t('thread.reply')}
        aria-autocomplete="list"
        aria-controls={slash.value ? listId : undefined}
        aria-activedescendant={slash.value ? (activeOption.value ?? undefined) : undefined}
        value={draft}
        onInput={(e) => {
          store.composerInput(e.currentTarget.value);
          trackSlash(e.currentTarget);
        }}
        onClick={(e) => trackSlash(e.currentTarget)}
        onKeyUp={(e) => {
          if (['ArrowLeft', 'ArrowRight', 'Home', 'End'].includes(e.key)) trackSlash(e.currentTarget);
        }}
        onBlur={() => (slash.value = null)}
        onPaste={(e) => {
          const files = [...(e.clipboardData?.files ?? [])];
          if (!files.length) return;
          e.preventDefault();
          store.attach(files, { pasted: true });
        }}
        onKeyDown={(e) => {
          if (slash.value && !e.isComposing) {
            if (pickerKeys.current?.(e)) return e.preventDefault();
            if (e.key === 'Escape') return (e.preventDefault(), closePicker());
            // The picker is still loading: these keys are its, not the reply's.
            if (!pickerKeys.current && ['Enter', 'Tab', 'ArrowUp', 'ArrowDown'].includes(e.key)) return e.preventDefault();
          }
          if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) submit(e);
          if ((e.ctrlKey || e.metaKey) && e.key === 'k') {
            e.preventDefault();
            articles.value = true;
          }
        }}
      />
      <button data-testid="send" class="btn btn-primary send" type="submit" disabled={blocked !== null} title={blocked ?? t('thread.sendTitle')}>
        <IconSend size={16} />
        <span>{blocked === t('thread.uploading') ? blocked : t('thread.send')}</span>
      </button>
      <div class="composer-hint">
        {t('thread.hint', { enter: '\u0000', shift: '\u0001' })
          .split(/([\u0000\u0001])/)
          .map((part) => (part === '\u0000' ? <kbd>Enter</kbd> : part === '\u0001' ? <kbd>Shift</kbd> : part))}
      </div>
    </form>
  );
}

function ThreadHeader({ store }: { store: ConsoleStore }) {
  const conv = store.openConversation.value;
  const me = store.agent.value;
  const busy = store.busy.value;
  if (!conv) {
    return (
      <header class="thread-head">
        <button class="icon-btn back" aria-label={t('thread.back')} onClick={() => store.close()}>
          <IconBack size={20} />
        </button>
        <div class="who">
          <h2 class="sk sk-line" aria-label={t('thread.loadingHead')} />
        </div>
      </header>
    );
  }
  const c = conv.contact;
  const name = contactName(c);
  const detail = contactDetail(c);
  // A website visitor's user id (identify()) and attributes (pre-chat form, setAttributes()).
  const facts = Object.entries({ ...(c.userId ? { [t('thread.userId')]: c.userId } : {}), ...c.attributes });
  const mine = me !== null && conv.assigneeId === me.id;
  return (
    <header class="thread-head">
      <button class="icon-btn back" aria-label={t('thread.back')} onClick={() => store.close()}>
        <IconBack size={20} />
      </button>
      <Avatar id={conv.contact.id} name={name} url={conv.contact.avatarUrl} channel={conv.channel} />
      <div class="who">
        <h2>{name}</h2>
        <div class="who-sub">
          <span class={`channel channel-${conv.channel}`}>{channelLabel(conv.channel)}</span>
          {c.verified && (
            <span class="verified" data-testid="contact-verified" title={t('thread.verifiedTitle')}>
              {t('thread.verified')}
            </span>
          )}
          {detail && <span class="who-detail">{detail}</span>}
        </div>
        {facts.length > 0 && (
          <dl class="who-facts" data-testid="contact-attributes">
            {facts.map(([k, v]) => (
              <div key={k}>
                <dt>{k}</dt>
                <dd>{v}</dd>
              </div>
            ))}
          </dl>
        )}
      </div>
      <div class="head-meta">
        <span class={`status-tag status-${conv.status}`} data-testid="conversation-status">
          {t(`conv.status.${conv.status}`)}
        </span>
        <CsatBadge csat={conv.csat} />
        <span class={`assignee${conv.assigneeId === null ? ' assignee-none' : ''}`} title={t('thread.assignee')}>
          <IconUser size={14} />
          <span data-testid="assignee">{store.assigneeName.value}</span>
        </span>
      </div>
      <div class="actions">
        <SnoozeControl />
        <MacroButton />
        {!mine && (
          <button data-testid="assign-me" class="btn" disabled={busy !== null} onClick={() => void store.assignToMe()}>
            {busy === 'assign' ? t('thread.assigning') : t('thread.assignMe')}
          </button>
        )}
        {conv.status === 'resolved' ? (
          <button data-testid="reopen" class="btn" disabled={busy !== null} onClick={() => void store.reopen()}>
            <IconReopen size={15} />
            {busy === 'reopen' ? t('thread.reopening') : t('thread.reopen')}
          </button>
        ) : (
          <button data-testid="resolve" class="btn btn-resolve" disabled={busy !== null} onClick={() => void store.resolve()}>
            <IconResolve size={15} />
            {busy === 'resolve' ? t('thread.resolving') : t('thread.resolve')}
          </button>
        )}
      </div>
    </header>
  );
}

export function ThreadView() {
  const store = useStore();
  // Only whether a conversation is open: a new message re-renders the message list, not the
  // header, the ticket panel and the composer around it.
  const open = useComputed(() => store.thread.value !== null).value;
  if (!open) return <NoConversation />;
  return (
    <section class="thread" aria-label={t('thread.label')}>
      <ThreadHeader store={store} />
      <TicketPanel />
      <MessageList store={store} />
      <TypingLine store={store} />
      <CollisionNotice store={store} />
      <Composer store={store} />
    </section>
  );
}

function TypingLine({ store }: { store: ConsoleStore }) {
  const typing = store.typingText.value;
  return (
    <div class="typing-slot">
      {typing && (
        <div class="typing" data-testid="typing" role="status">
          <span class="typing-dots" aria-hidden="true">
            <i />
            <i />
            <i />
          </span>
          {typing}
        </div>
      )}
    </div>
  );
}

const collisions = new WeakMap<ConsoleStore, ReplyCollisions>();

/** One tracker per store, fed by the socket for as long as the store lives. */
function collisionsOf(store: ConsoleStore): ReplyCollisions {
  let c = collisions.get(store);
  if (!c) {
    const tracker = new ReplyCollisions(() => store.agent.value?.id ?? null);
    store.onServerEvent('typing', (ev) => tracker.typing(ev as TypingEvent));
    store.onServerEvent('message:new', (m) => tracker.message(m as MessageView));
    collisions.set(store, (c = tracker));
  }
  return c;
}

/** "Ana is replying — you might answer twice": another agent is typing in this conversation. */
function CollisionNotice({ store }: { store: ConsoleStore }) {
  const tracker = collisionsOf(store);
  const version = useSignal(0);
  useEffect(() => tracker.subscribe(() => version.value++), [tracker]);
  void version.value;
  const text = collisionNotice(tracker.replying(store.selectedId.value ?? ''));
  return (
    <div class="collision-slot" role="status">
      {text && (
        <div class="collision" data-testid="collision-notice">
          <IconAlert size={14} />
          {text}
        </div>
      )}
    </div>
  );
}

function NoConversation() {
  const store = useStore();
  const unread = store.unreadTotal.value;
  return (
    <section class="no-thread">
      <div class="no-thread-art" aria-hidden="true">
        <IconChat size={34} />
      </div>
      <h2>{t('thread.pick')}</h2>
      <p>
        {unread > 0 ? t('thread.unreadWaiting', { count: unread }) : t('thread.pickHint')}
      </p>
    </section>
  );
}
