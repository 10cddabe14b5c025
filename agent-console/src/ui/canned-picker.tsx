import type { CannedResponseView } from '@switchboard/contracts';
import { signal, useSignal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import { fillTemplate, matchCanned, previewLine, type TemplateValues } from '../canned.js';
import { t } from '../i18n/pickers.js';
import { useApi } from './context.js';
import { IconChat } from './icons.js';

/** The team's canned responses, kept between openings; fetched again each time the picker opens. */
const cache = signal<CannedResponseView[] | null>(null);

export interface CannedPickerProps {
  /** What follows the "/" in the reply box. */
  query: string;
  values: TemplateValues;
  /** The chosen response, its placeholders filled. */
  onPick(text: string): void;
  onClose(): void;
  /** The reply box hands its ↑ ↓ Enter Tab Esc here while the picker is open; true = handled. */
  keys: { current: ((e: KeyboardEvent) => boolean) | null };
  /** The listbox's id and the active option's, for the reply box's aria-controls / aria-activedescendant. */
  listId: string;
  onActive(optionId: string | null): void;
}

/**
 * The composer's canned-response picker ("/" + shortcut): filters as the agent types, ↑/↓ move,
 * Enter or Tab inserts, Esc closes. The focus stays in the reply box. Loaded on first use.
 */
export function CannedPicker({ query, values, onPick, onClose, keys, listId, onActive }: CannedPickerProps) {
  const api = useApi();
  const error = useSignal<string | null>(null);
  const active = useSignal(0);

  useEffect(() => {
    let current = true;
    api.call<{ items: CannedResponseView[] }>('GET', '/api/v1/canned-responses').then(
      (r) => current && ((cache.value = r.items), (error.value = null)),
      (err: Error) => current && (error.value = err.message),
    );
    return () => {
      current = false;
    };
  }, [api]);

  const all = cache.value;
  const matches = all ? matchCanned(all, query) : [];
  const index = Math.min(active.value, Math.max(matches.length - 1, 0));
  const optionId = (i: number) => `${listId}-${i}`;

  useEffect(() => {
    active.value = 0;
  }, [query]);

  useEffect(() => onActive(matches.length ? optionId(index) : null));
  useEffect(() => () => onActive(null), []);

  const pick = (c: CannedResponseView) => onPick(fillTemplate(c.text, values));

  keys.current = (e) => {
    const n = matches.length;
    if (e.key === 'Escape') {
      onClose();
      return true;
    }
    if ((e.key === 'ArrowDown' || e.key === 'ArrowUp') && n) {
      active.value = (index + (e.key === 'ArrowDown' ? 1 : n - 1)) % n;
      return true;
    }
    if ((e.key === 'Enter' || e.key === 'Tab') && !e.shiftKey && n) {
      pick(matches[index]!);
      return true;
    }
    return false;
  };
  useEffect(() => () => void (keys.current = null), []);

  return (
    <div data-testid="canned-picker">
      {error.value && !all && (
        <div class="inline-error" role="alert">
          {t('canned.failed', { reason: error.value })}
        </div>
      )}
      {matches.length ? (
        <ul id={listId} role="listbox" class="article-hits" aria-label={t('canned.label')}>
          {matches.map((c, i) => (
            <li
              key={c.id}
              id={optionId(i)}
              role="option"
              aria-selected={i === index}
              class="article-hit"
              data-testid="canned-option"
              data-shortcut={c.shortcut}
              // Keep the focus (and the caret) in the reply box.
              onMouseDown={(e) => e.preventDefault()}
              onMouseEnter={() => (active.value = i)}
              onClick={() => pick(c)}
            >
              <span class="article-hit-title">
                <span class="canned-shortcut">/{c.shortcut}</span> {c.title}
              </span>
              <span class="article-hit-snippet">{previewLine(c.text)}</span>
            </li>
          ))}
        </ul>
      ) : (
        !error.value && (
          <p class="muted article-note" role="status">
            <IconChat size={14} />{' '}
            {!all
              ? t('canned.loading')
              : all.length === 0
                ? t('canned.none')
                : t('canned.noMatch', { query })}
          </p>
        )
      )}
      {matches.length > 0 && (
        <p class="muted article-note" aria-hidden="true">
          {t('canned.keys', { up: '\u0000↑', down: '\u0000↓', enter: '\u0000Enter', tab: '\u0000Tab', esc: '\u0000Esc' })
            .split(/(\u0000[^\s]+)/)
            .map((part) => (part.startsWith('\u0000') ? <kbd>{part.slice(1)}</kbd> : part))}
        </p>
      )}
    </div>
  );
}
