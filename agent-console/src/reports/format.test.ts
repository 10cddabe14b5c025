import { describe, expect, it } from 'vitest';
import { formatCount, formatDuration, formatPercent, formatRating } from './format.js';

describe('report figures in words', () => {
  it('durations read as a person says them', () => {
    expect(formatDuration(0)).toBe('0 s');
    expect(formatDuration(42.4)).toBe('42 s');
    expect(formatDuration(60)).toBe('1 min');
    expect(formatDuration(12 * 60 + 20)).toBe('12 min');
    expect(formatDuration(2 * 3600 + 5 * 60)).toBe('2 h 5 min');
    expect(formatDuration(3600)).toBe('1 h');
    expect(formatDuration(3599.8)).toBe('1 h');
    expect(formatDuration(3 * 86400 + 4 * 3600 + 10 * 60)).toBe('3 d 4 h');
    expect(formatDuration(2 * 86400)).toBe('2 d');
  });

  it('nothing to measure is a dash', () => {
    expect(formatDuration(null)).toBe('—');
    expect(formatPercent(null)).toBe('—');
    expect(formatCount(undefined)).toBe('—');
    expect(formatRating(null)).toBe('—');
  });

  it('shares, counts and ratings', () => {
    expect(formatPercent(0.92)).toBe('92%');
    expect(formatPercent(0.9234)).toBe('92.3%');
    expect(formatPercent(1)).toBe('100%');
    expect(formatPercent(0)).toBe('0%');
    expect(formatCount(1234)).toBe('1,234');
    expect(formatCount(2.5)).toBe('2.5');
    expect(formatCount(2.04)).toBe('2');
    expect(formatRating(4.56)).toBe('4.6 / 5');
  });
});
