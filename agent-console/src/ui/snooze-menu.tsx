import { useSignal } from '@preact/signals';
import { useEffect, useRef } from 'preact/hooks';
import { fromLocalInput, MAX_SNOOZE_MS, snoozeOptions, snoozeProblem, toLocalInput } from '../snooze.js';
import { t } from '../i18n/pickers.js';
import { useApi } from './context.js';
import { IconClock } from './icons.js';

/**
 * The snooze times: in an hour, tonight, tomorrow morning, next Monday, or a date and time picked
 * in the agent's own time zone. Choosing one snoozes the conversation (POST …/snooze); the list
 * follows from the server's `conversation:updated`.
 */
export function SnoozeMenu({ conversationId, onClose }: { conversationId: string; onClose: () => void }) {
  const api = useApi();
  const root = useRef<HTMLDivElement>(null);
  const picking = useSignal(false);
  const picked = useSignal('');
  const error = useSignal<string | null>(null);
  const sending = useSignal(false);
  const at = new Date();
  const options = snoozeOptions(at);

  const close = () => {
    onClose();
    root.current?.parentElement?.querySelector<HTMLElement>('[data-testid="snooze"]')?.focus();
  };

  useEffect(() => {
    root.current?.querySelector<HTMLElement>('[role="menuitem"]')?.focus();
    const outside = (e: PointerEvent) => {
      if (!root.current?.parentElement?.contains(e.target as Node)) onClose();
    };
    document.addEventListener('pointerdown', outside);
    return () => document.removeEventListener('pointerdown', outside);
  }, []);

  const snooze = (until: Date | null) => {
    const problem = snoozeProblem(until, new Date());
    if (problem) return void (error.value = problem);
    sending.value = true;
    error.value = null;
    api.call('POST', `/api/v1/conversations/${encodeURIComponent(conversationId)}/snooze`, { until: until!.toISOString() }).then(
      () => close(),
      (err: unknown) => {
        sending.value = false;
        error.value = t('snooze.failed', { reason: err instanceof Error && err.message ? err.message : t('snooze.tryAgain') });
      },
    );
  };

  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      return close();
    }
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
    const items = [...(root.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? [])];
    const i = items.indexOf(document.activeElement as HTMLElement);
    if (i === -1) return;
    e.preventDefault();
    items[(i + (e.key === 'ArrowDown' ? 1 : items.length - 1)) % items.length]?.focus();
  };

  return (
    <div class="snooze-pop" ref={root} onKeyDown={onKey} data-testid="snooze-menu">
      <ul role="menu" aria-label={t('snooze.until')}>
        {options.map((o) => (
          <li role="none" key={o.id}>
            <button type="button" role="menuitem" disabled={sending.value} data-testid={`snooze-${o.id}`} onClick={() => snooze(o.at)}>
              <span>{o.label}</span>
              <span class="muted">{o.hint}</span>
            </button>
          </li>
        ))}
        <li role="none">
          <button
            type="button"
            role="menuitem"
            aria-expanded={picking.value}
            data-testid="snooze-pick"
            onClick={() => {
              picking.value = !picking.value;
              if (!picked.value) picked.value = toLocalInput(options.find((o) => o.id === 'tomorrow')!.at);
            }}
          >
            <IconClock size={14} />
            <span>{t('snooze.pick')}</span>
          </button>
        </li>
      </ul>
      {picking.value && (
        <form
          class="snooze-pick"
          onSubmit={(e) => {
            e.preventDefault();
            snooze(fromLocalInput(picked.value));
          }}
        >
          <label>
            <span>{t('snooze.until')}</span>
            <input
              type="datetime-local"
              class="input"
              data-testid="snooze-at"
              value={picked.value}
              min={toLocalInput(at)}
              max={toLocalInput(new Date(at.getTime() + MAX_SNOOZE_MS))}
              onInput={(e) => {
                picked.value = e.currentTarget.value;
                error.value = null;
              }}
            />
          </label>
          <button type="submit" class="btn btn-primary btn-small" data-testid="snooze-confirm" disabled={sending.value}>
            {sending.value ? t('snooze.snoozing') : t('snooze.snooze')}
          </button>
        </form>
      )}
      {error.value && (
        <p class="inline-error" role="alert" data-testid="snooze-error">
          {error.value}
        </p>
      )}
    </div>
  );
}
