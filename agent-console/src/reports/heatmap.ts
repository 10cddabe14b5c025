import type { ReportHeatmap } from '@switchboard/contracts';

/**
 * The busiest-hours grid: the API's 7 × 24 counts (weekday 0 = Monday, local hours in the
 * report's zone) as rows of cells with a shade level and a text for each, and the busiest hour
 * in a sentence.
 */

export const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] as const;
/** Shades besides "none": a cell's level is 0 (no messages) or 1…LEVELS by its share of the busiest. */
export const LEVELS = 4;

export interface HeatCell {
  hour: number;
  count: number;
  /** 0 for none, else 1…LEVELS: ceil(count / max × LEVELS), so any message shows. */
  level: number;
  /** "Tuesday 14:00–15:00: 12 messages". */
  text: string;
}

export interface HeatRow {
  day: (typeof WEEKDAYS)[number];
  cells: HeatCell[];
  total: number;
}

export interface HeatGrid {
  rows: HeatRow[];
  max: number;
  total: number;
  /** "Busiest: Tuesday 14:00–15:00, 12 messages." or "No messages in this period." */
  summary: string;
}

const hh = (h: number) => `${String(h % 24).padStart(2, '0')}:00`;
export const hourRange = (h: number): string => `${hh(h)}–${hh(h + 1)}`;
const messages = (n: number) => `${n} ${n === 1 ? 'message' : 'messages'}`;

export function heatGrid(heatmap: Pick<ReportHeatmap, 'cells'>): HeatGrid {
  const counts = WEEKDAYS.map((_, d) => Array.from({ length: 24 }, (_, h) => Math.max(0, heatmap.cells[d]?.[h] ?? 0)));
  const max = Math.max(0, ...counts.flat());
  let busiest: { day: number; hour: number } | null = null;
  const rows = WEEKDAYS.map((day, d) => {
    const cells = counts[d]!.map((count, hour) => {
      if (count > 0 && (!busiest || count > counts[busiest.day]![busiest.hour]!)) busiest = { day: d, hour };
      return { hour, count, level: count && max ? Math.ceil((count / max) * LEVELS) : 0, text: `${day} ${hourRange(hour)}: ${messages(count)}` };
    });
    return { day, cells, total: cells.reduce((n, c) => n + c.count, 0) };
  });
  const total = rows.reduce((n, r) => n + r.total, 0);
  const top = busiest as { day: number; hour: number } | null;
  const summary = top ? `Busiest: ${WEEKDAYS[top.day]} ${hourRange(top.hour)}, ${messages(max)}.` : 'No messages in this period.';
  return { rows, max, total, summary };
}
