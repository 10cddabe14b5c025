import { describe, expect, it } from 'vitest';
import { heatGrid, LEVELS } from './heatmap.js';

const empty = () => Array.from({ length: 7 }, () => Array.from({ length: 24 }, () => 0));

describe('busiest hours grid', () => {
  it('is seven weekdays from Monday, 24 hours each, with shades relative to the busiest hour', () => {
    const cells = empty();
    cells[1]![14] = 12; // Tuesday 14:00
    cells[1]![15] = 6;
    cells[6]![0] = 1; // Sunday midnight
    const g = heatGrid({ cells });
    expect(g.rows.map((r) => r.day)).toEqual(['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday']);
    expect(g.rows.every((r) => r.cells.length === 24)).toBe(true);
    expect(g.max).toBe(12);
    expect(g.total).toBe(19);
    expect(g.rows[1]!.cells[14]).toEqual({ hour: 14, count: 12, level: LEVELS, text: 'Tuesday 14:00–15:00: 12 messages' });
    expect(g.rows[1]!.cells[15]!.level).toBe(2);
    // A single message still shows.
    expect(g.rows[6]!.cells[0]).toMatchObject({ level: 1, text: 'Sunday 00:00–01:00: 1 message' });
    expect(g.rows[0]!.cells[0]!.level).toBe(0);
    expect(g.rows[6]!.cells[23]!.text).toBe('Sunday 23:00–00:00: 0 messages');
    expect(g.summary).toBe('Busiest: Tuesday 14:00–15:00, 12 messages.');
  });

  it('says so when nobody wrote', () => {
    const g = heatGrid({ cells: empty() });
    expect(g.total).toBe(0);
    expect(g.summary).toBe('No messages in this period.');
  });
});
