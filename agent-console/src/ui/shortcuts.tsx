import { Fragment, render } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import type { ConsoleStore } from '../console-store.js';
import { neighbour, SHORTCUTS, shortcutFor, type ListPlace } from '../shortcuts.js';
import { CHANNELS_ROUTE, isKbRoute, route, searchOpen } from './context.js';
import { IconAlert } from './icons.js';
import { t } from '../i18n/shortcuts.js';

/**
 * The keyboard shortcuts, loaded on the first key that could be one (main.tsx hands it over):
 * j / k move through the list, r n a put the focus on the reply box, the note box, the assignee,
 * e resolves, ? lists them all in a dialog that Esc closes.
 */

let last: ListPlace | null = null;
let host: HTMLElement | null = null;
/** The element that had the focus before the list of shortcuts opened; it gets it back. */
let back: HTMLElement | null = null;

const byTestId = <T extends HTMLElement>(id: string) => document.querySelector<T>(`[data-testid="${id}"]`);

function inField(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable || target instanceof HTMLSelectElement || target instanceof HTMLTextAreaElement) return true;
  // Buttons, checkboxes and the like take no text: a shortcut typed on them still acts.
  return target instanceof HTMLInputElement && !/^(button|checkbox|radio|range|color|file|image|reset|submit)$/.test(target.type);
}

/** Handles a keydown the page saw (after it reached its target); does nothing unless it is a shortcut. */
export function onKey(e: KeyboardEvent, store: ConsoleStore): void {
  if (!store.session.value) return;
  const action = shortcutFor(e, inField(e.target));
  if (!action) return;
  if (host?.firstChild) {
    if (action === 'help') closeHelp();
    return; // the dialog is modal: nothing behind it moves
  }
  if (action === 'help') return openHelp();
  if (action === 'search') {
    e.preventDefault(); // a / typed on the page is not a character of the query (nor Firefox's quick find)
    searchOpen.value = true;
    return;
  }
  const ids = store.conversations.value.map((c) => c.id);
  const current = store.selectedId.value;
  const at = current ? ids.indexOf(current) : -1;
  if (current && at >= 0) last = { id: current, index: at };
  if (action === 'next' || action === 'previous') {
    const id = neighbour(ids, current, action === 'next' ? 1 : -1, last);
    if (id) {
      // From the knowledge base or the channel settings, j / k go back to the conversations.
      if (isKbRoute(route.value) || route.value === CHANNELS_ROUTE) location.hash = `#/c/${encodeURIComponent(id)}`;
      else void store.open(id);
      focusRow(document.querySelector<HTMLElement>(`[data-testid="conversation-item"][data-id="${CSS.escape(id)}"]`));
    }
    return;
  }
  // The rest act on the open conversation, only while it is on screen.
  if (!current || isKbRoute(route.value) || route.value === CHANNELS_ROUTE) return;
  if (action === 'resolve') {
    if (store.openConversation.value?.status !== 'resolved') void store.resolve();
  } else if (action === 'reply') byTestId('composer')?.focus();
  else if (action === 'note') ticketControl('ticket-note-input')?.focus();
  else if (action === 'snooze') byTestId('snooze')?.click();
  // No ticket (manual mode): the header's Assign to me is the assignee control there is.
  else (ticketControl('ticket-assignee') ?? byTestId('assign-me'))?.focus();
}

/**
 * Puts the focus on the row j / k opened. Focus set from a key press is :focus-visible, and the
 * thread then leaves the reply box alone, so the next j or k moves on instead of typing a letter.
 */
function focusRow(row: HTMLElement | null): void {
  if (!row) return;
  row.focus();
  row.scrollIntoView({ block: 'nearest' });
}

/** A control of the ticket panel, after opening the panel's strip when it is folded (narrow windows). */
function ticketControl(id: string): HTMLElement | null {
  const toggle = document.querySelector<HTMLButtonElement>('.tp-toggle');
  if (toggle?.getAttribute('aria-expanded') === 'false' && toggle.offsetParent) toggle.click();
  return byTestId(id);
}

function openHelp(): void {
  back = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  host ??= document.body.appendChild(document.createElement('div'));
  render(<Help />, host);
}

function closeHelp(): void {
  if (host) render(null, host);
  back?.focus();
  back = null;
}

function Help() {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    dialog.current?.showModal();
  }, []);
  return (
    <dialog
      ref={dialog}
      class="shortcuts"
      aria-labelledby="shortcuts-title"
      data-testid="shortcuts"
      onCancel={(e) => {
        e.preventDefault();
        closeHelp();
      }}
      onClick={(e) => e.target === dialog.current && closeHelp()}
    >
      <header class="shortcuts-head">
        <h2 id="shortcuts-title">{t('title')}</h2>
        <button class="icon-btn" type="button" aria-label={t('close')} onClick={closeHelp}>
          ×
        </button>
      </header>
      <table>
        <tbody>
          {SHORTCUTS.map((s) => (
            <tr key={s.keys.join('+')}>
              <td>
                {s.keys.map((k, i) => (
                  <Fragment key={k}>
                    {i > 0 && ' + '}
                    <kbd>{k}</kbd>
                  </Fragment>
                ))}
              </td>
              <td>{s.does}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p class="muted shortcuts-note">
        <IconAlert size={14} /> {t('note')}
      </p>
    </dialog>
  );
}
