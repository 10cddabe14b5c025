import type { ReportHeatmap } from '@switchboard/contracts';
import { t } from '../i18n/reports.js';

/**
 * The busiest-hours grid: the API's 7 × 24 counts (weekday 0 = Monday, local hours in the
 * report's zone) as rows of cells with a shade level and a text for each, and the busiest hour
 * in a sentence.
 */

/** The weekdays from Monday, in the console's language. */
export const weekdays = (): string[] => t('weekdays').split(',');
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
  /** The weekday's name: "Tuesday". */
  day: string;
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
const messages = (n: number) => t('messages', { count: n });

export function heatGrid(heatmap: Pick<ReportHeatmap, 'cells'>): HeatGrid {
  const days = weekdays();
  const counts = days.map((_, d) => Array.from({ length: 24 }, (_, h) => Math.max(0, heatmap.cells[d]?.[h] ?? 0)));
  const max = Math.max(0, ...counts.flat());
  let busiest: { day: number; hour: number } | null = null;
  const rows = days.map((day, d) => {
    const cells = counts[d]!.map((count, hour) => {
      if (count > 0 && (!busiest || count > counts[busiest.day]![busiest.hour]!)) busiest = { day: d, hour };
      return { hour, count, level: count && max ? Math.ceil((count / max) * LEVELS) : 0, text: t('cell', { day, hours: hourRange(hour), messages: messages(count) }) };
    });
    return { day, cells, total: cells.reduce((n, c) => n + c.count, 0) };
  });
  const total = rows.reduce((n, r) => n + r.total, 0);
  const top = busiest as { day: number; hour: number } | null;
  const summary = top ? t('busiest', { day: days[top.day]!, hours: hourRange(top.hour), messages: messages(max) }) : t('noMessages');
  return { rows, max, total, summary };
}
