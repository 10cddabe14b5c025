import { locale } from '../i18n/index.js';
import { t } from '../i18n/reports.js';

/** How report figures read: durations in words, shares as percentages, counts with separators. */

const NONE = '—';
/** Number style of the console's language: "1,234.5" in English, "1 234,5" in Russian. */
const numbers = () => (locale.value === 'ru' ? 'ru' : 'en-US');

/**
 * Seconds as a person reads a duration: "45 s", "12 min", "2 h 5 min", "3 d 4 h". Under a minute
 * in seconds, under a day in hours and minutes (rounded to the minute), beyond in days and hours
 * (rounded to the hour). null (nothing to measure) → "—".
 */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return NONE;
  const s = Math.max(0, seconds);
  if (s < 59.5) return t('dur.s', { n: Math.round(s) });
  const minutes = Math.round(s / 60);
  if (minutes < 24 * 60) {
    const h = Math.floor(minutes / 60);
    const m = minutes % 60;
    return t(!h ? 'dur.m' : m ? 'dur.hm' : 'dur.h', { h, m });
  }
  const hours = Math.round(s / 3600);
  const d = Math.floor(hours / 24);
  const h = hours % 24;
  return t(h ? 'dur.dh' : 'dur.d', { d, h });
}

/** A share 0…1 as "92%", "92.5%" when a whole number would hide it; null → "—". */
export function formatPercent(share: number | null | undefined): string {
  if (share === null || share === undefined || !Number.isFinite(share)) return NONE;
  const tenths = Math.round(share * 1000) / 10;
  return `${Number.isInteger(tenths) ? tenths : formatCount(tenths)}%`;
}

/** "1,234", "2.5" (one decimal at most, for medians); null → "—". */
export function formatCount(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return NONE;
  return n.toLocaleString(numbers(), { maximumFractionDigits: 1 });
}

/** A mean rating out of 5: "4.6 / 5"; null → "—". */
export function formatRating(avg: number | null | undefined): string {
  if (avg === null || avg === undefined || !Number.isFinite(avg)) return NONE;
  return t('rating', { v: avg.toLocaleString(numbers(), { minimumFractionDigits: 1, maximumFractionDigits: 1 }) });
}
