/**
 * Business time over a BusinessCalendar. Days are walked one local date at a time (never minute
 * by minute): each date's working intervals are turned into absolute instants in the calendar's
 * zone, so a DST day simply has shorter or longer intervals and nothing else needs to know.
 *
 * How local times become instants — one rule for every case: a local "HH:mm" on a date is the
 * first moment the zone's wall clock reads HH:mm or later on that date.
 *  - an ordinary time is just that instant;
 *  - a time skipped by a DST jump (02:30 in Berlin on the last Sunday of March) is the moment of
 *    the jump (03:00 CEST), so "02:30–05:00" that day is two real hours;
 *  - a time that happens twice (02:30 in Berlin on the last Sunday of October) is its first
 *    occurrence (the CEST one), for starts and ends alike;
 *  - "24:00" is allowed as an end and means the next date's 00:00, so "00:00–24:00" is the whole
 *    local day (23 or 25 real hours on DST days) and Monday's "22:00–24:00" runs straight into
 *    Tuesday's "00:00–06:00" (a night shift is written as those two intervals).
 *
 * Holidays are whole local dates in the calendar's zone; they also close the part of a night
 * shift that falls on them. An empty `weekly` means around the clock (holidays still apply).
 *
 * Minutes are exact: businessMinutesBetween returns fractional minutes (millisecond precision)
 * and addBusinessMinutes accepts them, rounding only to the whole millisecond, so
 * addBusinessMinutes(cal, a, businessMinutesBetween(cal, a, b)) is b whenever b is working time.
 *
 * Every function throws a RangeError carrying validateCalendar's sentence when given an invalid
 * calendar: validate when a calendar is saved, and bad data still fails loudly instead of looping.
 */
import { IANAZone } from 'luxon';
import type { BusinessCalendar } from './types.js';

const MINUTE = 60_000;
const DAY = 86_400_000;
const DAY_NAMES = ['', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const HH_MM = /^([01]\d|2[0-3]):([0-5]\d)$/;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
/** Past the last holiday, a calendar with working time opens within a week; this is the margin. */
const NEVER_OPENS_AFTER_DAYS = 8;

/** A calendar ready for arithmetic: local dates are day numbers (days since 1970-01-01). */
interface Compiled {
  zone: IANAZone;
  /** Index 1 … 7 (ISO weekday): [startMinute, endMinute) pairs of the local day, sorted. */
  week: [number, number][][];
  holidays: Set<number>;
  lastHoliday: number;
  /** Zone offsets at the probe instants of the dates walked so far (one call lasts one walk). */
  offsets: Map<number, number>;
}

/** An interval of working time in epoch milliseconds, [start, end). */
type Span = [number, number];

/**
 * Null when the calendar is usable, otherwise one sentence saying what is wrong (the first
 * problem found): unknown zone, a time that is not "HH:mm", an end not after its start, two
 * intervals of one weekday overlapping, or a holiday that is not a real "YYYY-MM-DD" date.
 */
export function validateCalendar(cal: BusinessCalendar): string | null {
  const result = check(cal);
  return typeof result === 'string' ? result : null;
}

/**
 * The instant at which `minutes` of working time have passed after `from`: the earliest one, so
 * a count that runs out exactly at closing time gives the closing time, and 0 minutes give
 * `from` itself. From outside working hours the count starts at the next opening. Fractional
 * minutes are fine; negative or non-finite ones are a RangeError.
 */
export function addBusinessMinutes(cal: BusinessCalendar, from: Date, minutes: number): Date {
  if (!Number.isFinite(minutes) || minutes < 0) {
    throw new RangeError(`Business minutes to add must be a finite number ≥ 0, got ${minutes}.`);
  }
  const c = compile(cal);
  const t0 = instant(from);
  let left = Math.round(minutes * MINUTE);
  if (left === 0) return new Date(t0);
  let lastOpen = localDay(c, t0);
  for (let day = lastOpen; ; day++) {
    for (const [start, end] of spansOf(c, day)) {
      lastOpen = day;
      if (end <= t0) continue;
      const s = Math.max(start, t0);
      if (left <= end - s) return new Date(s + left);
      left -= end - s;
    }
    if (neverOpensAgain(c, day, lastOpen)) throw new RangeError('The calendar has no working time left.');
  }
}

/**
 * Working time between two instants in minutes, exact (fractional, millisecond precision, no
 * rounding); 0 when `to` is not after `from`.
 */
export function businessMinutesBetween(cal: BusinessCalendar, from: Date, to: Date): number {
  const a = instant(from);
  const b = instant(to);
  if (b <= a) return 0;
  const c = compile(cal);
  let ms = 0;
  const last = localDay(c, b);
  for (let day = localDay(c, a); day <= last; day++) {
    for (const [start, end] of spansOf(c, day)) {
      const s = Math.max(start, a);
      const e = Math.min(end, b);
      if (e > s) ms += e - s;
    }
  }
  return ms / MINUTE;
}

/** Whether `at` is working time (intervals include their start and exclude their end). */
export function isOpen(cal: BusinessCalendar, at: Date): boolean {
  const c = compile(cal);
  const t = instant(at);
  return spansOf(c, localDay(c, t)).some(([start, end]) => start <= t && t < end);
}

/**
 * When the team is next at work: `at` itself when it is working time, otherwise the start of the
 * next working interval. Null only for a calendar that never opens again (which a calendar
 * passing validateCalendar cannot be).
 */
export function nextOpening(cal: BusinessCalendar, at: Date): Date | null {
  const c = compile(cal);
  const t = instant(at);
  let lastOpen = localDay(c, t);
  for (let day = lastOpen; ; day++) {
    for (const [start, end] of spansOf(c, day)) {
      lastOpen = day;
      if (end > t) return new Date(Math.max(start, t));
    }
    if (neverOpensAgain(c, day, lastOpen)) return null;
  }
}

function compile(cal: BusinessCalendar): Compiled {
  const result = check(cal);
  if (typeof result === 'string') throw new RangeError(result);
  return result;
}

/** The calendar ready for arithmetic, or the sentence saying why it is not usable. */
function check(cal: BusinessCalendar): Compiled | string {
  // IANAZone.create caches per name, so validity is worked out once per zone, not per call.
  const zone = typeof cal.timezone === 'string' ? IANAZone.create(cal.timezone) : null;
  if (zone === null || !zone.isValid) {
    return `Time zone "${String(cal.timezone)}" is not a known IANA zone (for example "Europe/Berlin").`;
  }
  const week: [number, number, number][][] = [[], [], [], [], [], [], [], []];
  for (const [i, entry] of cal.weekly.entries()) {
    const where = `Working interval ${i + 1}`;
    if (!Number.isInteger(entry.day) || entry.day < 1 || entry.day > 7) {
      return `${where} has day ${String(entry.day)}; days are 1 (Monday) to 7 (Sunday).`;
    }
    const dayName = DAY_NAMES[entry.day];
    const start = parseTime(entry.start, false);
    if (start === null) return `${where} (${dayName}) starts at "${entry.start}", which is not a time "HH:mm" from 00:00 to 23:59.`;
    const end = parseTime(entry.end, true);
    if (end === null) return `${where} (${dayName}) ends at "${entry.end}", which is not a time "HH:mm" from 00:01 to 24:00.`;
    if (end <= start) return `${where} (${dayName}) ends at ${entry.end}, not after its start ${entry.start}.`;
    week[entry.day]!.push([start, end, i]);
  }
  for (const [day, list] of week.entries()) {
    list.sort((a, b) => a[0] - b[0]);
    for (let k = 1; k < list.length; k++) {
      const prev = list[k - 1]!;
      const cur = list[k]!;
      if (cur[0] < prev[1]) {
        return `Working intervals ${prev[2] + 1} and ${cur[2] + 1} overlap on ${DAY_NAMES[day]} (${formatTime(prev[0])}–${formatTime(prev[1])} and ${formatTime(cur[0])}–${formatTime(cur[1])}).`;
      }
    }
  }
  const holidays = new Set<number>();
  let lastHoliday = -Infinity;
  for (const h of cal.holidays) {
    const day = parseDate(h);
    if (day === null) return `Holiday "${String(h)}" is not a real date "YYYY-MM-DD".`;
    holidays.add(day);
    if (day > lastHoliday) lastHoliday = day;
  }
  const around = cal.weekly.length === 0;
  return {
    zone,
    week: week.map((list, d) => (around && d > 0 ? [[0, 1440]] : list.map(([a, b]): [number, number] => [a, b]))),
    holidays,
    lastHoliday,
    offsets: new Map(),
  };
}

/** Working intervals of one local date as instants; intervals a DST jump swallows vanish. */
function spansOf(c: Compiled, day: number): Span[] {
  if (c.holidays.has(day)) return [];
  const intervals = c.week[isoWeekday(day)]!;
  if (intervals.length === 0) return [];
  // Every instant of this local date lies between probe(day) and probe(day + 3) whatever the
  // zone's offset (−12 h … +14 h); one offset at all four probes means no transition near, and
  // local times convert by subtraction. Otherwise each time is resolved on its own.
  const offset = probeOffset(c, day);
  const steady = [1, 2, 3].every((k) => probeOffset(c, day + k) === offset);
  const out: Span[] = [];
  for (const [startMin, endMin] of intervals) {
    const startWall = day * DAY + startMin * MINUTE;
    const endWall = day * DAY + endMin * MINUTE;
    const start = steady ? startWall - offset * MINUTE : toInstant(c.zone, startWall);
    const end = steady ? endWall - offset * MINUTE : toInstant(c.zone, endWall);
    if (end > start) out.push([start, end]);
  }
  return out;
}

/** The zone's offset 14 hours before UTC midnight of `day`, remembered for the walk. */
function probeOffset(c: Compiled, day: number): number {
  let offset = c.offsets.get(day);
  if (offset === undefined) {
    offset = c.zone.offset(day * DAY - 14 * 3_600_000);
    c.offsets.set(day, offset);
  }
  return offset;
}

/**
 * The first instant at which the zone's wall clock reads `wall` (local time written as if it
 * were UTC epoch milliseconds) or later. See the header for what that means around DST.
 */
function toInstant(zone: IANAZone, wall: number): number {
  const before = zone.offset(wall - DAY);
  if (before === zone.offset(wall + DAY)) {
    // The usual case, no transition near: one offset, checked once.
    const t = wall - before * MINUTE;
    if (zone.offset(t) === before) return t;
  }
  const offsets = new Set<number>();
  for (const probe of [wall - DAY, wall, wall + DAY]) offsets.add(zone.offset(probe));
  for (const o of [...offsets]) offsets.add(zone.offset(wall - o * MINUTE));
  let exact = Infinity;
  let lo = Infinity;
  let hi = -Infinity;
  for (const o of offsets) {
    const t = wall - o * MINUTE;
    if (zone.offset(t) === o) exact = Math.min(exact, t);
    lo = Math.min(lo, t);
    hi = Math.max(hi, t);
  }
  if (exact !== Infinity) return exact;
  // Skipped by a jump forward: the answer is the jump itself, the first t whose wall time ≥ wall.
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (mid + zone.offset(mid) * MINUTE >= wall) hi = mid;
    else lo = mid;
  }
  return hi;
}

function instant(d: Date): number {
  const t = d.getTime();
  if (Number.isNaN(t)) throw new RangeError('Business time needs a valid Date, got an Invalid Date.');
  return t;
}

/** The local date (day number) of an instant. */
function localDay(c: Compiled, t: number): number {
  return Math.floor((t + c.zone.offset(t) * MINUTE) / DAY);
}

function isoWeekday(day: number): number {
  // 1970-01-01 was a Thursday (ISO 4).
  return ((((day + 3) % 7) + 7) % 7) + 1;
}

/** True once we are past every holiday and a week has gone by without any working time. */
function neverOpensAgain(c: Compiled, day: number, lastOpen: number): boolean {
  return day > c.lastHoliday + NEVER_OPENS_AFTER_DAYS && day - lastOpen > NEVER_OPENS_AFTER_DAYS;
}

/** Minutes since local midnight for "HH:mm"; "24:00" (1440) only where `allow24` is set. */
function parseTime(s: unknown, allow24: boolean): number | null {
  if (typeof s !== 'string') return null;
  if (s === '24:00') return allow24 ? 1440 : null;
  const m = HH_MM.exec(s);
  if (!m) return null;
  return Number(m[1]) * 60 + Number(m[2]);
}

function formatTime(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/** Day number of a real "YYYY-MM-DD" date, or null. */
function parseDate(s: unknown): number | null {
  if (typeof s !== 'string') return null;
  const m = ISO_DATE.exec(s);
  if (!m) return null;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) return null;
  return daysFromCivil(y, mo, d);
}

function daysInMonth(y: number, mo: number): number {
  if (mo === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(mo) ? 30 : 31;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function daysFromCivil(y: number, mo: number, d: number): number {
  const yy = mo <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}
