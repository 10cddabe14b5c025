/**
 * Every sentence of the chat's core the visitor sees or hears (the lazy forms, suggestions and the
 * tab title's alert carry their own, chunk-texts.ts, plural forms included): English here, every
 * other language a chunk of its own (locales/*.ts) that loadLocale() fetches when a visitor needs
 * it. `{name}` marks a value. Dates, times and sizes come from Intl in the visitor's locale.
 */
const en = {
  open: 'Open chat',
  unread: 'Open chat, {n} unread',
  close: 'Close chat',
  title: 'Chat with us',
  with: "You're chatting with {name}",
  usual: 'We usually reply here, in this chat',
  reconnecting: 'Reconnecting…',
  unavailable: 'Chat is unavailable right now. We will keep trying.',
  log: 'Messages',
  hi: 'Hi there 👋',
  intro: "Ask us anything. We'll answer right here, and you can leave the page: the conversation stays.",
  typing: '{name} is typing…',
  placeholder: 'Write a message…',
  message: 'Message',
  send: 'Send',
  support: 'Support',
  deleted: 'Message deleted',
  notSent: 'Not sent',
  retry: 'Retry',
  sending: 'Sending…',
  sent: 'Sent',
  seen: 'Seen',
  attach: 'Attach a file',
  emoji: 'Emoji',
  drop: 'Drop files here to send them',
};

export type Key = keyof typeof en;
export type Translate = (key: Key, params?: Record<string, string | number>) => string;

/** The languages besides English, each a chunk loaded when a visitor needs it: one line per key of `en`, in order. */
const LANGUAGES: Record<string, () => Promise<{ default: string }>> = {
  ru: () => import('./locales/ru.js'),
};

/** The texts of each language loaded so far. */
export const dictionaries: Record<string, Record<Key, string>> = { en };

const language = (tag: string) => tag.split('-')[0]!.toLowerCase();

/**
 * Load the texts of `tag`'s language (a no-op for English, an unknown language, or one already
 * loaded). A failed download rejects and is tried again on the next call.
 */
export async function loadLocale(tag: string): Promise<void> {
  const lang = language(tag);
  if (dictionaries[lang] || !LANGUAGES[lang]) return;
  const lines = (await LANGUAGES[lang]()).default.split('\n');
  dictionaries[lang] = Object.fromEntries(Object.keys(en).map((k, i) => [k, lines[i]])) as Record<Key, string>;
}

/**
 * The first of the candidate locales ("ru-RU", "en") whose language the widget speaks, else "en".
 * The caller passes, in order: the locale the page set, `<html lang>`, the browser's language.
 */
export function pickLocale(...candidates: Array<string | null | undefined>): string {
  return candidates.find((c) => c && (language(c) == 'en' || LANGUAGES[language(c)])) || 'en';
}

/**
 * The visitor's locale: `chosen` (the page's, '' for none), else the page's language (<html lang>),
 * which says what the visitor reads, the browser's adding the region (en → en-GB) when they agree.
 * `spoken`: the first of it, the page's and the browser's whose language the widget speaks (pickLocale).
 */
export function visitorLocale(chosen: string, spoken?: boolean): string {
  const page = document.documentElement.lang;
  const browser = navigator.language || 'en';
  const tag = chosen || (page && language(page) != language(browser) ? page : browser);
  return spoken ? pickLocale(tag, page, browser) : tag;
}

/** Texts of `locale`, in English until its language is loaded (loadLocale). */
export function translator(locale: string): Translate {
  return (key, params = {}) => (dictionaries[language(locale)] ?? en)[key].replace(/\{(\w+)\}/g, (_, name: string) => String(params[name]));
}

/** The UI's current language; App sets it from the locale store before its children render. */
export let locale = 'en';
/** The current language's texts (one function throughout, so the lazy chunks may hold on to it). */
export const t: Translate = (key, params) => translator(locale)(key, params);
export const currentLocale = () => locale;

export function setLocale(tag: string): void {
  locale = tag;
}

/** "12.3 kB", "2,5 МБ". */
export function fileSize(bytes: number): string {
  const mb = bytes >= 1e6;
  return new Intl.NumberFormat(locale, { style: 'unit', unit: mb ? 'megabyte' : 'kilobyte', maximumFractionDigits: 1 }).format(
    bytes / (mb ? 1e6 : 1e3),
  );
}

/** A readable date and time for a message's tooltip. */
export function dateTime(iso: string): string {
  const d = new Date(iso);
  return isNaN(+d) ? '' : d.toLocaleString(locale, { dateStyle: 'medium', timeStyle: 'short' });
}
