import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { Chat, ChatState } from './chat.js';
import type { WidgetConfig } from './config.js';
import { linkify } from './linkify.js';
import { highestSeq, type ChatMessage } from './messages.js';
import type { KeyValueStorage } from './storage.js';
import { storageKeys } from './storage.js';
import type { Store } from './store.js';
import { snippetParts, type Suggester } from './suggestions.js';

export interface AppProps {
  chat: Chat;
  /** Whether the panel is open; also driven by window.Switchboard. */
  open: Store<boolean>;
  config: WidgetConfig;
  storage: KeyValueStorage;
  /** Help-center articles matching the draft; absent when switched off. */
  suggester?: Suggester | undefined;
}

function useStore<T>(store: Store<T>): T {
  const [value, setValue] = useState(store.get());
  useEffect(() => {
    setValue(store.get());
    return store.subscribe(setValue);
  }, [store]);
  return value;
}

export function App({ chat, open: openStore, config, storage, suggester }: AppProps) {
  const state = useStore(chat.state);
  const open = useStore(openStore);
  const launcher = useRef<HTMLButtonElement>(null);
  // A panel restored open on page load must not steal focus from the page; one the visitor opens takes it.
  const firstRender = useRef(true);
  useEffect(() => void (firstRender.current = false), []);
  const unread = useUnread(state, open, storage, config.inboxToken);

  return (
    <div class={open ? 'sb open' : 'sb'} style={config.color ? { '--sb-accent': config.color } : undefined}>
      {open && (
        <Panel
          chat={chat}
          state={state}
          title={config.title}
          autoFocus={!firstRender.current}
          suggester={suggester}
          onClose={() => {
            openStore.set(false);
            launcher.current?.focus();
          }}
        />
      )}
      <button
        ref={launcher}
        type="button"
        class="launcher"
        data-sb="launcher"
        aria-label={open ? 'Close chat' : unread ? `Open chat, ${unread} unread` : 'Open chat'}
        aria-expanded={open}
        onClick={() => openStore.set(!open)}
      >
        {open ? <ChevronIcon /> : <ChatIcon />}
        {!open && unread > 0 && (
          <span class="badge" aria-hidden="true">
            {unread > 9 ? '9+' : unread}
          </span>
        )}
      </button>
    </div>
  );
}

/** Agent messages that arrived since the visitor last had the panel open (kept across page loads). */
function useUnread(state: ChatState, open: boolean, storage: KeyValueStorage, inboxToken: string): number {
  const key = storageKeys.seen(inboxToken);
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
  return state.messages.filter((m) => m.author === 'agent' && m.seq !== undefined && m.seq > seen).length;
}

interface PanelProps {
  chat: Chat;
  state: ChatState;
  title: string;
  autoFocus: boolean;
  suggester?: Suggester | undefined;
  onClose(): void;
}

function Panel({ chat, state, title, autoFocus, suggester, onClose }: PanelProps) {
  const [draft, setDraft] = useState('');
  const input = useRef<HTMLTextAreaElement>(null);
  const log = useRef<HTMLDivElement>(null);
  /** Follow new messages unless the visitor scrolled up to read. */
  const stick = useRef(true);
  const { messages, typing, connection } = state;

  useEffect(() => {
    if (autoFocus) input.current?.focus();
    // The draft goes with the panel, and so do its suggestions.
    return () => suggester?.clear();
  }, []);

  useLayoutEffect(() => {
    const el = log.current;
    if (el && stick.current) el.scrollTop = el.scrollHeight;
  }, [messages, typing]);

  // Suggestions and a growing composer shrink the log from below: keep the latest message in view.
  useEffect(() => {
    const el = log.current!;
    const observer = new ResizeObserver(() => {
      if (stick.current) el.scrollTop = el.scrollHeight;
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  useLayoutEffect(() => {
    const el = input.current;
    if (!el) return;
    el.style.height = 'auto';
    el.style.height = `${Math.min(el.scrollHeight, 120)}px`;
  }, [draft]);

  const submit = () => {
    if (!draft.trim()) return;
    chat.send(draft);
    suggester?.clear();
    setDraft('');
    stick.current = true;
    input.current?.focus();
  };

  const lastVisitor = findLast(messages, (m) => m.author === 'visitor');

  return (
    <section
      class="panel"
      data-sb="panel"
      role="dialog"
      aria-label={title}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.stopPropagation();
          onClose();
        }
      }}
    >
      <header class="header">
        <div>
          <h2 class="title">{title}</h2>
          <p class="sub">{state.agentName ? `You're chatting with ${state.agentName}` : 'We usually reply here, in this chat'}</p>
        </div>
        <button type="button" class="icon" aria-label="Close chat" onClick={onClose}>
          <CloseIcon />
        </button>
      </header>
      {(connection === 'reconnecting' || connection === 'unavailable') && (
        <div class="banner" data-sb="connection" role="status">
          {connection === 'reconnecting' ? 'Reconnecting…' : 'Chat is unavailable right now. We will keep trying.'}
        </div>
      )}
      <div
        class="log"
        ref={log}
        role="log"
        aria-live="polite"
        aria-label="Messages"
        tabIndex={0}
        onScroll={(e) => {
          const el = e.currentTarget;
          stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < 48;
        }}
      >
        {messages.length === 0 && (
          <p class="empty">
            <strong>Hi there 👋</strong>
            Ask us anything. We'll answer right here, and you can leave the page: the conversation stays.
          </p>
        )}
        {messages.map((m, i) => (
          <Message
            key={m.key}
            m={m}
            first={messages[i - 1]?.author !== m.author || messages[i - 1]?.authorName !== m.authorName}
            last={m === lastVisitor}
            onRetry={() => chat.retry(m.clientId ?? '')}
          />
        ))}
      </div>
      {typing && (
        <div class="typing" data-sb="typing">
          <span class="dots" aria-hidden="true">
            <i />
            <i />
            <i />
          </span>
          {typing} is typing…
        </div>
      )}
      {suggester && <Suggestions suggester={suggester} />}
      <form
        class="composer"
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <textarea
          ref={input}
          data-sb="composer"
          rows={1}
          placeholder="Write a message…"
          aria-label="Message"
          maxLength={4000}
          value={draft}
          onInput={(e) => {
            const text = e.currentTarget.value;
            setDraft(text);
            chat.composing(text);
            suggester?.input(text);
          }}
          onKeyDown={(e) => {
            // isComposing: Enter that confirms an IME candidate (Japanese, Chinese…) must not send.
            if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
              e.preventDefault();
              submit();
            }
          }}
          onBlur={() => chat.blur()}
        />
        <button type="submit" class="send" data-sb="send" aria-label="Send message" disabled={!draft.trim()}>
          <SendIcon />
        </button>
      </form>
    </section>
  );
}

function Suggestions({ suggester }: { suggester: Suggester }) {
  const items = useStore(suggester.items);
  if (!items.length) return null;
  return (
    <nav class="suggest" data-sb="suggestions" aria-label="Suggested articles">
      <p>Maybe this helps:</p>
      {items.map((s) => (
        <a key={s.url} href={s.url} target="_blank" rel="noopener" data-sb="suggestion">
          <strong>{s.title}</strong>
          <span>{snippetParts(s.snippet).map((p, i) => (p.mark ? <mark key={i}>{p.text}</mark> : p.text))}</span>
        </a>
      ))}
    </nav>
  );
}

interface MessageProps {
  m: ChatMessage;
  /** First of a run by the same author: spaced from the previous run and named. */
  first: boolean;
  /** The visitor's latest message, which shows its delivery state. */
  last: boolean;
  onRetry(): void;
}

function Message({ m, first, last, onRetry }: MessageProps) {
  const visitor = m.author === 'visitor';
  const cls = ['msg', m.author, first ? 'first' : '', visitor ? m.status : ''].filter(Boolean).join(' ');
  return (
    <div class={cls} data-sb="message" data-author={m.author} data-status={visitor ? m.status : undefined}>
      {first && m.author === 'agent' && <span class="name">{m.authorName ?? 'Support'}</span>}
      <div class="bubble" title={formatTime(m.createdAt)}>
        {m.deleted ? <em>Message deleted</em> : <Text text={m.text} />}
        {!m.deleted && m.attachments.map((name, i) => <span class="att" key={i}>📎 {name}</span>)}
      </div>
      {visitor && m.status === 'failed' && (
        <span class="meta error">
          Not sent{m.error ? `: ${m.error}` : ''}.{' '}
          {!m.id && (
            <button type="button" onClick={onRetry}>
              Retry
            </button>
          )}
        </span>
      )}
      {visitor && last && m.status !== 'failed' && <span class="meta">{m.status === 'pending' ? 'Sending…' : 'Sent'}</span>}
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

function formatTime(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '' : d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

function findLast<T>(list: readonly T[], test: (item: T) => boolean): T | undefined {
  for (let i = list.length - 1; i >= 0; i--) if (test(list[i]!)) return list[i];
  return undefined;
}

const svg = { viewBox: '0 0 24 24', fill: 'none', stroke: 'currentColor', 'stroke-width': 2, 'stroke-linecap': 'round', 'stroke-linejoin': 'round', 'aria-hidden': 'true' } as const;
const ChatIcon = () => (
  <svg {...svg}>
    <path d="M21 11.5a8.4 8.4 0 0 1-9 8.4 9 9 0 0 1-3.9-.9L3 20.5l1.5-4.6A8.4 8.4 0 0 1 12 3.1a8.4 8.4 0 0 1 9 8.4z" />
  </svg>
);
const ChevronIcon = () => (
  <svg {...svg}>
    <path d="M6 9l6 6 6-6" />
  </svg>
);
const CloseIcon = () => (
  <svg {...svg}>
    <path d="M18 6 6 18M6 6l12 12" />
  </svg>
);
const SendIcon = () => (
  <svg {...svg}>
    <path d="M22 2 11 13M22 2l-7 20-4-9-9-4 20-7z" />
  </svg>
);
