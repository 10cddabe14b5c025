import type { Bus, Subscription } from '@switchboard/bus';
import type { DomainEvent } from '@switchboard/contracts';
import type { Logger } from '@switchboard/logging';
import type { DocumentStore } from '@switchboard/store';
import { KB_COLLECTIONS } from '../articles/repository.js';
import type { KbSearch } from './kb-search.js';

export interface KbFollowerOptions {
  bus: Bus;
  search: KbSearch;
  /** The knowledge base's collections of a deleted tenant are emptied here. */
  store: DocumentStore;
  logger: Logger;
}

/** The durable bus group of the knowledge base's search indexer. */
export const KB_SEARCH_GROUP = 'kb-search';

/**
 * Keeps the search index following the store through sb.events: any `kb.article.*` event makes
 * the article's documents match the store again (so a redelivered or late event is harmless, and
 * events need not arrive in order); `tenant.deleted` removes the tenant's documents and records.
 * A failing handler is retried by the bus and dead-lettered after its delivery limit.
 */
export async function followKbEvents(opts: KbFollowerOptions): Promise<Subscription> {
  const { search, logger } = opts;
  const handle = async (e: DomainEvent): Promise<void> => {
    if (e.type === 'tenant.deleted') {
      const documents = await search.deleteTenant(e.tenantId);
      let records = 0;
      for (const name of KB_COLLECTIONS) records += await opts.store.collection(name).deleteMany({ tenantId: e.tenantId });
      logger.info({ tenantId: e.tenantId, documents, records }, 'knowledge base of a deleted tenant removed');
      return;
    }
    const articleId = typeof e.data.articleId === 'string' ? e.data.articleId : null;
    if (!articleId) {
      logger.warn({ tenantId: e.tenantId, type: e.type, eventId: e.id }, 'knowledge base event without an articleId ignored');
      return;
    }
    await search.refreshArticle(e.tenantId, articleId);
  };
  return opts.bus.subscribeEvents(KB_SEARCH_GROUP, ['kb.article.*', 'tenant.deleted'], handle);
}
