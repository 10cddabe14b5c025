import type { FastifyInstance } from 'fastify';
import { addUrlRewriter, RateLimiter } from '@switchboard/http';
import type { KeyValue } from '@switchboard/kv';
import type { Logger } from '@switchboard/logging';
import type { KbStore } from '../articles/repository.js';
import type { KbArticleSearch, KbVoting } from '../types.js';
import { KbHosts } from './hosts.js';
import { HelpCenterReader } from './reader.js';
import { publicRoutes } from './routes.js';

export interface KbPublicOptions {
  store: KbStore;
  search: KbArticleSearch;
  voting: KbVoting;
  /** PUBLIC_URL of the hub: absolute links on the main host, and http vs https for custom domains. */
  publicUrl: string;
  /** Rate limits of the vote form. */
  kv: KeyValue;
  logger: Logger;
  /** The custom-domain router; pass one to call `refresh()` after settings change. Default: one made here (reloads every 30 s). */
  hosts?: KbHosts;
}

/**
 * The public help center, server-rendered and usable with JavaScript off: home, categories,
 * articles, search, "Was this helpful?", sitemap.xml and robots.txt, under /help/<portal>/ and
 * at the root of each help center's custom domain. Runs in its own encapsulated scope (its form
 * parser stays here).
 */
export async function kbPublicPages(app: FastifyInstance, opts: KbPublicOptions): Promise<void> {
  const logger = opts.logger.child({ component: 'kb-public' });
  const hosts = opts.hosts ?? new KbHosts(opts.store, logger);
  await hosts.start();
  const removeRewriter = addUrlRewriter(app, hosts.rewrite);
  app.addHook('onClose', async () => {
    removeRewriter();
    hosts.stop();
  });

  if (!app.hasContentTypeParser('application/x-www-form-urlencoded')) {
    app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 4096 }, (_req, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(body as string)));
    });
  }

  const voteLimiter = new RateLimiter(opts.kv, { prefix: 'rl:kb:', onStoreError: (err) => logger.warn({ err }, 'vote rate limit store failed; allowing') });
  await publicRoutes(app, {
    reader: new HelpCenterReader(opts.store),
    search: opts.search,
    voting: opts.voting,
    publicUrl: opts.publicUrl,
    hosts,
    voteLimiter,
    logger,
  });
}
