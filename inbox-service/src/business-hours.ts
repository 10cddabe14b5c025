import type { BusinessHours } from '@switchboard/contracts';

/**
 * Business hours of a website inbox, evaluated in the inbox's IANA time zone with Intl, so a
 * daylight-saving switch moves the opening in UTC and never the opening on the wall clock.
 */

const WEEKDAYS: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };
const DAY_MS = 86_400_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

/** Whether Intl knows the time zone (e.g. "Europe/Berlin"); an unknown one would make every answer wrong. */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      weekday: 'short',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

interface WallClock {
  year: number;
  month: number;
  day: number;
  weekday: number;
  /** Minutes since local midnight. */
  minute: number;
  second: number;
}

function wallClock(at: Date, timeZone: string): WallClock {
  const parts: Record<string, string> = {};
  for (const p of formatter(timeZone).formatToParts(at)) parts[p.type] = p.value;
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    weekday: WEEKDAYS[parts.weekday ?? ''] ?? 0,
    minute: Number(parts.hour) * 60 + Number(parts.minute),
    second: Number(parts.second),
  };
}

/** How far the zone's wall clock is ahead of UTC at `at`, in ms. */
function offsetAt(at: number, timeZone: string): number {
  const w = wallClock(new Date(at), timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, 0, w.minute, w.second);
  return asUtc - Math.floor(at / 1000) * 1000;
}

/**
 * The instant the zone's clocks show the given local time. A time skipped by a spring-forward
 * switch comes out as the same distance past the switch (02:30 → 03:30), as clocks would read.
 */
function instantOf(year: number, month: number, day: number, minute: number, timeZone: string): number {
  const wall = Date.UTC(year, month - 1, day, 0, minute);
  const first = wall - offsetAt(wall, timeZone);
  const second = wall - offsetAt(first, timeZone);
  return second;
}

const minutesOf = (clock: string) => Number(clock.slice(0, 2)) * 60 + Number(clock.slice(3, 5));

/** Inside one of the intervals at `now` (on the zone's wall clock). No hours at all = always open. */
export function isOpen(hours: BusinessHours | null | undefined, now: Date): boolean {
  if (!hours) return true;
  const w = wallClock(now, hours.timezone);
  return hours.intervals.some((i) => i.day === w.weekday && minutesOf(i.from) <= w.minute && w.minute < minutesOf(i.to));
}

/**
 * When the team is next in, if that is within the coming seven days: the first interval start
 * after `now`. Null when open now, when there are no hours, or when nothing opens within a week.
 */
export function nextOpenAt(hours: BusinessHours | null | undefined, now: Date): Date | null {
  if (!hours || isOpen(hours, now)) return null;
  const start = wallClock(now, hours.timezone);
  const limit = now.getTime() + 7 * DAY_MS;
  let best: number | null = null;
  for (let k = 0; k <= 7; k++) {
    // Calendar arithmetic on the local date; the weekday follows from it.
    const date = new Date(Date.UTC(start.year, start.month - 1, start.day) + k * DAY_MS);
    const weekday = (start.weekday + k) % 7;
    for (const interval of hours.intervals) {
      if (interval.day !== weekday) continue;
      const at = instantOf(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate(), minutesOf(interval.from), hours.timezone);
      if (at <= now.getTime() || at > limit || (best !== null && at >= best)) continue;
      if (isOpen(hours, new Date(at))) best = at;
    }
    if (best !== null) break;
  }
  return best === null ? null : new Date(best);
}
