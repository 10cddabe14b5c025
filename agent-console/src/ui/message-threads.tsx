import type { MessageView } from '@switchboard/contracts';
import { signal } from '@preact/signals';
import type { VNode } from 'preact';
import type { ConsoleStore } from '../console-store.js';
import { t } from '../i18n/pickers.js';
import { useStore } from './context.js';
import { IconReply } from './icons.js';

/**
 * Threads inside a conversation (Slack thread_ts), a chunk fetched the first time a conversation
 * with threads is open: the message list's rows regrouped so each thread's replies sit indented
 * under its first message behind "N replies", and the composer's choice of where the reply goes
 * (a thread, or the channel's top level). Any channel that fills MessageView.thread gets the same.
 */

/** The message list's rows as this needs them: a day line, a message, or a reply still sending. */
export interface ListRow {
  kind: string;
  key: string;
  m?: MessageView;
  p?: { thread?: string | null };
}

interface Group<R> {
  ref: string;
  root?: R;
  replies: R[];
  /** Messages among the replies (pending ones aside): the "N replies". */
  count: number;
}

type Item<R> = { row: R } | Group<R>;

/** Rows in list order with each thread's rows pulled to where the thread starts; day lines left with no row of their own go. */
export function groupThreads<R extends ListRow>(rows: readonly R[]): Item<R>[] {
  const items: Item<R>[] = [];
  const threads = new Map<string, Group<R>>();
  for (const r of rows) {
    const ref = r.m?.thread?.ref ?? r.p?.thread ?? undefined;
    if (!ref) {
      items.push({ row: r });
      continue;
    }
    let g = threads.get(ref);
    if (!g) {
      threads.set(ref, (g = { ref, replies: [], count: 0 }));
      items.push(g);
    }
    if (r.m?.thread?.root && !g.root) g.root = r;
    else {
      g.replies.push(r);
      if (r.m) g.count++;
    }
  }
  const isDay = (i: Item<R> | undefined) => i !== undefined && 'row' in i && i.row.kind === 'day';
  return items.filter((item, i) => !isDay(item) || (i + 1 < items.length && !isDay(items[i + 1])));
}

/** The agent picks where the open conversation's reply goes: a thread's ref, or null for the top level. */
function choose(store: ConsoleStore, ref: string | null): void {
  const id = store.selectedId.value;
  if (id) store.replyThreads.value = { ...store.replyThreads.value, [id]: ref };
}

/** Threads the agent opened or closed, by ref; others follow the default (the latest thread open). */
const toggled = signal<Record<string, boolean>>({});

export function MessageThreads<R extends ListRow>({ rows, render }: { rows: readonly R[]; render: (row: R) => VNode }) {
  const store = useStore();
  const items = groupThreads(rows);
  let latest: string | undefined;
  for (const item of items) if (!('row' in item)) latest = item.ref;
  return (
    <>
      {items.map((item) => {
        if ('row' in item) return render(item.row);
        const open = toggled.value[item.ref] ?? item.ref === latest;
        return (
          <div key={`thread:${item.ref}`} class="msg-thread" role="group" aria-label={t('threads.label')} data-testid="message-thread" data-thread={item.ref}>
            {item.root ? render(item.root) : <div class="thread-note">{t('threads.rootMissing')}</div>}
            <div class="thread-bar">
              {item.count > 0 && (
                <button
                  type="button"
                  class="link-btn"
                  data-testid="thread-toggle"
                  aria-expanded={open}
                  onClick={() => (toggled.value = { ...toggled.value, [item.ref]: !open })}
                >
                  {open ? t('threads.hide') : t('threads.replies', { count: item.count })}
                </button>
              )}
              <button
                type="button"
                class="link-btn"
                data-testid="thread-reply"
                onClick={() => {
                  choose(store, item.ref);
                  document.querySelector<HTMLTextAreaElement>('[data-testid="composer"]')?.focus();
                }}
              >
                <IconReply size={12} /> {t('threads.replyHere')}
              </button>
            </div>
            {open && item.replies.length > 0 && (
              <div class="thread-replies" data-testid="thread-replies">
                {item.replies.map(render)}
              </div>
            )}
          </div>
        );
      })}
    </>
  );
}

/** The thread's first line, to name it in the composer's choice. */
function threadName(root: MessageView | undefined): string {
  const line = (root?.text ?? '').trim().split('\n')[0]!.trim();
  if (!line) return t('threads.untitled');
  return t('threads.inThread', { line: line.length > 60 ? `${line.slice(0, 59)}…` : line });
}

/** Above the reply box: where the reply goes, a thread of this conversation or the channel's top level. */
export function ReplyTarget() {
  const store = useStore();
  const messages = store.thread.value?.messages ?? [];
  // As the store sends it (thread.ts replyThread): the agent's pick, else the latest message's thread.
  const chosen = store.replyThreads.value[store.selectedId.value ?? ''];
  const current = chosen !== undefined ? chosen : messages.findLast((m) => m.thread)?.thread?.ref;
  const roots = new Map<string, MessageView | undefined>();
  for (const m of messages) {
    const ref = m.thread?.ref;
    if (ref && (m.thread?.root || !roots.has(ref))) roots.set(ref, m.thread?.root ? m : roots.get(ref));
  }
  if (typeof current === 'string' && !roots.has(current)) roots.set(current, undefined);
  return (
    <label class="reply-target">
      {t('threads.to')}{' '}
      <select data-testid="reply-thread" value={current ?? ''} onChange={(e) => choose(store, e.currentTarget.value || null)}>
        {[...roots].map(([ref, root]) => (
          <option key={ref} value={ref}>
            {threadName(root)}
          </option>
        ))}
        <option value="">{t('threads.topLevel')}</option>
      </select>
    </label>
  );
}

/** The chunk's one entry: with rows, the grouped message list; without, the composer's choice. */
export function Threads<R extends ListRow>(p: { rows?: readonly R[]; render?: (row: R) => VNode }) {
  return p.rows && p.render ? <MessageThreads rows={p.rows} render={p.render} /> : <ReplyTarget />;
}
