import { describe, expect, it } from 'vitest';
import { clockTime, dayKey, dayLabel, relativeTime } from './relative-time.js';

const fmt = { locale: 'en-US', timeZone: 'UTC' };
const now = Date.parse('2025-03-12T15:00:00Z'); // a Wednesday
const ago = (ms: number) => new Date(now - ms).toISOString();

describe('relativeTime in the conversation list', () => {
  it('reads "now" for the last minute and for clocks slightly ahead', () => {
    expect(relativeTime(ago(20_000), now, fmt)).toBe('now');
    expect(relativeTime(ago(-5_000), now, fmt)).toBe('now');
  });

  it('counts minutes, then hours, within a day', () => {
    expect(relativeTime(ago(5 * 60_000), now, fmt)).toBe('5m');
    expect(relativeTime(ago(59 * 60_000 + 59_000), now, fmt)).toBe('59m');
    expect(relativeTime(ago(3 * 3_600_000), now, fmt)).toBe('3h');
  });

  it('says Yesterday, then the weekday, then the date', () => {
    expect(relativeTime('2025-03-11T09:00:00Z', now, fmt)).toBe('Yesterday');
    expect(relativeTime('2025-03-09T09:00:00Z', now, fmt)).toBe('Sun');
    expect(relativeTime('2025-03-04T09:00:00Z', now, fmt)).toBe('Mar 4');
    expect(relativeTime('2024-12-30T09:00:00Z', now, fmt)).toBe('Dec 30, 2024');
  });

  it('follows the calendar of the agent’s time zone, not UTC', () => {
    // 23:30 on the 11th in New York is already the 12th in UTC.
    const late = Date.parse('2025-03-12T20:00:00Z');
    expect(relativeTime('2025-03-12T03:30:00Z', late, { locale: 'en-US', timeZone: 'America/New_York' })).toBe('16h');
    expect(relativeTime('2025-03-11T03:30:00Z', late, { locale: 'en-US', timeZone: 'America/New_York' })).toBe('Mon');
  });

  it('shows nothing for a missing timestamp rather than "NaN"', () => {
    expect(relativeTime('', now, fmt)).toBe('');
  });
});

describe('thread time labels', () => {
  it('labels day separators Today / Yesterday / date', () => {
    expect(dayLabel('2025-03-12T08:00:00Z', now, fmt)).toBe('Today');
    expect(dayLabel('2025-03-11T23:59:00Z', now, fmt)).toBe('Yesterday');
    expect(dayLabel('2025-03-04T10:00:00Z', now, fmt)).toBe('Tuesday, March 4');
  });

  it('gives the clock time of a message', () => {
    expect(clockTime('2025-03-12T14:05:00Z', fmt)).toBe('2:05 PM');
    expect(clockTime('2025-03-12T14:05:00Z', { locale: 'en-GB', timeZone: 'UTC' })).toBe('14:05');
  });

  it('changes the day key exactly at midnight', () => {
    expect(dayKey('2025-03-11T23:59:59Z', fmt)).not.toBe(dayKey('2025-03-12T00:00:00Z', fmt));
    expect(dayKey('2025-03-12T00:00:00Z', fmt)).toBe(dayKey('2025-03-12T23:59:59Z', fmt));
  });
});
