import type { ContactRecord, ConversationRecord, InboxRecord, MessageRecord, Repositories } from '@switchboard/inbox-service';
import { withinBusinessHours } from '@switchboard/inbox-service';
import { isOpen as calendarOpen } from '../sla/calendar.js';
import type { TicketRecord } from '../tickets/records.js';
import type { TicketStore } from '../tickets/repository.js';
import type { TicketService } from '../tickets/service.js';
import type { Facts } from './engine.js';

/** The stored things one run looks at. */
export interface Subject {
  tenantId: string;
  conversation: ConversationRecord | null;
  /** The triggering message, else the customer's latest. */
  message: MessageRecord | null;
  contact: ContactRecord | null;
  inbox: InboxRecord | null;
  ticket: TicketRecord | null;
}

export interface FactsDeps {
  inbox: Repositories;
  ticketStore: TicketStore;
  tickets: TicketService;
}

/** The conversation's current ticket (following merges), if it has one. */
export async function ticketOfConversation(deps: FactsDeps, tenantId: string, conversationId: string): Promise<TicketRecord | null> {
  const r = deps.ticketStore.forTenant(tenantId);
  const link = await r.links.findById(conversationId);
  let ticket = link ? await r.tickets.findById(link.ticketId) : null;
  for (let hops = 0; ticket?.mergedInto && hops < 10; hops++) ticket = await r.tickets.findById(ticket.mergedInto);
  return ticket;
}

export async function loadSubject(
  deps: FactsDeps,
  tenantId: string,
  ids: { conversationId?: string | null; messageId?: string | null; contactId?: string | null; ticketId?: string | null },
): Promise<Subject> {
  const r = deps.inbox.forTenant(tenantId);
  let ticket = ids.ticketId ? await deps.ticketStore.forTenant(tenantId).tickets.findById(ids.ticketId) : null;
  // A ticket's rules look at its newest conversation (the one the customer writes on now).
  const conversationId = ids.conversationId ?? ticket?.conversationIds.at(-1) ?? null;
  const conversation = conversationId ? await r.conversations.findById(conversationId) : null;
  if (!ticket && conversation) ticket = await ticketOfConversation(deps, tenantId, conversation._id);
  let message = ids.messageId ? await r.messages.findById(ids.messageId) : null;
  if (!message && conversation) message = await r.messages.findOne({ conversationId: conversation._id, direction: 'in' }, { sort: { seq: -1 } });
  const contactId = ids.contactId ?? conversation?.contact.id ?? null;
  const contact = contactId ? await r.contacts.findById(contactId) : null;
  const inbox = conversation ? await r.inboxes.findById(conversation.inboxId) : null;
  return { tenantId, conversation, message, contact, inbox, ticket };
}

/**
 * Facts for conditions and templates. Business hours: the inbox's own (website inboxes) when it
 * has them, else the tenant's ticketing calendar (the one SLA clocks use).
 */
export async function factsOf(deps: FactsDeps, s: Subject, now: Date): Promise<Facts> {
  const settings = await deps.tickets.settings(deps.ticketStore.forTenant(s.tenantId));
  const open = s.inbox?.businessHours ? withinBusinessHours(s.inbox.businessHours, now) : calendarOpen(settings.calendar, now);
  const contact = s.contact ?? (s.conversation ? { ...s.conversation.contact } : null);
  return {
    now,
    hasConversation: s.conversation !== null,
    channel: s.conversation?.channel ?? s.contact?.channel ?? null,
    inboxId: s.conversation?.inboxId ?? null,
    text: s.message?.text ?? null,
    noise: s.message?.email?.noise ?? null,
    contact: contact
      ? {
          ...(contact.name ? { name: contact.name } : {}),
          ...(contact.email ? { email: contact.email } : {}),
          ...(contact.phone ? { phone: contact.phone } : {}),
          ...(contact.handle ? { handle: contact.handle } : {}),
          ...(contact.attributes ? { attributes: contact.attributes } : {}),
        }
      : null,
    businessHoursOpen: open,
    assigneeId: s.conversation?.assigneeId ?? null,
    waitingSince: s.conversation?.waitingSince ? new Date(s.conversation.waitingSince) : null,
    ticket: s.ticket && !s.ticket.mergedInto ? { number: s.ticket.number, status: s.ticket.status, priority: s.ticket.priority, tags: s.ticket.tags, assigneeId: s.ticket.assigneeId } : null,
  };
}
