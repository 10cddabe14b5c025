import { useSignal } from '@preact/signals';
import { t } from '../i18n/core.js';
import { untilLabel } from '../snooze-label.js';
import { now, useStore } from './context.js';
import { lazyView } from './lazy.js';

/** The menu of snooze times, a chunk fetched the first time it opens. */
const SnoozeMenu = lazyView(() => import('./snooze-menu.js').then((m) => m.SnoozeMenu));

/**
 * The header's snooze: a *Snooze* button (or `z`) opening the menu of times; on a snoozed
 * conversation, "Snoozed until Tue 09:00" and *Unsnooze*.
 */
export function SnoozeControl() {
  const store = useStore();
  const open = useSignal(false);
  const conv = store.openConversation.value;
  if (!conv) return null;
  const busy = store.busy.value;
  if (conv.status === 'snoozed') {
    const until = conv.snoozedUntil ? new Date(conv.snoozedUntil) : null;
    return (
      <>
        <span class="snoozed-until" data-testid="snoozed-until" title={until ? until.toLocaleString() : undefined}>
          {until ? t('snooze.until', { until: untilLabel(until, new Date(now.value)) }) : t('snooze.snoozed')}
        </span>
        <button class="btn" data-testid="unsnooze" disabled={busy !== null} onClick={() => void store.reopen()}>
          {busy === 'reopen' ? t('snooze.unsnoozing') : t('snooze.unsnooze')}
        </button>
      </>
    );
  }
  return (
    <div class="snooze">
      <button
        class="btn"
        data-testid="snooze"
        aria-haspopup="menu"
        aria-expanded={open.value}
        title={t('snooze.title')}
        onClick={() => (open.value = !open.value)}
      >
        {t('snooze.snooze')}
      </button>
      {open.value && <SnoozeMenu conversationId={conv.id} onClose={() => (open.value = false)} />}
    </div>
  );
}
