import { Type, type Static } from 'typebox';
import { Channel } from './messages.js';

/**
 * Reports: support figures over a period, for supervisors and admins. Routes under /api/v1:
 *
 *   GET  /reports/summary?<ReportQuery>              ReportSummary
 *   GET  /reports/volume?<ReportQuery>&groupBy=…     ReportVolume   (groupBy: ReportGroupBy)
 *   GET  /reports/heatmap?<ReportQuery>              ReportHeatmap  (7 × 24 counts in `tz`)
 *   GET  /reports/agents?<ReportQuery>               ReportAgents
 *   POST /reports/rebuild                            ReportRebuildResult (admins only)
 *
 * Every GET also answers `format=csv`: `text/csv; charset=utf-8` with
 * `Content-Disposition: attachment; filename="<report>-<from>-<to>.csv"`, a header row, then one
 * row per item (summary: one `figure,value` row per figure; heatmap: `weekday,hour,count`).
 *
 * Access: roles admin and supervisor, scoped to the caller's tenant; an agent gets 403
 * SB_ERR_FORBIDDEN. Agents limited to some inboxes are never supervisors, so reports are not
 * limited by inbox beyond the tenant. An invalid period or time zone is 400 SB_ERR_VALIDATION.
 *
 * Figures come from hourly rows (UTC hours) kept by a follower of sb.events. A UTC hour belongs to
 * the local day and hour (in `tz`) of its first instant; in half-hour zones that puts each hour
 * at most 30 minutes off (docs/reports.md). Durations are in seconds of wall-clock time.
 * Medians and p90 are computed from logarithmic buckets: within 2.2 % of the exact value.
 */

/** A local calendar date, YYYY-MM-DD. */
export const ReportDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });

export const ReportQuery = Type.Object(
  {
    /** First local date of the period (inclusive). */
    from: ReportDate,
    /** Last local date of the period (inclusive); at most 731 days after `from`. */
    to: ReportDate,
    /** IANA time zone the dates, days and hours are read in. Default: UTC. */
    tz: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    channel: Type.Optional(Channel),
    inboxId: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    teamId: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    agentId: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    /** `csv` answers a CSV attachment instead of JSON. Default: json. */
    format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('csv')])),
  },
  { additionalProperties: false },
);
export type ReportQuery = Static<typeof ReportQuery>;

export const ReportGroupBy = Type.Union([
  Type.Literal('channel'),
  Type.Literal('inbox'),
  Type.Literal('team'),
  Type.Literal('agent'),
  /** Local date in `tz`: key `YYYY-MM-DD`. */
  Type.Literal('day'),
  /** Local hour in `tz`: key `YYYY-MM-DDTHH`. */
  Type.Literal('hour'),
]);
export type ReportGroupBy = Static<typeof ReportGroupBy>;

export const ReportVolumeQuery = Type.Object({ ...ReportQuery.properties, groupBy: ReportGroupBy }, { additionalProperties: false });
export type ReportVolumeQuery = Static<typeof ReportVolumeQuery>;

/** A duration figure in seconds; median/p90/average are null when count is 0. */
export const DurationStats = Type.Object({
  count: Type.Integer({ minimum: 0 }),
  median: Type.Union([Type.Number(), Type.Null()]),
  p90: Type.Union([Type.Number(), Type.Null()]),
  average: Type.Union([Type.Number(), Type.Null()]),
});
export type DurationStats = Static<typeof DurationStats>;

/** Agent replies per resolved conversation (exact); null when no conversation was resolved. */
export const CountStats = Type.Object({
  count: Type.Integer({ minimum: 0 }),
  median: Type.Union([Type.Number(), Type.Null()]),
  p90: Type.Union([Type.Number(), Type.Null()]),
  average: Type.Union([Type.Number(), Type.Null()]),
});
export type CountStats = Static<typeof CountStats>;

export const SlaFigures = Type.Object({
  met: Type.Integer({ minimum: 0 }),
  breached: Type.Integer({ minimum: 0 }),
  /** met / (met + breached); null when neither. */
  compliance: Type.Union([Type.Number(), Type.Null()]),
});
export type SlaFigures = Static<typeof SlaFigures>;

export const CsatFigures = Type.Object({
  /** Surveys sent. */
  requests: Type.Integer({ minimum: 0 }),
  answers: Type.Integer({ minimum: 0 }),
  /** Mean rating of the answers; null without answers. */
  average: Type.Union([Type.Number(), Type.Null()]),
  /** Share of answers rated satisfied (4 or 5 of 5); null without answers. */
  score: Type.Union([Type.Number(), Type.Null()]),
  /** answers / requests; null without requests. */
  responseRate: Type.Union([Type.Number(), Type.Null()]),
});
export type CsatFigures = Static<typeof CsatFigures>;

export const ReportPeriod = Type.Object({
  from: ReportDate,
  to: ReportDate,
  tz: Type.String(),
  /** The UTC instants the period covers: [start, end). */
  start: Type.String({ format: 'date-time' }),
  end: Type.String({ format: 'date-time' }),
});
export type ReportPeriod = Static<typeof ReportPeriod>;

export const ReportSummary = Type.Object({
  period: ReportPeriod,
  /** Conversations created. */
  conversations: Type.Integer({ minimum: 0 }),
  /** Conversations resolved (each time one is resolved). */
  resolved: Type.Integer({ minimum: 0 }),
  inboundMessages: Type.Integer({ minimum: 0 }),
  /** Agent replies (outbound messages written by agents). */
  outboundMessages: Type.Integer({ minimum: 0 }),
  /** First agent reply after the conversation's first inbound message. */
  firstResponse: DurationStats,
  /** From the conversation's creation to its resolution. */
  resolution: DurationStats,
  repliesPerConversation: CountStats,
  sla: SlaFigures,
  csat: CsatFigures,
  /** Seconds agents were online (presence `online`) in the period. */
  presenceSeconds: Type.Number({ minimum: 0 }),
});
export type ReportSummary = Static<typeof ReportSummary>;

export const ReportVolumeRow = Type.Object({
  /** Channel name, inbox/team/agent id, local date or local hour; `none` for no team/agent. */
  key: Type.String(),
  /** Display name (inbox, team, agent name; the key for channel, day, hour). */
  label: Type.String(),
  conversations: Type.Integer({ minimum: 0 }),
  resolved: Type.Integer({ minimum: 0 }),
  inboundMessages: Type.Integer({ minimum: 0 }),
  outboundMessages: Type.Integer({ minimum: 0 }),
});
export type ReportVolumeRow = Static<typeof ReportVolumeRow>;

export const ReportVolume = Type.Object({
  period: ReportPeriod,
  groupBy: ReportGroupBy,
  /** Sorted by key (day and hour: chronological; only groups with activity). */
  rows: Type.Array(ReportVolumeRow),
});
export type ReportVolume = Static<typeof ReportVolume>;

export const ReportHeatmap = Type.Object({
  period: ReportPeriod,
  /** What is counted: inbound messages (customers writing). */
  measure: Type.Literal('inboundMessages'),
  /** cells[weekday][hour]: weekday 0 = Monday … 6 = Sunday, hour 0–23, local to `tz`. */
  cells: Type.Array(Type.Array(Type.Integer({ minimum: 0 }), { minItems: 24, maxItems: 24 }), { minItems: 7, maxItems: 7 }),
  max: Type.Integer({ minimum: 0 }),
});
export type ReportHeatmap = Static<typeof ReportHeatmap>;

export const ReportAgentRow = Type.Object({
  agentId: Type.String(),
  name: Type.String(),
  /** Conversations resolved while assigned to the agent. */
  resolved: Type.Integer({ minimum: 0 }),
  /** Replies the agent wrote. */
  replies: Type.Integer({ minimum: 0 }),
  /** First responses the agent gave. */
  firstResponse: DurationStats,
  resolution: DurationStats,
  sla: SlaFigures,
  csat: CsatFigures,
  presenceSeconds: Type.Number({ minimum: 0 }),
});
export type ReportAgentRow = Static<typeof ReportAgentRow>;

export const ReportAgents = Type.Object({
  period: ReportPeriod,
  /** Every agent of the tenant with activity or presence in the period, by name. */
  rows: Type.Array(ReportAgentRow),
});
export type ReportAgents = Static<typeof ReportAgents>;

export const ReportRebuildResult = Type.Object({
  /** Hourly rows written. */
  rows: Type.Integer({ minimum: 0 }),
  conversations: Type.Integer({ minimum: 0 }),
  tookMs: Type.Number({ minimum: 0 }),
});
export type ReportRebuildResult = Static<typeof ReportRebuildResult>;
