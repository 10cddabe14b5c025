/**
 * Snooze times in the agent's own time zone. Calendar times ("tomorrow 09:00") are built with the
 * Date's local setters, never by adding 24 hours, so they stay right across daylight-saving changes.
 */

import { t as core } from './i18n/core.js';
import { t } from './i18n/pickers.js';

/** The longest snooze the server accepts (inbox-service MAX_SNOOZE_MS). */
export const MAX_SNOOZE_MS = 366 * 86_400_000;

export interface SnoozeOption {
  id: 'hour' | 'tonight' | 'tomorrow' | 'monday';
  label: string;
  at: Date;
  /** The day and time it means, "Thu 09:00". */
  hint: string;
}


const two = (n: number) => String(n).padStart(2, '0');

/** `days` calendar days after `from`, at hh:mm local time. */
export function localAt(from: Date, days: number, hours: number, minutes = 0): Date {
  const d = new Date(from.getTime());
  d.setHours(12, 0, 0, 0); // midday: moving the date never lands in a skipped or doubled hour
  d.setDate(d.getDate() + days);
  d.setHours(hours, minutes, 0, 0);
  return d;
}

/**
 * The quick choices: in an hour; tonight at 18:00 (while that is more than an hour away);
 * tomorrow at 09:00; next Monday at 09:00 (a week on when today is Monday).
 */
export function snoozeOptions(now: Date): SnoozeOption[] {
  const toMonday = (8 - now.getDay()) % 7 || 7;
  const tonight = localAt(now, 0, 18);
  const options: Omit<SnoozeOption, 'hint'>[] = [
    { id: 'hour', label: t('snooze.hour'), at: new Date(now.getTime() + 3_600_000) },
    ...(tonight.getTime() - now.getTime() > 3_600_000 ? [{ id: 'tonight' as const, label: t('snooze.tonight'), at: tonight }] : []),
    { id: 'tomorrow', label: t('snooze.tomorrow'), at: localAt(now, 1, 9) },
    { id: 'monday', label: t('snooze.monday'), at: localAt(now, toMonday, 9) },
  ];
  return options.map((o) => ({ ...o, hint: `${core('snooze.weekdays').split(',')[o.at.getDay()]} ${two(o.at.getHours())}:${two(o.at.getMinutes())}` }));
}

/** A `datetime-local` input's value ("2026-03-29T09:00") as that local time; null when incomplete. */
export function fromLocalInput(value: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(value);
  if (!m) return null;
  const [year, month, day, hours, minutes] = m.slice(1).map(Number) as [number, number, number, number, number];
  const d = new Date(year, month - 1, day, hours, minutes, 0, 0);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** A Date as a `datetime-local` value in local time, to the minute. */
export function toLocalInput(d: Date): string {
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}T${two(d.getHours())}:${two(d.getMinutes())}`;
}

/** Why a picked time cannot be a snooze, in words; null when it can. */
export function snoozeProblem(at: Date | null, now: Date): string | null {
  if (!at) return t('snooze.pickDateTime');
  if (at.getTime() <= now.getTime()) return t('snooze.passed');
  if (at.getTime() - now.getTime() > MAX_SNOOZE_MS) return t('snooze.tooLong');
  return null;
}
