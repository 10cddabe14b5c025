import type { ReportVolumeRow } from '@switchboard/contracts';
import { t } from '../i18n/reports.js';
import { datesOf, formatDate, type Period } from './period.js';

/**
 * Volume rows shaped for a chart: the API lists only days (or hours) with activity; a chart over
 * time needs every one of them, the quiet ones as 0.
 */

export interface Series {
  /** One label per point: "3 Mar" for days, "14:00" (and the day at midnight) for hours. */
  labels: string[];
  /** Conversations created at each point. */
  values: number[];
  /** What each point is, in words, for the text alternative: "3 Mar 2026", "3 Mar 2026 14:00". */
  names: string[];
}

const hourKey = (date: string, h: number) => `${date}T${String(h).padStart(2, '0')}`;

/** Every day (or hour) of the period with its conversations, 0 where the API has no row. */
export function timeSeries(rows: readonly ReportVolumeRow[], period: Period, step: 'day' | 'hour'): Series {
  const byKey = new Map<string, number>();
  for (const r of rows) byKey.set(r.key, (byKey.get(r.key) ?? 0) + r.conversations);
  const out: Series = { labels: [], values: [], names: [] };
  for (const date of datesOf(period)) {
    if (step === 'day') {
      out.labels.push(formatDate(date, false));
      out.values.push(byKey.get(date) ?? 0);
      out.names.push(formatDate(date));
      continue;
    }
    for (let h = 0; h < 24; h++) {
      const time = `${String(h).padStart(2, '0')}:00`;
      out.labels.push(h === 0 ? formatDate(date, false) : time);
      out.values.push(byKey.get(hourKey(date, h)) ?? 0);
      out.names.push(`${formatDate(date)} ${time}`);
    }
  }
  return out;
}

/** Rows by channel, inbox, team or agent, largest first, as a chart's bars. */
export function breakdown(rows: readonly ReportVolumeRow[], labelOf: (row: ReportVolumeRow) => string = (r) => r.label): Series {
  const sorted = [...rows].sort((a, b) => b.conversations - a.conversations || labelOf(a).localeCompare(labelOf(b)));
  const labels = sorted.map(labelOf);
  return { labels, values: sorted.map((r) => r.conversations), names: labels };
}

/**
 * The chart's figures in one sentence, for its `aria-label`: the total, the busiest point and,
 * for a few points, every one — "40 conversations in all. Most: 3 Mar 2026 (12)."
 */
export function describeSeries(s: Series): string {
  const total = s.values.reduce((a, b) => a + b, 0);
  if (!total) return t('noConversations');
  let top = 0;
  s.values.forEach((v, i) => v > s.values[top]! && (top = i));
  const all = s.values.length <= 8 ? ` ${s.names.map((n, i) => `${n}: ${s.values[i]}`).join(', ')}.` : '';
  return `${t('total', { count: total })} ${t('most', { name: s.names[top]!, n: s.values[top]! })}${all}`;
}
