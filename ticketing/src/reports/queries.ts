import type {
  CountStats,
  CsatFigures,
  DurationStats,
  ReportAgentRow,
  ReportAgents,
  ReportGroupBy,
  ReportHeatmap,
  ReportPeriod,
  ReportQuery,
  ReportSummary,
  ReportVolume,
  ReportVolumeRow,
  SlaFigures,
} from '@switchboard/contracts';
import type { Filter } from '@switchboard/store';
import { bucketQuantile, bucketValue, type BucketCount } from './buckets.js';
import { DAY_MS, HOUR_MS, monthOf, nextMonth, type HistMetric } from './facts.js';
import type { ReportRepositories } from './repository.js';
import { LocalHours, periodHours } from './tz.js';

/** Names for keys: inboxes, teams and agents of the tenant. */
export interface Names {
  inbox(id: string): string | undefined;
  team(id: string): string | undefined;
  agent(id: string): string | undefined;
  /** Every agent of the tenant, for the agents report. */
  agents(): { id: string; name: string }[];
}

type Totals = {
  created: number;
  resolved: number;
  inbound: number;
  outbound: number;
  frtCount: number;
  frtSum: number;
  resCount: number;
  resSum: number;
  repSum: number;
  slaMet: number;
  slaBreached: number;
  csatRequests: number;
  csatAnswers: number;
  csatSum: number;
  csatSatisfied: number;
  presenceSeconds: number;
};
const TOTAL_FIELDS = [
  'created', 'resolved', 'inbound', 'outbound', 'frtCount', 'frtSum', 'resCount', 'resSum', 'repSum',
  'slaMet', 'slaBreached', 'csatRequests', 'csatAnswers', 'csatSum', 'csatSatisfied', 'presenceSeconds',
] as const;
const sums = (fields: readonly string[]) => Object.fromEntries(fields.map((f) => [f, { $sum: `$${f}` }]));
type Range = { startMs: number; endMs: number };
type Histograms = Record<HistMetric, BucketCount[]>;
const noHistograms = (): Histograms => ({ frt: [], res: [], rep: [] });

export function period(q: ReportQuery): ReportPeriod & { startMs: number; endMs: number } {
  const tz = q.tz ?? 'UTC';
  const { start, end } = periodHours(q.from, q.to, tz);
  return { from: q.from, to: q.to, tz, start: new Date(start).toISOString(), end: new Date(end).toISOString(), startMs: start, endMs: end };
}

/**
 * The report queries: aggregation pipelines over the day and hourly rows (the same on MongoDB and
 * the embedded store), then medians from summed buckets and local days from UTC hours in JavaScript.
 */
export class ReportQueries {
  constructor(
    private readonly r: ReportRepositories,
    private readonly names: Names,
  ) {}

  private match(q: ReportQuery, range: Range, dims = true): Filter {
    const hours = (range.endMs - range.startMs) / HOUR_MS;
    return {
      // A day or two of hours as a list: an equality the (tenantId, hour) index answers.
      hour:
        hours <= 48
          ? { $in: Array.from({ length: hours }, (_, i) => new Date(range.startMs + i * HOUR_MS)) }
          : { $gte: new Date(range.startMs), $lt: new Date(range.endMs) },
      ...(dims && q.channel ? { channel: q.channel } : {}),
      ...(dims && q.inboxId ? { inboxId: q.inboxId } : {}),
      ...(dims && q.teamId ? { teamId: q.teamId } : {}),
      ...(q.agentId ? { agentId: q.agentId } : {}),
    };
  }

  /**
   * Where a period's rows are read: its whole UTC months from the month rows, the rest of its
   * whole UTC days from the day rows, the partial days at its ends (local midnights are rarely
   * UTC ones) from the hourly rows — or all from the hourly rows when hours are what the answer
   * is about.
   */
  private sources(p: Range, hourly: boolean): { coll: ReportRepositories['hours']; range: Range }[] {
    const firstDay = Math.ceil(p.startMs / DAY_MS) * DAY_MS;
    const lastDay = Math.floor(p.endMs / DAY_MS) * DAY_MS;
    if (hourly || firstDay >= lastDay) return [{ coll: this.r.hours, range: p }];
    const start = monthOf(firstDay);
    const firstMonth = +start === firstDay ? firstDay : +nextMonth(start);
    const lastMonth = +monthOf(lastDay);
    const days = (startMs: number, endMs: number) => (startMs < endMs ? [{ coll: this.r.days, range: { startMs, endMs } }] : []);
    return [
      ...(p.startMs < firstDay ? [{ coll: this.r.hours, range: { startMs: p.startMs, endMs: firstDay } }] : []),
      ...(firstMonth < lastMonth
        ? [...days(firstDay, firstMonth), { coll: this.r.months, range: { startMs: firstMonth, endMs: lastMonth } }, ...days(lastMonth, lastDay)]
        : days(firstDay, lastDay)),
      ...(lastDay < p.endMs ? [{ coll: this.r.hours, range: { startMs: lastDay, endMs: p.endMs } }] : []),
    ];
  }

  /** Sums by `by` (null: all); group keys that are dates come back as epoch milliseconds. */
  private async totals(q: ReportQuery, p: Range, by: string | null, opts: { hourly?: boolean; extra?: Filter; fields?: readonly (keyof Totals)[] } = {}): Promise<Map<unknown, Totals>> {
    const fields = opts.fields ?? TOTAL_FIELDS;
    const out = new Map<unknown, Totals>();
    for (const source of this.sources(p, opts.hourly ?? false)) {
      const rows = await source.coll.aggregate<Totals & { _id: unknown }>([
        { $match: { ...this.match(q, source.range), ...opts.extra } },
        { $group: { _id: by, ...sums(fields) } },
      ]);
      for (const row of rows) {
        const key = row._id instanceof Date ? row._id.getTime() : row._id;
        const into = out.get(key);
        if (!into) out.set(key, { ...zeroTotals(), ...row });
        else for (const f of fields) into[f] += row[f];
      }
    }
    return out;
  }

  /** The three histograms (first response, resolution, replies) summed, one pass per source. */
  private async histograms(q: ReportQuery, p: Range, by: string | null, extra: Filter = {}): Promise<Map<unknown, Histograms>> {
    const out = new Map<unknown, Histograms>();
    for (const source of this.sources(p, false)) {
      const rows = await source.coll.aggregate<{ _id: { k?: unknown; m: HistMetric; b: number }; n: number }>([
        { $match: { ...this.match(q, source.range), ...extra } },
        // Only what the buckets need travels on: $unwind copies the document once per bucket.
        { $project: { _id: 0 as const, ...(by ? { k: by } : {}), hist: 1 as const } },
        { $unwind: '$hist' },
        { $group: { _id: by ? { k: '$k', m: '$hist.m', b: '$hist.b' } : { m: '$hist.m', b: '$hist.b' }, n: { $sum: '$hist.n' } } },
      ]);
      for (const row of rows) {
        const key = by ? (row._id.k ?? null) : null;
        let h = out.get(key);
        if (!h) out.set(key, (h = noHistograms()));
        h[row._id.m].push({ b: row._id.b, n: row.n });
      }
    }
    return out;
  }

  /** Seconds online, by agent (or in all): presence ignores channel, inbox and team. */
  private async presence(q: ReportQuery, p: Range, by: string | null): Promise<Map<unknown, number>> {
    const out = new Map<unknown, number>();
    for (const source of this.sources(p, false)) {
      const rows = await source.coll.aggregate<{ _id: unknown; s: number }>([
        { $match: { ...this.match(q, source.range, false), presenceSeconds: { $gt: 0 } } },
        { $group: { _id: by, s: { $sum: '$presenceSeconds' } } },
      ]);
      for (const row of rows) out.set(row._id, (out.get(row._id) ?? 0) + row.s);
    }
    return out;
  }

  /** Presence rows carry no channel, inbox or team: with such a filter, presence needs its own pass. */
  private presenceApart(q: ReportQuery): boolean {
    return Boolean(q.channel || q.inboxId || q.teamId);
  }

  async summary(q: ReportQuery): Promise<ReportSummary> {
    const p = period(q);
    const [totals, hist, presence] = await Promise.all([
      this.totals(q, p, null),
      this.histograms(q, p, null),
      this.presenceApart(q) ? this.presence(q, p, null) : null,
    ]);
    const t = totals.get(null) ?? zeroTotals();
    const h = hist.get(null) ?? noHistograms();
    return {
      period: publicPeriod(p),
      conversations: t.created,
      resolved: t.resolved,
      inboundMessages: t.inbound,
      outboundMessages: t.outbound,
      firstResponse: durationStats(t.frtCount, t.frtSum, h.frt),
      resolution: durationStats(t.resCount, t.resSum, h.res),
      repliesPerConversation: countStats(t.resCount, t.repSum, h.rep),
      sla: slaFigures(t),
      csat: csatFigures(t),
      presenceSeconds: presence ? (presence.get(null) ?? 0) : t.presenceSeconds,
    };
  }

  async volume(q: ReportQuery & { groupBy: ReportGroupBy }): Promise<ReportVolume> {
    const p = period(q);
    const field = { channel: '$channel', inbox: '$inboxId', team: '$teamId', agent: '$agentId', day: '$hour', hour: '$hour' }[q.groupBy];
    const hourly = q.groupBy === 'day' || q.groupBy === 'hour';
    const grouped = await this.totals(q, p, field, { hourly, fields: ['created', 'resolved', 'inbound', 'outbound'] });
    const rows = new Map<string, ReportVolumeRow>();
    const local = new LocalHours(p.tz);
    for (const [id, t] of grouped) {
      if (t.created + t.resolved + t.inbound + t.outbound === 0) continue;
      let key: string;
      if (q.groupBy === 'day' || q.groupBy === 'hour') {
        const l = local.of(id as number);
        key = q.groupBy === 'day' ? l.date : `${l.date}T${String(l.hour).padStart(2, '0')}`;
      } else key = id === null ? 'none' : String(id);
      const row = rows.get(key) ?? { key, label: this.label(q.groupBy, key), conversations: 0, resolved: 0, inboundMessages: 0, outboundMessages: 0 };
      row.conversations += t.created;
      row.resolved += t.resolved;
      row.inboundMessages += t.inbound;
      row.outboundMessages += t.outbound;
      rows.set(key, row);
    }
    return { period: publicPeriod(p), groupBy: q.groupBy, rows: [...rows.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)) };
  }

  async heatmap(q: ReportQuery): Promise<ReportHeatmap> {
    const p = period(q);
    const rows = await this.r.hours.aggregate<{ _id: Date; n: number }>([
      { $match: { ...this.match(q, p), inbound: { $gt: 0 } } },
      { $group: { _id: '$hour', n: { $sum: '$inbound' } } },
    ]);
    const cells = Array.from({ length: 7 }, () => Array.from({ length: 24 }, () => 0));
    const local = new LocalHours(p.tz);
    for (const row of rows) {
      const l = local.of(+row._id);
      cells[l.weekday]![l.hour]! += row.n;
    }
    return { period: publicPeriod(p), measure: 'inboundMessages', cells, max: Math.max(0, ...cells.flat()) };
  }

  async agents(q: ReportQuery): Promise<ReportAgents> {
    const p = period(q);
    const named: Filter = q.agentId ? {} : { agentId: { $ne: null } };
    const [totals, hist, apart] = await Promise.all([
      this.totals(q, p, '$agentId', { extra: named }),
      this.histograms(q, p, '$agentId', named),
      this.presenceApart(q) ? this.presence(q, p, '$agentId') : null,
    ]);
    const presence = apart ?? new Map([...totals].map(([id, t]) => [id, t.presenceSeconds]));
    const ids = new Set<string>([...totals.keys(), ...presence.keys()].filter((k): k is string => typeof k === 'string'));
    const rows: ReportAgentRow[] = [...ids].map((agentId) => {
      const t = totals.get(agentId) ?? zeroTotals();
      return {
        agentId,
        name: this.names.agent(agentId) ?? agentId,
        resolved: t.resolved,
        replies: t.outbound,
        firstResponse: durationStats(t.frtCount, t.frtSum, hist.get(agentId)?.frt ?? []),
        resolution: durationStats(t.resCount, t.resSum, hist.get(agentId)?.res ?? []),
        sla: slaFigures(t),
        csat: csatFigures(t),
        presenceSeconds: presence.get(agentId) ?? 0,
      };
    });
    rows.sort((a, b) => a.name.localeCompare(b.name) || (a.agentId < b.agentId ? -1 : 1));
    return { period: publicPeriod(p), rows };
  }

  private label(groupBy: ReportGroupBy, key: string): string {
    if (key === 'none') return groupBy === 'team' ? 'No team' : groupBy === 'agent' ? 'Unassigned' : 'None';
    if (groupBy === 'inbox') return this.names.inbox(key) ?? key;
    if (groupBy === 'team') return this.names.team(key) ?? key;
    if (groupBy === 'agent') return this.names.agent(key) ?? key;
    return key;
  }
}

function publicPeriod(p: ReportPeriod & { startMs: number; endMs: number }): ReportPeriod {
  return { from: p.from, to: p.to, tz: p.tz, start: p.start, end: p.end };
}

function zeroTotals(): Totals {
  return Object.fromEntries(TOTAL_FIELDS.map((f) => [f, 0])) as Totals;
}

const ratio = (a: number, b: number) => (b === 0 ? null : a / b);

export function durationStats(count: number, sum: number, buckets: BucketCount[]): DurationStats {
  return {
    count,
    median: bucketQuantile(buckets, 0.5, bucketValue),
    p90: bucketQuantile(buckets, 0.9, bucketValue),
    average: ratio(sum, count),
  };
}

export function countStats(count: number, sum: number, buckets: BucketCount[]): CountStats {
  return { count, median: bucketQuantile(buckets, 0.5, (b) => b), p90: bucketQuantile(buckets, 0.9, (b) => b), average: ratio(sum, count) };
}

function slaFigures(t: Totals): SlaFigures {
  return { met: t.slaMet, breached: t.slaBreached, compliance: ratio(t.slaMet, t.slaMet + t.slaBreached) };
}

function csatFigures(t: Totals): CsatFigures {
  return {
    requests: t.csatRequests,
    answers: t.csatAnswers,
    average: ratio(t.csatSum, t.csatAnswers),
    score: ratio(t.csatSatisfied, t.csatAnswers),
    responseRate: ratio(t.csatAnswers, t.csatRequests),
  };
}
