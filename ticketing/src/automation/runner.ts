import type { AutomationTriggerKind, DomainEvent } from '@switchboard/contracts';
import type { Logger } from '@switchboard/logging';
import { DuplicateKeyError } from '@switchboard/store';
import { evaluate, plan, triggerFires, type TriggerEvent } from './engine.js';
import { ActionFailed, AUTOMATION_ACTOR_PREFIX, type AutomationExecutor } from './executor.js';
import { factsOf, loadSubject, type FactsDeps, type Subject } from './facts.js';
import type { AutomationRuleRecord } from './records.js';
import type { AutomationRepositories, AutomationStore } from './repository.js';

/** The sb.events types rules listen to (consumed in the durable group "automation"). */
export const AUTOMATION_EVENTS = ['message.created', 'conversation.created', 'ticket.updated', 'sla.breached', 'contact.created', 'tenant.deleted'];

export interface RunnerOptions {
  store: AutomationStore;
  facts: FactsDeps;
  executor: AutomationExecutor;
  logger: Logger;
  /** Backstop against loops between rules: one rule runs at most `capRuns` times per conversation within `capWindowMs`. */
  capRuns?: number;
  capWindowMs?: number;
  /**
   * Ticketing's own (idempotent) handling of a customer message, run before rules look: ticketing
   * consumes the same event in its own group, and rules should see the ticket it makes.
   */
  ensureTicket?(e: DomainEvent): Promise<void>;
}

const EVENT_TRIGGERS: Record<string, AutomationTriggerKind> = {
  'message.created': 'message_received',
  'conversation.created': 'conversation_created',
  'contact.created': 'contact_created',
  'ticket.updated': 'ticket_updated',
  'sla.breached': 'sla_breached',
};

type Ids = { conversationId?: string | null; messageId?: string | null; contactId?: string | null; ticketId?: string | null };

/**
 * Turns domain events into rule runs. Rules of the event's tenant run in their order; each one
 * that fires and matches runs its actions before the next rule looks (so later rules see what
 * earlier ones did). A run is claimed first with a marker keyed by event and rule, so a
 * redelivered event never runs a rule twice.
 */
export class AutomationRunner {
  private readonly capRuns: number;
  private readonly capWindowMs: number;

  constructor(private readonly opts: RunnerOptions) {
    this.capRuns = opts.capRuns ?? 5;
    this.capWindowMs = opts.capWindowMs ?? 15 * 60_000;
  }

  readonly onEvent = async (e: DomainEvent): Promise<void> => {
    const kind = EVENT_TRIGGERS[e.type];
    if (!kind) return;
    const rules = await this.opts.store.forTenant(e.tenantId).rules.find({ enabled: true, 'trigger.kind': kind }, { sort: { position: 1, _id: 1 } });
    if (rules.length === 0) return;
    const t = await this.toTrigger(e);
    if (!t) return;
    await this.fire(e.tenantId, rules, t.event, t.ids);
  };

  /** What a domain event means to rules; null for events no rule can wait for. */
  private async toTrigger(e: DomainEvent): Promise<{ event: TriggerEvent; ids: Ids } | null> {
    const str = (v: unknown) => (typeof v === 'string' && v ? v : null);
    const d = e.data;
    switch (e.type) {
      case 'message.created': {
        const conversationId = str(d.conversationId);
        const messageId = str(d.messageId);
        if (d.direction !== 'in' || !conversationId || !messageId) return null;
        const messages = this.opts.facts.inbox.forTenant(e.tenantId).messages;
        const message = await messages.findById(messageId);
        if (!message) return null;
        const earlier = await messages.findOne({ conversationId, direction: 'in', seq: { $lt: message.seq } });
        await this.opts.ensureTicket?.(e);
        return { event: { kind: 'message_received', id: e.id, first: !earlier }, ids: { conversationId, messageId } };
      }
      case 'conversation.created': {
        const conversationId = str(d.conversationId);
        if (!conversationId) return null;
        await this.ticketFirst(e, conversationId);
        return { event: { kind: 'conversation_created', id: e.id }, ids: { conversationId } };
      }
      case 'contact.created': {
        const contactId = str(d.contactId);
        const conversationId = str(d.conversationId);
        if (!contactId) return null;
        if (conversationId) await this.ticketFirst(e, conversationId);
        return { event: { kind: 'contact_created', id: e.id }, ids: { contactId, conversationId } };
      }
      case 'ticket.updated': {
        const ticketId = str(d.ticketId);
        if (!ticketId) return null;
        const changes = Array.isArray(d.changes) ? (d.changes as { field?: unknown }[]).map((c) => String(c?.field ?? '')) : [];
        const actorId = str((d.actor as { id?: unknown } | undefined)?.id);
        const causedByRuleId = actorId?.startsWith(AUTOMATION_ACTOR_PREFIX) ? actorId.slice(AUTOMATION_ACTOR_PREFIX.length) : null;
        return { event: { kind: 'ticket_updated', id: e.id, changedFields: changes, causedByRuleId }, ids: { ticketId } };
      }
      case 'sla.breached': {
        const ticketId = str(d.ticketId);
        return ticketId ? { event: { kind: 'sla_breached', id: e.id, metric: str(d.metric) ?? '' }, ids: { ticketId } } : null;
      }
      default:
        return null;
    }
  }

  /** A new conversation's ticket, made now from its first customer message (the same ticket ticketing makes when that message.created arrives). */
  private async ticketFirst(e: DomainEvent, conversationId: string): Promise<void> {
    if (!this.opts.ensureTicket) return;
    const first = await this.opts.facts.inbox.forTenant(e.tenantId).messages.findOne({ conversationId, direction: 'in' }, { sort: { seq: 1 } });
    if (!first) return;
    await this.opts.ensureTicket({
      ...e,
      type: 'message.created',
      at: new Date(first.createdAt).toISOString(),
      data: { conversationId, messageId: first._id, channel: first.channel, direction: 'in', ...(first.email?.noise ? { noise: first.email.noise } : {}) },
    });
  }

  /** Runs `rules` (already in order) for one event. */
  async fire(tenantId: string, rules: AutomationRuleRecord[], event: TriggerEvent, ids: Ids): Promise<void> {
    const firing = rules.filter((rule) => triggerFires(rule._id, rule.trigger, event).fires);
    if (firing.length === 0) return;
    const ar = this.opts.store.forTenant(tenantId);
    let subject = await loadSubject(this.opts.facts, tenantId, ids);
    for (const rule of firing) {
      const now = new Date();
      const facts = await factsOf(this.opts.facts, subject, now);
      if (!evaluate(rule, facts).matched) continue;
      const ran = await this.run(ar, rule, event, subject, plan(rule.actions, facts, true), now);
      if (ran) subject = await loadSubject(this.opts.facts, tenantId, { ...ids, conversationId: subject.conversation?._id ?? ids.conversationId ?? null });
    }
  }

  private async run(ar: AutomationRepositories, rule: AutomationRuleRecord, event: TriggerEvent, subject: Subject, planned: ReturnType<typeof plan>, now: Date): Promise<boolean> {
    const conversationId = subject.conversation?._id ?? null;
    const log = this.opts.logger.child({ tenantId: ar.tenantId, ruleId: rule._id, conversationId, eventId: event.id });
    let capped = false;
    if (conversationId) {
      const recent = await ar.runs.countDocuments({ ruleId: rule._id, conversationId, outcome: { $ne: 'capped' }, at: { $gt: new Date(now.getTime() - this.capWindowMs) } });
      capped = recent >= this.capRuns;
    }
    try {
      await ar.runs.insertOne({ _id: `${event.id}:${rule._id}`, ruleId: rule._id, eventId: event.id, conversationId, outcome: capped ? 'capped' : 'ran', at: now });
    } catch (err) {
      if (err instanceof DuplicateKeyError) return false; // this event already ran this rule (redelivery, or another instance)
      throw err;
    }
    if (capped) {
      await ar.rules.updateOne({ _id: rule._id }, { $inc: { 'stats.capped': 1 } });
      log.warn({ capRuns: this.capRuns, capWindowMs: this.capWindowMs }, 'automation rule skipped: it ran too often on this conversation (loop backstop)');
      return false;
    }
    let lastError: string | null = null;
    try {
      await this.opts.executor.apply(subject, planned, { kind: 'rule', ruleId: rule._id, ruleName: rule.name, eventId: event.id, trigger: event.kind });
    } catch (err) {
      if (!(err instanceof ActionFailed)) throw err;
      lastError = err.message;
      await ar.runs.updateOne({ _id: `${event.id}:${rule._id}` }, { $set: { outcome: 'failed', error: lastError } });
      log.warn({ err: err.reason, action: err.index }, 'automation rule action failed; the actions after it did not run');
    }
    await ar.rules.updateOne({ _id: rule._id }, { $inc: { 'stats.runs': 1 }, $set: { 'stats.lastRunAt': now, 'stats.lastError': lastError } });
    log.info({ actions: planned.filter((p) => !p.skipped).map((p) => p.type), failed: lastError !== null }, 'automation rule ran');
    return true;
  }
}
