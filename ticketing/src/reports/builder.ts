import type { DomainEvent } from '@switchboard/contracts';
import type { Repositories } from '@switchboard/inbox-service';
import type { KeyValue } from '@switchboard/kv';
import type { Logger } from '@switchboard/logging';
import type { TicketStore } from '../tickets/repository.js';
import {
  conversationFacts,
  DAY_MS,
  dayOf,
  foldDays,
  foldFacts,
  foldMonths,
  monthOf,
  nextMonth,
  presenceFacts,
  rowId,
  ticketFacts,
  type Dims,
  type Fact,
  type HourRow,
  type SurveyInput,
} from './facts.js';
import type { FactRecord, ReportRepositories, ReportStore } from './repository.js';

export interface ReportBuilderDeps {
  reports: ReportStore;
  inbox: Repositories;
  tickets: TicketStore;
  kv: KeyValue;
  logger: Logger;
}

const LOCK_TTL_MS = 60_000;
const REBUILD_LOCK_TTL_MS = 15 * 60_000;

/**
 * Keeps the hourly report rows. Every change goes the same way: derive the facts of what changed
 * (a conversation, a ticket, a presence interval) from the stored records, replace that source's
 * facts, and recompute the hourly rows of every hour whose facts changed from all the facts of
 * that hour. So handling an event twice, or out of order with the rebuild, converges to the same
 * rows. One tenant is worked on by one instance at a time (a KV lock), so two recomputations of
 * one hour never interleave.
 */
export class ReportBuilder {
  constructor(private readonly deps: ReportBuilderDeps) {}

  /** The reports' follower of sb.events (group `reports`). */
  async onEvent(e: DomainEvent): Promise<void> {
    const s = (key: string) => (typeof e.data[key] === 'string' ? (e.data[key] as string) : null);
    const conversationId = s('conversationId');
    if (e.type === 'tenant.deleted') {
      const documents = await this.deps.reports.deleteTenant(e.tenantId);
      this.deps.logger.info({ tenantId: e.tenantId, documents }, 'report data of a deleted tenant removed');
      return;
    }
    if (e.type === 'agent.presence') {
      const agentId = s('agentId');
      const status = s('status');
      if (agentId && status) await this.presenceChanged(e.tenantId, agentId, status, new Date(s('since') ?? e.at));
      return;
    }
    if (e.type === 'conversation.updated' && conversationId) {
      const changes = Array.isArray(e.data.changes) ? e.data.changes : [];
      if (changes.includes('status')) await this.noteResolution(e.tenantId, conversationId, e.id, new Date(e.at));
      return this.refreshConversation(e.tenantId, conversationId);
    }
    if (e.type.startsWith('ticket.') || e.type === 'sla.breached') {
      const ticketId = s('ticketId');
      if (ticketId) await this.refreshTicket(e.tenantId, ticketId);
      return;
    }
    if (conversationId) await this.refreshConversation(e.tenantId, conversationId);
  }

  /** A conversation became resolved: remember when and whose it was (the stored record keeps no history). */
  async noteResolution(tenantId: string, conversationId: string, eventId: string, at: Date): Promise<void> {
    const conv = await this.deps.inbox.forTenant(tenantId).conversations.findById(conversationId);
    if (!conv || conv.status !== 'resolved') return;
    await this.deps.reports
      .forTenant(tenantId)
      .resolutions.updateOne(
        { _id: `e:${eventId}` },
        { $setOnInsert: { conversationId, at, agentId: conv.assigneeId, teamId: conv.teamId ?? null } },
        { upsert: true },
      );
  }

  async refreshConversation(tenantId: string, conversationId: string): Promise<void> {
    await this.locked(tenantId, LOCK_TTL_MS, async (r) => {
      const facts = await this.deriveConversation(tenantId, conversationId, r);
      await this.replaceSource(r, `c:${conversationId}`, facts);
    });
  }

  async refreshTicket(tenantId: string, ticketId: string): Promise<void> {
    const ticket = await this.deps.tickets.forTenant(tenantId).tickets.findById(ticketId);
    await this.locked(tenantId, LOCK_TTL_MS, async (r) => {
      await this.replaceSource(r, `t:${ticketId}`, ticket && !ticket.mergedInto ? ticketFacts(ticket) : []);
      // The ticket's team moves onto its conversations, which their facts carry.
      for (const conversationId of ticket?.conversationIds ?? []) {
        await this.replaceSource(r, `c:${conversationId}`, await this.deriveConversation(tenantId, conversationId, r));
      }
    });
  }

  /** An agent's presence changed at `at`: an online stretch that ended becomes presence facts. */
  async presenceChanged(tenantId: string, agentId: string, status: string, at: Date): Promise<void> {
    await this.locked(tenantId, LOCK_TTL_MS, async (r) => {
      const prev = await r.presence.findById(agentId);
      if (prev?.status === 'online' && status === 'online') return;
      if (prev?.status === 'online' && +at > +prev.since) {
        const facts = presenceFacts(tenantId, agentId, prev.since, at);
        await this.upsertFacts(r, facts);
        await this.recomputeHours(r, facts.map((f) => f.hour));
      }
      if (prev && +prev.since > +at) return; // an older, redelivered change
      await r.presence.updateOne({ _id: agentId }, { $set: { agentId, status, since: at } }, { upsert: true });
    });
  }

  /**
   * Recomputes every fact and hourly row of the tenant from the stored conversations, messages,
   * tickets and surveys (resolutions the follower recorded are kept; a resolved conversation
   * without one gets one at its last update; presence is kept as heard).
   */
  async rebuild(tenantId: string): Promise<{ rows: number; conversations: number; tookMs: number }> {
    const started = performance.now();
    return this.locked(tenantId, REBUILD_LOCK_TTL_MS, async (r) => {
      const inbox = this.deps.inbox.forTenant(tenantId);
      const conversations = await inbox.conversations.find({});
      const byConversation = <T extends { conversationId: string }>(items: T[]) => {
        const map = new Map<string, T[]>();
        for (const item of items) map.set(item.conversationId, [...(map.get(item.conversationId) ?? []), item]);
        return map;
      };
      const known = byConversation(await r.resolutions.find({}));
      for (const conv of conversations) {
        if (conv.status !== 'resolved' || known.has(conv._id)) continue;
        const inferred = { conversationId: conv._id, at: conv.updatedAt, agentId: conv.assigneeId, teamId: conv.teamId ?? null, inferred: true };
        await r.resolutions.updateOne({ _id: `inferred:${conv._id}` }, { $setOnInsert: inferred }, { upsert: true });
        known.set(conv._id, [{ _id: `inferred:${conv._id}`, tenantId, ...inferred }]);
      }
      const messages = byConversation(await inbox.messages.find({}, { projection: { conversationId: 1, direction: 1, author: 1, createdAt: 1 } }));
      const surveys = byConversation(await inbox.csat.find({}));
      const facts: Fact[] = [];
      for (const conv of conversations) {
        facts.push(...conversationFacts(conv, messages.get(conv._id) ?? [], known.get(conv._id) ?? [], (surveys.get(conv._id) ?? []) as SurveyInput[]));
      }
      for (const t of await this.deps.tickets.forTenant(tenantId).tickets.find({ mergedInto: { $exists: false } })) facts.push(...ticketFacts(t));
      facts.push(...(await r.facts.find({ kind: 'presence' })));

      await r.facts.deleteMany({ kind: { $ne: 'presence' } });
      for (const f of facts) if (f.kind !== 'presence') await r.facts.insertOne(strip(f));
      await r.hours.deleteMany({});
      await r.days.deleteMany({});
      await r.months.deleteMany({});
      const rows = foldFacts(facts);
      for (const row of rows) await r.hours.insertOne(strip(row));
      const dayRows = foldDays(rows);
      for (const row of dayRows) await r.days.insertOne(strip(row));
      for (const row of foldMonths(dayRows)) await r.months.insertOne(strip(row));
      const tookMs = Math.round(performance.now() - started);
      this.deps.logger.info({ tenantId, rows: rows.length, conversations: conversations.length, tookMs }, 'reports rebuilt');
      return { rows: rows.length, conversations: conversations.length, tookMs };
    });
  }

  private async deriveConversation(tenantId: string, conversationId: string, r: ReportRepositories): Promise<Fact[]> {
    const inbox = this.deps.inbox.forTenant(tenantId);
    const conv = await inbox.conversations.findById(conversationId);
    if (!conv) return [];
    const [messages, resolutions, surveys] = await Promise.all([
      inbox.messages.find({ conversationId }, { projection: { direction: 1, author: 1, createdAt: 1 } }),
      r.resolutions.find({ conversationId }),
      inbox.csat.find({ conversationId }),
    ]);
    return conversationFacts(conv, messages, resolutions, surveys as SurveyInput[]);
  }

  /** Makes `facts` the facts of `source` and recomputes the hours either side touches. */
  private async replaceSource(r: ReportRepositories, source: string, facts: Fact[]): Promise<void> {
    const old = await r.facts.find({ source });
    const keep = new Set(facts.map((f) => f._id));
    const hours = new Map<number, Date>();
    for (const f of [...old, ...facts]) hours.set(+f.hour, f.hour);
    const oldById = new Map(old.map((f) => [f._id, f]));
    const changed = facts.filter((f) => !sameFact(oldById.get(f._id), f));
    const gone = old.filter((f) => !keep.has(f._id));
    if (changed.length === 0 && gone.length === 0) return;
    await this.upsertFacts(r, changed);
    if (gone.length > 0) await r.facts.deleteMany({ _id: { $in: gone.map((f) => f._id) } });
    const touched = new Map<number, Date>();
    for (const f of [...changed, ...gone]) touched.set(+f.hour, f.hour);
    for (const f of changed) {
      const before = oldById.get(f._id);
      if (before) touched.set(+before.hour, before.hour);
    }
    await this.recomputeHours(r, [...touched.values()]);
  }

  private async upsertFacts(r: ReportRepositories, facts: Fact[]): Promise<void> {
    for (const f of facts) {
      const { _id, tenantId: _t, ...rest } = f;
      await r.facts.updateOne({ _id }, { $set: rest, ...(rest.replies === undefined ? { $unset: { replies: 1 as const } } : {}) }, { upsert: true });
    }
  }

  /** The hourly rows of these hours, recomputed from all their facts, then their days' rows. */
  private async recomputeHours(r: ReportRepositories, hours: Date[]): Promise<void> {
    if (hours.length === 0) return;
    const facts = await r.facts.find({ hour: { $in: hours } });
    await this.replaceRows(r.hours, hours, foldFacts(facts));
    const days = new Map<number, Date>();
    for (const h of hours) days.set(+dayOf(h), dayOf(h));
    for (const day of days.values()) {
      const dayHours = await r.hours.find({ hour: { $gte: day, $lt: new Date(+day + DAY_MS) } });
      const changed = await this.replaceRows(r.days, [day], foldDays(dayHours));
      await this.refoldMonths(r, monthOf(day), changed);
    }
  }

  /**
   * The month rows of these dimensions, refolded from their own day rows of the month (a few
   * dozen rows through the dimensions' index, not the whole month of the team).
   */
  private async refoldMonths(r: ReportRepositories, month: Date, changed: Dims[]): Promise<void> {
    const seen = new Set<string>();
    for (const d of changed) {
      const id = rowId(r.tenantId, month, d);
      if (seen.has(id)) continue;
      seen.add(id);
      const dims = { channel: d.channel, inboxId: d.inboxId, teamId: d.teamId, agentId: d.agentId };
      const [row] = foldMonths(await r.days.find({ ...dims, hour: { $gte: month, $lt: nextMonth(month) } }));
      const existing = await r.months.findById(id);
      if (!row) {
        if (existing) await r.months.deleteOne({ _id: id });
      } else if (!sameRow(existing ?? undefined, row)) {
        const { _id, tenantId: _t, ...rest } = row;
        await r.months.updateOne({ _id }, { $set: rest }, { upsert: true });
      }
    }
  }

  /**
   * Month rows for a team whose day rows came before month rows existed (folded once, at start);
   * returns how many were written.
   */
  async foldMissingMonths(tenantId: string): Promise<number> {
    const r = this.deps.reports.forTenant(tenantId);
    if ((await r.months.countDocuments({})) > 0 || (await r.days.countDocuments({})) === 0) return 0;
    return this.locked(tenantId, REBUILD_LOCK_TTL_MS, async (locked) => {
      if ((await locked.months.countDocuments({})) > 0) return 0;
      const rows = foldMonths(await locked.days.find({}));
      for (const row of rows) await locked.months.insertOne(strip(row));
      this.deps.logger.info({ tenantId, rows: rows.length }, 'report month rows folded from the day rows');
      return rows.length;
    });
  }

  /**
   * Makes `rows` the rows of these hours (or days): changed ones written, vanished ones deleted;
   * returns the dimensions of what changed.
   */
  private async replaceRows(coll: ReportRepositories['hours'], hours: Date[], rows: HourRow[]): Promise<Dims[]> {
    const existing = await coll.find({ hour: { $in: hours } });
    const fresh = new Set(rows.map((row) => row._id));
    const before = new Map(existing.map((row) => [row._id, row]));
    const changed: Dims[] = [];
    for (const row of rows) {
      if (sameRow(before.get(row._id), row)) continue;
      const { _id, tenantId: _t, ...rest } = row;
      await coll.updateOne({ _id }, { $set: rest }, { upsert: true });
      changed.push(row);
    }
    const stale = existing.filter((row) => !fresh.has(row._id));
    if (stale.length > 0) await coll.deleteMany({ _id: { $in: stale.map((row) => row._id) } });
    return [...changed, ...stale];
  }

  private async locked<R>(tenantId: string, ttlMs: number, fn: (r: ReportRepositories) => Promise<R>): Promise<R> {
    const key = `sb:reports:lock:${tenantId}`;
    const me = `${process.pid}:${Math.random().toString(36).slice(2)}`;
    const deadline = Date.now() + 10_000;
    while (!(await this.deps.kv.set(key, me, { nx: true, ttlMs }))) {
      // The bus retries the event with back-off if another instance holds the tenant this long.
      if (Date.now() > deadline) throw new Error(`The reports of tenant ${tenantId} are being rebuilt or updated elsewhere; try again.`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    try {
      return await fn(this.deps.reports.forTenant(tenantId));
    } finally {
      if ((await this.deps.kv.get(key).catch(() => null)) === me) await this.deps.kv.del(key).catch(() => undefined);
    }
  }
}

function strip<T extends { tenantId: string }>(doc: T): Omit<T, 'tenantId'> {
  const { tenantId: _t, ...rest } = doc;
  return rest;
}

function sameFact(a: FactRecord | Fact | undefined, b: Fact): boolean {
  return (
    a !== undefined &&
    +a.hour === +b.hour &&
    a.kind === b.kind &&
    a.value === b.value &&
    (a.replies ?? null) === (b.replies ?? null) &&
    a.channel === b.channel &&
    a.inboxId === b.inboxId &&
    a.teamId === b.teamId &&
    a.agentId === b.agentId
  );
}

function sameRow(a: HourRow | undefined, b: HourRow): boolean {
  if (!a) return false;
  const { hour: ha, tenantId: _ta, ...ra } = a;
  const { hour: hb, tenantId: _tb, ...rb } = b;
  return +ha === +hb && JSON.stringify(ra) === JSON.stringify(rb);
}
