/**
 * @switchboard/ticketing — tickets made from conversations: lifecycle, assignment, SLA clocks in
 * business hours, links to CRM contacts over REST (built-in directory, HubSpot, Kommo).
 * docs/ticketing.md, docs/crm.md.
 */
export { default as ticketingService, type TicketingOptions } from './plugin.js';
export { TicketService, SYSTEM, type Actor } from './tickets/service.js';
export { TicketStore } from './tickets/repository.js';
export type * from './tickets/records.js';
export type { CrmProvider, CrmContact, ContactLookup, ContactInput } from './crm/types.js';
