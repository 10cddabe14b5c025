import { describe, expect, it } from 'vitest';
import { activeFilters, csvFileName, NO_FILTERS, reportPath } from './query.js';

describe('report addresses', () => {
  const period = { from: '2026-03-01', to: '2026-03-07' };
  const req = { period, tz: 'Europe/Berlin', filters: NO_FILTERS };

  it('carry the period and zone, and only the filters that are set', () => {
    expect(reportPath('summary', req)).toBe('/api/v1/reports/summary?from=2026-03-01&to=2026-03-07&tz=Europe%2FBerlin');
    const filtered = { ...req, filters: { ...NO_FILTERS, channel: 'telegram' as const, teamId: 't 1' } };
    expect(reportPath('agents', filtered)).toBe('/api/v1/reports/agents?from=2026-03-01&to=2026-03-07&tz=Europe%2FBerlin&channel=telegram&teamId=t+1');
    expect(activeFilters(filtered.filters)).toBe(2);
  });

  it('volume says what it is grouped by; a download asks for CSV', () => {
    expect(reportPath('volume', req, { groupBy: 'inbox' })).toBe('/api/v1/reports/volume?from=2026-03-01&to=2026-03-07&tz=Europe%2FBerlin&groupBy=inbox');
    expect(reportPath('heatmap', req, { csv: true })).toBe('/api/v1/reports/heatmap?from=2026-03-01&to=2026-03-07&tz=Europe%2FBerlin&format=csv');
  });

  it('names the file as the server does, volume with its grouping', () => {
    expect(csvFileName('summary', period)).toBe('summary-2026-03-01-2026-03-07.csv');
    expect(csvFileName('volume', period, 'channel')).toBe('volume-by-channel-2026-03-01-2026-03-07.csv');
  });
});
