import type { RefObject } from 'preact';
import type { KbSearchHit } from '@switchboard/contracts';
import { useSignal } from '@preact/signals';
import { useEffect, useMemo, useRef } from 'preact/hooks';
import type { ConsoleStore } from '../console-store.js';
import { LatestDebounced } from '../kb/debounce.js';
import { articleLinkText, insertAtCaret } from '../kb/insert-link.js';
import { errorText, searchArticles } from '../kb/kb-api.js';
import { t } from '../i18n/pickers.js';
import { useApi } from './context.js';
import { IconSearch } from './icons.js';

/** Quiet time after a keystroke before the search runs. */
const SEARCH_DELAY_MS = 250;
const MAX_HITS = 10;

/**
 * The composer's article search: type → published help-center articles with the matched words
 * marked → Enter or a click puts "Title: url" into the reply at the caret. Loaded on first use.
 * Conversations carry no language yet, so every locale is searched and each hit shows its own.
 */
export function ArticleSearch({ store, area, onClose }: { store: ConsoleStore; area: RefObject<HTMLTextAreaElement>; onClose: () => void }) {
  const api = useApi();
  const q = useSignal('');
  const hits = useSignal<KbSearchHit[] | null>(null);
  const error = useSignal<string | null>(null);
  const active = useSignal(0);
  const input = useRef<HTMLInputElement>(null);
  const search = useMemo(
    () =>
      new LatestDebounced<string, KbSearchHit[]>(
        (text) => searchArticles(api, text, undefined, MAX_HITS).then((r) => r.items.slice(0, MAX_HITS)),
        (items) => {
          hits.value = items;
          active.value = 0;
          error.value = null;
        },
        (err) => (error.value = errorText(err)),
        SEARCH_DELAY_MS,
      ),
    [api],
  );

  useEffect(() => {
    input.current?.focus();
    return () => search.cancel();
  }, [search]);

  const type = (text: string) => {
    q.value = text;
    hits.value = null;
    error.value = null;
    if (text.trim()) search.schedule(text.trim());
    else search.cancel();
  };

  const close = () => {
    onClose();
    area.current?.focus();
  };

  const insert = (hit: KbSearchHit) => {
    const id = store.selectedId.value;
    const el = area.current;
    if (!id) return;
    const draft = store.drafts.value[id] ?? '';
    const { text, caret } = insertAtCaret(draft, el?.selectionStart ?? draft.length, el?.selectionEnd ?? draft.length, articleLinkText(hit));
    store.composerInput(text);
    onClose();
    // The reply box shows the new text on the next render; the caret goes after the link then.
    setTimeout(() => {
      el?.focus();
      el?.setSelectionRange(caret, caret);
    });
  };

  const list = hits.value;
  const onKeyDown = (e: KeyboardEvent) => {
    const n = list?.length ?? 0;
    if (e.key === 'Escape') {
      e.preventDefault();
      close();
    } else if (e.key === 'Enter') {
      // Never the reply form's Enter (that would send the reply).
      e.preventDefault();
      const hit = list?.[active.value];
      if (hit) insert(hit);
    } else if ((e.key === 'ArrowDown' || e.key === 'ArrowUp') && n) {
      e.preventDefault();
      active.value = (active.value + (e.key === 'ArrowDown' ? 1 : n - 1)) % n;
    }
  };

  return (
    <div
      role="dialog"
      aria-label={t('articles.label')}
      data-testid="article-search"
      onKeyDown={onKeyDown}
      onFocusOut={(e) => {
        if (!e.currentTarget.contains(e.relatedTarget as Node | null)) onClose();
      }}
    >
      <label class="article-search-field">
        <IconSearch size={16} />
        <input
          ref={input}
          class="input"
          type="search"
          role="combobox"
          aria-expanded={!!list?.length}
          aria-controls="article-hits"
          aria-activedescendant={list?.length ? `article-hit-${active.value}` : undefined}
          data-testid="article-search-input"
          placeholder={t('articles.placeholder')}
          value={q.value}
          onInput={(e) => type(e.currentTarget.value)}
        />
      </label>
      {error.value && (
        <div class="inline-error" role="alert">
          {error.value}
        </div>
      )}
      {list?.length ? (
        <ul id="article-hits" role="listbox" class="article-hits" aria-label={t('articles.list')}>
          {list.map((h, i) => (
            <li
              key={`${h.articleId}:${h.locale}`}
              id={`article-hit-${i}`}
              role="option"
              aria-selected={i === active.value}
              class="article-hit"
              data-testid="article-search-result"
              onMouseDown={(e) => e.preventDefault()}
              onMouseEnter={() => (active.value = i)}
              onClick={() => insert(h)}
            >
              <span class="article-hit-title">
                {h.title} <span class="kb-locale">{h.locale}</span>
              </span>
              {/* Escaped by the server, matches in <mark> (KbSearchHit.snippet): safe to show as HTML. */}
              <span class="article-hit-snippet" dangerouslySetInnerHTML={{ __html: h.snippet }} />
            </li>
          ))}
        </ul>
      ) : (
        !error.value && (
          <p class="muted article-note" role="status">
            {!q.value.trim() ? t('articles.hint') : list ? t('articles.noMatch', { query: q.value.trim() }) : t('articles.searching')}
          </p>
        )
      )}
    </div>
  );
}
