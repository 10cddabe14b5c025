import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { Chat, ChatState } from './chat.js';
import type { WidgetConfig } from './config.js';
import { needsForm } from './fields.js';
import { trapTab } from './focus-trap.js';
import { dateTime, fileSize, loadLocale, setLocale, t, visitorLocale } from './i18n.js';
import { lazy, useLazy, type Lazy } from './lazy.js';
import { linkify } from './linkify.js';
import { highestSeq, type ChatMessage } from './messages.js';
import { linked } from './shared.js';
import type { KeyValueStorage } from './storage.js';
import { storageKey } from './storage.js';
import type { Store } from './store.js';
import type { Suggester } from './suggestions.js';
import type { Suggestions } from './suggestions-view.js';
import { useStore } from './use-store.js';

/**
 * What most conversations never need comes in chunks of its own, each loaded on first need; a
 * chunk that fails to load leaves its feature out until the next need and the chat going.
 */
const emojiChunk = lazy(() => linked(import('./emoji.js')));
const formsChunk = lazy(() => linked(import('./forms.js')));
const csatChunk = lazy(() => linked(import('./csat.js')));
const notifyChunk = lazy(() =>
  linked(import('./notify.js')).then(({ beep, titleBlinker, newMessages }) => ({ beep, blink: titleBlinker(document, newMessages) })),
);

/** The suggestions chunk, with the page view's one suggester. */
export interface SuggestChunk {
  suggester: Suggester;
  Suggestions: typeof Suggestions;
}

export interface AppProps {
  chat: Chat;
  /** Whether the panel is open; also driven by window.Switchboard. */
  open: Store<boolean>;
  config: WidgetConfig;
  storage: KeyValueStorage;
  /** Help-center articles matching the draft, loaded when the visitor first types; absent when switched off. */
  suggest?: Lazy<SuggestChunk> | undefined;
  /** App writes here how many agent replies the visitor has not seen (window.Switchboard reports it). */
  unread: Store<number>;
  /** The language the page chose ('' for none: then `<html lang>`, then the browser's; i18n's visitorLocale). */
  locale: Store<string>;
}

export function App({ chat, open: openStore, config, storage, suggest, unread: unreadStore, locale }: AppProps) {
  const tag = visitorLocale(useStore(locale), true);
  setLocale(tag);
  // Until another language's texts are in, the widget speaks English; then it renders again.
  const [, setLoaded] = useState('');
  useEffect(() => void loadLocale(tag).then(() => setLoaded(tag), () => {}), [tag]);
  const state = useStore(chat.state);
  const open = useStore(openStore);
  const launcher = useRef<HTMLButtonElement>(null);
  // A panel restored open on page load must not steal focus from the page; one the visitor opens takes it.
  const firstRender = useRef(true);
  useEffect(() => void (firstRender.current = false), []);
  const unread = useUnread(state, open, storage, config.inboxToken);
  useEffect(() => unreadStore.set(unread), [unread]);
  useAlerts(state, open);
  const [formDone, setFormDone] = useState(false);
  // Closing gives focus back to the launcher, or without one to what had it before (the page's own button).
  const opener = useRef<Element | null>(null);
  const refocus = useRef(false);
  if (open && !opener.current) opener.current = document.activeElement;
  useEffect(() => {
    if (open) return;
    if (refocus.current) ((launcher.current ?? opener.current) as HTMLElement | null)?.focus();
    refocus.current = false;
    opener.current = null;
  }, [open]);
  const { inbox } = state;

  return (
    <div
      class={`sb${open ? ' open' : ''}${config.position == 'left' ? ' left' : ''}${config.hideLauncher ? ' bare' : ''}`}
      style={config.color ? { '--sb-accent': config.color } : undefined}
    >
      {open && (
        <Panel
          chat={chat}
          state={state}
          title={config.title || t('title')}
          greeting={config.greeting}
          form={!!inbox && !formDone && needsForm(inbox.preChatForm, state.visitor)}
          onFormDone={() => setFormDone(true)}
          autoFocus={!firstRender.current}
          suggest={suggest}
          onClose={() => {
            refocus.current = true;
            openStore.set(false);
          }}
        />
      )}
      {!config.hideLauncher && (
        <button
          ref={launcher}
          type="button"
          class="launcher"
          data-sb="launcher"
          aria-label={open ? t('close') : unread ? t('unread', { n: unread }) : t('open')}
          aria-expanded={open}
          onClick={() => openStore.set(!open)}
        >
          {open ? <ChevronIcon /> : <ChatIcon />}
          {!open && unread > 0 && (
            <span class="badge" aria-hidden>
              {unread > 9 ? '9+' : unread}
            </span>
          )}
        </button>
      )}
    </div>
  );
}

/** Agent messages that arrived since the visitor last had the panel open (kept across page loads). */
function useUnread(state: ChatState, open: boolean, storage: KeyValueStorage, inboxToken: string): number {
  const key = storageKey('seen', inboxToken);
  const [seen, setSeen] = useState(() => {
    const stored = Number(storage.get(key));
    return Number.isFinite(stored) && stored > 0 ? stored : undefined;
  });
  const top = highestSeq(state.messages);
  // Until a first look, the history the visitor brings along counts as read.
  const markRead = top !== undefined && top !== seen && (open || seen === undefined);
  useEffect(() => {
    if (!markRead) return;
    setSeen(top);
    storage.set(key, String(top));
  }, [markRead, top]);
  if (open || seen === undefined) return 0;
  // A message without a seq compares false.
  return state.messages.filter((m) => m.author === 'agent' && m.seq! > seen).length;
}

/** A reply that lands while the panel is closed or the tab hidden beeps; in a hidden tab the title blinks too. */
function useAlerts({ messages, connection }: ChatState, open: boolean): void {
  /** Highest agent seq already announced; undefined until the first session answer (the history is not news). */
  const known = useRef<number>();
  const replies = messages.filter((m) => m.author === 'agent');
  const top = highestSeq(replies) ?? 0;
  useEffect(() => {
    const before = known.current;
    if (before === undefined && connection !== 'online') return;
    known.current = top;
    const fresh = replies.filter((m) => m.seq! > before!).length;
    if (before === undefined || !fresh || (open && !document.hidden)) return;
    notifyChunk().then(({ beep, blink }) => {
      beep();
      if (document.hidden) blink(fresh);
    }, () => {});
  }, [top, connection]);
}

interface PanelProps {
  chat: Chat;
  state: ChatState;
  title: string;
  greeting?: string | undefined;
  /** The inbox's pre-chat form comes before the conversation. */
  form: boolean;
  onFormDone(): void;
  autoFocus: boolean;
  suggest?: Lazy<SuggestChunk> | undefined;
  onClose(): void;
}

function Panel({ chat, state, title, greeting, form, onFormDone, autoFocus, suggest, onClose }: PanelProps) {
  const [draft, setDraft] = useState('');
  const [emoji, setEmoji] = useState(false);
  const [typed, setTyped] = useState(false);
  /** Files are being dragged over the panel: the drop zone shows. */
  const [dragging, setDragging] = useState(false);
  const panel = useRef<HTMLElement>(null);
  const input = useRef<HTMLTextAreaElement>(null);
  const file = useRef<HTMLInputElement>(null);
  const log = useRef<HTMLDivElement>(null);
  /** Where the caret goes after the draft re-renders (an emoji was inserted), or -1. */
  const caret = useRef(-1);
  /** Follow new messages unless the visitor scrolled up to read. */
  const stick = useRef(true);
  const focusable = useRef(autoFocus);
  const { messages, typing, connection, inbox, visitor } = state;
  // Full screen (phones): the page behind is out of reach, so the panel is modal and keeps Tab inside.
  const full = matchMedia('(max-width:480px)').matches;
  const Emoji = useLazy(emojiChunk, emoji)?.Emoji;
  const Offline = useLazy(formsChunk, inbox && !inbox.online)?.Offline;
  const PreChat = useLazy(formsChunk, form)?.PreChat;
  const Csat = useLazy(csatChunk, state.csat)?.Csat;
  const suggestions = useLazy(suggest, typed);
  const suggester = suggestions?.suggester;

  // The draft goes with the panel, and so do its suggestions.
  useEffect(() => () => suggest?.value?.suggester.clear(), []);
  // What the visitor typed while the suggestions chunk was on its way.
  useEffect(() => suggester?.input(draft), [suggester]);

  // Focus the composer, or the form's first field once the form is in; again once the form is done.
  useEffect(() => {
    if (focusable.current) (input.current ?? panel.current!.querySelector('input'))?.focus();
  }, [form, PreChat]);

  const follow = () => {
    const el = log.current;
    if (el && stick.current) el.scrollTop = el.scrollHeight;
  };
  useLayoutEffect(follow, [messages, typing, form]);

  // Suggestions and a growing composer shrink the log from below: keep the latest message in view.
  useEffect(() => {
    if (!log.current) return;
    const observer = new ResizeObserver(follow);
    observer.observe(log.current);
    return () => observer.disconnect();
  }, [form]);

  useLayoutEffect(() => {
    const el = input.current;
    if (!el) return;
    el.style.height = 'auto';
    el.style.height = `${Math.min(el.scrollHeight, 120)}px`;
    if (caret.current < 0) return;
    el.setSelectionRange(caret.current, caret.current);
    caret.current = -1;
  }, [draft]);

  // What the panel shows while the tab is visible has been read.
  useEffect(() => {
    const read = () => document.hidden || chat.markRead();
    read();
    document.addEventListener('visibilitychange', read);
    return () => document.removeEventListener('visibilitychange', read);
  }, [messages]);

  const edit = (text: string) => {
    setDraft(text);
    chat.composing(text);
    setTyped(true);
    suggester?.input(text);
  };

  const submit = () => {
    if (!draft.trim()) return;
    chat.send(draft);
    suggester?.clear();
    setDraft('');
    stick.current = true;
    input.current?.focus();
  };

  const attach = (list: FileList) => {
    for (const f of list) chat.sendFile(f);
    stick.current = true;
  };
  /** A drag that carries files, over the conversation (not the pre-chat form): the panel accepts it. */
  const carriesFiles = (e: DragEvent) => !form && !!e.dataTransfer?.types.includes('Files');

  const closeEmoji = () => {
    setEmoji(false);
    input.current?.focus();
  };

  const lastVisitor = messages.filter((m) => m.author === 'visitor').pop();

  return (
    <section
      ref={panel}
      class="panel"
      data-sb="panel"
      role="dialog"
      aria-modal={full || undefined}
      aria-label={title}
      onKeyDown={(e) => {
        if (e.key == 'Escape') {
          e.stopPropagation();
          // The emoji grid closes first, the panel on the next Esc.
          if (emoji) closeEmoji();
          else onClose();
        }
        if (e.key == 'Tab' && full) trapTab(e, e.currentTarget);
      }}
      onDragOver={(e) => {
        if (!carriesFiles(e)) return;
        e.preventDefault();
        e.dataTransfer!.dropEffect = 'copy';
        setDragging(true);
      }}
      onDragLeave={(e) => e.currentTarget.contains(e.relatedTarget as Node | null) || setDragging(false)}
      onDrop={(e) => {
        setDragging(false);
        if (!carriesFiles(e)) return;
        e.preventDefault();
        attach(e.dataTransfer!.files);
      }}
    >
      {dragging && (
        <div class="drop" data-sb="dropzone" aria-hidden>
          {t('drop')}
        </div>
      )}
      <header class="header">
        {state.agentName && <Avatar name={state.agentName} url={state.agentAvatarUrl} />}
        <div>
          <h2 class="title">{title}</h2>
          <p class="sub">{state.agentName ? t('with', { name: state.agentName }) : t('usual')}</p>
        </div>
        <button type="button" class="icon" aria-label={t('close')} onClick={onClose}>
          <CloseIcon />
        </button>
      </header>
      {(connection === 'reconnecting' || connection === 'unavailable') && (
        <div class="banner" data-sb="connection" role="status">
          {t(connection)}
        </div>
      )}
      {Offline && <Offline chat={chat} inbox={inbox!} visitor={visitor} />}
      {form ? (
        PreChat && <PreChat chat={chat} fields={inbox!.preChatForm} visitor={visitor} onDone={onFormDone} />
      ) : (
        <>
          <div
            class="log"
            ref={log}
            role="log"
            aria-live="polite"
            aria-label={t('log')}
            tabIndex={0}
            onScroll={(e) => {
              const el = e.currentTarget;
              stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < 48;
            }}
          >
            {!messages.length && (
              <p class="empty">
                {greeting || (
                  <>
                    <strong>{t('hi')}</strong>
                    {t('intro')}
                  </>
                )}
              </p>
            )}
            {messages.map((m, i) => (
              <Message
                key={m.key}
                m={m}
                first={messages[i - 1]?.author !== m.author || messages[i - 1]?.authorName !== m.authorName}
                last={m === lastVisitor}
                readSeq={state.agentReadSeq}
                avatar={m.authorName === state.agentName ? state.agentAvatarUrl : undefined}
                onRetry={() => chat.retry(m.clientId ?? '')}
              />
            ))}
          </div>
          {typing && (
            <div class="typing" data-sb="typing">
              <span class="dots" aria-hidden>
                <i />
                <i />
                <i />
              </span>
              {t('typing', { name: typing })}
            </div>
          )}
          {suggestions && <suggestions.Suggestions suggester={suggestions.suggester} />}
          {Csat && <Csat chat={chat} />}
          {Emoji && (
            <Emoji
              onPick={(e) => {
                const el = input.current!;
                caret.current = el.selectionStart + e.length;
                edit(draft.slice(0, el.selectionStart) + e + draft.slice(el.selectionEnd));
                closeEmoji();
              }}
            />
          )}
          <form
            class="composer"
            onSubmit={(e) => {
              e.preventDefault();
              submit();
            }}
          >
            <button type="button" class="tool" data-sb="attach" aria-label={t('attach')} onClick={() => file.current!.click()}>
              <ClipIcon />
            </button>
            <input
              ref={file}
              type="file"
              multiple
              hidden
              onChange={(e) => {
                attach(e.currentTarget.files!);
                e.currentTarget.value = '';
              }}
            />
            <textarea
              ref={input}
              data-sb="composer"
              rows={1}
              placeholder={t('placeholder')}
              aria-label={t('message')}
              maxLength={4000}
              value={draft}
              onInput={(e) => edit(e.currentTarget.value)}
              onKeyDown={(e) => {
                // isComposing: Enter that confirms an IME candidate (Japanese, Chinese…) must not send.
                if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
                  e.preventDefault();
                  submit();
                }
              }}
              onBlur={() => chat.blur()}
            />
            <button type="button" class="tool" data-sb="emoji" aria-label={t('emoji')} aria-expanded={emoji} onClick={() => (emoji ? closeEmoji() : setEmoji(true))}>
              🙂
            </button>
            <button type="submit" class="send" data-sb="send" aria-label={t('send')} disabled={!draft.trim()}>
              <SendIcon />
            </button>
          </form>
        </>
      )}
    </section>
  );
}

/**
 * The agent's photo, or their initials (drawn by CSS, so they stay out of the message's text) on a
 * colour of their own: a hue from the name, so one agent keeps one colour on every page. A photo
 * that does not load gives way to the initials.
 */
function Avatar({ name, url }: { name: string; url?: string | undefined }) {
  const [broken, setBroken] = useState('');
  return url && url != broken ? (
    <img class="av" src={url} alt="" onError={() => setBroken(url)} />
  ) : (
    <span
      class="av"
      aria-hidden
      style={{ background: `hsl(${[...name].reduce((h, c) => (h * 31 + c.codePointAt(0)!) % 360, 0)} 50% 40%)` }}
      data-i={name
        .trim()
        .split(/\s+/)
        .slice(0, 2)
        .map((w) => [...w][0])
        .join('')
        .toUpperCase()}
    />
  );
}

interface MessageProps {
  m: ChatMessage;
  /** First of a run by the same author: spaced from the previous run and named. */
  first: boolean;
  /** The visitor's latest message, which shows its delivery state. */
  last: boolean;
  /** Visitor messages up to this seq were read by an agent. */
  readSeq: number;
  /** Photo of the agent who wrote it, when known. */
  avatar?: string | undefined;
  onRetry(): void;
}

function Message({ m, first, last, readSeq, avatar, onRetry }: MessageProps) {
  const status = m.author === 'visitor' ? m.status : undefined;
  const name = m.authorName ?? t('support');
  return (
    <div class={`msg ${m.author} ${first ? 'first' : ''} ${status ?? ''}`} data-sb="message" data-author={m.author} data-status={status}>
      {first && m.author === 'agent' && (
        <span class="name">
          <Avatar name={name} url={avatar} />
          {name}
        </span>
      )}
      <div class="bubble" title={dateTime(m.createdAt)}>
        {m.deleted ? (
          <em>{t('deleted')}</em>
        ) : (
          <>
            <Text text={m.text} />
            {m.attachments.map((a, i) => (
              <a key={i} class="file" href={a.url} target="_blank" rel="noopener" data-sb="attachment">
                {a.image && a.url ? <img src={a.url} alt={a.name} /> : `📎 ${a.name}${a.size ? ` · ${fileSize(a.size)}` : ''}`}
              </a>
            ))}
          </>
        )}
      </div>
      {status == 'failed' && (
        <span class="meta err">
          {t('notSent')}
          {m.error ? `: ${m.error}` : ''}.{' '}
          {!m.id && (
            <button type="button" onClick={onRetry}>
              {t('retry')}
            </button>
          )}
        </span>
      )}
      {last && status != 'failed' && (
        <span class="meta" data-sb="receipt">
          {t(status == 'pending' ? 'sending' : m.seq! <= readSeq ? 'seen' : 'sent')}
        </span>
      )}
    </div>
  );
}

function Text({ text }: { text: string }) {
  return (
    <>
      {linkify(text).map((part, i) =>
        typeof part === 'string' ? (
          part
        ) : (
          <a key={i} href={part.href} target="_blank" rel="noopener noreferrer nofollow">
            {part.label}
          </a>
        ),
      )}
    </>
  );
}

// Drawn by the stylesheet's `svg` rule (stroke, no fill).
const icon = (d: string) => () => (
  <svg viewBox="0 0 24 24" aria-hidden>
    <path d={d} />
  </svg>
);
const ChatIcon = icon('M21 11.5a8.4 8.4 0 0 1-9 8.4 9 9 0 0 1-3.9-.9L3 20.5l1.5-4.6A8.4 8.4 0 0 1 12 3.1a8.4 8.4 0 0 1 9 8.4z');
const ChevronIcon = icon('M6 9l6 6 6-6');
const CloseIcon = icon('M18 6 6 18M6 6l12 12');
const SendIcon = icon('M22 2 11 13M22 2l-7 20-4-9-9-4 20-7z');
const ClipIcon = icon('m21.4 11-9.2 9.2a6 6 0 0 1-8.5-8.5l9.2-9.2a4 4 0 0 1 5.7 5.7l-9.2 9.2a2 2 0 0 1-2.8-2.8l8.5-8.5');
