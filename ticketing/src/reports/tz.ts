/**
 * Time zones for reports. Hourly rows are UTC hours; a report in a zone gives each UTC hour the
 * local date and hour of its first instant (the offset from Intl at that instant). In zones with
 * whole-hour offsets that is exact. In half- and quarter-hour zones (Asia/Kolkata +5:30,
 * Asia/Kathmandu +5:45) the UTC hour 18:00–19:00 is local 23:30–00:30 and counts wholly for 23:00
 * of the earlier day: every figure sits at most 45 minutes off its local hour, and a period starts
 * and ends at the first UTC hour whose local start is inside it.
 */
const HOUR_MS = 3_600_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

export function isTimeZone(tz: string): boolean {
  try {
    formatter(tz);
    return true;
  } catch {
    return false;
  }
}

function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
    });
    formatters.set(tz, f);
  }
  return f;
}

/** Minutes the zone is ahead of UTC at `ms`. */
export function offsetMinutes(tz: string, ms: number): number {
  const parts: Record<string, number> = {};
  for (const p of formatter(tz).formatToParts(new Date(ms))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  const local = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!);
  return Math.round((local - Math.floor(ms / 60_000) * 60_000) / 60_000);
}

export interface LocalHour {
  /** YYYY-MM-DD */
  date: string;
  /** 0–23 */
  hour: number;
  /** 0 = Monday … 6 = Sunday */
  weekday: number;
}

/** Maps UTC hours to local hours, remembering offsets between DST changes (checked once per UTC day). */
export class LocalHours {
  private readonly dayOffsets = new Map<number, number>();
  constructor(readonly tz: string) {}

  of(hourMs: number): LocalHour {
    const local = new Date(hourMs + this.offset(hourMs) * 60_000);
    const date = local.toISOString().slice(0, 10);
    return { date, hour: local.getUTCHours(), weekday: (local.getUTCDay() + 6) % 7 };
  }

  private offset(hourMs: number): number {
    // The offset at the start and end of the UTC day agree almost always; only then is it reused.
    const day = Math.floor(hourMs / 86_400_000);
    let cached = this.dayOffsets.get(day);
    if (cached === undefined) {
      const a = offsetMinutes(this.tz, day * 86_400_000);
      const b = offsetMinutes(this.tz, day * 86_400_000 + 23 * HOUR_MS);
      cached = a === b ? a : Number.NaN;
      this.dayOffsets.set(day, cached);
    }
    return Number.isNaN(cached) ? offsetMinutes(this.tz, hourMs) : cached;
  }
}

/** The instant a local date's midnight falls on in `tz`. */
export function localMidnight(date: string, tz: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const wall = Date.UTC(y, m - 1, d);
  let guess = wall - offsetMinutes(tz, wall) * 60_000;
  guess = wall - offsetMinutes(tz, guess) * 60_000;
  return guess;
}

/** The UTC hours [start, end) whose local start lies within the local dates [from, to]. */
export function periodHours(from: string, to: string, tz: string): { start: number; end: number } {
  const next = new Date(Date.parse(`${to}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  return { start: ceilHour(localMidnight(from, tz)), end: ceilHour(localMidnight(next, tz)) };
}

function ceilHour(ms: number): number {
  return Math.ceil(ms / HOUR_MS) * HOUR_MS;
}

/** Whole days between two YYYY-MM-DD dates. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}
