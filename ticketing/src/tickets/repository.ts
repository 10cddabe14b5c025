import type { Principal } from '@switchboard/auth';
import { restrictTo } from '@switchboard/inbox-service';
import type { Collection, DocumentStore } from '@switchboard/store';
import { TenantCollection } from '@switchboard/tenancy';
import type {
  ConversationTicketRecord,
  TeamRecord,
  TicketCounterRecord,
  TicketEventRecord,
  TicketFieldRecord,
  TicketNoteRecord,
  TicketRecord,
  TicketSettingsRecord,
} from './records.js';

export interface TicketRepositories {
  tenantId: string;
  tickets: TenantCollection<TicketRecord>;
  events: TenantCollection<TicketEventRecord>;
  notes: TenantCollection<TicketNoteRecord>;
  links: TenantCollection<ConversationTicketRecord>;
  fields: TenantCollection<TicketFieldRecord>;
  teams: TenantCollection<TeamRecord>;
  settings: TenantCollection<TicketSettingsRecord>;
  counters: TenantCollection<TicketCounterRecord>;
}

/** Collections ticketing owns (deleted with the tenant). */
export const TICKETING_COLLECTIONS = [
  'tickets',
  'ticket_events',
  'ticket_notes',
  'conversation_tickets',
  'ticket_fields',
  'teams',
  'ticket_settings',
  'ticket_counters',
] as const;

/**
 * Ticketing's repository layer: `forTenant` pins every collection to one tenant, `forPrincipal`
 * also hides the tickets of inboxes an agent may not see. The look-ups across tenants that the
 * schedulers need are named methods.
 */
export class TicketStore {
  constructor(private readonly store: DocumentStore) {}

  forTenant(tenantId: string): TicketRepositories {
    const s = this.store;
    return {
      tenantId,
      tickets: new TenantCollection(s.collection<TicketRecord>('tickets'), tenantId),
      events: new TenantCollection(s.collection<TicketEventRecord>('ticket_events'), tenantId),
      notes: new TenantCollection(s.collection<TicketNoteRecord>('ticket_notes'), tenantId),
      links: new TenantCollection(s.collection<ConversationTicketRecord>('conversation_tickets'), tenantId),
      fields: new TenantCollection(s.collection<TicketFieldRecord>('ticket_fields'), tenantId),
      teams: new TenantCollection(s.collection<TeamRecord>('teams'), tenantId),
      settings: new TenantCollection(s.collection<TicketSettingsRecord>('ticket_settings'), tenantId),
      counters: new TenantCollection(s.collection<TicketCounterRecord>('ticket_counters'), tenantId),
    };
  }

  forPrincipal(principal: Pick<Principal, 'tenantId' | 'inboxIds'>): TicketRepositories {
    const r = this.forTenant(principal.tenantId);
    if (!principal.inboxIds) return r;
    const narrowed: Collection<TicketRecord> = restrictTo(this.store.collection<TicketRecord>('tickets'), 'inboxIds', principal.inboxIds);
    return { ...r, tickets: new TenantCollection(narrowed, principal.tenantId) };
  }

  async ensureIndexes(): Promise<void> {
    const s = this.store;
    await s.collection('tickets').createIndex({ keys: { tenantId: 1, number: 1 }, unique: true });
    await s.collection('tickets').createIndex({ keys: { tenantId: 1, updatedAt: -1 } });
    await s.collection('tickets').createIndex({ keys: { slaDueAt: 1 } });
    await s.collection('tickets').createIndex({ keys: { 'crm.nextAttemptAt': 1 } });
    await s.collection('ticket_events').createIndex({ keys: { tenantId: 1, ticketId: 1, at: 1 } });
    await s.collection('ticket_notes').createIndex({ keys: { tenantId: 1, ticketId: 1, createdAt: 1 } });
    await s.collection('ticket_fields').createIndex({ keys: { tenantId: 1, key: 1 }, unique: true });
  }

  /** Tickets of every tenant whose SLA clock ran out by `now` (the breach scheduler). */
  dueForBreach(now: Date, limit: number): Promise<TicketRecord[]> {
    return this.store.collection<TicketRecord>('tickets').find({ slaDueAt: { $lte: now } }, { sort: { slaDueAt: 1 }, limit });
  }

  /** Tickets with domain events still to publish (after a crash between write and publish). */
  withOutbox(limit: number): Promise<TicketRecord[]> {
    return this.store.collection<TicketRecord>('tickets').find({ outboxPending: true }, { limit });
  }

  /** Tickets whose CRM link is due for another attempt. */
  crmDue(now: Date, limit: number): Promise<TicketRecord[]> {
    return this.store
      .collection<TicketRecord>('tickets')
      .find({ 'crm.status': 'pending', 'crm.nextAttemptAt': { $lte: now } }, { sort: { 'crm.nextAttemptAt': 1 }, limit });
  }

  /** Solved tickets of every tenant solved before `before` (auto-close). */
  solvedBefore(before: Date, limit: number): Promise<TicketRecord[]> {
    return this.store.collection<TicketRecord>('tickets').find({ status: 'solved', solvedAt: { $lte: before } }, { limit });
  }

  /** Tickets in pages, of one tenant or of all (reindexing). */
  all(tenantId: string | undefined, skip: number, limit: number): Promise<TicketRecord[]> {
    return this.store.collection<TicketRecord>('tickets').find(tenantId ? { tenantId } : {}, { sort: { _id: 1 }, skip, limit });
  }

  /** Tenants that have ticket settings (schedulers walk them). */
  allSettings(): Promise<TicketSettingsRecord[]> {
    return this.store.collection<TicketSettingsRecord>('ticket_settings').find({});
  }
}
