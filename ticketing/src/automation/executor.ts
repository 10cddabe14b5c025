import { newId, type ConversationStatus } from '@switchboard/contracts';
import { errors } from '@switchboard/http';
import type { Repositories, WebhookRepository } from '@switchboard/inbox-service';
import type { Logger } from '@switchboard/logging';
import { DuplicateKeyError } from '@switchboard/store';
import type { TicketStore } from '../tickets/repository.js';
import type { Actor, TicketService } from '../tickets/service.js';
import type { PlannedAction } from './engine.js';
import { ticketOfConversation, type Subject } from './facts.js';

type InboxRepos = ReturnType<Repositories['forTenant']>;

/** What automation asks of the inbox's ConversationService (replies go out through it, agents see changes live). */
export interface ConversationActions {
  reply(r: InboxRepos, id: string, actor: { agentId: string; name: string; kind?: 'agent' | 'system' }, input: { text: string; idempotencyKey: string }): Promise<unknown>;
  assign(r: InboxRepos, id: string, agentId: string | null): Promise<unknown>;
  setStatus(r: InboxRepos, id: string, status: ConversationStatus): Promise<unknown>;
  snooze(r: InboxRepos, id: string, until: Date): Promise<unknown>;
}

/** Who runs the actions: a rule for an event, or an agent running a macro. */
export type Runner =
  | { kind: 'rule'; ruleId: string; ruleName: string; eventId: string; trigger: string }
  | { kind: 'agent'; agentId: string; name: string; runId: string; macroId: string; macroName: string };

/** The prefix of the actor id of everything a rule does: events it causes name the rule, so it never triggers itself. */
export const AUTOMATION_ACTOR_PREFIX = 'automation:';

export interface ExecutorDeps {
  inbox: Repositories;
  ticketStore: TicketStore;
  tickets: TicketService;
  conversations: ConversationActions;
  webhooks: WebhookRepository;
  logger: Logger;
}

/** A planned action that failed: which one and why (a rule records it as lastError; a macro run answers with it). */
export class ActionFailed extends Error {
  constructor(
    readonly index: number,
    readonly type: string,
    readonly reason: unknown,
  ) {
    super(`action ${index + 1} (${type}) failed: ${(reason as Error)?.message ?? String(reason)}`);
  }
}

/**
 * Applies a plan through the services agents use, in order, stopping at the first action that
 * fails (later actions may rely on it). Ticket changes are made as the rule's actor
 * (`automation:<ruleId>`), replies as a system author with an idempotency key per event, rule
 * and action, webhooks as one stored delivery per event, rule and action.
 */
export class AutomationExecutor {
  constructor(private readonly deps: ExecutorDeps) {}

  async apply(s: Subject, planned: PlannedAction[], by: Runner): Promise<void> {
    for (const p of planned) {
      if (p.skipped) continue;
      try {
        await this.one(s, p, by);
      } catch (err) {
        throw new ActionFailed(p.index, p.type, err);
      }
    }
  }

  private actor(by: Runner): Actor {
    return by.kind === 'rule' ? { kind: 'system', id: `${AUTOMATION_ACTOR_PREFIX}${by.ruleId}`, name: `Automation: ${by.ruleName}` } : { kind: 'agent', id: by.agentId, name: by.name };
  }

  private key(by: Runner, index: number): string {
    return by.kind === 'rule' ? `auto-${by.eventId}-${by.ruleId}-${index}` : `macro-${by.runId}-${index}`;
  }

  private async one(s: Subject, p: PlannedAction, by: Runner): Promise<void> {
    const a = p.action;
    const tenantId = s.tenantId;
    const ir = this.deps.inbox.forTenant(tenantId);
    const tr = this.deps.ticketStore.forTenant(tenantId);
    const conversationId = s.conversation?._id ?? null;
    const actor = this.actor(by);
    // Each action sees what the ones before it did.
    const ticket = async () => {
      const t = conversationId ? await ticketOfConversation(this.deps, tenantId, conversationId) : s.ticket ? await tr.tickets.findById(s.ticket._id) : null;
      if (!t || t.mergedInto) throw errors.conflict('The conversation has no ticket.');
      return t;
    };
    const needConversation = () => {
      if (!conversationId) throw errors.conflict('There is no conversation.');
      return conversationId;
    };
    switch (a.type) {
      case 'assign_agent': {
        const id = needConversation();
        const t = await ticketOfConversation(this.deps, tenantId, id);
        // The ticket's assignee carries its conversations along (and the echo back stops at the same value).
        if (t && !t.mergedInto && t.status !== 'closed') await this.deps.tickets.update(tr, t._id, { assigneeId: a.agentId }, actor);
        else await this.deps.conversations.assign(ir, id, a.agentId);
        return;
      }
      case 'assign_team': {
        const t = await ticket();
        if (t.status === 'closed') throw errors.conflict(`Ticket #${t.number} is closed.`);
        if (!(await tr.teams.findById(a.teamId))) throw errors.validation('teamId does not name a team.', { path: '/teamId' });
        if (a.runStrategy === false) {
          await this.deps.tickets.apply(tr, t, { teamId: a.teamId }, actor, 'updated', {});
        } else {
          // The strategy's pick is made as this rule too, so the assignment does not trigger it again.
          const moved = await this.deps.tickets.apply(tr, t, { teamId: a.teamId, assigneeId: null }, actor, 'updated', {});
          await this.deps.tickets.autoAssign(tr, moved, actor);
        }
        return;
      }
      case 'add_tags': {
        const t = await ticket();
        await this.deps.tickets.update(tr, t._id, { tags: [...new Set([...t.tags, ...a.tags])] }, actor);
        return;
      }
      case 'remove_tags': {
        const t = await ticket();
        await this.deps.tickets.update(tr, t._id, { tags: t.tags.filter((x) => !a.tags.includes(x)) }, actor);
        return;
      }
      case 'set_priority':
        await this.deps.tickets.update(tr, (await ticket())._id, { priority: a.priority }, actor);
        return;
      case 'set_status':
        await this.deps.tickets.update(tr, (await ticket())._id, { status: a.status }, actor);
        return;
      case 'add_note':
        await this.deps.tickets.addNote(tr, (await ticket())._id, p.text ?? a.text, actor);
        return;
      case 'auto_reply': {
        const who = by.kind === 'rule' ? { agentId: actor.id!, name: by.ruleName, kind: 'system' as const } : { agentId: by.agentId, name: by.name };
        await this.deps.conversations.reply(ir, needConversation(), who, { text: p.text ?? a.text, idempotencyKey: this.key(by, p.index) });
        return;
      }
      case 'snooze':
        await this.deps.conversations.snooze(ir, needConversation(), new Date(Date.now() + a.minutes * 60_000));
        return;
      case 'close': {
        const id = needConversation();
        await this.deps.conversations.setStatus(ir, id, 'resolved');
        const t = await ticketOfConversation(this.deps, tenantId, id);
        if (t && !t.mergedInto && t.status !== 'solved' && t.status !== 'closed') await this.deps.tickets.update(tr, t._id, { status: 'solved' }, actor);
        return;
      }
      case 'send_webhook':
        await this.webhook(s, a.webhookId, by, p.index);
        return;
    }
  }

  /** One delivery for the tenant's webhook subscription; the webhook dispatcher signs, sends and retries it. */
  private async webhook(s: Subject, webhookId: string, by: Runner, index: number): Promise<void> {
    const w = this.deps.webhooks.forTenant(s.tenantId);
    const hook = await w.webhooks.findById(webhookId);
    if (!hook) throw errors.validation('webhookId does not name a webhook subscription of this team.', { path: '/webhookId' });
    if (!hook.enabled) throw errors.conflict('The webhook subscription is disabled.');
    const eventId = this.key(by, index);
    const type = by.kind === 'rule' ? 'automation.rule' : 'automation.macro';
    const now = new Date();
    const data = {
      ...(by.kind === 'rule' ? { ruleId: by.ruleId, ruleName: by.ruleName, trigger: by.trigger } : { macroId: by.macroId, macroName: by.macroName, agentId: by.agentId }),
      conversationId: s.conversation?._id ?? null,
      channel: s.conversation?.channel ?? null,
      contact: s.conversation?.contact ?? (s.contact ? { id: s.contact._id, name: s.contact.name, email: s.contact.email } : null),
      ticket: s.ticket ? { id: s.ticket._id, number: s.ticket.number, status: s.ticket.status, priority: s.ticket.priority } : null,
    };
    try {
      await w.deliveries.insertOne({
        _id: newId(),
        webhookId: hook._id,
        eventId,
        eventType: type,
        body: JSON.stringify({ id: eventId, type, createdAt: now.toISOString(), tenantId: s.tenantId, data }),
        status: 'pending',
        attempts: 0,
        nextAttemptAt: now,
        lastAttemptAt: null,
        responseStatus: null,
        durationMs: null,
        error: null,
        createdAt: now,
        deliveredAt: null,
      });
    } catch (err) {
      if (!(err instanceof DuplicateKeyError)) throw err;
    }
  }
}
