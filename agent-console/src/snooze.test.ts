import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromLocalInput, snoozeOptions, snoozeProblem, toLocalInput } from './snooze.js';
import { untilLabel } from './snooze-label.js';

// A zone with daylight saving: Berlin moves from CET (+1) to CEST (+2) on 29 March 2026 at 02:00
// and back on 25 October 2026 at 03:00.
let zone: string | undefined;
beforeAll(() => {
  zone = process.env.TZ;
  process.env.TZ = 'Europe/Berlin';
});
afterAll(() => {
  if (zone === undefined) delete process.env.TZ;
  else process.env.TZ = zone;
});

const byId = (now: Date) => Object.fromEntries(snoozeOptions(now).map((o) => [o.id, o.at.toISOString()]));

describe('snoozeOptions', () => {
  it('offers an hour, tonight 18:00, tomorrow 09:00 and next Monday 09:00 in local time', () => {
    const wednesdayMorning = new Date('2026-06-10T08:30:00Z'); // 10:30 in Berlin
    expect(snoozeOptions(wednesdayMorning).map((o) => `${o.label} (${o.hint})`)).toEqual([
      'In 1 hour (Wed 11:30)',
      'Tonight 18:00 (Wed 18:00)',
      'Tomorrow 09:00 (Thu 09:00)',
      'Next Monday 09:00 (Mon 09:00)',
    ]);
    expect(byId(wednesdayMorning)).toEqual({
      hour: '2026-06-10T09:30:00.000Z',
      tonight: '2026-06-10T16:00:00.000Z',
      tomorrow: '2026-06-11T07:00:00.000Z',
      monday: '2026-06-15T07:00:00.000Z',
    });
  });

  it('drops tonight once 18:00 is less than an hour away, and a Monday means the next one', () => {
    const mondayEvening = new Date('2026-06-15T15:30:00Z'); // 17:30
    const ids = byId(mondayEvening);
    expect(ids.tonight).toBeUndefined();
    expect(ids.monday).toBe('2026-06-22T07:00:00.000Z');
  });

  it('keeps 09:00 at 09:00 across the spring and autumn clock changes', () => {
    const saturdayBeforeSpring = new Date('2026-03-28T19:00:00Z'); // Sat 20:00 CET
    expect(byId(saturdayBeforeSpring).tomorrow).toBe('2026-03-29T07:00:00.000Z'); // Sun 09:00 CEST
    expect(byId(saturdayBeforeSpring).monday).toBe('2026-03-30T07:00:00.000Z');
    const saturdayBeforeAutumn = new Date('2026-10-24T18:00:00Z'); // Sat 20:00 CEST
    expect(byId(saturdayBeforeAutumn).tomorrow).toBe('2026-10-25T08:00:00.000Z'); // Sun 09:00 CET
    expect(byId(saturdayBeforeAutumn).monday).toBe('2026-10-26T08:00:00.000Z');
  });
});

describe('untilLabel', () => {
  const now = new Date('2026-06-10T08:30:00Z'); // Wed 10:30
  it('says the time today, tomorrow, the weekday this week, the date after', () => {
    expect(untilLabel(new Date('2026-06-10T16:00:00Z'), now)).toBe('18:00');
    expect(untilLabel(new Date('2026-06-11T07:00:00Z'), now)).toBe('tomorrow 09:00');
    expect(untilLabel(new Date('2026-06-16T07:00:00Z'), now)).toBe('Tue 09:00');
    expect(untilLabel(new Date('2026-07-04T12:15:00Z'), now)).toBe('Jul 4, 14:15');
    expect(untilLabel(new Date('2027-01-04T08:00:00Z'), now)).toBe('Jan 4 2027, 09:00');
  });
});

describe('picking a date and time', () => {
  const now = new Date('2026-03-28T19:00:00Z');
  it('reads a datetime-local value as local time and writes one back', () => {
    const at = fromLocalInput('2026-03-29T09:00');
    expect(at?.toISOString()).toBe('2026-03-29T07:00:00.000Z');
    expect(toLocalInput(at!)).toBe('2026-03-29T09:00');
    expect(fromLocalInput('')).toBeNull();
    expect(fromLocalInput('2026-03-29')).toBeNull();
  });

  it('refuses a missing time, a time passed, and more than a year, in words', () => {
    expect(snoozeProblem(null, now)).toBe('Pick a date and a time.');
    expect(snoozeProblem(new Date(now.getTime() - 60_000), now)).toMatch(/has passed/);
    expect(snoozeProblem(new Date(now.getTime() + 400 * 86_400_000), now)).toMatch(/at most a year/);
    expect(snoozeProblem(new Date(now.getTime() + 86_400_000), now)).toBeNull();
  });
});

describe('the snooze shortcut', () => {
  it('z snoozes, listed with the other shortcuts', async () => {
    const { shortcutFor, SHORTCUTS } = await import('./shortcuts.js');
    expect(shortcutFor({ key: 'z', ctrlKey: false, metaKey: false, altKey: false, shiftKey: false }, false)).toBe('snooze');
    expect(shortcutFor({ key: 'z', ctrlKey: false, metaKey: false, altKey: false, shiftKey: false }, true)).toBeNull();
    expect(SHORTCUTS.some((s) => s.keys.join() === 'Z')).toBe(true);
  });
});
