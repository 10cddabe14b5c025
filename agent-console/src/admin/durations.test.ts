import { describe, expect, it } from 'vitest';
import { formatMinutes, fromHoursMinutes, toHoursMinutes } from './durations.js';

describe('minutes as hours and minutes', () => {
  it('splits minutes into the two fields and back', () => {
    expect(toHoursMinutes(150)).toEqual({ hours: '2', minutes: '30' });
    expect(toHoursMinutes(45)).toEqual({ hours: '0', minutes: '45' });
    expect(toHoursMinutes(undefined)).toEqual({ hours: '', minutes: '' });
    expect(fromHoursMinutes({ hours: '2', minutes: '30' })).toEqual({ ok: true, minutes: 150 });
    expect(fromHoursMinutes({ hours: '', minutes: '90' })).toEqual({ ok: true, minutes: 90 });
    expect(fromHoursMinutes({ hours: ' 8 ', minutes: '' })).toEqual({ ok: true, minutes: 480 });
  });

  it('empty fields mean no target', () => {
    expect(fromHoursMinutes({ hours: '', minutes: ' ' })).toEqual({ ok: true, minutes: null });
  });

  it('refuses what is not a time, in a sentence', () => {
    expect(fromHoursMinutes({ hours: '1.5', minutes: '' })).toEqual({ ok: false, error: 'Hours and minutes take whole numbers.' });
    expect(fromHoursMinutes({ hours: '1', minutes: '75' })).toEqual({ ok: false, error: 'Minutes go up to 59; put the rest in hours.' });
    expect(fromHoursMinutes({ hours: '0', minutes: '0' })).toMatchObject({ ok: false });
  });

  it('reads minutes the way people say them', () => {
    expect(formatMinutes(150)).toBe('2 h 30 min');
    expect(formatMinutes(60)).toBe('1 h');
    expect(formatMinutes(45)).toBe('45 min');
    expect(formatMinutes(null)).toBe('—');
  });
});
