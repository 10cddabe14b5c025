import { Fragment } from 'preact';
import type { TicketStatus } from '@switchboard/contracts';
import { useSignal } from '@preact/signals';
import { useEffect, useMemo, useRef } from 'preact/hooks';
import { LatestDebounced } from '../kb/debounce.js';
import { moveActive, searchable, searchPath, searchRows, type SearchResults, type SearchRow } from '../search.js';
import { searchOpen, useApi } from './context.js';
import { IconSearch } from './icons.js';
import { intlLocale } from '../i18n/index.js';
import { t } from '../i18n/search.js';

/** Quiet time after a keystroke before the search runs. */
const SEARCH_DELAY_MS = 200;
/** How long the found message stays marked in the thread. */
const FLASH_MS = 1600;

// Page modules (conversations.ts, relative-time.ts) stay out of this chunk: importing them would split the page's files.
const when = (iso: string) => new Date(iso).toLocaleString(intlLocale.value, { dateStyle: 'medium', timeStyle: 'short' });
const errorText = (err: unknown) => (err instanceof Error && err.message ? err.message : t('failed'));

const GROUPS: { kind: SearchRow['kind']; title: () => string }[] = [
  { kind: 'message', title: () => t('conversations') },
  { kind: 'contact', title: () => t('contacts') },
  { kind: 'ticket', title: () => t('tickets') },
];

let back: HTMLElement | null = null;

function close(): void {
  searchOpen.value = false;
  back?.focus();
  back = null;
}

/**
 * Brings the found message into view and marks it for a moment, once the opened thread shows it
 * (a message older than the thread's first page is not there: the conversation just opens).
 */
function showMessage(messageId: string): void {
  const deadline = Date.now() + 5000;
  const look = () => {
    const el = document.querySelector<HTMLElement>(`[data-testid="message"][data-id="${CSS.escape(messageId)}"]`);
    if (!el) {
      if (Date.now() < deadline) setTimeout(look, 100);
      return;
    }
    // After the thread's own first scroll to the bottom.
    requestAnimationFrame(() => {
      el.scrollIntoView({ block: 'center' });
      el.classList.add('msg-flash');
      setTimeout(() => el.classList.remove('msg-flash'), FLASH_MS);
    });
  };
  look();
}

function open(row: SearchRow): void {
  if (!row.conversationId) return;
  back = null;
  close();
  location.hash = `#/c/${encodeURIComponent(row.conversationId)}`;
  if (row.kind === 'message') showMessage(row.hit.messageId);
}

function RowBody({ row }: { row: SearchRow }) {
  if (row.kind === 'message') {
    const h = row.hit;
    return (
      <>
        <span class="search-hit-title">
          {h.contactName ?? t('unknownContact')} <span class="muted">· {when(h.createdAt)}</span>
        </span>
        {/* Escaped by the server, matches in <mark>: safe to show as HTML. */}
        <span class="search-hit-snippet" dangerouslySetInnerHTML={{ __html: h.snippet }} />
      </>
    );
  }
  if (row.kind === 'contact') {
    const h = row.hit;
    const details = [h.email, h.phone].filter(Boolean).join(' · ');
    return (
      <>
        <span class="search-hit-title">{h.name ?? h.email ?? h.phone ?? t('unnamedContact')}</span>
        <span class="search-hit-snippet muted">
          {details}
          {!h.conversationId && ` · ${t('noConversation')}`}
        </span>
      </>
    );
  }
  const h = row.hit;
  return (
    <>
      <span class="search-hit-title">
        #{h.number} {h.subject} <span class="muted">· {t(`status.${h.status as TicketStatus}`)}</span>
      </span>
      <span class="search-hit-snippet" dangerouslySetInnerHTML={{ __html: h.snippet }} />
    </>
  );
}

/**
 * The search overlay ("/" or the sidebar's search button): type → messages, contacts and tickets
 * of the inboxes the agent may see, matched words marked; ↑ / ↓ and Enter (or a click) open the
 * conversation, Esc closes. Loaded on first use.
 */
export function SearchView() {
  const api = useApi();
  const q = useSignal('');
  const results = useSignal<SearchResults | null>(null);
  const error = useSignal<string | null>(null);
  const active = useSignal(0);
  const dialog = useRef<HTMLDialogElement>(null);
  const input = useRef<HTMLInputElement>(null);
  const search = useMemo(
    () =>
      new LatestDebounced<string, SearchResults>(
        (text) => api.call<SearchResults>('GET', searchPath(text)),
        (r) => {
          results.value = r;
          active.value = 0;
          error.value = null;
        },
        (err) => (error.value = errorText(err)),
        SEARCH_DELAY_MS,
      ),
    [api],
  );

  useEffect(() => {
    back = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    dialog.current?.showModal();
    input.current?.focus();
    return () => search.cancel();
  }, [search]);

  const type = (text: string) => {
    q.value = text;
    error.value = null;
    if (searchable(text)) search.schedule(text);
    else {
      search.cancel();
      results.value = null;
    }
  };

  const rows = results.value ? searchRows(results.value) : [];
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Escape') {
      // A search field would only clear itself on the first Esc.
      e.preventDefault();
      close();
    } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      active.value = moveActive(active.value, e.key === 'ArrowDown' ? 1 : -1, rows.length);
    } else if (e.key === 'Enter') {
      e.preventDefault();
      const row = rows[active.value];
      if (row) open(row);
    }
  };

  const text = q.value.trim();
  const status = !searchable(text)
    ? t('hint')
    : !results.value
      ? t('searching')
      : rows.length === 0
        ? t('nothing', { text })
        : t('results', { count: rows.length });

  return (
    <dialog
      ref={dialog}
      class="search-overlay"
      aria-label={t('label')}
      data-testid="search"
      onCancel={(e) => {
        e.preventDefault();
        close();
      }}
      onClick={(e) => e.target === dialog.current && close()}
    >
      <label class="search-field">
        <IconSearch size={18} />
        <input
          ref={input}
          class="input"
          type="search"
          role="combobox"
          aria-label={t('placeholder')}
          aria-expanded={rows.length > 0}
          aria-controls="search-hits"
          aria-activedescendant={rows.length ? `search-hit-${active.value}` : undefined}
          data-testid="search-input"
          placeholder={t('placeholder')}
          value={q.value}
          onInput={(e) => type(e.currentTarget.value)}
          onKeyDown={onKeyDown}
        />
        <button class="icon-btn" type="button" aria-label={t('close')} onClick={close}>
          ×
        </button>
      </label>
      {error.value ? (
        <div class="inline-error" role="alert">
          {error.value}
        </div>
      ) : (
        <p class="muted search-note" role="status">
          {status}
        </p>
      )}
      {rows.length > 0 && (
        <ul id="search-hits" role="listbox" class="search-hits" aria-label={t('resultsLabel')}>
          {GROUPS.map(({ kind, title }) => {
            const group = rows.map((row, i) => ({ row, i })).filter(({ row }) => row.kind === kind);
            if (group.length === 0) return null;
            return (
              <Fragment key={kind}>
                <li role="presentation" class="search-group">
                  {title()}
                </li>
                {group.map(({ row, i }) => (
                  <li
                    key={row.key}
                    id={`search-hit-${i}`}
                    role="option"
                    aria-selected={i === active.value}
                    aria-disabled={!row.conversationId || undefined}
                    class="search-hit"
                    data-testid={`search-${row.kind}`}
                    data-conversation-id={row.conversationId ?? undefined}
                    onMouseDown={(e) => e.preventDefault()}
                    onMouseEnter={() => (active.value = i)}
                    onClick={() => open(row)}
                  >
                    <RowBody row={row} />
                  </li>
                ))}
              </Fragment>
            );
          })}
        </ul>
      )}
    </dialog>
  );
}
