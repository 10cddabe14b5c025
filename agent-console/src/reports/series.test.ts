import { describe, expect, it } from 'vitest';
import type { ReportVolumeRow } from '@switchboard/contracts';
import { breakdown, describeSeries, timeSeries } from './series.js';

const row = (key: string, conversations: number, label = key): ReportVolumeRow => ({ key, label, conversations, resolved: 0, inboundMessages: 0, outboundMessages: 0 });

describe('volume series', () => {
  it('fills the quiet days of the period with 0', () => {
    const s = timeSeries([row('2026-03-02', 4), row('2026-03-04', 1)], { from: '2026-03-01', to: '2026-03-04' }, 'day');
    expect(s.values).toEqual([0, 4, 0, 1]);
    expect(s.labels).toEqual(['1 Mar', '2 Mar', '3 Mar', '4 Mar']);
    expect(s.names[1]).toBe('2 Mar 2026');
  });

  it('hour by hour: 24 points a day, the day named at midnight', () => {
    const s = timeSeries([row('2026-03-01T09', 3), row('2026-03-02T23', 2)], { from: '2026-03-01', to: '2026-03-02' }, 'hour');
    expect(s.values).toHaveLength(48);
    expect(s.values[9]).toBe(3);
    expect(s.values[47]).toBe(2);
    expect(s.labels.slice(0, 2)).toEqual(['1 Mar', '01:00']);
    expect(s.labels[24]).toBe('2 Mar');
    expect(s.names[9]).toBe('1 Mar 2026 09:00');
  });

  it('breakdowns go largest first, ties by name', () => {
    const s = breakdown([row('web', 2, 'Website'), row('telegram', 5, 'Telegram'), row('email', 2, 'Email')]);
    expect(s.labels).toEqual(['Telegram', 'Email', 'Website']);
    expect(s.values).toEqual([5, 2, 2]);
  });

  it('says the figures in a sentence for screen readers', () => {
    const s = breakdown([row('web', 2, 'Website'), row('telegram', 5, 'Telegram')]);
    expect(describeSeries(s)).toBe('7 conversations in all. Most: Telegram (5). Telegram: 5, Website: 2.');
    expect(describeSeries({ labels: [], values: [], names: [] })).toBe('No conversations in this period.');
    const long = timeSeries([row('2026-03-05', 9)], { from: '2026-03-01', to: '2026-03-30' }, 'day');
    expect(describeSeries(long)).toBe('9 conversations in all. Most: 5 Mar 2026 (9).');
  });
});
