import { intlLocale, t } from './i18n/core.js';

/**
 * Time labels an agent reads at a glance: compact ages in the conversation list ("now", "5m",
 * "3h", "Yesterday", "Mon", "Mar 4"), clock times on messages and day separators in the thread.
 * Words follow the console's language; `locale` defaults to it (i18n) and `timeZone` to the
 * browser's; tests pin them.
 */
export interface TimeFormat {
  /** BCP 47 locale; default: the console's language. */
  locale?: string;
  /** IANA time zone; default: the browser's. */
  timeZone?: string;
}

const MINUTE = 60_000;

/**
 * Building an Intl.DateTimeFormat costs far more than using one, and the list and the thread
 * format dozens of times per render: one formatter per locale, zone and options, kept.
 */
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let f = formatters.get(key);
  if (!f) formatters.set(key, (f = new Intl.DateTimeFormat(locale, options)));
  return f;
}

/** Day numbers of instants already seen, per time zone: a thread asks for each message's day on every render. */
const dayNumbers = new Map<string, number>();

const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Calendar day number of an instant in a time zone, so "yesterday" follows the wall clock, not 24 h. */
function dayNumber(ms: number, fmt: TimeFormat): number {
  const key = `${fmt.timeZone ?? ''}|${ms}`;
  const known = dayNumbers.get(key);
  if (known !== undefined) return known;
  const parts = formatter('en-US', { timeZone: fmt.timeZone, year: 'numeric', month: 'numeric', day: 'numeric' }).formatToParts(new Date(ms));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const day = Math.floor(Date.UTC(get('year'), get('month') - 1, get('day')) / DAY);
  if (dayNumbers.size > 5000) dayNumbers.clear();
  dayNumbers.set(key, day);
  return day;
}

function yearOf(ms: number, fmt: TimeFormat): string {
  return formatter('en-US', { timeZone: fmt.timeZone, year: 'numeric' }).format(new Date(ms));
}

/** Compact age for the conversation list. Timestamps slightly in the future (clock skew) read "now". */
export function relativeTime(iso: string, now: number, fmt: TimeFormat = {}): string {
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return '';
  const age = now - at;
  if (age < MINUTE) return t('time.now');
  if (age < HOUR) return t('time.minutes', { n: Math.floor(age / MINUTE) });
  if (age < DAY) return t('time.hours', { n: Math.floor(age / HOUR) });
  const days = dayNumber(now, fmt) - dayNumber(at, fmt);
  if (days <= 1) return t('time.yesterday');
  if (days < 7) return formatter(fmt.locale ?? intlLocale.value, { timeZone: fmt.timeZone, weekday: 'short' }).format(at);
  const sameYear = yearOf(at, fmt) === yearOf(now, fmt);
  return formatter(fmt.locale ?? intlLocale.value, {
    timeZone: fmt.timeZone,
    month: 'short',
    day: 'numeric',
    ...(sameYear ? {} : { year: 'numeric' }),
  }).format(at);
}

/** Clock time shown under a message, e.g. "14:05" or "2:05 PM" by locale. */
export function clockTime(iso: string, fmt: TimeFormat = {}): string {
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return '';
  return formatter(fmt.locale ?? intlLocale.value, { timeZone: fmt.timeZone, hour: 'numeric', minute: '2-digit' }).format(at);
}

/** Full date and time, for tooltips. */
export function fullTime(iso: string, fmt: TimeFormat = {}): string {
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return '';
  return formatter(fmt.locale ?? intlLocale.value, { timeZone: fmt.timeZone, dateStyle: 'full', timeStyle: 'short' }).format(at);
}

/** Separator between days in a thread: "Today", "Yesterday", or the date. */
export function dayLabel(iso: string, now: number, fmt: TimeFormat = {}): string {
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return '';
  const days = dayNumber(now, fmt) - dayNumber(at, fmt);
  if (days <= 0) return t('time.today');
  if (days === 1) return t('time.yesterday');
  const sameYear = yearOf(at, fmt) === yearOf(now, fmt);
  return formatter(fmt.locale ?? intlLocale.value, {
    timeZone: fmt.timeZone,
    weekday: 'long',
    month: 'long',
    day: 'numeric',
    ...(sameYear ? {} : { year: 'numeric' }),
  }).format(at);
}

/** Key that changes when the calendar day changes; used to place day separators. */
export function dayKey(iso: string, fmt: TimeFormat = {}): number {
  const at = Date.parse(iso);
  return Number.isNaN(at) ? 0 : dayNumber(at, fmt);
}
