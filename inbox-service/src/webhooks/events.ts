/** Domain event types a webhook may subscribe to; '*' means every one of them. */
export const WEBHOOK_EVENT_TYPES = [
  'message.created',
  'message.updated',
  'conversation.created',
  'conversation.updated',
  'ticket.created',
  'ticket.updated',
  'sla.breached',
  'contact.created',
  'contact.merged',
  'contact.erased',
  'csat.answered',
  'webhook.disabled',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/**
 * Events about the tenant's own lifecycle are never sent out (the tenant is being removed), nor
 * agents' presence changes (internal, for reports: when a person is at work is not integration data),
 * nor conversation commands (`command.conversation.*`: what ticketing asks the inbox to do; the
 * changes they make go out as the usual conversation and message events).
 */
export function isDeliverable(type: string): boolean {
  return !type.startsWith('tenant.') && !type.startsWith('command.') && type !== 'agent.presence';
}

export function matches(subscribed: string[], type: string): boolean {
  return subscribed.includes('*') || subscribed.includes(type);
}
