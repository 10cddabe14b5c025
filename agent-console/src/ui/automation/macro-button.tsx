import { useSignal } from '@preact/signals';
import { t } from '../../i18n/core.js';
import { useStore } from '../context.js';
import { lazyView } from '../lazy.js';

/** The list of macros, a chunk fetched the first time the menu opens. */
const MacroMenu = lazyView(() => import('./macro-menu.js').then((m) => m.MacroMenu));

/** The conversation header's *Macros* button: opens the team's macros to run on this conversation. */
export function MacroButton() {
  const open = useSignal(false);
  const conv = useStore().openConversation.value;
  if (!conv) return null;
  return (
    <div class="snooze">
      <button class="btn" data-testid="macros" aria-haspopup="menu" aria-expanded={open.value} onClick={() => (open.value = !open.value)}>
        {t('thread.macros')}
      </button>
      {open.value && <MacroMenu conversationId={conv.id} onClose={() => (open.value = false)} />}
    </div>
  );
}
