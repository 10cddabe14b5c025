import type { DocumentStore } from '@switchboard/store';
import { TenantCollection } from '@switchboard/tenancy';
import type { KbArticleRecord, KbCategoryRecord, KbOutboxRecord, KbRevisionRecord, KbSettingsRecord, KbTranslationRecord } from './records.js';

export interface KbRepositories {
  tenantId: string;
  settings: TenantCollection<KbSettingsRecord>;
  categories: TenantCollection<KbCategoryRecord>;
  articles: TenantCollection<KbArticleRecord>;
  translations: TenantCollection<KbTranslationRecord>;
  revisions: TenantCollection<KbRevisionRecord>;
  outbox: TenantCollection<KbOutboxRecord>;
}

/** Collections the knowledge base owns (deleted with the tenant). */
export const KB_COLLECTIONS = ['kb_settings', 'kb_categories', 'kb_articles', 'kb_translations', 'kb_revisions', 'kb_outbox'] as const;

/**
 * The knowledge base's repository layer: `forTenant` pins every collection to one tenant. The
 * only look-ups across tenants are the named ones the public pages need to find a help center
 * by its portal path or custom domain.
 */
export class KbStore {
  constructor(private readonly store: DocumentStore) {}

  forTenant(tenantId: string): KbRepositories {
    const s = this.store;
    return {
      tenantId,
      settings: new TenantCollection(s.collection<KbSettingsRecord>('kb_settings'), tenantId),
      categories: new TenantCollection(s.collection<KbCategoryRecord>('kb_categories'), tenantId),
      articles: new TenantCollection(s.collection<KbArticleRecord>('kb_articles'), tenantId),
      translations: new TenantCollection(s.collection<KbTranslationRecord>('kb_translations'), tenantId),
      revisions: new TenantCollection(s.collection<KbRevisionRecord>('kb_revisions'), tenantId),
      outbox: new TenantCollection(s.collection<KbOutboxRecord>('kb_outbox'), tenantId),
    };
  }

  findPortal(portal: string): Promise<KbSettingsRecord | null> {
    return this.store.collection<KbSettingsRecord>('kb_settings').findOne({ portal });
  }

  findByDomain(host: string): Promise<KbSettingsRecord | null> {
    return this.store.collection<KbSettingsRecord>('kb_settings').findOne({ customDomain: host.toLowerCase() });
  }

  /** Every help center with a custom domain (the host router caches these). */
  customDomains(): Promise<KbSettingsRecord[]> {
    return this.store.collection<KbSettingsRecord>('kb_settings').find({ customDomain: { $exists: true } }, { limit: 100_000 });
  }

  /** Every help center (robots.txt of the main host lists their sitemaps). */
  portals(limit = 1000): Promise<KbSettingsRecord[]> {
    return this.store.collection<KbSettingsRecord>('kb_settings').find({}, { sort: { portal: 1 }, limit });
  }

  /** Tenants with articles (reindex of everything). */
  async tenantIds(): Promise<string[]> {
    const ids = new Set<string>();
    for (const s of await this.store.collection<KbSettingsRecord>('kb_settings').find({}, { projection: { tenantId: 1 }, limit: 1_000_000 })) ids.add(s.tenantId);
    return [...ids];
  }

  /** Announced events of every tenant still unconfirmed since before `before` (the outbox sweeper). */
  pendingEvents(before: Date, limit = 500): Promise<KbOutboxRecord[]> {
    return this.store.collection<KbOutboxRecord>('kb_outbox').find({ createdAt: { $lt: before } }, { sort: { createdAt: 1 }, limit });
  }

  async ensureIndexes(): Promise<void> {
    const s = this.store;
    await s.collection('kb_settings').createIndex({ keys: { portal: 1 }, unique: true });
    await s.collection('kb_settings').createIndex({ keys: { customDomain: 1 }, unique: true, partial: { customDomain: { $exists: true } } });
    await s.collection('kb_categories').createIndex({ keys: { tenantId: 1, slug: 1 }, unique: true });
    await s.collection('kb_articles').createIndex({ keys: { tenantId: 1, categoryId: 1, position: 1 } });
    await s.collection('kb_translations').createIndex({ keys: { tenantId: 1, locale: 1, slug: 1 }, unique: true });
    await s.collection('kb_translations').createIndex({ keys: { tenantId: 1, locale: 1, publishedSlug: 1 } });
    await s.collection('kb_translations').createIndex({ keys: { tenantId: 1, articleId: 1 } });
    await s.collection('kb_revisions').createIndex({ keys: { tenantId: 1, articleId: 1, locale: 1, revision: -1 } });
    await s.collection('kb_outbox').createIndex({ keys: { createdAt: 1 } });
  }
}
