import { durationBucket, type BucketCount } from './buckets.js';

/**
 * Report facts: what happened, attributed to dimensions, at a UTC hour. They are derived from the
 * stored records (conversation + its messages + its resolutions + its surveys; a ticket's SLA
 * timers; an agent's presence intervals) by pure functions, so the follower and the rebuild
 * produce the same facts, and deriving twice changes nothing. Hourly rows are sums of facts.
 */
export type FactKind =
  | 'created'
  | 'inbound'
  | 'outbound'
  | 'first_response'
  | 'resolved'
  | 'sla_met'
  | 'sla_breached'
  | 'csat_request'
  | 'csat_answer'
  | 'presence';

export interface Dims {
  channel: string | null;
  inboxId: string | null;
  teamId: string | null;
  agentId: string | null;
}

export interface Fact extends Dims {
  /** `<source>|<what>`: the same fact always gets the same id. */
  _id: string;
  tenantId: string;
  /** What the fact was derived from: `c:<conversationId>`, `t:<ticketId>`, `p:<agentId>`. */
  source: string;
  kind: FactKind;
  /** Start of the UTC hour the fact belongs to. */
  hour: Date;
  /** inbound/outbound: messages; first_response/resolved: seconds; presence: seconds; csat_answer: rating. */
  value: number;
  /** resolved: agent replies since the previous resolution (or the start). */
  replies?: number;
}

/** One row per (tenant, UTC hour, channel, inbox, team, agent): the sums the reports read. */
export interface HourRow extends Dims {
  _id: string;
  tenantId: string;
  hour: Date;
  created: number;
  resolved: number;
  inbound: number;
  outbound: number;
  frtCount: number;
  frtSum: number;
  resCount: number;
  resSum: number;
  repSum: number;
  /**
   * The buckets of first response times (`frt`), resolution times (`res`) and replies per
   * resolved conversation (`rep`, whose bucket key is the exact count), in one list so that one
   * $unwind reads all three.
   */
  hist: TaggedBucket[];
  slaMet: number;
  slaBreached: number;
  csatRequests: number;
  csatAnswers: number;
  csatSum: number;
  /** Answers rated 4 or 5. */
  csatSatisfied: number;
  presenceSeconds: number;
}

export type HistMetric = 'frt' | 'res' | 'rep';
export interface TaggedBucket extends BucketCount {
  m: HistMetric;
}

/** Counts one value in a row's bucket list (kept sorted by metric, then bucket). */
export function addTagged(list: TaggedBucket[], m: HistMetric, b: number, n = 1): void {
  const found = list.find((c) => c.m === m && c.b === b);
  if (found) found.n += n;
  else {
    list.push({ m, b, n });
    list.sort((x, y) => (x.m < y.m ? -1 : x.m > y.m ? 1 : x.b - y.b));
  }
}

export const HOUR_MS = 3_600_000;
export const hourOf = (at: Date | number): Date => new Date(Math.floor(+at / HOUR_MS) * HOUR_MS);

export interface ConversationInput {
  _id: string;
  tenantId: string;
  inboxId: string;
  channel: string;
  assigneeId: string | null;
  teamId?: string | null;
  createdAt: Date;
}
export interface MessageInput {
  _id: string;
  direction: 'in' | 'out';
  author: { kind: string; id?: string };
  createdAt: Date;
}
/** A resolution the follower saw (conversation.updated to `resolved`), or the rebuild inferred. */
export interface ResolutionInput {
  _id: string;
  at: Date;
  agentId: string | null;
  teamId: string | null;
}
export interface SurveyInput {
  _id: string;
  inboxId: string;
  channel: string;
  agentId: string | null;
  teamId: string | null;
  requestedAt: Date;
  rating: number | null;
}

const isAgentReply = (m: MessageInput) => m.direction === 'out' && m.author.kind === 'agent';
const seconds = (from: Date, to: Date) => Math.max(0, (+to - +from) / 1000);

/** Every fact of one conversation. Messages and resolutions in any order. */
export function conversationFacts(
  conv: ConversationInput,
  messages: readonly MessageInput[],
  resolutions: readonly ResolutionInput[],
  surveys: readonly SurveyInput[],
): Fact[] {
  const source = `c:${conv._id}`;
  const current: Dims = { channel: conv.channel, inboxId: conv.inboxId, teamId: conv.teamId ?? null, agentId: conv.assigneeId };
  const facts = new Map<string, Fact>();
  const add = (what: string, kind: FactKind, at: Date, dims: Dims, value: number, replies?: number) => {
    const id = `${source}|${what}`;
    const existing = facts.get(id);
    if (existing) {
      existing.value += value;
      return;
    }
    facts.set(id, { _id: id, tenantId: conv.tenantId, source, kind, hour: hourOf(at), ...dims, value, ...(replies === undefined ? {} : { replies }) });
  };

  add('created', 'created', conv.createdAt, current, 1);
  const sorted = [...messages].sort((a, b) => +a.createdAt - +b.createdAt || (a._id < b._id ? -1 : 1));
  let firstInbound: MessageInput | undefined;
  let responded = false;
  for (const m of sorted) {
    const h = hourOf(m.createdAt).getTime();
    if (m.direction === 'in') {
      firstInbound ??= m;
      add(`in|${h}`, 'inbound', m.createdAt, current, 1);
    } else if (isAgentReply(m)) {
      const byAuthor = { ...current, agentId: m.author.id ?? null };
      add(`out|${h}|${m.author.id ?? ''}`, 'outbound', m.createdAt, byAuthor, 1);
      if (firstInbound && !responded && +m.createdAt >= +firstInbound.createdAt) {
        responded = true;
        add('frt', 'first_response', m.createdAt, byAuthor, seconds(firstInbound.createdAt, m.createdAt));
      }
    }
  }

  // Each resolution: from the first customer message after the previous one (or the start) to it.
  let since = 0;
  for (const r of [...resolutions].sort((a, b) => +a.at - +b.at || (a._id < b._id ? -1 : 1))) {
    const stretch = sorted.filter((m) => +m.createdAt > since && +m.createdAt <= +r.at);
    const opened = stretch.find((m) => m.direction === 'in')?.createdAt ?? (since === 0 ? conv.createdAt : new Date(since));
    const replies = stretch.filter(isAgentReply).length;
    const dims = { channel: conv.channel, inboxId: conv.inboxId, teamId: r.teamId, agentId: r.agentId };
    add(`res|${r._id}`, 'resolved', r.at, dims, seconds(opened, r.at), replies);
    since = +r.at;
  }

  for (const s of surveys) {
    const dims = { channel: s.channel, inboxId: s.inboxId, teamId: s.teamId, agentId: s.agentId };
    // Both by when the survey was sent, so the response rate compares like with like.
    add(`csat|${s._id}`, 'csat_request', s.requestedAt, dims, 1);
    if (s.rating !== null) add(`csat-answer|${s._id}`, 'csat_answer', s.requestedAt, dims, s.rating);
  }
  return [...facts.values()];
}

export interface TicketInput {
  _id: string;
  tenantId: string;
  assigneeId: string | null;
  teamId: string | null;
  channels: string[];
  inboxIds: string[];
  sla: { metric: string; breachedAt?: Date; metAt?: Date }[];
  mergedInto?: string;
}

/** A ticket's finished SLA timers: breached (at the breach, even if met later) or met. */
export function ticketFacts(t: TicketInput): Fact[] {
  const source = `t:${t._id}`;
  const dims: Dims = { channel: t.channels[0] ?? null, inboxId: t.inboxIds[0] ?? null, teamId: t.teamId, agentId: t.assigneeId };
  const out: Fact[] = [];
  t.sla.forEach((timer, i) => {
    const breached = timer.breachedAt !== undefined && timer.breachedAt !== null;
    const at = breached ? timer.breachedAt : timer.metAt;
    if (!at) return;
    out.push({ _id: `${source}|sla|${i}|${timer.metric}`, tenantId: t.tenantId, source, kind: breached ? 'sla_breached' : 'sla_met', hour: hourOf(at), ...dims, value: 1 });
  });
  return out;
}

/** An agent's online interval [from, to), split at UTC hours. */
export function presenceFacts(tenantId: string, agentId: string, from: Date, to: Date): Fact[] {
  const source = `p:${agentId}`;
  const out: Fact[] = [];
  for (let start = +from; start < +to; ) {
    const hour = hourOf(start);
    const end = Math.min(+to, +hour + HOUR_MS);
    out.push({
      _id: `${source}|${+from}|${+hour}`,
      tenantId,
      source,
      kind: 'presence',
      hour,
      channel: null,
      inboxId: null,
      teamId: null,
      agentId,
      value: (end - start) / 1000,
    });
    start = end;
  }
  return out;
}

export const rowId = (tenantId: string, hour: Date, d: Dims) =>
  [tenantId, hour.toISOString(), d.channel ?? '', d.inboxId ?? '', d.teamId ?? '', d.agentId ?? ''].join('|');

export function emptyRow(tenantId: string, hour: Date, d: Dims): HourRow {
  return {
    _id: rowId(tenantId, hour, d),
    tenantId,
    hour,
    channel: d.channel,
    inboxId: d.inboxId,
    teamId: d.teamId,
    agentId: d.agentId,
    created: 0,
    resolved: 0,
    inbound: 0,
    outbound: 0,
    frtCount: 0,
    frtSum: 0,
    resCount: 0,
    resSum: 0,
    repSum: 0,
    hist: [],
    slaMet: 0,
    slaBreached: 0,
    csatRequests: 0,
    csatAnswers: 0,
    csatSum: 0,
    csatSatisfied: 0,
    presenceSeconds: 0,
  };
}

/** Sums facts into hourly rows (facts of any hours and tenants). */
export function foldFacts(facts: Iterable<Fact>): HourRow[] {
  const rows = new Map<string, HourRow>();
  for (const f of facts) {
    const id = rowId(f.tenantId, f.hour, f);
    let row = rows.get(id);
    if (!row) rows.set(id, (row = emptyRow(f.tenantId, f.hour, f)));
    switch (f.kind) {
      case 'created':
        row.created += f.value;
        break;
      case 'inbound':
        row.inbound += f.value;
        break;
      case 'outbound':
        row.outbound += f.value;
        break;
      case 'first_response':
        row.frtCount++;
        row.frtSum += f.value;
        addTagged(row.hist, 'frt', durationBucket(f.value));
        break;
      case 'resolved':
        row.resolved++;
        row.resCount++;
        row.resSum += f.value;
        addTagged(row.hist, 'res', durationBucket(f.value));
        row.repSum += f.replies ?? 0;
        addTagged(row.hist, 'rep', f.replies ?? 0);
        break;
      case 'sla_met':
        row.slaMet++;
        break;
      case 'sla_breached':
        row.slaBreached++;
        break;
      case 'csat_request':
        row.csatRequests++;
        break;
      case 'csat_answer':
        row.csatAnswers++;
        row.csatSum += f.value;
        if (f.value >= 4) row.csatSatisfied++;
        break;
      case 'presence':
        row.presenceSeconds += f.value;
        break;
    }
  }
  return [...rows.values()];
}

export const DAY_MS = 86_400_000;
export const dayOf = (at: Date | number): Date => new Date(Math.floor(+at / DAY_MS) * DAY_MS);

const SUMMED = [
  'created', 'resolved', 'inbound', 'outbound', 'frtCount', 'frtSum', 'resCount', 'resSum', 'repSum',
  'slaMet', 'slaBreached', 'csatRequests', 'csatAnswers', 'csatSum', 'csatSatisfied', 'presenceSeconds',
] as const;

/**
 * Day rows: the hourly rows of a UTC day summed per dimensions (`hour` = the day's start). A
 * report over many days reads whole days from them and only the partial days at either end of
 * its period from the hourly rows — a working day of one agent on one channel is one row, not 8.
 */
export function foldDays(hours: Iterable<HourRow>): HourRow[] {
  return foldBy(hours, dayOf);
}

/**
 * Month rows: the day rows of a UTC month summed per dimensions (`hour` = the month's start). A
 * report over a year reads its whole months from them (12 rows per agent and channel, not 365),
 * the partial months from the day rows and the partial days from the hourly rows.
 */
export function foldMonths(days: Iterable<HourRow>): HourRow[] {
  return foldBy(days, monthOf);
}

export const monthOf = (at: Date | number): Date => {
  const d = new Date(+at);
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1));
};
export const nextMonth = (month: Date | number): Date => {
  const d = new Date(+month);
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1));
};

function foldBy(rows: Iterable<HourRow>, startOf: (at: Date) => Date): HourRow[] {
  const out = new Map<string, HourRow>();
  for (const h of rows) {
    const start = startOf(h.hour);
    const id = rowId(h.tenantId, start, h);
    let row = out.get(id);
    if (!row) out.set(id, (row = emptyRow(h.tenantId, start, h)));
    for (const f of SUMMED) row[f] += h[f];
    for (const c of h.hist) addTagged(row.hist, c.m, c.b, c.n);
  }
  return [...out.values()];
}
