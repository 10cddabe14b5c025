import { useSignal } from '@preact/signals';
import { useEffect, useRef } from 'preact/hooks';
import { locale, LOCALE_NAMES, LOCALES, setLocale, type Locale } from '../i18n/index.js';
import { t } from '../i18n/core.js';

/**
 * The sidebar footer's language choice: a small button with the current language's code and a
 * menu of the languages, each named in itself (English, Русский). The choice is remembered
 * (localStorage `sb:console:locale`); the whole console re-renders in it.
 */
export function LanguageMenu() {
  const open = useSignal(false);
  const root = useRef<HTMLDivElement>(null);
  const current = locale.value;

  useEffect(() => {
    if (!open.value) return;
    root.current?.querySelector<HTMLElement>('[role="menuitemradio"][aria-checked="true"]')?.focus();
    const outside = (e: PointerEvent) => {
      if (!root.current?.contains(e.target as Node)) open.value = false;
    };
    document.addEventListener('pointerdown', outside);
    return () => document.removeEventListener('pointerdown', outside);
  }, [open.value]);

  const close = () => {
    open.value = false;
    root.current?.querySelector<HTMLElement>('.lang-btn')?.focus();
  };
  const choose = (next: Locale) => {
    close();
    void setLocale(next);
  };
  const onMenuKey = (e: KeyboardEvent) => {
    const items = [...(root.current?.querySelectorAll<HTMLElement>('[role="menuitemradio"]') ?? [])];
    const at = items.indexOf(document.activeElement as HTMLElement);
    if (e.key === 'Escape') {
      e.preventDefault();
      close();
    } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      items[(at + (e.key === 'ArrowDown' ? 1 : items.length - 1)) % items.length]?.focus();
    } else if (e.key === 'Tab') open.value = false;
  };

  return (
    <div class="presence lang" ref={root}>
      <button
        type="button"
        class="icon-btn lang-btn"
        data-testid="language-button"
        aria-haspopup="menu"
        aria-expanded={open.value}
        aria-label={t('lang.button', { name: LOCALE_NAMES[current] })}
        title={t('lang.label')}
        onClick={() => (open.value = !open.value)}
      >
        {current.toUpperCase()}
      </button>
      {open.value && (
        <ul class="presence-menu lang-menu" role="menu" aria-label={t('lang.label')} onKeyDown={onMenuKey}>
          {LOCALES.map((l) => (
            <li role="none" key={l}>
              <button type="button" role="menuitemradio" aria-checked={l === current} lang={l} data-testid={`language-${l}`} onClick={() => choose(l)}>
                {LOCALE_NAMES[l]}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
