/**
 * The reports' period: local calendar dates (YYYY-MM-DD) in a chosen IANA time zone, as the
 * reports API takes them (`from` and `to`, both inclusive, read in `tz`). "Today" and "last 7
 * days" are today's date *in that zone*, not the browser's: a supervisor in Berlin looking at a
 * New York team's day gets New York's day. Dates are counted as calendar days, never as 24-hour
 * steps, so a daylight-saving change cannot shift them.
 */

import { locale } from '../i18n/index.js';
import { t } from '../i18n/reports.js';

export type PeriodPreset = 'today' | '7d' | '30d' | '90d' | 'custom';
export const PERIOD_PRESETS: readonly PeriodPreset[] = ['today', '7d', '30d', '90d', 'custom'];
/** "Last 7 days", in the console's language. */
export const periodLabel = (p: PeriodPreset): string => t(`p.${p}`);
const PRESET_DAYS: Record<Exclude<PeriodPreset, 'custom'>, number> = { today: 1, '7d': 7, '30d': 30, '90d': 90 };

/** The longest period the API answers: `to` at most this many days after `from`. */
export const MAX_SPAN_DAYS = 731;

export interface Period {
  from: string;
  to: string;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Whether `s` is a real calendar date written YYYY-MM-DD ("2026-02-30" is not). */
export function isDate(s: string): boolean {
  const m = DATE.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

const dayNumber = (date: string): number => Date.parse(`${date}T00:00:00Z`) / 86_400_000;
const fromDayNumber = (n: number): string => new Date(n * 86_400_000).toISOString().slice(0, 10);

/** The date `n` calendar days after `date` (before, for negative n). */
export function addDays(date: string, n: number): string {
  return fromDayNumber(dayNumber(date) + n);
}

/** Calendar days from `from` to `to`, both counted: 1 for one day. */
export function daysIn(p: Period): number {
  return dayNumber(p.to) - dayNumber(p.from) + 1;
}

/** The dates of a period in order. */
export function datesOf(p: Period): string[] {
  const out: string[] = [];
  for (let d = dayNumber(p.from), end = dayNumber(p.to); d <= end; d++) out.push(fromDayNumber(d));
  return out;
}

/** The calendar date it is at `now` in the time zone `tz`. */
export function todayIn(tz: string, now: Date): string {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(now);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')}`;
}

/** The dates a preset covers, ending today in `tz`: "Last 7 days" is today and the 6 days before. */
export function presetPeriod(preset: Exclude<PeriodPreset, 'custom'>, tz: string, now: Date): Period {
  const to = todayIn(tz, now);
  return { from: addDays(to, 1 - PRESET_DAYS[preset]), to };
}

/** A custom period as typed (from two date fields), or a sentence saying what is wrong with it. */
export function checkCustomPeriod(from: string, to: string): { ok: true; period: Period } | { ok: false; error: string } {
  if (!from || !to) return { ok: false, error: t('err.both') };
  if (!isDate(from) || !isDate(to)) return { ok: false, error: t('err.format') };
  if (from > to) return { ok: false, error: t('err.order') };
  if (daysIn({ from, to }) > MAX_SPAN_DAYS + 1) return { ok: false, error: t('err.span') };
  return { ok: true, period: { from, to } };
}

/** Short periods are shown hour by hour, longer ones day by day. */
export function volumeStep(p: Period): 'hour' | 'day' {
  return daysIn(p) <= 2 ? 'hour' : 'day';
}

/** The browser's own time zone (the default of the zone select). */
export function browserTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

/**
 * The zones to choose from: the browser's list (`Intl.supportedValuesOf`), with UTC and the
 * given zone added when it lacks them (older browsers: just those), sorted.
 */
export function timeZones(current: string, supported: () => string[] = () => Intl.supportedValuesOf('timeZone')): string[] {
  let zones: string[];
  try {
    zones = supported();
  } catch {
    zones = [];
  }
  return [...new Set([...zones, 'UTC', current])].sort((a, b) => a.localeCompare(b));
}

/** "1 Mar 2026" for a date, read as a calendar date (no zone can move it). */
export function formatDate(date: string, withYear = true): string {
  return new Date(`${date}T12:00:00Z`).toLocaleDateString(locale.value === 'ru' ? 'ru' : 'en-GB', { timeZone: 'UTC', day: 'numeric', month: 'short', ...(withYear ? { year: 'numeric' } : {}) });
}

/** "1 – 7 Mar 2026", "28 Feb – 6 Mar 2026", "2 Mar 2026" for one day. */
export function formatPeriod(p: Period): string {
  if (p.from === p.to) return formatDate(p.from);
  const sameYear = p.from.slice(0, 4) === p.to.slice(0, 4);
  return `${formatDate(p.from, !sameYear)} – ${formatDate(p.to)}`;
}
