import type { Logger } from '@switchboard/logging';
import type { SearchIndex } from '@switchboard/search';
import type { TicketRecord } from './records.js';
import type { TicketStore } from './repository.js';

export const TICKET_INDEX = 'tickets';

const SCHEMA = {
  fields: { subject: 'text', requester: 'text', tags: 'text', details: 'text', number: 'keyword', status: 'keyword', updatedAt: 'date' },
  boost: { subject: 3, requester: 2 },
} as const;

/** Cyrillic text is searched with the Russian stemmer, the rest with the English one. */
const localeOf = (text: string) => (/[\u0400-\u04ff]/.test(text) ? 'ru' : 'en');

/**
 * Ticket full-text search through the SearchIndex seam. The index is a projection of the
 * tickets collection: written after each change, and rebuilt whole by `reindex` (so a lost or
 * drifted index is one command away from right).
 */
export class TicketSearch {
  constructor(
    private readonly index: SearchIndex,
    private readonly store: TicketStore,
    private readonly logger: Logger,
  ) {}

  ensure(): Promise<void> {
    return this.index.ensureIndex(TICKET_INDEX, { fields: { ...SCHEMA.fields }, boost: { ...SCHEMA.boost } });
  }

  /** Best effort: a failed write is logged, and the next change or a reindex puts it right. */
  put(ticket: TicketRecord): void {
    void this.index
      .index(TICKET_INDEX, this.doc(ticket))
      .catch((err: unknown) => this.logger.warn({ err, tenantId: ticket.tenantId, ticketId: ticket._id }, 'ticket not indexed for search'));
  }

  private doc(t: TicketRecord) {
    const requester = [t.requester.name, t.requester.email, t.requester.phone, t.requester.handle].filter(Boolean).join(' ');
    const details = Object.values(t.fields).filter((v) => v !== null).join(' ');
    return {
      tenantId: t.tenantId,
      id: t._id,
      locale: localeOf(`${t.subject} ${details}`),
      fields: { subject: t.subject, requester, tags: t.tags.join(' '), details, number: String(t.number), status: t.status, updatedAt: new Date(t.updatedAt) },
    };
  }

  /** Ids of the tenant's tickets matching the words, best first (at most `max`). */
  async find(tenantId: string, text: string, max = 500): Promise<string[]> {
    const number = /^#?(\d{1,12})$/.exec(text.trim());
    if (number) {
      const hit = await this.index.query(TICKET_INDEX, { tenantId, text: '', filters: { number: number[1]! }, limit: 1, highlight: false });
      if (hit.hits.length) return hit.hits.map((h) => h.id);
    }
    const ids: string[] = [];
    for (let offset = 0; offset < max; offset += 100) {
      const page = await this.index.query(TICKET_INDEX, { tenantId, text, limit: Math.min(100, max - offset), offset, highlight: false });
      ids.push(...page.hits.map((h) => h.id));
      if (page.hits.length < 100 || ids.length >= page.total) break;
    }
    return ids;
  }

  /** The tenant's tickets matching the words, best first, each with its matched words marked (the agent console's search). */
  async hits(tenantId: string, text: string, limit: number): Promise<{ id: string; snippet: string | null }[]> {
    const { hits } = await this.index.query(TICKET_INDEX, { tenantId, text, limit });
    return hits.map((h) => ({ id: h.id, snippet: h.highlights.subject?.[0] ?? h.highlights.details?.[0] ?? h.highlights.requester?.[0] ?? h.highlights.tags?.[0] ?? null }));
  }

  /** Rebuilds the tenant's (or every tenant's) part of the index from the tickets collection. */
  async reindex(tenantId?: string): Promise<number> {
    if (!tenantId) await this.index.reset(TICKET_INDEX, { fields: { ...SCHEMA.fields }, boost: { ...SCHEMA.boost } });
    else await this.index.deleteTenant(TICKET_INDEX, tenantId);
    let count = 0;
    for (let skip = 0; ; skip += 500) {
      const batch = await this.store.all(tenantId, skip, 500);
      if (batch.length === 0) break;
      await this.index.indexMany(TICKET_INDEX, batch.map((t) => this.doc(t)));
      count += batch.length;
    }
    return count;
  }

  deleteTenant(tenantId: string): Promise<number> {
    return this.index.deleteTenant(TICKET_INDEX, tenantId);
  }
}
