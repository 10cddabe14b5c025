import { newId, type DomainEvent } from '@switchboard/contracts';
import type { SecretBox } from '@switchboard/crypto';
import type { Repositories } from '@switchboard/inbox-service';
import type { Logger } from '@switchboard/logging';
import { createCrmProvider } from '../crm/index.js';
import { CrmError, type ContactInput, type CrmContact, type CrmProvider } from '../crm/types.js';
import type { TicketRecord, TicketSettingsRecord } from './records.js';
import type { TicketStore } from './repository.js';
import type { TicketService } from './service.js';

export interface CrmLinkerOptions {
  store: TicketStore;
  inbox: Repositories;
  tickets: TicketService;
  secrets: SecretBox;
  logger: Logger;
  /** Base URL of the built-in directory's REST API (this hub, or the ticketing service). */
  directoryUrl(): string;
  /** Where agents open a ticket, for the note left in the CRM. */
  ticketUrl(ticket: TicketRecord): string;
  /** How often due links are retried (default 2 s). */
  pollMs?: number;
  /** Attempts before a link is given up as failed (default 30, about a day with back-off). */
  maxAttempts?: number;
  /** First retry delay; doubled per attempt, capped at one hour (default 5 s). */
  retryBaseMs?: number;
  /** A provider per tenant; tests pass their own. */
  provider?(settings: NonNullable<TicketSettingsRecord['crm']>, tenantId: string): CrmProvider;
}

/**
 * Completes tickets' CRM links outside ingest: a ticket is created at once with crm.status
 * "pending", and this outbox worker finds or creates the person in the tenant's CRM, leaves a
 * note with the ticket link, and retries with back-off while the CRM is slow or down. A link
 * attempt that created a contact and then crashed finds it next time (look-up comes first).
 */
export class CrmLinker {
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private stopped = false;

  constructor(private readonly opts: CrmLinkerOptions) {}

  providerFor(settings: NonNullable<TicketSettingsRecord['crm']>, tenantId: string, sealed = true): CrmProvider {
    const credentials = sealed ? this.opts.secrets.openAll(settings.credentials) : settings.credentials;
    if (this.opts.provider) return this.opts.provider({ ...settings, credentials }, tenantId);
    if (settings.kind === 'builtin') return createCrmProvider({ kind: 'builtin', baseUrl: this.opts.directoryUrl(), apiKey: credentials.apiKey ?? '' });
    if (settings.kind === 'hubspot') return createCrmProvider({ kind: 'hubspot', token: credentials.token ?? '', ...(settings.settings.baseUrl ? { baseUrl: settings.settings.baseUrl } : {}) });
    return createCrmProvider({ kind: 'kommo', token: credentials.token ?? '', baseUrl: settings.settings.baseUrl ?? '' });
  }

  start(): void {
    this.stopped = false;
    const tick = () => {
      if (this.stopped) return;
      this.timer = setTimeout(() => void this.runDue().finally(tick), this.opts.pollMs ?? 2_000);
      this.timer.unref();
    };
    tick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    while (this.running) await new Promise((r) => setTimeout(r, 20));
  }

  /** A ticket asking for its link now (right after creation); failures fall back to the schedule. */
  nudge(ticket: TicketRecord): void {
    void this.link(ticket).catch((err: unknown) => this.opts.logger.warn({ err, ticketId: ticket._id }, 'CRM link attempt failed'));
  }

  async runDue(now = new Date()): Promise<number> {
    if (this.running) return 0;
    this.running = true;
    let done = 0;
    try {
      for (const ticket of await this.opts.store.crmDue(now, 50)) {
        if (this.stopped) break;
        await this.link(ticket).catch((err: unknown) => this.opts.logger.warn({ err, ticketId: ticket._id }, 'CRM link attempt failed'));
        done++;
      }
    } finally {
      this.running = false;
    }
    return done;
  }

  async link(ticket: TicketRecord): Promise<void> {
    const r = this.opts.store.forTenant(ticket.tenantId);
    // Claim the attempt: another worker (or a nudge racing the schedule) does not run it too.
    const claimedUntil = new Date(Date.now() + 60_000);
    const claimed = await r.tickets.findOneAndUpdate(
      { _id: ticket._id, 'crm.status': 'pending', 'crm.attempts': ticket.crm.attempts },
      { $set: { 'crm.nextAttemptAt': claimedUntil }, $inc: { 'crm.attempts': 1 } },
      { returnDocument: 'after' },
    );
    if (!claimed) return;
    const settings = await this.opts.tickets.settings(r);
    const log = this.opts.logger.child({ tenantId: ticket.tenantId, ticketId: ticket._id });
    if (!settings.crm) {
      await r.tickets.updateOne({ _id: ticket._id }, { $set: { crm: { status: 'none', attempts: claimed.crm.attempts, nextAttemptAt: null } } });
      return;
    }
    try {
      const crm = this.providerFor(settings.crm, ticket.tenantId);
      const contact = await resolveContact(crm, claimed);
      await crm.addNote(contact.id, { text: `Ticket #${claimed.number} opened: ${claimed.subject}`, url: this.opts.ticketUrl(claimed) });
      // The link is kept on the conversations too: the inbox shows who this is across channels.
      const conversations = this.opts.inbox.forTenant(ticket.tenantId).conversations;
      for (const conversationId of claimed.conversationIds) await conversations.updateOne({ _id: conversationId }, { $set: { crmContactId: contact.id } });
      await this.settle(claimed, { status: 'linked', provider: crm.kind, contactId: contact.id, ...(contact.url ? { url: contact.url } : {}), attempts: claimed.crm.attempts, nextAttemptAt: null });
      log.info({ contactId: contact.id, provider: crm.kind, attempts: claimed.crm.attempts }, 'ticket linked to its CRM contact');
    } catch (err) {
      const retryable = !(err instanceof CrmError) || err.retryable;
      const reason = err instanceof Error ? err.message : String(err);
      const attempts = claimed.crm.attempts;
      if (!retryable || attempts >= (this.opts.maxAttempts ?? 30)) {
        log.warn({ reason, attempts }, 'CRM link given up');
        await this.settle(claimed, { ...claimed.crm, status: 'failed', error: reason.slice(0, 500), nextAttemptAt: null });
        return;
      }
      const base = this.opts.retryBaseMs ?? 5_000;
      const backoff = Math.min(3_600_000, base * 2 ** Math.min(attempts - 1, 20));
      const wait = err instanceof CrmError && err.retryAfterMs ? Math.max(err.retryAfterMs, backoff) : backoff;
      log.info({ reason, attempts, retryInMs: wait }, 'CRM not reachable; the link stays pending and is retried');
      await r.tickets.updateOne({ _id: claimed._id }, { $set: { 'crm.nextAttemptAt': new Date(Date.now() + wait), 'crm.error': reason.slice(0, 500) } });
    }
  }

  private async settle(ticket: TicketRecord, crm: TicketRecord['crm']): Promise<void> {
    const r = this.opts.store.forTenant(ticket.tenantId);
    const fresh = (await r.tickets.findById(ticket._id)) ?? ticket;
    const { error: _e, ...rest } = crm;
    const next = crm.status === 'failed' ? crm : rest;
    const actor = { kind: 'system' as const, name: 'CRM' };
    await this.opts.tickets.apply(r, fresh, {}, actor, 'crm_link', { set: { crm: next } });
    await this.opts.tickets.recordHistory(r, ticket._id, actor, 'crm_link', [{ field: 'crm', from: 'pending', to: crm.status === 'linked' ? `${crm.provider}:${crm.contactId}` : `failed: ${crm.error ?? ''}` }], new Date());
    await this.opts.tickets.publish(ticket.tenantId, crmEvent(ticket, next));
  }
}

function crmEvent(ticket: TicketRecord, crm: TicketRecord['crm']): DomainEvent {
  return {
    id: newId(),
    v: 1,
    type: crm.status === 'linked' ? 'ticket.crm_linked' : 'ticket.crm_failed',
    tenantId: ticket.tenantId,
    at: new Date().toISOString(),
    data: { ticketId: ticket._id, number: ticket.number, status: crm.status, contactId: crm.contactId ?? null, provider: crm.provider ?? null },
  };
}

/**
 * The requester as a CRM contact: by their channel handle, then email, then phone; what the CRM
 * lacks is added (so the same person writing from another channel is found next time); a
 * stranger is created.
 */
export async function resolveContact(crm: CrmProvider, ticket: Pick<TicketRecord, 'requester'>): Promise<CrmContact> {
  const q = ticket.requester;
  const handle = { channel: q.channel, id: q.externalId };
  const found = (await crm.find({ handle })) ?? (q.email ? await crm.find({ email: q.email }) : null) ?? (q.phone ? await crm.find({ phone: q.phone }) : null);
  const input: ContactInput = {
    ...(q.name ? { name: q.name } : {}),
    ...(q.email ? { emails: [q.email] } : {}),
    ...(q.phone ? { phones: [q.phone] } : {}),
    handles: [handle],
  };
  if (!found) return crm.create(input);
  const missing: ContactInput = {
    ...(q.email && !found.emails.includes(q.email.toLowerCase()) ? { emails: [q.email] } : {}),
    ...(q.phone && !found.phones.some((p) => digits(p) === digits(q.phone!)) ? { phones: [q.phone] } : {}),
    ...(!found.handles.some((h) => h.channel === handle.channel && h.id === handle.id) ? { handles: [handle] } : {}),
    ...(!found.name && q.name ? { name: q.name } : {}),
  };
  return Object.keys(missing).length ? crm.update(found.id, missing) : found;
}

const digits = (s: string) => s.replace(/\D/g, '');
