import { describe, expect, it } from 'vitest';
import { addDays, checkCustomPeriod, datesOf, daysIn, formatPeriod, isDate, presetPeriod, timeZones, todayIn, volumeStep } from './period.js';

describe('report periods', () => {
  // 23:30 UTC on 1 March: already 2 March in Berlin, still 1 March in New York.
  const now = new Date('2026-03-01T23:30:00Z');

  it('reads today in the chosen time zone, not the browser’s', () => {
    expect(todayIn('UTC', now)).toBe('2026-03-01');
    expect(todayIn('Europe/Berlin', now)).toBe('2026-03-02');
    expect(todayIn('America/New_York', now)).toBe('2026-03-01');
    expect(todayIn('Pacific/Kiritimati', now)).toBe('2026-03-02');
  });

  it('presets end today in the zone and count calendar days', () => {
    expect(presetPeriod('today', 'Europe/Berlin', now)).toEqual({ from: '2026-03-02', to: '2026-03-02' });
    expect(presetPeriod('7d', 'Europe/Berlin', now)).toEqual({ from: '2026-02-24', to: '2026-03-02' });
    expect(presetPeriod('7d', 'America/New_York', now)).toEqual({ from: '2026-02-23', to: '2026-03-01' });
    expect(daysIn(presetPeriod('30d', 'UTC', now))).toBe(30);
    expect(daysIn(presetPeriod('90d', 'UTC', now))).toBe(90);
  });

  it('counts days across a daylight-saving change as calendar days', () => {
    // Berlin moves its clocks on 29 March 2026: still one date per day.
    expect(datesOf({ from: '2026-03-28', to: '2026-03-30' })).toEqual(['2026-03-28', '2026-03-29', '2026-03-30']);
    expect(presetPeriod('7d', 'Europe/Berlin', new Date('2026-03-31T10:00:00Z'))).toEqual({ from: '2026-03-25', to: '2026-03-31' });
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
  });

  it('checks custom dates and says what is wrong in words', () => {
    expect(checkCustomPeriod('2026-03-01', '2026-03-07')).toEqual({ ok: true, period: { from: '2026-03-01', to: '2026-03-07' } });
    expect(checkCustomPeriod('', '2026-03-07')).toEqual({ ok: false, error: 'Choose both the first and the last day.' });
    expect(checkCustomPeriod('2026-02-30', '2026-03-07')).toMatchObject({ ok: false, error: expect.stringContaining('year-month-day') });
    expect(checkCustomPeriod('2026-03-08', '2026-03-07')).toEqual({ ok: false, error: 'The first day must not be after the last day.' });
    // The API takes `to` at most 731 days after `from`.
    expect(checkCustomPeriod('2024-01-01', addDays('2024-01-01', 731)).ok).toBe(true);
    expect(checkCustomPeriod('2024-01-01', addDays('2024-01-01', 732))).toMatchObject({ ok: false, error: expect.stringContaining('two years') });
    expect(isDate('2026-3-1')).toBe(false);
  });

  it('shows one or two days by the hour, longer periods by the day', () => {
    expect(volumeStep({ from: '2026-03-01', to: '2026-03-01' })).toBe('hour');
    expect(volumeStep({ from: '2026-03-01', to: '2026-03-02' })).toBe('hour');
    expect(volumeStep({ from: '2026-03-01', to: '2026-03-03' })).toBe('day');
  });

  it('lists the browser’s zones with UTC and the current zone, sorted', () => {
    expect(timeZones('Europe/Berlin', () => ['Europe/Paris', 'America/New_York'])).toEqual(['America/New_York', 'Europe/Berlin', 'Europe/Paris', 'UTC']);
    expect(timeZones('Asia/Tokyo', () => {
      throw new Error('not supported');
    })).toEqual(['Asia/Tokyo', 'UTC']);
    expect(timeZones('UTC').length).toBeGreaterThan(100);
  });

  it('writes a period for people', () => {
    expect(formatPeriod({ from: '2026-03-01', to: '2026-03-07' })).toBe('1 Mar – 7 Mar 2026');
    expect(formatPeriod({ from: '2025-12-29', to: '2026-01-04' })).toBe('29 Dec 2025 – 4 Jan 2026');
    expect(formatPeriod({ from: '2026-03-02', to: '2026-03-02' })).toBe('2 Mar 2026');
  });
});
