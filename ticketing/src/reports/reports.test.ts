import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReportGroupBy, ReportQuery } from '@switchboard/contracts';
import { Repositories } from '@switchboard/inbox-service';
import { createKeyValue, type KeyValue } from '@switchboard/kv';
import { createLogger } from '@switchboard/logging';
import { createStore, type DocumentStore } from '@switchboard/store';
import { tempDir } from '@switchboard/testkit';
import { TicketStore } from '../tickets/repository.js';
import { ReportBuilder } from './builder.js';
import { bucketValue, durationBucket } from './buckets.js';
import { ReportQueries, type Names } from './queries.js';
import { ReportStore } from './repository.js';

/**
 * A generated data set (seeded, so every run is the same): conversations on three channels over
 * six weeks that cross both DST changes, agents, teams, tickets with SLA timers, surveys and
 * presence. It goes in through the follower's code path; every figure of every report must then
 * equal a plain calculation over the generated records, in several time zones.
 */

const T1 = 'tenant-reports-1';
const T2 = 'tenant-reports-2';
const DAY = 86_400_000;
const HOUR = 3_600_000;
const BASE = Date.UTC(2026, 1, 23, 0, 0, 0); // Monday 23 February 2026

function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = mulberry32(20261202);
const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;
const chance = (p: number) => rand() < p;

const AGENTS = ['a1', 'a2', 'a3', 'a4', 'a5', 'a6'];
const TEAMS = ['team-a', 'team-b'];
const INBOXES = [
  { id: 'inbox-web', channel: 'web' },
  { id: 'inbox-tg', channel: 'telegram' },
  { id: 'inbox-mail', channel: 'email' },
] as const;

interface GenMessage { _id: string; conversationId: string; direction: 'in' | 'out'; author: { kind: 'contact' | 'agent' | 'system'; id?: string }; createdAt: Date }
interface GenConversation { _id: string; tenantId: string; inboxId: string; channel: string; assigneeId: string | null; teamId: string | null; status: string; createdAt: Date; updatedAt: Date }
interface GenResolution { id: string; conversationId: string; at: number; agentId: string | null; teamId: string | null; inferred: boolean }
interface GenTimer { metric: string; metAt?: Date; breachedAt?: Date }
interface GenTicket { _id: string; conversationId: string; assigneeId: string | null; teamId: string | null; channel: string; inboxId: string; sla: GenTimer[]; mergedInto?: string }
interface GenSurvey { _id: string; conversationId: string; inboxId: string; channel: string; agentId: string | null; teamId: string | null; requestedAt: Date; rating: number | null }
interface GenPresence { agentId: string; status: string; at: number }

const world = {
  conversations: [] as GenConversation[],
  messages: [] as GenMessage[],
  resolutions: [] as GenResolution[],
  tickets: [] as GenTicket[],
  surveys: [] as GenSurvey[],
  presence: [] as GenPresence[],
};

const sec = (ms: number) => Math.round(ms / 1000) * 1000;

function generate(tenantId: string, count: number, inferredCount: number, prefix = tenantId): GenConversation[] {
  const out: GenConversation[] = [];
  for (let i = 0; i < count + inferredCount; i++) {
    const id = `${prefix}-c${i}`;
    const inbox = pick(INBOXES);
    const created = sec(BASE + rand() * 41 * DAY);
    const conv: GenConversation = {
      _id: id,
      tenantId,
      inboxId: inbox.id,
      channel: inbox.channel,
      assigneeId: chance(0.8) ? pick(AGENTS) : null,
      teamId: chance(0.7) ? pick(TEAMS) : null,
      status: 'open',
      createdAt: new Date(created),
      updatedAt: new Date(created),
    };
    const messages: GenMessage[] = [];
    let t = created;
    let n = 0;
    const say = (direction: 'in' | 'out', kind: 'contact' | 'agent' | 'system', agentId?: string) => {
      messages.push({ _id: `${id}-m${n++}`, conversationId: id, direction, author: { kind, ...(agentId ? { id: agentId } : {}) }, createdAt: new Date(t) });
    };
    const round = () => {
      if (chance(0.05)) say('out', 'agent', pick(AGENTS)); // the team wrote first
      say('in', 'contact');
      const more = 1 + Math.floor(rand() * 7);
      for (let k = 0; k < more; k++) {
        t = sec(t + 1000 + rand() ** 3 * 2 * DAY);
        const r = rand();
        if (r < 0.4) say('in', 'contact');
        else if (r < 0.9) say('out', 'agent', conv.assigneeId && chance(0.8) ? conv.assigneeId : pick(AGENTS));
        else say('out', 'system');
      }
    };
    round();
    const inferred = i >= count;
    if (chance(0.65) || inferred) {
      t = sec(t + 1000 + rand() * 6 * HOUR);
      conv.status = 'resolved';
      if (inferred) conv.updatedAt = new Date(t);
      else world.resolutions.push({ id: `${id}-r1`, conversationId: id, at: t, agentId: conv.assigneeId, teamId: conv.teamId, inferred: false });
      if (!inferred && chance(0.25)) {
        t = sec(t + rand() * 3 * DAY);
        round();
        t = sec(t + 1000 + rand() * 6 * HOUR);
        world.resolutions.push({ id: `${id}-r2`, conversationId: id, at: t, agentId: conv.assigneeId, teamId: conv.teamId, inferred: false });
      }
    }
    if (inferred) world.resolutions.push({ id: `inferred:${id}`, conversationId: id, at: +conv.updatedAt, agentId: conv.assigneeId, teamId: conv.teamId, inferred: true });
    world.messages.push(...messages);
    out.push(conv);
  }
  return out;
}

function generateTickets(convs: GenConversation[]): void {
  convs.forEach((c, i) => {
    if (!chance(0.5)) return;
    const timers: GenTimer[] = [];
    for (const metric of ['first_response', 'next_response', 'resolution']) {
      const at = new Date(sec(+c.createdAt + rand() * 3 * DAY));
      const r = rand();
      if (r < 0.45) timers.push({ metric, metAt: at });
      else if (r < 0.7) timers.push({ metric, breachedAt: at });
      else if (r < 0.8) timers.push({ metric, breachedAt: at, metAt: new Date(+at + HOUR) });
      else timers.push({ metric });
    }
    world.tickets.push({ _id: `${c._id}-t`, conversationId: c._id, assigneeId: c.assigneeId, teamId: c.teamId, channel: c.channel, inboxId: c.inboxId, sla: timers, ...(i % 17 === 0 ? { mergedInto: 'elsewhere' } : {}) });
  });
}

function generateSurveys(): void {
  for (const r of world.resolutions) {
    if (r.inferred || !chance(0.7)) continue;
    const c = world.conversations.find((x) => x._id === r.conversationId)!;
    world.surveys.push({ _id: `${r.id}-s`, conversationId: c._id, inboxId: c.inboxId, channel: c.channel, agentId: r.agentId, teamId: r.teamId, requestedAt: new Date(r.at), rating: chance(0.3) ? null : 1 + Math.floor(rand() * 5) });
  }
}

function generatePresence(): void {
  for (const agentId of AGENTS) {
    let t = sec(BASE + rand() * DAY);
    for (let k = 0; k < 12; k++) {
      world.presence.push({ agentId, status: 'online', at: t });
      if (chance(0.2)) world.presence.push({ agentId, status: 'online', at: t + 60_000 }); // a second tab: still the same stretch
      t = sec(t + 10 * 60_000 + rand() * 9 * HOUR);
      world.presence.push({ agentId, status: chance(0.5) ? 'away' : 'offline', at: t });
      t = sec(t + rand() * 2 * DAY);
    }
  }
}

// ---------- the reference: plain loops over the generated records ----------

const localFormat = new Map<string, Intl.DateTimeFormat>();
function local(ms: number, tz: string): { date: string; hour: number; weekday: number } {
  let f = localFormat.get(tz);
  if (!f) localFormat.set(tz, (f = new Intl.DateTimeFormat('en-GB', { timeZone: tz, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', weekday: 'short' })));
  const p = Object.fromEntries(f.formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
  return { date: `${p.year}-${p.month}-${p.day}`, hour: Number(p.hour), weekday: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(p.weekday!) };
}
/** The documented rule: a moment counts where the start of its UTC hour falls locally. */
const hourStart = (ms: number) => Math.floor(ms / HOUR) * HOUR;
const inPeriod = (ms: number, q: ReportQuery) => {
  const d = local(hourStart(ms), q.tz ?? 'UTC').date;
  return d >= q.from && d <= q.to;
};

interface RefItem { kind: string; at: number; channel: string | null; inboxId: string | null; teamId: string | null; agentId: string | null; value: number; replies?: number }

function referenceItems(tenantId: string): RefItem[] {
  const items: RefItem[] = [];
  for (const c of world.conversations.filter((x) => x.tenantId === tenantId)) {
    const dims = { channel: c.channel, inboxId: c.inboxId, teamId: c.teamId };
    items.push({ kind: 'created', at: +c.createdAt, ...dims, agentId: c.assigneeId, value: 1 });
    const msgs = world.messages.filter((m) => m.conversationId === c._id).sort((a, b) => +a.createdAt - +b.createdAt || (a._id < b._id ? -1 : 1));
    const firstIn = msgs.find((m) => m.direction === 'in');
    // The first agent reply that comes after the first customer message.
    const firstReply = firstIn && msgs.slice(msgs.indexOf(firstIn) + 1).find((m) => m.direction === 'out' && m.author.kind === 'agent');
    for (const m of msgs) {
      if (m.direction === 'in') items.push({ kind: 'inbound', at: +m.createdAt, ...dims, agentId: c.assigneeId, value: 1 });
      if (m.direction === 'out' && m.author.kind === 'agent') items.push({ kind: 'outbound', at: +m.createdAt, ...dims, agentId: m.author.id!, value: 1 });
    }
    if (firstIn && firstReply) items.push({ kind: 'frt', at: +firstReply.createdAt, ...dims, agentId: firstReply.author.id!, value: (+firstReply.createdAt - +firstIn.createdAt) / 1000 });
    let previous = 0;
    for (const r of world.resolutions.filter((x) => x.conversationId === c._id).sort((a, b) => a.at - b.at)) {
      const stretch = msgs.filter((m) => +m.createdAt > previous && +m.createdAt <= r.at);
      const opened = stretch.find((m) => m.direction === 'in')?.createdAt.getTime() ?? (previous === 0 ? +c.createdAt : previous);
      const replies = stretch.filter((m) => m.direction === 'out' && m.author.kind === 'agent').length;
      items.push({ kind: 'resolved', at: r.at, channel: c.channel, inboxId: c.inboxId, teamId: r.teamId, agentId: r.agentId, value: (r.at - opened) / 1000, replies });
      previous = r.at;
    }
  }
  for (const t of world.tickets.filter((x) => x._id.startsWith(tenantId) && !x.mergedInto)) {
    for (const timer of t.sla) {
      const dims = { channel: t.channel, inboxId: t.inboxId, teamId: t.teamId, agentId: t.assigneeId };
      if (timer.breachedAt) items.push({ kind: 'breached', at: +timer.breachedAt, ...dims, value: 1 });
      else if (timer.metAt) items.push({ kind: 'met', at: +timer.metAt, ...dims, value: 1 });
    }
  }
  for (const s of world.surveys.filter((x) => x._id.startsWith(tenantId))) {
    const dims = { channel: s.channel, inboxId: s.inboxId, teamId: s.teamId, agentId: s.agentId };
    items.push({ kind: 'request', at: +s.requestedAt, ...dims, value: 1 });
    if (s.rating !== null) items.push({ kind: 'answer', at: +s.requestedAt, ...dims, value: s.rating });
  }
  if (tenantId === T1) {
    const byAgent = new Map<string, GenPresence[]>();
    for (const p of world.presence) byAgent.set(p.agentId, [...(byAgent.get(p.agentId) ?? []), p]);
    for (const [agentId, changes] of byAgent) {
      let onlineSince: number | null = null;
      for (const p of changes) {
        if (p.status === 'online') onlineSince ??= p.at;
        else if (onlineSince !== null) {
          // Seconds online, hour by hour.
          for (let s = onlineSince; s < p.at; s = Math.min(p.at, hourStart(s) + HOUR)) {
            items.push({ kind: 'presence', at: s, channel: null, inboxId: null, teamId: null, agentId, value: (Math.min(p.at, hourStart(s) + HOUR) - s) / 1000 });
          }
          onlineSince = null;
        }
      }
    }
  }
  return items;
}

function select(items: RefItem[], q: ReportQuery): RefItem[] {
  return items.filter((i) => {
    if (!inPeriod(i.at, q)) return false;
    if (q.agentId && i.agentId !== q.agentId) return false;
    if (i.kind === 'presence') return true;
    return (!q.channel || i.channel === q.channel) && (!q.inboxId || i.inboxId === q.inboxId) && (!q.teamId || i.teamId === q.teamId);
  });
}

function nearestRank(values: number[], q: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(1, Math.ceil(q * sorted.length)) - 1]!;
}
const bucketed = (v: number | null) => (v === null ? null : bucketValue(durationBucket(v)));
const avg = (values: number[]) => (values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length);
const count = (items: RefItem[], kind: string) => items.filter((i) => i.kind === kind).length;
const values = (items: RefItem[], kind: string) => items.filter((i) => i.kind === kind).map((i) => i.value);
const share = (a: number, b: number) => (b === 0 ? null : a / b);

function referenceSummary(items: RefItem[]) {
  const frt = values(items, 'frt');
  const res = values(items, 'resolved');
  const replies = items.filter((i) => i.kind === 'resolved').map((i) => i.replies!);
  const answers = values(items, 'answer');
  const met = count(items, 'met');
  const breached = count(items, 'breached');
  return {
    conversations: count(items, 'created'),
    resolved: res.length,
    inboundMessages: count(items, 'inbound'),
    outboundMessages: count(items, 'outbound'),
    firstResponse: { count: frt.length, median: bucketed(nearestRank(frt, 0.5)), p90: bucketed(nearestRank(frt, 0.9)), average: avg(frt) },
    resolution: { count: res.length, median: bucketed(nearestRank(res, 0.5)), p90: bucketed(nearestRank(res, 0.9)), average: avg(res) },
    repliesPerConversation: { count: replies.length, median: nearestRank(replies, 0.5), p90: nearestRank(replies, 0.9), average: avg(replies) },
    sla: { met, breached, compliance: share(met, met + breached) },
    csat: {
      requests: count(items, 'request'),
      answers: answers.length,
      average: avg(answers),
      score: share(answers.filter((a) => a >= 4).length, answers.length),
      responseRate: share(answers.length, count(items, 'request')),
    },
    presenceSeconds: values(items, 'presence').reduce((a, b) => a + b, 0),
  };
}

// ---------- set-up: records in, through the follower ----------

const data = tempDir('sb-reports');
let store: DocumentStore;
let kv: KeyValue;
let builder: ReportBuilder;
let reports: ReportStore;
const names: Names = { inbox: (id) => `Inbox ${id}`, team: (id) => `Team ${id}`, agent: (id) => `Agent ${id}`, agents: () => AGENTS.map((id) => ({ id, name: `Agent ${id}` })) };
let hoursAfterFollower: unknown[] = [];
let hoursAfterRebuild: unknown[] = [];

const event = (type: string, tenantId: string, at: number, dataFields: Record<string, unknown>, id = `${type}-${Math.random()}`) => ({
  id,
  v: 1 as const,
  type,
  tenantId,
  at: new Date(at).toISOString(),
  data: dataFields,
});

async function hoursOf(tenantId: string) {
  const r = reports.forTenant(tenantId);
  return [
    ...(await r.hours.find({}, { sort: { _id: 1 } })),
    ...(await r.days.find({}, { sort: { _id: 1 } })),
    ...(await r.months.find({}, { sort: { _id: 1 } })),
  ];
}

beforeAll(async () => {
  store = await createStore({ driver: 'embedded', dir: data.dir });
  kv = await createKeyValue({ driver: 'memory' });
  const logger = createLogger({ level: 'silent', format: 'json' });
  const inbox = new Repositories(store);
  const tickets = new TicketStore(store);
  reports = new ReportStore(store);
  await reports.ensureIndexes();
  builder = new ReportBuilder({ reports, inbox, tickets, kv, logger });

  const live1 = generate(T1, 160, 0);
  const live2 = generate(T2, 20, 0);
  world.conversations.push(...live1, ...live2);
  generateTickets([...live1, ...live2]);
  generateSurveys();
  generatePresence();

  const raw = (name: string) => store.collection<{ _id: string }>(name);
  const put = async (name: string, doc: object) => raw(name).insertOne(doc as { _id: string });
  for (const c of world.conversations) await put('conversations', { ...c, threadKey: c._id, channelAccountId: 'acc', contact: { id: 'x', channel: c.channel }, unreadCount: 0, lastSeq: 0, lastMessage: null });
  for (const m of world.messages) {
    const c = world.conversations.find((x) => x._id === m.conversationId)!;
    await put('messages', { ...m, tenantId: c.tenantId, seq: 1, channel: c.channel, channelAccountId: 'acc', externalId: m._id, attachments: [] });
  }
  for (const t of world.tickets) {
    await put('tickets', { _id: t._id, tenantId: t._id.startsWith(T2) ? T2 : T1, assigneeId: t.assigneeId, teamId: t.teamId, channels: [t.channel], inboxIds: [t.inboxId], conversationIds: [t.conversationId], sla: t.sla, ...(t.mergedInto ? { mergedInto: t.mergedInto } : {}) });
  }
  for (const s of world.surveys) await put('csat', { ...s, tenantId: s._id.startsWith(T2) ? T2 : T1, round: 1, tokenHash: s._id });

  // The follower: each conversation's messages, its resolutions, tickets, presence — some twice.
  for (const c of world.conversations) {
    await builder.onEvent(event('message.created', c.tenantId, +c.createdAt, { conversationId: c._id, direction: 'in' }));
    for (const r of world.resolutions.filter((x) => x.conversationId === c._id)) {
      const e = event('conversation.updated', c.tenantId, r.at, { conversationId: c._id, changes: ['status'] });
      await builder.onEvent(e);
      if (chance(0.3)) await builder.onEvent(e); // redelivered
    }
  }
  for (const t of world.tickets) await builder.onEvent(event('ticket.updated', t._id.startsWith(T2) ? T2 : T1, BASE, { ticketId: t._id }));
  for (const s of world.surveys.slice(0, 20)) await builder.onEvent(event('csat.answered', s._id.startsWith(T2) ? T2 : T1, BASE, { conversationId: s.conversationId }));
  for (const p of world.presence) {
    const e = event('agent.presence', T1, p.at + 5, { agentId: p.agentId, status: p.status, since: new Date(p.at).toISOString(), auto: false });
    await builder.onEvent(e);
    if (chance(0.2)) await builder.onEvent(e);
  }
  hoursAfterFollower = await hoursOf(T1);
  await builder.rebuild(T1);
  hoursAfterRebuild = await hoursOf(T1);

  // Older history: resolved conversations from before the follower ran; only the rebuild sees them.
  const old = generate(T1, 0, 12, `${T1}-old`);
  world.conversations.push(...old);
  for (const c of old) await put('conversations', { ...c, threadKey: c._id, channelAccountId: 'acc', contact: { id: 'x', channel: c.channel }, unreadCount: 0, lastSeq: 0, lastMessage: null });
  for (const m of world.messages.filter((x) => old.some((c) => c._id === x.conversationId))) {
    await put('messages', { ...m, tenantId: T1, seq: 1, channel: 'web', channelAccountId: 'acc', externalId: m._id, attachments: [] });
  }
  await builder.rebuild(T1);
}, 120_000);

afterAll(async () => {
  await store.close();
  await kv.close();
  data.remove();
});

const queries = (tenantId = T1) => new ReportQueries(reports.forTenant(tenantId), names);

const PERIODS: ReportQuery[] = [
  { from: '2026-02-23', to: '2026-04-05' },
  { from: '2026-02-23', to: '2026-04-05', tz: 'America/New_York' },
  { from: '2026-03-02', to: '2026-03-31', tz: 'Europe/Berlin' },
  { from: '2026-03-01', to: '2026-03-20', tz: 'Asia/Kolkata' },
  { from: '2026-03-07', to: '2026-03-09', tz: 'America/New_York' },
  { from: '2026-02-23', to: '2026-04-05', tz: 'Asia/Tokyo', channel: 'telegram' },
  { from: '2026-02-23', to: '2026-04-05', tz: 'Europe/Berlin', inboxId: 'inbox-mail' },
  { from: '2026-02-23', to: '2026-04-05', tz: 'UTC', teamId: 'team-b' },
  { from: '2026-03-09', to: '2026-03-29', tz: 'America/Los_Angeles', agentId: 'a3' },
  { from: '2026-03-09', to: '2026-03-29', tz: 'UTC', agentId: 'a2', channel: 'web' },
];

describe('hourly rows', () => {
  it('the follower and the rebuild produce the same hourly, day and month rows, and redelivered events change nothing', () => {
    expect(hoursAfterFollower.length).toBeGreaterThan(500);
    expect(hoursAfterRebuild).toEqual(hoursAfterFollower);
  });

  it('a store with day rows but no month rows gets the same month rows folded once', async () => {
    const months = reports.forTenant(T1).months;
    const before = await months.find({}, { sort: { _id: 1 } });
    expect(before.length).toBeGreaterThan(0);
    await months.deleteMany({});
    expect(await builder.foldMissingMonths(T1)).toBe(before.length);
    expect(await months.find({}, { sort: { _id: 1 } })).toEqual(before);
    expect(await builder.foldMissingMonths(T1)).toBe(0);
  });
});

describe('reports equal a plain calculation over the generated records', () => {
  const items = () => referenceItems(T1);

  for (const q of PERIODS) {
    const label = JSON.stringify(q);
    it(`summary ${label}`, async () => {
      const got = await queries().summary(q);
      const want = referenceSummary(select(items(), q));
      expect(want.conversations + want.presenceSeconds).toBeGreaterThan(0);
      const { period, ...figures } = got;
      expect(period.tz).toBe(q.tz ?? 'UTC');
      expect(roundAll(figures)).toEqual(roundAll(want));
    });
  }

  for (const groupBy of ['channel', 'inbox', 'team', 'agent', 'day', 'hour'] as ReportGroupBy[]) {
    for (const q of [PERIODS[1]!, PERIODS[3]!, PERIODS[7]!]) {
      it(`volume by ${groupBy} ${JSON.stringify(q)}`, async () => {
        const got = await queries().volume({ ...q, groupBy });
        const want = new Map<string, { conversations: number; resolved: number; inboundMessages: number; outboundMessages: number }>();
        for (const i of select(items(), q)) {
          if (!['created', 'resolved', 'inbound', 'outbound'].includes(i.kind)) continue;
          const l = local(hourStart(i.at), q.tz ?? 'UTC');
          const key =
            groupBy === 'day' ? l.date
            : groupBy === 'hour' ? `${l.date}T${String(l.hour).padStart(2, '0')}`
            : ({ channel: i.channel, inbox: i.inboxId, team: i.teamId, agent: i.agentId }[groupBy] ?? 'none');
          const row = want.get(key) ?? { conversations: 0, resolved: 0, inboundMessages: 0, outboundMessages: 0 };
          if (i.kind === 'created') row.conversations++;
          if (i.kind === 'resolved') row.resolved++;
          if (i.kind === 'inbound') row.inboundMessages++;
          if (i.kind === 'outbound') row.outboundMessages++;
          want.set(key, row);
        }
        const expected = [...want.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([key, v]) => ({ key, ...v }));
        expect(got.rows.map(({ label: _l, ...row }) => row)).toEqual(expected);
        if (groupBy === 'agent') expect(got.rows.find((r) => r.key === 'a1')?.label).toBe('Agent a1');
      });
    }
  }

  for (const q of [PERIODS[0]!, PERIODS[1]!, PERIODS[3]!]) {
    it(`heat-map ${JSON.stringify(q)}`, async () => {
      const got = await queries().heatmap(q);
      const cells = Array.from({ length: 7 }, () => Array.from({ length: 24 }, () => 0));
      for (const i of select(items(), q)) {
        if (i.kind !== 'inbound') continue;
        const l = local(hourStart(i.at), q.tz ?? 'UTC');
        cells[l.weekday]![l.hour]!++;
      }
      expect(got.cells).toEqual(cells);
      expect(got.max).toBe(Math.max(...cells.flat()));
    });
  }

  for (const q of [PERIODS[1]!, PERIODS[2]!, PERIODS[8]!]) {
    it(`agents ${JSON.stringify(q)}`, async () => {
      const got = await queries().agents(q);
      const selected = select(items(), q);
      const ids = [...new Set(selected.filter((i) => i.agentId !== null).map((i) => i.agentId!))].sort();
      expect(got.rows.map((r) => r.agentId).sort()).toEqual(ids);
      for (const row of got.rows) {
        const want = referenceSummary(selected.filter((i) => i.agentId === row.agentId));
        expect(roundAll({ resolved: row.resolved, replies: row.replies, firstResponse: row.firstResponse, resolution: row.resolution, sla: row.sla, csat: row.csat, presenceSeconds: row.presenceSeconds })).toEqual(
          roundAll({ resolved: want.resolved, replies: want.outboundMessages, firstResponse: want.firstResponse, resolution: want.resolution, sla: want.sla, csat: want.csat, presenceSeconds: want.presenceSeconds }),
        );
      }
    });
  }

  it('medians from buckets stay within 2.2 % of the exact medians', async () => {
    const q = PERIODS[0]!;
    const got = await queries().summary(q);
    const frt = values(select(items(), q), 'frt');
    const exact = nearestRank(frt, 0.5)!;
    expect(Math.abs(got.firstResponse.median! - exact)).toBeLessThanOrEqual(exact * 0.022 + 0.5);
  });

  it('another tenant sees only its own figures', async () => {
    const q = PERIODS[0]!;
    const got = await queries(T2).summary(q);
    const { period: _p, ...figures } = got;
    expect(roundAll(figures)).toEqual(roundAll(referenceSummary(select(referenceItems(T2), q))));
    expect(got.conversations).toBe(20);
  });
});

/** Averages and shares compared to 9 decimals (sums in another order). */
function roundAll<T>(value: T): T {
  return JSON.parse(JSON.stringify(value, (_k, v: unknown) => (typeof v === 'number' ? Math.round(v * 1e9) / 1e9 : v))) as T;
}
