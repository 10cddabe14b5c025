import { newId, type ConversationStatus, type DomainEvent } from '@switchboard/contracts';
import type { Bus, Subscription } from '@switchboard/bus';
import { SbError } from '@switchboard/http';
import type { Logger } from '@switchboard/logging';
import type { ConversationService } from './conversations.js';
import type { Repositories } from './repositories/index.js';

/**
 * Conversation commands: what a service running apart from the inbox (ticketing alone, the compose
 * service `ticketing`) asks the inbox to do to a conversation, on sb.events. The inbox carries them
 * out through its ConversationService, so a reply goes out on the channel and agents see each
 * change live — as if ticketing ran in the same process. Any inbox instance may take one (the
 * durable group `inbox-commands`). Each is safe to carry out twice: a reply carries its
 * idempotency key, the others set a value.
 */
export const CONVERSATION_COMMAND_GROUP = 'inbox-commands';
/** Event types `command.conversation.<action>`; never delivered to outgoing webhooks. */
export const CONVERSATION_COMMAND_PREFIX = 'command.conversation.';

export type ConversationCommand =
  | { action: 'reply'; conversationId: string; author: { agentId: string; name: string; kind?: 'agent' | 'system' }; text: string; idempotencyKey: string }
  | { action: 'assign'; conversationId: string; agentId: string | null }
  | { action: 'set_status'; conversationId: string; status: Exclude<ConversationStatus, 'snoozed'> }
  | { action: 'snooze'; conversationId: string; until: string };

/** The domain event that carries `command` for the tenant. */
export function conversationCommandEvent(tenantId: string, command: ConversationCommand, traceId?: string): DomainEvent {
  return {
    id: newId(),
    v: 1,
    type: `${CONVERSATION_COMMAND_PREFIX}${command.action}`,
    tenantId,
    at: new Date().toISOString(),
    data: { ...command },
    ...(traceId ? { traceId } : {}),
  };
}

const str = (v: unknown): v is string => typeof v === 'string' && v.length > 0;

/** The command in an event, or null when the event does not hold a well-formed one. */
export function parseConversationCommand(e: DomainEvent): ConversationCommand | null {
  const d = e.data as Record<string, unknown>;
  if (!e.type.startsWith(CONVERSATION_COMMAND_PREFIX) || d.action !== e.type.slice(CONVERSATION_COMMAND_PREFIX.length) || !str(d.conversationId)) return null;
  const conversationId = d.conversationId;
  switch (d.action) {
    case 'reply': {
      const a = d.author as Record<string, unknown> | undefined;
      if (!a || !str(a.agentId) || !str(a.name) || !str(d.text) || !str(d.idempotencyKey)) return null;
      const kind = a.kind === 'system' || a.kind === 'agent' ? a.kind : undefined;
      return { action: 'reply', conversationId, author: { agentId: a.agentId, name: a.name, ...(kind ? { kind } : {}) }, text: d.text, idempotencyKey: d.idempotencyKey };
    }
    case 'assign':
      return d.agentId === null || str(d.agentId) ? { action: 'assign', conversationId, agentId: d.agentId } : null;
    case 'set_status':
      return d.status === 'open' || d.status === 'pending' || d.status === 'resolved' ? { action: 'set_status', conversationId, status: d.status } : null;
    case 'snooze':
      return str(d.until) && Number.isFinite(Date.parse(d.until)) ? { action: 'snooze', conversationId, until: d.until } : null;
    default:
      return null;
  }
}

/**
 * Carries out conversation commands from sb.events. A command the inbox refuses (a conversation
 * that is gone, an unknown agent: a 4xx) is logged and dropped, since trying again cannot help;
 * anything else is thrown, so the bus tries again and finally dead-letters it.
 */
export function consumeConversationCommands(deps: { bus: Bus; repos: Repositories; conversations: ConversationService; logger: Logger }): Promise<Subscription> {
  const log = deps.logger.child({ component: 'conversation-commands' });
  return deps.bus.subscribeEvents(CONVERSATION_COMMAND_GROUP, [`${CONVERSATION_COMMAND_PREFIX}*`], async (e) => {
    const cmd = parseConversationCommand(e);
    const ctx = { tenantId: e.tenantId, eventId: e.id, type: e.type };
    if (!cmd) {
      log.warn(ctx, 'malformed conversation command dropped');
      return;
    }
    const r = deps.repos.forTenant(e.tenantId);
    const c = deps.conversations;
    try {
      switch (cmd.action) {
        case 'reply':
          await c.reply(r, cmd.conversationId, cmd.author, { text: cmd.text, idempotencyKey: cmd.idempotencyKey });
          break;
        case 'assign':
          await c.assign(r, cmd.conversationId, cmd.agentId);
          break;
        case 'set_status':
          await c.setStatus(r, cmd.conversationId, cmd.status);
          break;
        case 'snooze':
          await c.snooze(r, cmd.conversationId, new Date(cmd.until));
          break;
      }
      log.info({ ...ctx, conversationId: cmd.conversationId }, 'conversation command carried out');
    } catch (err) {
      if (err instanceof SbError && err.statusCode < 500) {
        log.warn({ ...ctx, conversationId: cmd.conversationId, err }, 'conversation command refused; dropped');
        return;
      }
      throw err;
    }
  });
}
