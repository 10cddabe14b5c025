import type { MacroView } from '@switchboard/contracts';
import { useSignal } from '@preact/signals';
import { useEffect, useRef } from 'preact/hooks';
import { automationApi } from '../../automation/automation-api.js';
import { macroResultText } from '../../automation/macro-result.js';
import { t } from '../../i18n/core.js';
import { useApi, useStore } from '../context.js';
import { IconCheck } from '../icons.js';

const INFO_MS = 6000;
const ERROR_MS = 12_000;
let toastSeq = 0;

/**
 * The team's macros for the open conversation. Choosing one runs its actions (POST …/run) as the
 * agent; a toast tells what was done and skipped, or which action failed and why. The thread and
 * header follow from the server's live updates.
 */
export function MacroMenu({ conversationId, onClose }: { conversationId: string; onClose: () => void }) {
  const api = automationApi(useApi());
  const store = useStore();
  const root = useRef<HTMLDivElement>(null);
  const macros = useSignal<MacroView[] | null>(null);
  const error = useSignal<string | null>(null);
  const running = useSignal(false);

  const toast = (kind: 'info' | 'error', text: string) => {
    const id = -1_000_000 - ++toastSeq;
    store.notice.value = { id, kind, text };
    setTimeout(() => store.notice.peek()?.id === id && (store.notice.value = null), kind === 'error' ? ERROR_MS : INFO_MS);
  };
  const close = () => {
    onClose();
    root.current?.parentElement?.querySelector<HTMLElement>('[data-testid="macros"]')?.focus();
  };

  useEffect(() => {
    api.macros().then(
      (r) => (macros.value = r.items),
      (err: Error) => (error.value = t('macro.failedLoad', { reason: err.message })),
    );
    const outside = (e: PointerEvent) => {
      if (!root.current?.parentElement?.contains(e.target as Node)) onClose();
    };
    document.addEventListener('pointerdown', outside);
    return () => document.removeEventListener('pointerdown', outside);
  }, []);
  useEffect(() => root.current?.querySelector<HTMLElement>('[role="menuitem"]')?.focus(), [macros.value]);

  const run = (m: MacroView) => {
    running.value = true;
    api.runMacro(m.id, conversationId).then(
      (r) => (toast('info', macroResultText(m.name, r)), close()),
      (err: Error) => (toast('error', t('macro.unfinished', { name: m.name, reason: err.message })), close()),
    );
  };

  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'Escape') return void (e.preventDefault(), close());
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
    const items = [...(root.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? [])];
    const i = items.indexOf(document.activeElement as HTMLElement);
    if (i === -1) return;
    e.preventDefault();
    items[(i + (e.key === 'ArrowDown' ? 1 : items.length - 1)) % items.length]?.focus();
  };

  const list = macros.value;
  return (
    <div class="snooze-pop" ref={root} onKeyDown={onKey} data-testid="macro-menu">
      {error.value && (
        <p class="inline-error" role="alert">
          {error.value}
        </p>
      )}
      {list === null && !error.value && <p class="muted">{t('macro.loading')}</p>}
      {list?.length === 0 && <p class="muted">{t('macro.none')}</p>}
      {list && list.length > 0 && (
        <ul role="menu" aria-label={t('macro.menu')}>
          {list.map((m) => (
            <li role="none" key={m.id}>
              <button type="button" role="menuitem" disabled={running.value} data-testid="macro-run" data-id={m.id} onClick={() => run(m)}>
                <IconCheck size={14} />
                <span>{m.name}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
