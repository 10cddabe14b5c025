import { describe, expect, it } from 'vitest';
import { addBusinessMinutes, businessMinutesBetween, isOpen, nextOpening, validateCalendar } from './calendar.js';
import type { BusinessCalendar } from './types.js';

type Day = BusinessCalendar['weekly'][number]['day'];
const WEEKDAYS: Day[] = [1, 2, 3, 4, 5];
const ALL_DAYS: Day[] = [1, 2, 3, 4, 5, 6, 7];

/** The same hours on each of `days`. */
function hours(days: Day[], ...intervals: [string, string][]): BusinessCalendar['weekly'] {
  return days.flatMap((day) => intervals.map(([start, end]) => ({ day, start, end })));
}

function officeHours(timezone: string, holidays: string[] = []): BusinessCalendar {
  return { timezone, weekly: hours(WEEKDAYS, ['09:00', '18:00']), holidays };
}

/** Instants are written with their local offset so each expectation can be checked by hand. */
const at = (iso: string): Date => new Date(iso);

describe('addBusinessMinutes', () => {
  const berlin = officeHours('Europe/Berlin');

  it('carries Friday 17:30 + 60 min over the weekend to Monday 9:30', () => {
    // 2025-01-10 is a Friday.
    expect(addBusinessMinutes(berlin, at('2025-01-10T17:30:00+01:00'), 60)).toEqual(at('2025-01-13T09:30:00+01:00'));
  });

  it('skips a holiday Monday to Tuesday', () => {
    const cal = officeHours('Europe/Berlin', ['2025-01-13']);
    expect(addBusinessMinutes(cal, at('2025-01-10T17:30:00+01:00'), 60)).toEqual(at('2025-01-14T09:30:00+01:00'));
  });

  it('starts counting at the next opening when asked outside hours', () => {
    expect(addBusinessMinutes(berlin, at('2025-01-11T12:00:00+01:00'), 30)).toEqual(at('2025-01-13T09:30:00+01:00'));
    expect(addBusinessMinutes(berlin, at('2025-01-13T07:00:00+01:00'), 30)).toEqual(at('2025-01-13T09:30:00+01:00'));
  });

  it('gives the closing time when the count runs out exactly then, and `from` for 0 minutes', () => {
    expect(addBusinessMinutes(berlin, at('2025-01-10T17:00:00+01:00'), 60)).toEqual(at('2025-01-10T18:00:00+01:00'));
    expect(addBusinessMinutes(berlin, at('2025-01-11T12:00:00+01:00'), 0)).toEqual(at('2025-01-11T12:00:00+01:00'));
  });

  it('reads hours in the calendar zone: the same instant is Friday evening in Moscow, Friday morning in New York', () => {
    const instant = at('2025-01-10T14:30:00Z'); // 17:30 in Moscow (UTC+3), 09:30 in New York (UTC−5)
    expect(addBusinessMinutes(officeHours('Europe/Moscow'), instant, 60)).toEqual(at('2025-01-13T09:30:00+03:00'));
    expect(addBusinessMinutes(officeHours('America/New_York'), instant, 60)).toEqual(at('2025-01-10T10:30:00-05:00'));
  });

  it('keeps local opening times across the spring DST change (Berlin, New York)', () => {
    // Berlin moves to CEST on Sunday 2025-03-30, New York to EDT on Sunday 2025-03-09.
    expect(addBusinessMinutes(berlin, at('2025-03-28T17:30:00+01:00'), 60)).toEqual(at('2025-03-31T09:30:00+02:00'));
    const ny = officeHours('America/New_York');
    expect(addBusinessMinutes(ny, at('2025-03-07T17:30:00-05:00'), 60)).toEqual(at('2025-03-10T09:30:00-04:00'));
  });

  it('keeps local opening times across the autumn DST change (Berlin, New York)', () => {
    // Berlin returns to CET on Sunday 2025-10-26, New York to EST on Sunday 2025-11-02.
    expect(addBusinessMinutes(berlin, at('2025-10-24T17:30:00+02:00'), 60)).toEqual(at('2025-10-27T09:30:00+01:00'));
    const ny = officeHours('America/New_York');
    expect(addBusinessMinutes(ny, at('2025-10-31T17:30:00-04:00'), 60)).toEqual(at('2025-11-03T09:30:00-05:00'));
  });

  it('counts real time on a DST night: round the clock, the 23-hour and 25-hour Sundays', () => {
    const always: BusinessCalendar = { timezone: 'Europe/Berlin', weekly: [], holidays: [] };
    // 01:30 CET + 60 min: the clock jumps 02:00 → 03:00, so it reads 03:30 CEST.
    expect(addBusinessMinutes(always, at('2025-03-30T01:30:00+01:00'), 60)).toEqual(at('2025-03-30T03:30:00+02:00'));
    // 02:30 CEST + 60 min: the clock goes back 03:00 → 02:00, so it reads 02:30 again, now CET.
    expect(addBusinessMinutes(always, at('2025-10-26T02:30:00+02:00'), 60)).toEqual(at('2025-10-26T02:30:00+01:00'));
  });

  it('works around a lunch break', () => {
    const cal: BusinessCalendar = {
      timezone: 'Europe/Berlin',
      weekly: hours(WEEKDAYS, ['09:00', '13:00'], ['14:00', '18:00']),
      holidays: [],
    };
    expect(addBusinessMinutes(cal, at('2025-01-13T12:30:00+01:00'), 60)).toEqual(at('2025-01-13T14:30:00+01:00'));
    expect(addBusinessMinutes(cal, at('2025-01-13T13:15:00+01:00'), 60)).toEqual(at('2025-01-13T15:00:00+01:00'));
  });

  it('runs an interval ending at 24:00 straight into the next day', () => {
    // A night shift: evenings until midnight, then 00:00–02:00 the next morning.
    const night: BusinessCalendar = {
      timezone: 'Europe/Berlin',
      weekly: [...hours(WEEKDAYS, ['18:00', '24:00']), ...hours([2, 3, 4, 5, 6], ['00:00', '02:00'])],
      holidays: [],
    };
    expect(addBusinessMinutes(night, at('2025-01-13T23:30:00+01:00'), 60)).toEqual(at('2025-01-14T00:30:00+01:00'));
    // Friday night continues into Saturday 00:00–02:00, then nothing until Monday 18:00.
    expect(addBusinessMinutes(night, at('2025-01-17T23:00:00+01:00'), 240)).toEqual(at('2025-01-20T19:00:00+01:00'));
    // 24:00 only on Mondays: the next working minute after Monday midnight is the next Monday.
    const lateMonday: BusinessCalendar = { timezone: 'Europe/Berlin', weekly: [{ day: 1, start: '20:00', end: '24:00' }], holidays: [] };
    expect(addBusinessMinutes(lateMonday, at('2025-01-13T23:30:00+01:00'), 60)).toEqual(at('2025-01-20T20:30:00+01:00'));
  });

  it('treats an empty week as around the clock, holidays still closed', () => {
    const always: BusinessCalendar = { timezone: 'Europe/Moscow', weekly: [], holidays: ['2025-01-12'] };
    expect(addBusinessMinutes(always, at('2025-01-11T10:00:00+03:00'), 60)).toEqual(at('2025-01-11T11:00:00+03:00'));
    expect(addBusinessMinutes(always, at('2025-01-11T23:30:00+03:00'), 60)).toEqual(at('2025-01-13T00:30:00+03:00'));
  });

  it('reaches a 40-business-hour target across two weekends and a holiday', () => {
    const cal = officeHours('Europe/Berlin', ['2025-01-13']);
    // Fri 10th 15–18 (3 h), Mon 13th holiday, Tue–Fri 14th–17th (36 h, 39 in all), Mon 20th 9–10 (40).
    const from = at('2025-01-10T15:00:00+01:00');
    const due = addBusinessMinutes(cal, from, 40 * 60);
    expect(due).toEqual(at('2025-01-20T10:00:00+01:00'));
    expect(businessMinutesBetween(cal, from, due)).toBe(40 * 60);
  });

  it('stays quick with a whole year of holidays', () => {
    const allOf2025: string[] = [];
    for (let d = new Date('2025-01-01T00:00:00Z'); d.getUTCFullYear() === 2025; d = new Date(d.getTime() + 86_400_000)) {
      allOf2025.push(d.toISOString().slice(0, 10));
    }
    const cal: BusinessCalendar = { timezone: 'Europe/Berlin', weekly: [], holidays: allOf2025 };
    expect(addBusinessMinutes(cal, at('2024-12-31T23:00:00+01:00'), 120)).toEqual(at('2026-01-01T01:00:00+01:00'));
    const work = officeHours('Europe/Berlin', allOf2025);
    for (let i = 0; i < 50; i++) {
      expect(addBusinessMinutes(work, at('2025-03-01T12:00:00+01:00'), 60)).toEqual(at('2026-01-01T10:00:00+01:00'));
    }
  });

  it('refuses negative minutes and invalid dates', () => {
    expect(() => addBusinessMinutes(berlin, at('2025-01-10T12:00:00+01:00'), -1)).toThrow(RangeError);
    expect(() => addBusinessMinutes(berlin, new Date(Number.NaN), 10)).toThrow(RangeError);
    expect(() => businessMinutesBetween(berlin, at('2025-01-10T12:00:00+01:00'), new Date(Number.NaN))).toThrow(RangeError);
  });
});

describe('businessMinutesBetween', () => {
  const berlin = officeHours('Europe/Berlin');

  it('is 0 when `to` is not after `from`', () => {
    expect(businessMinutesBetween(berlin, at('2025-01-13T12:00:00+01:00'), at('2025-01-13T12:00:00+01:00'))).toBe(0);
    expect(businessMinutesBetween(berlin, at('2025-01-13T12:00:00+01:00'), at('2025-01-13T11:00:00+01:00'))).toBe(0);
  });

  it('counts only working time, exactly (fractional minutes are kept)', () => {
    // Friday 17:00 → Monday 10:00: one hour on Friday, one on Monday.
    expect(businessMinutesBetween(berlin, at('2025-01-10T17:00:00+01:00'), at('2025-01-13T10:00:00+01:00'))).toBe(120);
    expect(businessMinutesBetween(berlin, at('2025-01-13T09:00:00+01:00'), at('2025-01-13T09:00:30+01:00'))).toBe(0.5);
  });

  it('counts the lunch break out', () => {
    const cal: BusinessCalendar = {
      timezone: 'Europe/Berlin',
      weekly: hours(WEEKDAYS, ['09:00', '13:00'], ['14:00', '18:00']),
      holidays: [],
    };
    expect(businessMinutesBetween(cal, at('2025-01-13T12:00:00+01:00'), at('2025-01-13T15:00:00+01:00'))).toBe(120);
  });

  it('gives a whole Berlin week across the spring change the same 45 hours', () => {
    expect(businessMinutesBetween(berlin, at('2025-03-28T09:00:00+01:00'), at('2025-04-04T09:00:00+02:00'))).toBe(45 * 60);
  });

  it('measures real hours on DST Sundays (00:00–24:00 is 23 h in March, 25 h in October)', () => {
    const sundays: BusinessCalendar = { timezone: 'Europe/Berlin', weekly: [{ day: 7, start: '00:00', end: '24:00' }], holidays: [] };
    expect(businessMinutesBetween(sundays, at('2025-03-29T00:00:00Z'), at('2025-04-01T00:00:00Z'))).toBe(23 * 60);
    expect(businessMinutesBetween(sundays, at('2025-10-25T00:00:00Z'), at('2025-10-28T00:00:00Z'))).toBe(25 * 60);
    const ny: BusinessCalendar = { timezone: 'America/New_York', weekly: [], holidays: [] };
    expect(businessMinutesBetween(ny, at('2025-11-01T00:00:00-04:00'), at('2025-11-03T00:00:00-05:00'))).toBe(49 * 60);
  });

  it('starts an interval inside the skipped hour at the jump, and a repeated time at its first occurrence', () => {
    // 2025-03-30 in Berlin: 02:00–03:00 never happens, so "02:30" opens at 03:00 CEST (01:00Z).
    const spring: BusinessCalendar = { timezone: 'Europe/Berlin', weekly: [{ day: 7, start: '02:30', end: '05:00' }], holidays: [] };
    expect(businessMinutesBetween(spring, at('2025-03-29T00:00:00Z'), at('2025-03-31T00:00:00Z'))).toBe(120);
    expect(isOpen(spring, at('2025-03-30T00:59:00Z'))).toBe(false);
    expect(isOpen(spring, at('2025-03-30T01:00:00Z'))).toBe(true);
    expect(nextOpening(spring, at('2025-03-30T00:00:00+01:00'))).toEqual(at('2025-03-30T03:00:00+02:00'));
    // 2025-10-26 in Berlin: 02:00–03:00 happens twice; "02:30" is the first one, 02:30 CEST.
    const autumn: BusinessCalendar = { timezone: 'Europe/Berlin', weekly: [{ day: 7, start: '02:30', end: '04:00' }], holidays: [] };
    expect(nextOpening(autumn, at('2025-10-26T00:00:00+02:00'))).toEqual(at('2025-10-26T02:30:00+02:00'));
    expect(businessMinutesBetween(autumn, at('2025-10-25T00:00:00Z'), at('2025-10-27T00:00:00Z'))).toBe(150);
  });

  it('undoes addBusinessMinutes for any instant in working time', () => {
    const cals = [berlin, officeHours('America/New_York', ['2025-03-10']), { timezone: 'Europe/Berlin', weekly: [], holidays: [] }];
    const from = at('2025-03-27T10:17:00+01:00');
    for (const cal of cals) {
      for (const minutes of [0.25, 59, 600, 2000, 5432.5]) {
        const due = addBusinessMinutes(cal, from, minutes);
        expect(businessMinutesBetween(cal, from, due)).toBeCloseTo(minutes, 9);
      }
    }
  });
});

describe('isOpen and nextOpening', () => {
  const berlin = officeHours('Europe/Berlin', ['2025-01-13']);

  it('opens at the start of an interval and closes at its end', () => {
    expect(isOpen(berlin, at('2025-01-10T09:00:00+01:00'))).toBe(true);
    expect(isOpen(berlin, at('2025-01-10T17:59:00+01:00'))).toBe(true);
    expect(isOpen(berlin, at('2025-01-10T18:00:00+01:00'))).toBe(false);
    expect(isOpen(berlin, at('2025-01-11T12:00:00+01:00'))).toBe(false);
    expect(isOpen(berlin, at('2025-01-13T12:00:00+01:00'))).toBe(false); // holiday
  });

  it('says when the team is back (after the weekend and the holiday), or `at` while open', () => {
    expect(nextOpening(berlin, at('2025-01-10T18:00:00+01:00'))).toEqual(at('2025-01-14T09:00:00+01:00'));
    expect(nextOpening(berlin, at('2025-01-14T08:00:00+01:00'))).toEqual(at('2025-01-14T09:00:00+01:00'));
    expect(nextOpening(berlin, at('2025-01-14T12:34:00+01:00'))).toEqual(at('2025-01-14T12:34:00+01:00'));
  });

  it('is open at midnight between a 24:00 end and a 00:00 start', () => {
    const night: BusinessCalendar = {
      timezone: 'Europe/Berlin',
      weekly: [{ day: 1, start: '22:00', end: '24:00' }, { day: 2, start: '00:00', end: '06:00' }],
      holidays: [],
    };
    expect(isOpen(night, at('2025-01-14T00:00:00+01:00'))).toBe(true);
    expect(businessMinutesBetween(night, at('2025-01-13T00:00:00+01:00'), at('2025-01-15T00:00:00+01:00'))).toBe(8 * 60);
  });
});

describe('validateCalendar', () => {
  const good: BusinessCalendar = {
    timezone: 'Europe/Moscow',
    weekly: hours(ALL_DAYS, ['09:00', '13:00'], ['14:00', '24:00']),
    holidays: ['2025-01-01', '2024-02-29'],
  };
  const bad = (patch: Partial<BusinessCalendar>): string | null => validateCalendar({ ...good, ...patch });

  it('accepts a sound calendar, 24:00 ends, touching intervals and an empty week', () => {
    expect(validateCalendar(good)).toBeNull();
    expect(bad({ weekly: [{ day: 1, start: '09:00', end: '12:00' }, { day: 1, start: '12:00', end: '18:00' }] })).toBeNull();
    expect(bad({ weekly: [] })).toBeNull();
  });

  it('names each problem in a sentence', () => {
    expect(bad({ timezone: 'Mars/Olympus_Mons' })).toMatch(/Time zone "Mars\/Olympus_Mons" is not a known IANA zone/);
    expect(bad({ weekly: [{ day: 1, start: '9:00', end: '18:00' }] })).toMatch(/Monday.*"9:00".*not a time "HH:mm"/);
    expect(bad({ weekly: [{ day: 2, start: '09:00', end: '18:60' }] })).toMatch(/Tuesday.*"18:60"/);
    expect(bad({ weekly: [{ day: 3, start: '24:00', end: '24:00' }] })).toMatch(/Wednesday.*starts at "24:00"/);
    expect(bad({ weekly: [{ day: 4, start: '18:00', end: '09:00' }] })).toMatch(/Thursday.*ends at 09:00, not after its start 18:00/);
    expect(bad({ weekly: [{ day: 5, start: '09:00', end: '09:00' }] })).toMatch(/not after its start/);
    expect(bad({ weekly: [{ day: 6, start: '09:00', end: '13:00' }, { day: 6, start: '12:00', end: '18:00' }] })).toMatch(
      /intervals 1 and 2 overlap on Saturday/,
    );
    expect(bad({ holidays: ['2025-02-30'] })).toMatch(/Holiday "2025-02-30" is not a real date/);
    expect(bad({ holidays: ['1 May'] })).toMatch(/Holiday "1 May"/);
  });

  it('makes the arithmetic throw that sentence instead of guessing', () => {
    const broken = { ...good, timezone: 'Nowhere/City' };
    expect(() => addBusinessMinutes(broken, new Date(), 10)).toThrow(/Nowhere\/City/);
    expect(() => isOpen(broken, new Date())).toThrow(RangeError);
  });
});
