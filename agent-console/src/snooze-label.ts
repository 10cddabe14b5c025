/**
 * How the header says until when a conversation is snoozed, in the agent's local time. Apart
 * from snooze.ts so the page carries only this; the snooze menu is a chunk of its own.
 */

import { t } from './i18n/core.js';

const two = (n: number) => String(n).padStart(2, '0');

/** Local calendar days from `a` to `b` (midday to midday, so a daylight-saving change does not count). */
function daysBetween(a: Date, b: Date): number {
  const midday = (d: Date) => new Date(d.getFullYear(), d.getMonth(), d.getDate(), 12).getTime();
  return Math.round((midday(b) - midday(a)) / 86_400_000);
}

/** "14:30" today, "tomorrow 09:00", "Tue 09:00" within the week, "Mar 4, 09:00" later, "Mar 4 2027, 09:00" another year. */
export function untilLabel(until: Date, now: Date): string {
  const time = `${two(until.getHours())}:${two(until.getMinutes())}`;
  const days = daysBetween(now, until);
  if (days === 0) return time;
  if (days === 1) return t('snooze.tomorrow', { time });
  if (days > 1 && days < 7) return `${t('snooze.weekdays').split(',')[until.getDay()]} ${time}`;
  const year = until.getFullYear() === now.getFullYear() ? '' : ` ${until.getFullYear()}`;
  return t('snooze.date', { month: t('snooze.months').split(',')[until.getMonth()]!, day: until.getDate(), year, time });
}
