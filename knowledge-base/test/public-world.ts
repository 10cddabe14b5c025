import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '@switchboard/config';
import { newId } from '@switchboard/contracts';
import { createHttpServer } from '@switchboard/http';
import { createLogger } from '@switchboard/logging';
import { createPlatform, type Platform } from '@switchboard/runtime';
import { tempDir } from '@switchboard/testkit';
import type { KbSettingsRecord, KbTranslationRecord } from '../src/articles/records.js';
import { KbStore } from '../src/articles/repository.js';
import { KbHosts } from '../src/public/hosts.js';
import { kbPublicPages } from '../src/public/plugin.js';
import { KbSearch } from '../src/search/kb-search.js';
import type { KbVoting, VoteOutcome } from '../src/types.js';

export interface RecordedVote {
  tenantId: string;
  articleId: string;
  locale: string;
  helpful: boolean;
  voter: string;
}

/** The votes the pages cast, counted like the service does: one per voter and translation, a new answer replaces the old. */
export class RecordingVoting implements KbVoting {
  readonly calls: RecordedVote[] = [];
  private readonly answers = new Map<string, boolean>();

  async vote(tenantId: string, articleId: string, locale: string, helpful: boolean, voter: string): Promise<VoteOutcome> {
    this.calls.push({ tenantId, articleId, locale, helpful, voter });
    const key = `${tenantId}/${articleId}/${locale}/${voter}`;
    const before = this.answers.get(key);
    this.answers.set(key, helpful);
    return before === undefined ? 'counted' : before === helpful ? 'already' : 'changed';
  }

  tally(articleId: string, locale: string): { helpful: number; notHelpful: number } {
    let helpful = 0;
    let notHelpful = 0;
    for (const [key, answer] of this.answers) {
      if (!key.includes(`/${articleId}/${locale}/`)) continue;
      if (answer) helpful++;
      else notHelpful++;
    }
    return { helpful, notHelpful };
  }
}

export interface ArticleSeed {
  categoryId?: string | null;
  position?: number;
  /** locale → content; `published: false` leaves it a draft. */
  translations: Record<string, { title: string; slug: string; body: string; description?: string; published?: boolean; previousSlugs?: string[]; publishedAt?: Date }>;
}

export interface HelpCenterSeed {
  portal: string;
  name: string;
  locales: string[];
  defaultLocale: string;
  color?: string;
  logoUrl?: string | null;
  customDomain?: string;
}

export interface PublicWorld {
  url: string;
  publicUrl: string;
  app: FastifyInstance;
  platform: Platform;
  store: KbStore;
  hosts: KbHosts;
  voting: RecordingVoting;
  search: KbSearch;
  addHelpCenter(seed: HelpCenterSeed): Promise<string>;
  addCategory(tenantId: string, slug: string, position: number, translations: Record<string, { name: string; description?: string }>): Promise<string>;
  addArticle(tenantId: string, seed: ArticleSeed): Promise<string>;
  /** A raw HTTP request (any Host header), body read as text. */
  http(method: string, path: string, opts?: { headers?: Record<string, string>; body?: string }): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }>;
  close(): Promise<void>;
}

/**
 * A server like the hub's (createHttpServer with its security headers) with only the public
 * pages, on an embedded platform; records are written straight through KbStore.
 */
export async function startPublicWorld(opts: { publicUrl?: string } = {}): Promise<PublicWorld> {
  const data = tempDir('sb-kb-public');
  const publicUrl = opts.publicUrl ?? 'https://support.example.com';
  const config = loadConfig({ DATA_DIR: data.dir, LOG_LEVEL: 'silent', DEMO_SEED: 'false', PUBLIC_URL: publicUrl });
  const logger = createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent', format: 'json' });
  const platform = await createPlatform(config, 'kb-public-test', { logger });
  const store = new KbStore(platform.store);
  await store.ensureIndexes();
  const app = createHttpServer({ logger, bodyLimit: config.bodyLimit, security: { publicUrl, allowedOrigins: [] } }) as unknown as FastifyInstance;
  const hosts = new KbHosts(store, logger);
  const voting = new RecordingVoting();
  const search = new KbSearch(platform.search, store, logger);
  await search.ensure();
  await app.register(kbPublicPages, { store, search, voting, publicUrl, kv: platform.kv, logger, hosts });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const port = (app.server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}`,
    publicUrl,
    app,
    platform,
    store,
    hosts,
    voting,
    search,
    async addHelpCenter(seed) {
      const tenantId = newId();
      const settings: Omit<KbSettingsRecord, 'tenantId'> = {
        _id: tenantId,
        portal: seed.portal,
        name: seed.name,
        logoUrl: seed.logoUrl ?? null,
        color: seed.color ?? '#0f766e',
        defaultLocale: seed.defaultLocale,
        locales: seed.locales,
        ...(seed.customDomain ? { customDomain: seed.customDomain } : {}),
        updatedAt: new Date(),
      };
      await store.forTenant(tenantId).settings.insertOne(settings);
      await hosts.refresh();
      return tenantId;
    },
    async addCategory(tenantId, slug, position, translations) {
      const id = newId();
      const now = new Date();
      await store.forTenant(tenantId).categories.insertOne({ _id: id, slug, position, translations, createdAt: now, updatedAt: now });
      return id;
    },
    async addArticle(tenantId, seed) {
      const r = store.forTenant(tenantId);
      const articleId = newId();
      const now = new Date();
      await r.articles.insertOne({ _id: articleId, categoryId: seed.categoryId ?? null, position: seed.position ?? 0, authorId: null, createdAt: now, updatedAt: now });
      for (const [locale, t] of Object.entries(seed.translations)) {
        const content = { title: t.title, slug: t.slug, description: t.description ?? '', body: t.body };
        const version = { ...content, revision: 1, updatedAt: now, updatedBy: null };
        const live = t.published !== false;
        const publishedAt = t.publishedAt ?? now;
        const record: Omit<KbTranslationRecord, 'tenantId'> = {
          _id: `${articleId}:${locale}`,
          articleId,
          locale,
          categoryId: seed.categoryId ?? null,
          slug: t.slug,
          draft: version,
          published: live ? { ...version, revision: 2, publishedAt } : null,
          publishedSlug: live ? t.slug : null,
          previousSlugs: t.previousSlugs ?? [],
          revision: live ? 2 : 1,
          votes: { helpful: 0, notHelpful: 0 },
          createdAt: now,
          updatedAt: now,
        };
        await r.translations.insertOne(record);
        if (live) await r.revisions.insertOne({ _id: newId(), articleId, locale, revision: 2, action: 'publish', content, authorId: null, at: publishedAt });
      }
      return articleId;
    },
    http(method, path, { headers = {}, body } = {}) {
      return new Promise((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port, method, path, headers: { ...headers, ...(body !== undefined ? { 'content-length': String(Buffer.byteLength(body)) } : {}) } }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
          res.on('error', reject);
        });
        req.on('error', reject);
        req.end(body);
      });
    },
    async close() {
      await app.close();
      await platform.close();
      data.remove();
    },
  };
}
