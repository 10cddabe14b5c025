import type { Bus } from '@switchboard/bus';
import { conversationCommandEvent, type ConversationCommand } from '@switchboard/inbox-service';
import type { ConversationActions } from './executor.js';

/**
 * Conversation actions for ticketing running without the inbox service in its process (the
 * compose service `ticketing`): each becomes a conversation command on sb.events
 * (`command.conversation.<action>`), which an inbox instance carries out through its
 * ConversationService — the reply goes out on the customer's channel, agents see the change live.
 * The command is durable once published, so the action counts as done then; the inbox does it
 * a moment later and logs a command it refuses (a conversation deleted meanwhile).
 */
export function busConversationActions(bus: Bus): ConversationActions {
  const send = (tenantId: string, command: ConversationCommand) => bus.publishEvent(conversationCommandEvent(tenantId, command));
  return {
    reply: (r, conversationId, author, input) =>
      send(r.tenantId, { action: 'reply', conversationId, author: { agentId: author.agentId, name: author.name, ...(author.kind ? { kind: author.kind } : {}) }, text: input.text, idempotencyKey: input.idempotencyKey }),
    assign: (r, conversationId, agentId) => send(r.tenantId, { action: 'assign', conversationId, agentId }),
    setStatus: (r, conversationId, status) => {
      if (status === 'snoozed') throw new Error('A conversation is snoozed with snooze(), which takes the time to open it again.');
      return send(r.tenantId, { action: 'set_status', conversationId, status });
    },
    snooze: (r, conversationId, until) => send(r.tenantId, { action: 'snooze', conversationId, until: until.toISOString() }),
  };
}
