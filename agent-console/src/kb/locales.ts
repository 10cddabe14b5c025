import { locale as uiLocale } from '../i18n/index.js';

/**
 * Languages an article can be translated into. The help center's own list grows by itself when
 * an article is saved in a new one, so the editor offers common languages beyond it.
 */
export const COMMON_LOCALES = ['en', 'de', 'fr', 'es', 'it', 'pt', 'pt-BR', 'nl', 'pl', 'cs', 'sv', 'da', 'fi', 'ru', 'uk', 'tr', 'ar', 'he', 'hi', 'ja', 'ko', 'zh-Hans', 'zh-Hant'];

/** Languages offered to add: the help center's, then the common ones, none the article shows already. */
export function addableLocales(shown: readonly string[], helpCenter: readonly string[]): string[] {
  const taken = new Set(shown);
  return [...new Set([...helpCenter, ...COMMON_LOCALES])].filter((l) => !taken.has(l));
}

const names = new Map<string, Intl.DisplayNames | null>();
/** The browser's names of languages, in the console's language. */
function namesIn(lang: string): Intl.DisplayNames | null {
  if (!names.has(lang)) names.set(lang, typeof Intl.DisplayNames === 'function' ? new Intl.DisplayNames([lang], { type: 'language' }) : null);
  return names.get(lang)!;
}

/** "Russian" for "ru" ("русский" when the console speaks Russian); the tag itself where the browser has none. */
export function localeName(locale: string): string {
  try {
    return namesIn(uiLocale.value)?.of(locale) ?? locale;
  } catch {
    return locale;
  }
}
