import type { ConversationView } from '@switchboard/contracts';
import { signal } from '@preact/signals';
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { ConsoleStore } from '../console-store.js';
import { channelLabel, contactName, preview, upsertConversation } from '../conversations.js';
import { t } from '../i18n/core.js';
import { fullTime, relativeTime } from '../relative-time.js';
import { clickRow, keepListed, NO_SELECTION, only, selectAll, selectedInOrder, type Selection } from '../selection.js';
import { parseTags, pickTicket } from '../tickets.js';
import { nearEnd, scrollToReveal, visibleWindow } from '../virtual-list.js';
import { Avatar } from './avatar.js';
import { memo } from './memo.js';
import { now, useStore } from './context.js';
import { IconInbox, IconReply } from './icons.js';
import { lazyView } from './lazy.js';

/** Every row is this tall (styles.css `.conv-row` keeps to it), which makes windowing plain arithmetic. */
export const ROW_HEIGHT = 82;
/** The list's padding above the first row and below the last. */
const LIST_PAD = 6;
const OVERSCAN = 8;
/**
 * Room below the last row while the bulk bar floats over the list's foot, so every row can be
 * scrolled clear of it: the bar's height as measured (its actions wrap on a narrow sidebar), this
 * until it is.
 */
const BAR_SPACE = 190;
const BAR_GAP = 16;
/** Fetch the next page when the rendered rows come this close to the end. */
const LOAD_MARGIN = 20;

/** The bulk action bar: a chunk of its own, fetched the first time a conversation is ticked. */
const BulkBar = lazyView(() => import('./bulk-bar.js').then((m) => m.BulkBar));

const TAG_RULES = { parseTags, pickTicket };

/** The ticked conversations; kept across re-renders and filter changes (what left the list drops out). */
const selection = signal<Selection>(NO_SELECTION);

if (typeof document !== 'undefined') {
  // Esc clears the selection (a dialog open on top keeps its own Esc).
  document.addEventListener('keydown', (e) => {
    if (e.key !== 'Escape' || e.defaultPrevented || selection.peek().ids.size === 0 || document.querySelector('dialog[open]')) return;
    selection.value = NO_SELECTION;
  });
}

/** A bulk action's changed conversations, shown at once (the socket brings the same a moment later). */
function applyViews(store: ConsoleStore, views: readonly ConversationView[]): void {
  const me = store.agent.value?.id ?? null;
  let list = store.conversations.value;
  for (const v of views) list = upsertConversation(list, v, store.filter.value, me);
  store.conversations.value = list;
}

interface RowProps {
  conv: ConversationView;
  open: boolean;
  picked: boolean;
  showStatus: boolean;
  index: number;
  setSize: number;
  onPick(id: string, shift: boolean): void;
}

/** A row renders again only when its props change: a new message re-renders the rows it moved, not all of them. */
const ConversationRow = memo<RowProps>((p) => <ConversationItem {...p} />);

function ConversationItem({ conv, open, picked, showStatus, index, setSize, onPick }: RowProps) {
  const store = useStore();
  const name = contactName(conv.contact);
  const last = preview(conv);
  const at = conv.lastMessage?.at ?? conv.updatedAt;
  const unread = conv.unreadCount;
  return (
    <li class={`conv-row${picked ? ' conv-picked' : ''}`} style={{ height: ROW_HEIGHT }} aria-posinset={index + 1} aria-setsize={setSize}>
      <input
        type="checkbox"
        class="conv-pick"
        checked={picked}
        aria-label={t('list.select', { name })}
        data-testid="conversation-select"
        // Shift-click picks a range; keep it from also selecting the page's text.
        onMouseDown={(e) => e.shiftKey && e.preventDefault()}
        onClick={(e) => onPick(conv.id, e.shiftKey)}
      />
      <a
        href={`#/c/${encodeURIComponent(conv.id)}`}
        class={`conv${unread > 0 ? ' conv-unread' : ''}`}
        aria-current={open ? 'true' : undefined}
        data-testid="conversation-item"
        data-id={conv.id}
        data-unread={unread}
        onClick={(e) => {
          if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
          e.preventDefault();
          void store.open(conv.id);
        }}
      >
        <Avatar id={conv.contact.id} name={name} url={conv.contact.avatarUrl} channel={conv.channel} />
        <div class="conv-body">
          <div class="conv-line">
            <span class="conv-name">{name}</span>
            <time class="conv-time" dateTime={at} title={fullTime(at)}>
              {relativeTime(at, now.value)}
            </time>
          </div>
          <div class="conv-line">
            <span class="conv-preview">
              {last.outbound && <IconReply size={13} class="conv-reply" />}
              {last.text}
            </span>
            {unread > 0 && (
              <span class="badge" data-testid="unread" aria-label={t('list.unread', { count: unread })}>
                {unread > 99 ? '99+' : unread}
              </span>
            )}
          </div>
          <div class="conv-tags">
            <span class={`channel channel-${conv.channel}`}>{channelLabel(conv.channel)}</span>
            {showStatus && <span class={`status-tag status-${conv.status}`}>{t(`conv.status.${conv.status}`)}</span>}
            {conv.assigneeId === null && <span class="tag-muted">{t('list.unassigned')}</span>}
          </div>
        </div>
      </a>
    </li>
  );
}

function EmptyList() {
  const { status, assignee } = useStore().filter.value;
  const what = t(`list.empty.${status}`);
  const title = assignee === 'me' ? t('list.empty.mine', { what }) : assignee === 'unassigned' ? t('list.empty.unassigned', { what }) : what;
  return (
    <div class="empty-list">
      <IconInbox size={28} />
      <p class="empty-title">{title}</p>
      <p class="empty-hint">{status === 'open' || status === 'all' ? t('list.empty.hintNew') : t('list.empty.hintOther')}</p>
    </div>
  );
}

export function ConversationList() {
  const store = useStore();
  if (!store.listLoaded.value) {
    if (store.listError.value) return <ListError />;
    return (
      <ul class="conv-list" aria-busy="true" aria-label={t('list.loadingLabel')}>
        {[0, 1, 2, 3, 4].map((i) => (
          <li key={i} class="conv-skeleton">
            <span class="sk sk-avatar" />
            <span class="sk-lines">
              <span class="sk sk-line" />
              <span class="sk sk-line short" />
            </span>
          </li>
        ))}
      </ul>
    );
  }
  return <LoadedList />;
}

/**
 * The loaded list, windowed: only the rows in view and a few either side are in the DOM, padding
 * stands in for the rest, so ten thousand conversations scroll like fifty. The next page is
 * fetched when the agent scrolls near the end.
 */
function LoadedList() {
  const store = useStore();
  const list = store.conversations.value;
  const openId = store.selectedId.value;
  const showStatus = store.filter.value.status === 'all';
  const more = store.nextCursor.value !== null;
  const error = store.listError.value;
  const loading = store.listLoading.value;
  const sel = selection.value;
  const scroller = useRef<HTMLDivElement>(null);
  const [view, setView] = useState({ top: 0, height: 0 });

  const order = useMemo(() => list.map((c) => c.id), [list]);
  const win = visibleWindow({ count: list.length, rowHeight: ROW_HEIGHT, scrollTop: view.top - LIST_PAD, height: view.height || ROW_HEIGHT * 10 }, OVERSCAN);

  const measure = () => {
    const el = scroller.current;
    if (el) setView((v) => (v.top === el.scrollTop && v.height === el.clientHeight ? v : { top: el.scrollTop, height: el.clientHeight }));
  };
  useLayoutEffect(() => {
    measure();
    const el = scroller.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  // A conversation that left the list is no longer selected.
  useEffect(() => {
    selection.value = keepListed(selection.peek(), order);
  }, [order]);

  // The open conversation (opened by j / k, a link, the URL) is scrolled into view.
  useEffect(() => {
    const el = scroller.current;
    const at = openId ? order.indexOf(openId) : -1;
    if (!el || at < 0) return;
    const to = scrollToReveal(at, { rowHeight: ROW_HEIGHT, scrollTop: el.scrollTop - LIST_PAD, height: el.clientHeight });
    if (to !== null) el.scrollTop = to + LIST_PAD;
    measure();
    // When the focus is in the list, it follows the open row (which may only now be rendered).
    requestAnimationFrame(() => {
      const active = document.activeElement;
      if (!(active instanceof HTMLElement) || !el.contains(active) || active.dataset.id === openId) return;
      el.querySelector<HTMLElement>(`[data-testid="conversation-item"][data-id="${CSS.escape(openId!)}"]`)?.focus();
    });
  }, [openId]);

  // Near the end: the next page, one at a time; after a failure only Retry tries again.
  useEffect(() => {
    if (more && !loading && !error && nearEnd(win, list.length, LOAD_MARGIN)) void store.loadList(true);
  });

  const dock = useRef<HTMLDivElement>(null);
  const [barSpace, setBarSpace] = useState(BAR_SPACE);
  const selecting = sel.ids.size > 0;
  useLayoutEffect(() => {
    const el = dock.current;
    if (!selecting || !el || typeof ResizeObserver === 'undefined') return;
    const fit = () => el.offsetHeight > 0 && setBarSpace(el.offsetHeight + BAR_GAP);
    const watch = new ResizeObserver(fit);
    watch.observe(el);
    return () => watch.disconnect();
  }, [selecting]);

  const orderRef = useRef(order);
  orderRef.current = order;
  const pick = useCallback((id: string, shift: boolean) => void (selection.value = clickRow(selection.value, id, orderRef.current, shift)), []);

  return (
    <>
      {error && list.length === 0 && <ListError />}
      <div class="conv-area">
        <div class="conv-scroll" ref={scroller} onScroll={measure} data-testid="conversation-scroll">
          {list.length === 0 ? (
            <EmptyList />
          ) : (
            <ul
              class={`conv-list conv-window${sel.ids.size > 0 ? ' conv-selecting' : ''}`}
              aria-label={t('nav.conversations')}
              aria-busy={loading && more ? 'true' : undefined}
              style={{ paddingTop: win.before + LIST_PAD, paddingBottom: win.after + LIST_PAD + (sel.ids.size > 0 ? barSpace : 0) }}
            >
              {list.slice(win.start, win.end).map((c, i) => (
                <ConversationRow
                  key={c.id}
                  conv={c}
                  index={win.start + i}
                  setSize={more ? -1 : list.length}
                  open={c.id === openId}
                  picked={sel.ids.has(c.id)}
                  showStatus={showStatus}
                  onPick={pick}
                />
              ))}
            </ul>
          )}
          {more && loading && (
            <p class="list-more muted" role="status" data-testid="list-loading">
              {t('list.loading')}
            </p>
          )}
          {error && list.length > 0 && <ListError more={more} />}
        </div>
        {sel.ids.size > 0 && (
          // Floats over the list's foot, so ticking a row never moves the rows under the pointer.
          <div class="bulk-dock" ref={dock}>
            <BulkBar
              ids={selectedInOrder(sel, order)}
              loaded={list.length}
              onSelectAll={() => (selection.value = selectAll(order))}
              onClear={() => (selection.value = NO_SELECTION)}
              onDone={(failed) => (selection.value = only(selection.value, failed))}
              nameOf={(id) => {
                const c = list.find((x) => x.id === id);
                return c ? contactName(c.contact) : t('list.aConversation');
              }}
              apply={(views) => applyViews(store, views)}
              tagRules={TAG_RULES}
            />
          </div>
        )}
      </div>
    </>
  );
}

function ListError({ more = false }: { more?: boolean }) {
  const store = useStore();
  return (
    <div class="inline-error" role="alert">
      <span>{t(more ? 'list.errorMore' : 'list.error', { reason: store.listError.value ?? '' })}</span>
      <button class="btn btn-small" onClick={() => void store.loadList(more)}>
        {t('common.retry')}
      </button>
    </div>
  );
}
