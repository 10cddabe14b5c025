import { computed, signal } from '@preact/signals';
import type { RuBundle } from './ru.js';

/**
 * The console's languages. English is the source: each area of the console (the page, the
 * administration screens, the knowledge base…) declares its English messages next to its code with
 * `messages(area, {...})`, so a missing or misspelt key is a type error and an area's English text
 * travels in that area's chunk. Russian is one module (i18n/ru.ts) fetched only when the agent
 * reads Russian. A message is a string with {placeholders}, or plural forms picked by
 * Intl.PluralRules (English: one/other; Russian: one/few/many/other).
 */
export type Locale = 'en' | 'ru';
export const LOCALES: readonly Locale[] = ['en', 'ru'];
/** Each language's name in itself, for the language menu. */
export const LOCALE_NAMES: Record<Locale, string> = { en: 'English', ru: 'Русский' };
export const LOCALE_KEY = 'sb:console:locale';

export type Plural = { one?: string; few?: string; many?: string; other: string };
export type Message = string | Plural;
export type Messages = Record<string, Message>;
/** A translation of an area's English messages: the same keys; plurals may use every form. */
export type Translation<M extends Messages> = { [K in keyof M]: M[K] extends string ? string : Plural };
export type Params = Record<string, string | number>;
export type Translate<M extends Messages> = (key: keyof M & string, params?: Params) => string;

function storedLocale(): Locale | null {
  try {
    const v = globalThis.localStorage?.getItem(LOCALE_KEY);
    return v === 'en' || v === 'ru' ? v : null;
  } catch {
    return null;
  }
}

/** The browser's preference: Russian if its first language is any Russian, else English. */
export function preferredLocale(languages: readonly string[] = globalThis.navigator?.languages ?? []): Locale {
  for (const l of languages) {
    if (/^ru\b/i.test(l)) return 'ru';
    if (/^en\b/i.test(l)) return 'en';
  }
  return 'en';
}

/** The language the console speaks; components reading text re-render when it changes. */
export const locale = signal<Locale>(storedLocale() ?? preferredLocale());
const russian = signal<RuBundle | null>(null);
let loading: Promise<void> | null = null;

/** Fetches the Russian messages (once). */
export function loadRussian(): Promise<void> {
  loading ??= import('./ru.js').then(
    (m) => void (russian.value = m.ru),
    (err: unknown) => {
      loading = null;
      throw err;
    },
  );
  return loading;
}

/** Resolves when the current language's messages are here (English always is). */
export function localeReady(): Promise<void> {
  return locale.value === 'ru' ? loadRussian().catch(() => {}) : Promise.resolve();
}

/** Switches the language and remembers the choice; Russian text shows once its chunk is here. */
export async function setLocale(next: Locale): Promise<void> {
  try {
    globalThis.localStorage?.setItem(LOCALE_KEY, next);
  } catch {
    // storage blocked: the choice lasts for this page
  }
  if (next === 'ru') await loadRussian().catch(() => {});
  locale.value = next;
}

/** The BCP 47 tag for Intl: an English browser keeps its own region (en-GB's 24-hour clock). */
export const intlLocale = computed(() => {
  if (locale.value === 'ru') return 'ru';
  return globalThis.navigator?.languages?.find((l) => /^en\b/i.test(l)) ?? 'en';
});

const pluralRules = new Map<string, Intl.PluralRules>();
function pluralForm(lang: string, n: number): Intl.LDMLPluralRule {
  let rules = pluralRules.get(lang);
  if (!rules) pluralRules.set(lang, (rules = new Intl.PluralRules(lang)));
  return rules.select(n);
}

/** Fills {name} from params; a plural message picks its form by params.count. */
export function format(lang: Locale, message: Message, params: Params = {}): string {
  const text = typeof message === 'string' ? message : (message[pluralForm(lang, Number(params.count ?? 0)) as keyof Plural] ?? message.other);
  return text.replace(/\{(\w+)\}/g, (all: string, name: string) => (name in params ? String(params[name]) : all));
}

/** Number formatting in the console's language (1 234 in Russian, 1,234 in English). */
export function formatNumber(n: number, options?: Intl.NumberFormatOptions): string {
  return new Intl.NumberFormat(intlLocale.value, options).format(n);
}

/**
 * Declares an area's English messages and returns its `t`. Reading `t` in a component subscribes it
 * to the language, so it re-renders when the agent switches.
 */
export function messages<A extends keyof RuBundle, M extends Messages>(area: A, en: M & Messages): Translate<M> {
  let positions: Map<string, number> | undefined;
  return (key, params) => {
    const lang = locale.value;
    const ru = lang === 'ru' ? (russian.value?.[area] as Messages | (Message | undefined)[] | undefined) : undefined;
    let m: Message | undefined;
    if (Array.isArray(ru)) {
      // The built catalogue: messages in the English keys' order (ru-compact.mjs); a length that
      // differs means the order cannot be trusted, and English shows instead.
      positions ??= new Map(Object.keys(en).map((k, i) => [k, i]));
      m = ru.length === positions.size ? ru[positions.get(key)!] : undefined;
    } else m = ru?.[key];
    return format(m ? lang : 'en', m ?? en[key]!, params);
  };
}
