import type { Channel, ReportGroupBy } from '@switchboard/contracts';
import { t } from '../i18n/reports.js';
import type { Period } from './period.js';

/**
 * The reports API's addresses (platform/contracts/src/reports.ts): the period and zone, the
 * filters that are set, and `format=csv` for a section's download.
 */

export type ReportKind = 'summary' | 'volume' | 'heatmap' | 'agents';

/** What the screen's controls have chosen: the period in a zone, and the filters ('' = any). */
export interface ReportFilters {
  channel: Channel | '';
  inboxId: string;
  teamId: string;
  agentId: string;
}
export const NO_FILTERS: ReportFilters = { channel: '', inboxId: '', teamId: '', agentId: '' };

export interface ReportRequest {
  period: Period;
  tz: string;
  filters: ReportFilters;
}

/** The channels a conversation can be on, as the filter lists them (the contract's `Channel`). */
export const CHANNEL_LABELS = {
  web: 'Website',
  email: 'Email',
  whatsapp: 'WhatsApp',
  'whatsapp-web': 'WhatsApp Web',
  telegram: 'Telegram',
  instagram: 'Instagram',
  slack: 'Slack',
  loopback: 'Loopback (tests)',
} satisfies Record<Channel, string>;

/** A channel's name in the console's language (the products' names stay as they are). */
export const channelName = (c: Channel): string => (c === 'web' || c === 'email' || c === 'loopback' ? t(`ch.${c}`) : CHANNEL_LABELS[c]);

/** `/api/v1/reports/<kind>?from=…&to=…&tz=…[&channel=…][&groupBy=…][&format=csv]`. */
export function reportPath(kind: ReportKind, req: ReportRequest, opts: { groupBy?: ReportGroupBy; csv?: boolean } = {}): string {
  const q = new URLSearchParams({ from: req.period.from, to: req.period.to, tz: req.tz });
  const f = req.filters;
  if (f.channel) q.set('channel', f.channel);
  if (f.inboxId) q.set('inboxId', f.inboxId);
  if (f.teamId) q.set('teamId', f.teamId);
  if (f.agentId) q.set('agentId', f.agentId);
  if (kind === 'volume') q.set('groupBy', opts.groupBy ?? 'day');
  if (opts.csv) q.set('format', 'csv');
  return `/api/v1/reports/${kind}?${q}`;
}

/**
 * The downloaded file's name, as the server names it (`<report>-<from>-<to>.csv`), with what a
 * volume report is grouped by, so two volume downloads of one period do not overwrite each other.
 */
export function csvFileName(kind: ReportKind, period: Period, groupBy?: ReportGroupBy): string {
  const name = kind === 'volume' ? `volume-by-${groupBy ?? 'day'}` : kind;
  return `${name}-${period.from}-${period.to}.csv`;
}

/** How many filters are set (the screen says "2 filters" on a narrow screen). */
export function activeFilters(f: ReportFilters): number {
  return [f.channel, f.inboxId, f.teamId, f.agentId].filter(Boolean).length;
}
