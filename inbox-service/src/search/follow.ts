import type { Bus, Subscription } from '@switchboard/bus';
import type { DomainEvent } from '@switchboard/contracts';
import type { Logger } from '@switchboard/logging';
import type { InboxSearch } from './inbox-search.js';

/** The durable bus group of the message and contact search indexer. */
export const INBOX_SEARCH_GROUP = 'inbox-search';

/**
 * The events that change what the message and contact indexes hold. `conversation.updated` is not
 * among them: it reports status, assignee and read changes, none of which is indexed.
 */
export const INBOX_SEARCH_EVENTS = ['message.created', 'message.updated', 'contact.updated', 'contact.erased', 'tenant.deleted'] as const;

const str = (v: unknown): string | null => (typeof v === 'string' && v ? v : null);

/**
 * Keeps the message and contact indexes following the store through sb.events. Every handler
 * re-reads the records the event names and makes their documents match them, so a redelivered,
 * late or out-of-order event is harmless. A failing handler is retried by the bus and
 * dead-lettered after its delivery limit; the reconcile at start and the reindex repair the rest.
 */
export async function followInboxSearchEvents(opts: { bus: Bus; search: InboxSearch; logger: Logger }): Promise<Subscription> {
  const { search, logger } = opts;
  const handle = async (e: DomainEvent): Promise<void> => {
    const { tenantId } = e;
    switch (e.type) {
      case 'tenant.deleted': {
        const documents = await search.deleteTenant(tenantId);
        logger.info({ tenantId, documents }, 'message and contact search documents of a deleted tenant removed');
        return;
      }
      case 'message.created':
      case 'message.updated': {
        const messageId = str(e.data.messageId);
        if (!messageId) break;
        const contactId = await search.refreshMessage(tenantId, messageId);
        // A new message may come with a new contact, a new conversation or a new name for its contact.
        if (contactId && e.type === 'message.created') await search.refreshContact(tenantId, contactId);
        return;
      }
      case 'contact.updated': {
        const contactId = str(e.data.contactId);
        if (!contactId) break;
        await search.refreshContact(tenantId, contactId, true);
        return;
      }
      case 'contact.erased': {
        const contactId = str(e.data.contactId);
        if (!contactId) break;
        await search.refreshContact(tenantId, contactId);
        const conversationIds = Array.isArray(e.data.conversationIds) ? e.data.conversationIds.filter((id): id is string => typeof id === 'string') : [];
        for (const conversationId of conversationIds) await search.refreshConversation(tenantId, conversationId);
        logger.info({ tenantId, contactId, conversations: conversationIds.length }, 'erased contact removed from search');
        return;
      }
    }
    logger.warn({ tenantId, type: e.type, eventId: e.id }, 'search event without the id it needs ignored');
  };
  return opts.bus.subscribeEvents(INBOX_SEARCH_GROUP, [...INBOX_SEARCH_EVENTS], handle);
}
