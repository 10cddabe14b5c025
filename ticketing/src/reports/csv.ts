import type { DurationStats, ReportAgents, ReportHeatmap, ReportSummary, ReportVolume } from '@switchboard/contracts';

type Cell = string | number | null;

/**
 * RFC 4180 CSV. Text that a spreadsheet would run as a formula (=, +, -, @ first) gets a leading
 * apostrophe, so an agent named "=HYPERLINK(…)" stays text.
 */
export function toCsv(header: string[], rows: Cell[][]): string {
  const cell = (v: Cell) => {
    if (v === null) return '';
    if (typeof v === 'number') return String(Math.round(v * 1000) / 1000);
    const text = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  return [header, ...rows].map((row) => row.map(cell).join(',')).join('\r\n') + '\r\n';
}

const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

const stats = (name: string, s: DurationStats | ReportSummary['repliesPerConversation'], unit: string): Cell[][] => [
  [`${name}_count`, s.count],
  [`${name}_median${unit}`, s.median],
  [`${name}_p90${unit}`, s.p90],
  [`${name}_average${unit}`, s.average],
];

export function summaryCsv(s: ReportSummary): string {
  return toCsv(['figure', 'value'], [
    ['conversations', s.conversations],
    ['resolved', s.resolved],
    ['inbound_messages', s.inboundMessages],
    ['outbound_messages', s.outboundMessages],
    ...stats('first_response', s.firstResponse, '_seconds'),
    ...stats('resolution', s.resolution, '_seconds'),
    ...stats('replies_per_conversation', s.repliesPerConversation, ''),
    ['sla_met', s.sla.met],
    ['sla_breached', s.sla.breached],
    ['sla_compliance', s.sla.compliance],
    ['csat_requests', s.csat.requests],
    ['csat_answers', s.csat.answers],
    ['csat_average', s.csat.average],
    ['csat_score', s.csat.score],
    ['csat_response_rate', s.csat.responseRate],
    ['presence_seconds', s.presenceSeconds],
  ]);
}

export function volumeCsv(v: ReportVolume): string {
  return toCsv(
    [v.groupBy, 'label', 'conversations', 'resolved', 'inbound_messages', 'outbound_messages'],
    v.rows.map((r) => [r.key, r.label, r.conversations, r.resolved, r.inboundMessages, r.outboundMessages]),
  );
}

export function heatmapCsv(h: ReportHeatmap): string {
  return toCsv(['weekday', 'hour', 'inbound_messages'], h.cells.flatMap((hours, d) => hours.map((n, hour) => [WEEKDAYS[d]!, hour, n])));
}

export function agentsCsv(a: ReportAgents): string {
  return toCsv(
    [
      'agent_id', 'name', 'resolved', 'replies',
      'first_response_count', 'first_response_median_seconds', 'first_response_p90_seconds',
      'resolution_count', 'resolution_median_seconds', 'resolution_p90_seconds',
      'sla_met', 'sla_breached', 'sla_compliance',
      'csat_answers', 'csat_average', 'csat_score', 'csat_response_rate', 'presence_seconds',
    ],
    a.rows.map((r) => [
      r.agentId, r.name, r.resolved, r.replies,
      r.firstResponse.count, r.firstResponse.median, r.firstResponse.p90,
      r.resolution.count, r.resolution.median, r.resolution.p90,
      r.sla.met, r.sla.breached, r.sla.compliance,
      r.csat.answers, r.csat.average, r.csat.score, r.csat.responseRate, r.presenceSeconds,
    ]),
  );
}
