import { describe, expect, it } from 'vitest';
import type { BusinessHours } from '@switchboard/contracts';
import { isOpen, isValidTimeZone, nextOpenAt } from './business-hours.js';

const weekdays = (timezone: string, from: string, to: string): BusinessHours => ({
  timezone,
  intervals: [1, 2, 3, 4, 5].map((day) => ({ day, from, to })),
});

describe('business hours', () => {
  it('is always open without hours, and never without intervals', () => {
    expect(isOpen(null, new Date())).toBe(true);
    expect(nextOpenAt(null, new Date())).toBeNull();
    const none: BusinessHours = { timezone: 'UTC', intervals: [] };
    expect(isOpen(none, new Date())).toBe(false);
    expect(nextOpenAt(none, new Date())).toBeNull();
  });

  it('reads the wall clock of the inbox’s time zone, not the server’s', () => {
    const hours = weekdays('America/New_York', '09:00', '17:00');
    // Wednesday 2024-06-12, 12:30 UTC = 08:30 in New York (EDT): not yet.
    expect(isOpen(hours, new Date('2024-06-12T12:30:00Z'))).toBe(false);
    expect(nextOpenAt(hours, new Date('2024-06-12T12:30:00Z'))?.toISOString()).toBe('2024-06-12T13:00:00.000Z');
    expect(isOpen(hours, new Date('2024-06-12T13:00:00Z'))).toBe(true);
    // 17:00 is the first minute closed.
    expect(isOpen(hours, new Date('2024-06-12T20:59:00Z'))).toBe(true);
    expect(isOpen(hours, new Date('2024-06-12T21:00:00Z'))).toBe(false);
  });

  it('opens at 09:00 local on both sides of a spring-forward switch (Europe/Berlin, 31 March 2024)', () => {
    const hours: BusinessHours = { timezone: 'Europe/Berlin', intervals: [6, 0].map((day) => ({ day, from: '09:00', to: '17:00' })) };
    // Saturday is still CET (UTC+1), Sunday already CEST (UTC+2).
    expect(nextOpenAt(hours, new Date('2024-03-30T06:00:00Z'))?.toISOString()).toBe('2024-03-30T08:00:00.000Z');
    expect(nextOpenAt(hours, new Date('2024-03-30T20:00:00Z'))?.toISOString()).toBe('2024-03-31T07:00:00.000Z');
    expect(isOpen(hours, new Date('2024-03-31T06:59:00Z'))).toBe(false);
    expect(isOpen(hours, new Date('2024-03-31T07:00:00Z'))).toBe(true);
    expect(isOpen(hours, new Date('2024-03-31T14:59:00Z'))).toBe(true);
    expect(isOpen(hours, new Date('2024-03-31T15:00:00Z'))).toBe(false);
  });

  it('keeps an interval in the skipped hour of the switch day from breaking the search', () => {
    const hours: BusinessHours = { timezone: 'Europe/Berlin', intervals: [{ day: 0, from: '02:30', to: '04:00' }] };
    // 02:30 does not exist that night: clocks read 03:30 an hour after 01:30, and the chat is open then.
    const next = nextOpenAt(hours, new Date('2024-03-30T22:00:00Z'));
    expect(next?.toISOString()).toBe('2024-03-31T01:30:00.000Z');
    expect(isOpen(hours, next!)).toBe(true);
  });

  it('follows the fall-back switch (Europe/Berlin, 27 October 2024)', () => {
    const hours: BusinessHours = { timezone: 'Europe/Berlin', intervals: [{ day: 0, from: '09:00', to: '12:00' }] };
    expect(nextOpenAt(hours, new Date('2024-10-26T12:00:00Z'))?.toISOString()).toBe('2024-10-27T08:00:00.000Z');
    expect(isOpen(hours, new Date('2024-10-27T10:59:00Z'))).toBe(true);
    expect(isOpen(hours, new Date('2024-10-27T11:00:00Z'))).toBe(false);
  });

  it('wraps from Saturday to Sunday and over the weekend to Monday', () => {
    const sunday: BusinessHours = { timezone: 'UTC', intervals: [{ day: 0, from: '10:00', to: '14:00' }] };
    // Saturday 2024-06-15 18:00 → Sunday 10:00.
    expect(nextOpenAt(sunday, new Date('2024-06-15T18:00:00Z'))?.toISOString()).toBe('2024-06-16T10:00:00.000Z');
    // Sunday after closing → next Sunday, exactly within the week.
    expect(nextOpenAt(sunday, new Date('2024-06-16T15:00:00Z'))?.toISOString()).toBe('2024-06-23T10:00:00.000Z');
    const office = weekdays('Asia/Tokyo', '09:00', '18:00');
    // Friday 2024-06-14 19:00 in Tokyo → Monday 09:00 Tokyo = 00:00 UTC.
    expect(nextOpenAt(office, new Date('2024-06-14T10:00:00Z'))?.toISOString()).toBe('2024-06-17T00:00:00.000Z');
  });

  it('treats 24:00 as the end of the day, so evening and early-morning intervals join', () => {
    const hours: BusinessHours = {
      timezone: 'UTC',
      intervals: [
        { day: 6, from: '20:00', to: '24:00' },
        { day: 0, from: '00:00', to: '02:00' },
      ],
    };
    expect(isOpen(hours, new Date('2024-06-15T23:59:00Z'))).toBe(true);
    expect(isOpen(hours, new Date('2024-06-16T00:00:00Z'))).toBe(true);
    expect(isOpen(hours, new Date('2024-06-16T02:00:00Z'))).toBe(false);
  });

  it('knows real time zones from made-up ones', () => {
    expect(isValidTimeZone('Europe/Berlin')).toBe(true);
    expect(isValidTimeZone('UTC')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus_Mons')).toBe(false);
  });
});
