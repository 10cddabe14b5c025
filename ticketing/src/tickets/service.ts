import type { Bus } from '@switchboard/bus';
import { newId, type DomainEvent, type TicketChange, type TicketStatus } from '@switchboard/contracts';
import { errors } from '@switchboard/http';
import type { ConversationRecord, Presence, Repositories } from '@switchboard/inbox-service';
import type { Logger } from '@switchboard/logging';
import { DuplicateKeyError } from '@switchboard/store';
import { pickLoadBalanced, pickRoundRobin } from '../assignment/strategies.js';
import type { AssignmentCandidate } from '../assignment/types.js';
import { conversationSlaDue, slaAfter, slaSummary, type SlaEvent } from './sla.js';
import type { CrmLink, TicketEventRecord, TicketNoteRecord, TicketRecord, TicketSettingsRecord, TeamRecord } from './records.js';
import type { TicketRepositories, TicketStore } from './repository.js';
import { loadSettings } from './settings.js';

/** A number as JSON writes it (what a number field accepts when it arrives as text). */
const NUMERIC = /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/;

export interface Actor {
  kind: 'agent' | 'apiKey' | 'system';
  id?: string;
  name?: string;
}

export const SYSTEM: Actor = { kind: 'system', name: 'Switchboard' };

/** Statuses that hold an agent's attention (count towards load and capacity). */
export const OPEN_STATUSES: TicketStatus[] = ['new', 'open', 'pending', 'on_hold'];

const MAX_SEEN = 50;

export interface TicketServiceDeps {
  store: TicketStore;
  inbox: Repositories;
  bus: Bus;
  presence: Presence;
  logger: Logger;
  /** Tells the CRM linker a ticket wants a link (it retries on its own). */
  onCrmPending?(ticket: TicketRecord): void;
  /** Tells the search indexer a ticket changed. */
  onChanged?(ticket: TicketRecord): void;
  /** A ticket's assignee changed: its conversations follow (the agents' "mine" lists are conversation lists). */
  onAssigned?(ticket: TicketRecord): Promise<void>;
  /**
   * Writes a ticket's team and nearest SLA due time onto one of its conversations and tells the
   * agents (the inbox's own service when it runs in this process); default: written directly.
   */
  setConversationFields?(tenantId: string, conversationId: string, fields: { teamId: string | null; slaDueAt: Date | null }): Promise<unknown>;
  /** A note was added: its @mentions are recorded and agents are told (awaited, so a 201 means they were). */
  onNoteAdded?(ticket: TicketRecord, note: TicketNoteRecord): Promise<void>;
}

function event(type: string, tenantId: string, data: Record<string, unknown>): DomainEvent {
  return { id: newId(), v: 1, type, tenantId, at: new Date().toISOString(), data };
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Tickets: made from conversations (automatically or by hand), changed by agents and by the
 * conversation's own life (replies start and stop SLA clocks; a customer answering a solved
 * ticket reopens it). Every change is one conditional document write that carries its domain
 * events in the ticket's outbox, a history entry, and then the events on sb.events.
 */
export class TicketService {
  constructor(private readonly deps: TicketServiceDeps) {}

  private get log(): Logger {
    return this.deps.logger;
  }

  async settings(r: TicketRepositories): Promise<TicketSettingsRecord> {
    const tenant = await this.deps.inbox.getTenant(r.tenantId);
    return loadSettings(r, tenant?.timezone);
  }

  async get(r: TicketRepositories, id: string): Promise<TicketRecord> {
    const ticket = await r.tickets.findById(id);
    if (!ticket) throw errors.notFound('The ticket');
    return ticket;
  }

  // ---- the conversation's life ------------------------------------------------------------------

  /** message.created on sb.events: tickets follow their conversations. Idempotent per message. */
  readonly onMessageCreated = async (e: DomainEvent): Promise<void> => {
    const conversationId = typeof e.data.conversationId === 'string' ? e.data.conversationId : null;
    const messageId = typeof e.data.messageId === 'string' ? e.data.messageId : null;
    const direction = e.data.direction;
    if (!conversationId || !messageId || (direction !== 'in' && direction !== 'out')) return;
    const r = this.deps.store.forTenant(e.tenantId);
    const at = new Date(e.at);
    const link = await r.links.findById(conversationId);
    let ticket = link ? await this.follow(r, link.ticketId) : null;
    if (direction === 'out') {
      // An automation's auto-reply or a system message (the CSAT survey link) is not an agent's
      // answer: it meets no response clock.
      if (e.data.authorKind === 'system' || (typeof e.data.agentId === 'string' && e.data.agentId.startsWith('automation:'))) return;
      if (ticket && !ticket.seenMessageIds.includes(messageId)) {
        await this.apply(r, ticket, { status: ticket.status === 'new' ? 'open' : undefined }, SYSTEM, 'replied', { sla: { kind: 'agent_replied' }, messageId, at });
      }
      return;
    }
    // Auto-replies, bounces and list mail never open tickets and never reopen one.
    if (e.data.noise) return;
    if (ticket?.status === 'closed') ticket = null; // a closed ticket stays closed: the customer's new message starts a follow-up
    if (!ticket) {
      const settings = await this.settings(r);
      if (settings.mode !== 'auto' && !link) return;
      const conv = await this.deps.inbox.forTenant(e.tenantId).conversations.findById(conversationId);
      if (!conv) throw new Error(`conversation ${conversationId} not stored yet`);
      await this.create(r, conv, SYSTEM, { at, messageId, relink: Boolean(link), settings });
      return;
    }
    if (ticket.seenMessageIds.includes(messageId)) return;
    const reopen = ticket.status === 'solved' || ticket.status === 'pending';
    await this.apply(r, ticket, { status: reopen ? 'open' : undefined }, SYSTEM, reopen ? 'reopened' : 'customer_replied', {
      sla: { kind: 'customer_replied' },
      messageId,
      at,
    });
  };

  /** A ticket or, when it was merged, the ticket it was merged into. */
  private async follow(r: TicketRepositories, id: string): Promise<TicketRecord | null> {
    let ticket = await r.tickets.findById(id);
    for (let hops = 0; ticket?.mergedInto && hops < 10; hops++) ticket = await r.tickets.findById(ticket.mergedInto);
    return ticket;
  }

  // ---- creating ---------------------------------------------------------------------------------

  /**
   * A ticket for a conversation. Once per conversation: the conversation → ticket link is written
   * first with a new ticket id, and a retry finds it and completes the same ticket.
   */
  async create(
    r: TicketRepositories,
    conv: ConversationRecord,
    actor: Actor,
    opts: { at?: Date; messageId?: string; subject?: string; relink?: boolean; settings?: TicketSettingsRecord } = {},
  ): Promise<TicketRecord> {
    const at = opts.at ?? new Date();
    let ticketId = newId();
    const existingLink = await r.links.findById(conv._id);
    if (existingLink && !opts.relink) {
      const existing = await r.tickets.findById(existingLink.ticketId);
      if (existing) return existing;
      ticketId = existingLink.ticketId;
    } else if (existingLink && opts.relink) {
      // Follow-up of a closed ticket: the link moves to the new one, conditionally, once.
      const moved = await r.links.findOneAndUpdate(
        { _id: conv._id, ticketId: existingLink.ticketId },
        { $set: { ticketId } },
        { returnDocument: 'after' },
      );
      if (!moved) return (await this.follow(r, (await r.links.findById(conv._id))?.ticketId ?? ''))!;
    } else {
      try {
        await r.links.insertOne({ _id: conv._id, conversationId: conv._id, ticketId });
      } catch (err) {
        if (!(err instanceof DuplicateKeyError)) throw err;
        const raced = await r.links.findById(conv._id);
        const existing = raced && (await r.tickets.findById(raced.ticketId));
        if (existing) return existing;
        if (!raced) throw err;
        ticketId = raced.ticketId;
      }
    }

    const settings = opts.settings ?? (await this.settings(r));
    const inbox = this.deps.inbox.forTenant(r.tenantId);
    const first = await inbox.messages.findOne({ conversationId: conv._id }, { sort: { seq: 1 } });
    const contact = conv.contact.id ? await inbox.contacts.findById(conv.contact.id) : null;
    const subject = (opts.subject ?? first?.email?.subject ?? firstLine(first?.text) ?? `Conversation with ${conv.contact.name ?? 'a customer'}`).slice(0, 500) || 'No subject';
    const number = await this.nextNumber(r);
    const crm: CrmLink = settings.crm ? { status: 'pending', provider: settings.crm.kind, attempts: 0, nextAttemptAt: at } : { status: 'none', attempts: 0, nextAttemptAt: null };
    const sla = slaAfter(settings, 'normal', [], { kind: 'created' }, at);
    const ticket: TicketRecord = {
      _id: ticketId,
      tenantId: r.tenantId,
      number,
      subject,
      status: 'new',
      priority: 'normal',
      assigneeId: null,
      teamId: settings.defaultTeamId,
      tags: [],
      fields: {},
      conversationIds: [conv._id],
      inboxIds: [conv.inboxId],
      channels: [conv.channel],
      requester: {
        channel: conv.channel,
        externalId: contact?.externalId ?? conv.threadKey,
        ...pick({ name: conv.contact.name, email: conv.contact.email, phone: conv.contact.phone, handle: conv.contact.handle }),
      },
      crm,
      sla,
      ...slaSummary(sla),
      seenMessageIds: opts.messageId ? [opts.messageId] : [],
      outbox: [event('ticket.created', r.tenantId, { ticketId, number, conversationId: conv._id, subject, channel: conv.channel })],
      outboxPending: true,
      assignedAt: null,
      createdAt: at,
      updatedAt: at,
    } as TicketRecord;
    const { _id, tenantId: _t, ...rest } = ticket;
    // $setOnInsert: a retry after a crash completes the same ticket and changes nothing else.
    await r.tickets.updateOne({ _id }, { $setOnInsert: rest }, { upsert: true });
    await this.history(r, ticketId, `${ticketId}:created`, actor, 'created', [], at);
    let created = (await r.tickets.findById(ticketId))!;
    this.log.info({ tenantId: r.tenantId, ticketId, number: created.number, conversationId: conv._id }, 'ticket created');
    await this.drain(r, created);
    if (created.teamId && !created.assigneeId) created = (await this.autoAssign(r, created)) ?? created;
    if (created.crm.status === 'pending') this.deps.onCrmPending?.(created);
    await this.followConversations(r, created);
    this.deps.onChanged?.(created);
    return created;
  }

  private async nextNumber(r: TicketRepositories): Promise<number> {
    const c = await r.counters.findOneAndUpdate({ _id: `${r.tenantId}:tickets` }, { $inc: { next: 1 } }, { upsert: true, returnDocument: 'after' });
    return 1000 + (c?.next ?? 1);
  }

  // ---- changing ---------------------------------------------------------------------------------

  /** An agent's (or an integration's) change, validated against the tenant's teams, agents and fields. */
  async update(r: TicketRepositories, id: string, change: TicketChange, actor: Actor): Promise<TicketRecord> {
    const ticket = await this.get(r, id);
    if (ticket.mergedInto) throw errors.conflict(`Ticket #${ticket.number} was merged into another ticket; change that one.`);
    await this.validate(r, ticket, change);
    const updated = await this.apply(r, ticket, change, actor, 'updated', {});
    if (change.teamId !== undefined && updated.teamId && !updated.assigneeId) {
      return (await this.autoAssign(r, updated)) ?? updated;
    }
    return updated;
  }

  private async validate(r: TicketRepositories, ticket: TicketRecord, change: TicketChange): Promise<void> {
    if (change.status && ticket.status === 'closed' && change.status !== 'closed') {
      throw errors.conflict(`Ticket #${ticket.number} is closed; the customer's next message opens a follow-up ticket.`);
    }
    if (change.assigneeId) {
      const agent = await this.deps.inbox.forTenant(r.tenantId).agents.findById(change.assigneeId);
      if (!agent || agent.active === false) throw errors.validation('assigneeId does not name an active agent of this team.', { path: '/assigneeId' });
    }
    if (change.teamId) {
      if (!(await r.teams.findById(change.teamId))) throw errors.validation('teamId does not name a team.', { path: '/teamId' });
    }
    if (change.fields) {
      const defs = await r.fields.find({});
      for (const [key, given] of Object.entries(change.fields)) {
        const def = defs.find((d) => d.key === key);
        if (!def) throw errors.validation(`There is no ticket field "${key}".`, { path: `/fields/${key}` });
        // The API's validation hands numbers over as text and null as "" (see FieldValue).
        if (given === null || given === '') {
          change.fields[key] = null;
          continue;
        }
        const value = def.type === 'number' && typeof given === 'string' && NUMERIC.test(given.trim()) ? Number(given) : given;
        change.fields[key] = value;
        const bad = (why: string) => errors.validation(`Field "${def.label}" ${why}.`, { path: `/fields/${key}` });
        if (def.type === 'number' && typeof value !== 'number') throw bad('takes a number');
        if (def.type === 'text' && typeof value !== 'string') throw bad('takes text');
        if (def.type === 'select' && (typeof value !== 'string' || !def.options?.includes(value))) throw bad(`takes one of: ${(def.options ?? []).join(', ')}`);
        if (def.type === 'date' && (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(value)))) throw bad('takes a date as YYYY-MM-DD');
      }
    }
  }

  /**
   * Applies a change: the fields that differ, the SLA clocks that follow from it, a history entry
   * and a ticket.updated event — in one conditional write (retried if someone changed the ticket
   * meanwhile), then publishes the events.
   */
  async apply(
    r: TicketRepositories,
    current: TicketRecord,
    change: Partial<Record<keyof TicketChange, unknown>> & { status?: TicketStatus | undefined },
    actor: Actor,
    kind: string,
    extra: {
      sla?: SlaEvent;
      messageId?: string;
      at?: Date;
      set?: Partial<TicketRecord>;
      quiet?: boolean;
      /** Events beyond ticket.updated, written with the change (sla.breached). */
      events?: { type: string; data: Record<string, unknown> }[];
    },
  ): Promise<TicketRecord> {
    let ticket = current;
    for (let attempt = 0; attempt < 5; attempt++) {
      const at = extra.at ?? new Date();
      const changes: { field: string; from: unknown; to: unknown }[] = [];
      const set: Record<string, unknown> = { ...(extra.set ?? {}) };
      for (const field of ['subject', 'status', 'priority', 'assigneeId', 'teamId', 'tags'] as const) {
        const to = change[field];
        if (to === undefined || same(ticket[field], to)) continue;
        changes.push({ field, from: ticket[field], to });
        set[field] = to;
      }
      if (change.fields) {
        const fields = { ...ticket.fields };
        for (const [k, v] of Object.entries(change.fields as Record<string, string | number | null>)) {
          if (same(fields[k] ?? null, v)) continue;
          changes.push({ field: `fields.${k}`, from: fields[k] ?? null, to: v });
          if (v === null) delete fields[k];
          else fields[k] = v;
        }
        set.fields = fields;
      }
      if ('assigneeId' in set) set.assignedAt = set.assigneeId ? at : null;
      if (set.status === 'solved') set.solvedAt = at;
      if (set.status === 'closed') set.closedAt = at;
      if (set.status && set.status !== 'solved' && set.status !== 'closed') set.solvedAt = null;

      // SLA clocks follow replies, status and priority.
      const settings = extra.sla || set.status || set.priority ? await this.settings(r) : null;
      let sla = ticket.sla;
      if (settings) {
        if (extra.sla) sla = slaAfter(settings, (set.priority as TicketRecord['priority']) ?? ticket.priority, sla, extra.sla, at);
        if (set.status) sla = slaAfter(settings, ticket.priority, sla, { kind: 'status_changed', from: ticket.status, to: set.status as TicketStatus }, at);
        if (set.priority) sla = slaAfter(settings, set.priority as TicketRecord['priority'], sla, { kind: 'priority_changed' }, at);
        if (!same(sla, ticket.sla)) Object.assign(set, { sla }, slaSummary(sla));
      }
      if (extra.messageId) set.seenMessageIds = [...ticket.seenMessageIds, extra.messageId].slice(-MAX_SEEN);
      if (changes.length === 0 && !('sla' in set) && !extra.messageId && !extra.set && !extra.events?.length) return ticket;

      set.updatedAt = at;
      const events = [
        ...(changes.length
          ? [event('ticket.updated', r.tenantId, { ticketId: ticket._id, number: ticket.number, kind, changes, actor: { kind: actor.kind, id: actor.id ?? null } })]
          : []),
        ...(extra.events ?? []).map((e) => event(e.type, r.tenantId, e.data)),
      ];
      const update: Record<string, unknown> = { $set: { ...set, ...(events.length ? { outboxPending: true } : {}) } };
      if (events.length) update.$push = { outbox: { $each: events } };
      const written = await r.tickets.findOneAndUpdate({ _id: ticket._id, updatedAt: ticket.updatedAt }, update, { returnDocument: 'after' });
      if (!written) {
        const fresh = await r.tickets.findById(ticket._id);
        if (!fresh) throw errors.notFound('The ticket');
        if (extra.messageId && fresh.seenMessageIds.includes(extra.messageId)) return fresh;
        ticket = fresh;
        continue;
      }
      if (changes.length && !extra.quiet) await this.history(r, ticket._id, newId(), actor, kind, changes, at);
      await this.drain(r, written);
      if ('sla' in set || 'status' in set || 'teamId' in set || 'conversationIds' in set) await this.followConversations(r, written);
      if ('assigneeId' in set) {
        await this.deps.onAssigned?.(written).catch((err: unknown) => this.log.warn({ err, tenantId: r.tenantId, ticketId: written._id }, 'conversations not assigned with their ticket'));
      }
      this.deps.onChanged?.(written);
      return written;
    }
    throw errors.conflict('The ticket is being changed by someone else right now; try again.');
  }

  /** Same change on many tickets; each succeeds or fails on its own. */
  async bulk(r: TicketRepositories, ids: string[], change: TicketChange, actor: Actor) {
    const updated: TicketRecord[] = [];
    const failed: { id: string; code: string; message: string }[] = [];
    for (const id of [...new Set(ids)]) {
      try {
        updated.push(await this.update(r, id, change, actor));
      } catch (err) {
        const e = err as { code?: string; message?: string };
        failed.push({ id, code: e.code ?? 'SB_ERR_INTERNAL', message: e.message ?? 'failed' });
      }
    }
    return { updated, failed };
  }

  /**
   * Merges tickets into `targetId`: their conversations, channels and tags join the target, they
   * close with `mergedInto`, and later messages of their conversations land on the target.
   */
  async merge(r: TicketRepositories, targetId: string, sourceIds: string[], actor: Actor): Promise<TicketRecord> {
    let target = await this.get(r, targetId);
    if (target.mergedInto || target.status === 'closed') throw errors.conflict(`Ticket #${target.number} is closed or merged; merge into an open ticket.`);
    const sources: TicketRecord[] = [];
    for (const id of [...new Set(sourceIds)]) {
      if (id === targetId) throw errors.validation('A ticket cannot be merged into itself.', { path: '/sourceIds' });
      const source = await this.get(r, id);
      if (source.mergedInto) throw errors.conflict(`Ticket #${source.number} was already merged.`);
      sources.push(source);
    }
    const union = <T>(a: T[], b: T[]) => [...new Set([...a, ...b])];
    const conversationIds = sources.reduce((acc, s) => union(acc, s.conversationIds), target.conversationIds);
    target = await this.apply(
      r,
      target,
      { tags: sources.reduce((acc, s) => union(acc, s.tags), target.tags) },
      actor,
      'merged',
      {
        set: {
          conversationIds,
          inboxIds: sources.reduce((acc, s) => union(acc, s.inboxIds), target.inboxIds),
          channels: sources.reduce((acc, s) => union(acc, s.channels), target.channels),
        },
        quiet: true,
      },
    );
    for (const source of sources) {
      for (const conversationId of source.conversationIds) await r.links.updateOne({ _id: conversationId }, { $set: { ticketId: target._id } });
      await this.apply(r, source, { status: 'closed' }, actor, 'merged_away', { set: { mergedInto: target._id }, quiet: true });
      await this.history(r, source._id, newId(), actor, 'merged_into', [{ field: 'mergedInto', from: null, to: target.number }], new Date());
    }
    await this.history(r, target._id, newId(), actor, 'merged', [{ field: 'merged', from: null, to: sources.map((s) => s.number) }], new Date());
    await this.publish(r.tenantId, event('ticket.merged', r.tenantId, { ticketId: target._id, number: target.number, mergedIds: sources.map((s) => s._id) }));
    return (await r.tickets.findById(target._id)) ?? target;
  }

  /** Another conversation joins a ticket (the same customer writing on two channels about one thing). */
  async linkConversation(r: TicketRepositories, ticketId: string, conv: ConversationRecord, actor: Actor): Promise<TicketRecord> {
    const ticket = await this.get(r, ticketId);
    if (ticket.conversationIds.includes(conv._id)) return ticket;
    const link = await r.links.findById(conv._id);
    if (link && link.ticketId !== ticketId) {
      const other = await r.tickets.findById(link.ticketId);
      if (other && !other.mergedInto && other.status !== 'closed') {
        throw errors.conflict(`That conversation belongs to ticket #${other.number}; merge the tickets instead.`);
      }
    }
    await r.links.updateOne({ _id: conv._id }, { $set: { conversationId: conv._id, ticketId } }, { upsert: true });
    return this.apply(r, ticket, {}, actor, 'conversation_linked', {
      set: {
        conversationIds: [...ticket.conversationIds, conv._id],
        inboxIds: [...new Set([...ticket.inboxIds, conv.inboxId])],
        channels: [...new Set([...ticket.channels, conv.channel])],
      },
    });
  }

  /** `mentions`: agent ids already checked by the caller (MentionService.check). */
  async addNote(r: TicketRepositories, ticketId: string, text: string, actor: Actor, mentions: readonly string[] = []) {
    const ticket = await this.get(r, ticketId);
    const note = await r.notes.insertOne({
      _id: newId(),
      ticketId: ticket._id,
      author: pick({ id: actor.id, name: actor.name }),
      text,
      ...(mentions.length ? { mentions: [...mentions] } : {}),
      createdAt: new Date(),
    });
    await this.deps.onNoteAdded?.(ticket, note);
    await this.history(r, ticket._id, newId(), actor, 'note', [], note.createdAt, text.slice(0, 200));
    await this.publish(r.tenantId, event('ticket.note_added', r.tenantId, { ticketId: ticket._id, number: ticket.number, noteId: note._id }));
    return note;
  }

  // ---- assignment -------------------------------------------------------------------------------

  /**
   * The team's strategy picks an online agent with room; nobody available leaves it unassigned.
   * `actor`: who asked (an automation rule's actor keeps the rule from triggering itself).
   */
  async autoAssign(r: TicketRepositories, ticket: TicketRecord, actor: Actor = SYSTEM): Promise<TicketRecord | null> {
    if (!ticket.teamId || !OPEN_STATUSES.includes(ticket.status)) return null;
    const team = await r.teams.findById(ticket.teamId);
    if (!team || team.strategy === 'manual' || team.members.length === 0) return null;
    const candidates = await this.candidates(r, team);
    const agentId = team.strategy === 'round_robin' ? pickRoundRobin(candidates, team.lastAssignedAgentId) : pickLoadBalanced(candidates);
    if (!agentId) {
      this.log.info({ tenantId: r.tenantId, ticketId: ticket._id, teamId: team._id }, 'nobody available for automatic assignment');
      return null;
    }
    await r.teams.updateOne({ _id: team._id }, { $set: { lastAssignedAgentId: agentId, [`lastAssignedAt.${agentId}`]: new Date(), updatedAt: new Date() } });
    return this.apply(r, ticket, { assigneeId: agentId }, actor, team.strategy, {});
  }

  private async candidates(r: TicketRepositories, team: TeamRecord): Promise<AssignmentCandidate[]> {
    const presence = await this.deps.presence.all(r.tenantId).catch((err: unknown) => {
      this.log.warn({ err, tenantId: r.tenantId }, 'presence unavailable; nobody counts as online');
      return new Map();
    });
    const agents = this.deps.inbox.forTenant(r.tenantId).agents;
    const last = team.lastAssignedAt ?? {};
    const out: AssignmentCandidate[] = [];
    for (const m of team.members) {
      const agent = await agents.findById(m.agentId);
      if (!agent || agent.active === false) continue;
      const load = await r.tickets.countDocuments({ assigneeId: m.agentId, status: { $in: OPEN_STATUSES } });
      out.push({ agentId: m.agentId, online: presence.get(m.agentId)?.status === 'online', load, capacity: m.capacity, lastAssignedAt: last[m.agentId] ? new Date(last[m.agentId]!) : null });
    }
    return out;
  }

  // ---- the conversations' copy -------------------------------------------------------------------

  /**
   * Copies the ticket's team and SLA due time (conversationSlaDue) onto its conversations, where the
   * agents' lists filter (team views) and sort (SLA due) by them. Only conversations whose current
   * ticket this is (a closed ticket's follow-up, or a merge, moved the link on); only when they differ.
   */
  async followConversations(r: TicketRepositories, ticket: TicketRecord): Promise<void> {
    if (ticket.mergedInto) return;
    const teamId = ticket.teamId ?? null;
    const slaDueAt = conversationSlaDue(ticket.status, ticket.sla);
    const conversations = this.deps.inbox.forTenant(r.tenantId).conversations;
    for (const conversationId of ticket.conversationIds) {
      try {
        if ((await r.links.findById(conversationId))?.ticketId !== ticket._id) continue;
        const differs = await conversations.findOne({ _id: conversationId, $or: [{ teamId: { $ne: teamId } }, { slaDueAt: { $ne: slaDueAt } }] });
        if (!differs) continue;
        if (this.deps.setConversationFields) await this.deps.setConversationFields(r.tenantId, conversationId, { teamId, slaDueAt });
        else await conversations.updateOne({ _id: conversationId }, { $set: { teamId, slaDueAt } });
      } catch (err) {
        this.log.warn({ err, tenantId: r.tenantId, ticketId: ticket._id, conversationId }, "ticket's team and SLA due time not copied to its conversation");
      }
    }
  }

  // ---- history and events -----------------------------------------------------------------------

  recordHistory(r: TicketRepositories, ticketId: string, actor: Actor, type: string, changes: TicketEventRecord['changes'], at: Date): Promise<void> {
    return this.history(r, ticketId, newId(), actor, type, changes, at);
  }

  /** Tells the search indexer (and whoever listens) that a ticket changed outside `apply`. */
  changed(ticket: TicketRecord): void {
    this.deps.onChanged?.(ticket);
  }

  private async history(r: TicketRepositories, ticketId: string, id: string, actor: Actor, type: string, changes: TicketEventRecord['changes'], at: Date, note?: string) {
    try {
      await r.events.insertOne({ _id: id, ticketId, at, actor: pick({ kind: actor.kind, id: actor.id, name: actor.name }) as Actor, type, changes, ...(note ? { note } : {}) });
    } catch (err) {
      if (!(err instanceof DuplicateKeyError)) throw err;
    }
  }

  /** Publishes an event that no ticket write carries (merges, notes, CRM links); logged when it fails. */
  async publish(tenantId: string, e: DomainEvent): Promise<void> {
    await this.deps.bus.publishEvent(e).catch((err: unknown) => this.log.warn({ err, tenantId, type: e.type }, 'event not published'));
  }

  /**
   * Publishes the events a ticket write carried and removes them. A crash before this leaves
   * them in the document; the sweeper publishes them later (at-least-once, ids keep them apart).
   */
  async drain(r: TicketRepositories, ticket: Pick<TicketRecord, '_id' | 'outbox'>): Promise<void> {
    for (const e of ticket.outbox ?? []) {
      try {
        await this.deps.bus.publishEvent(e);
      } catch (err) {
        this.log.warn({ err, tenantId: r.tenantId, ticketId: ticket._id }, 'ticket events not published yet; the sweeper retries');
        return;
      }
      await r.tickets.updateOne({ _id: ticket._id }, { $pull: { outbox: { id: e.id } } });
    }
    await r.tickets.updateOne({ _id: ticket._id, outbox: [] }, { $set: { outboxPending: false } });
  }
}

function firstLine(text: string | undefined): string | undefined {
  const line = text?.split('\n').find((l) => l.trim())?.trim();
  return line ? (line.length > 120 ? `${line.slice(0, 119)}…` : line) : undefined;
}

function pick<T extends Record<string, unknown>>(obj: T): Partial<T> {
  const out: Partial<T> = {};
  for (const [k, v] of Object.entries(obj)) if (v !== undefined && v !== null && v !== '') (out as Record<string, unknown>)[k] = v;
  return out;
}
