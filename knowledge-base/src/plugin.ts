import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { requirePrincipal } from '@switchboard/auth';
import type { Subscription } from '@switchboard/bus';
import { RateLimiter, type HttpServer } from '@switchboard/http';
import { AccessAuthenticator, Repositories } from '@switchboard/inbox-service';
import type { Platform } from '@switchboard/runtime';
import { KbStore } from './articles/repository.js';
import { kbRoutes } from './articles/routes.js';
import { KbService } from './articles/service.js';
import { KbHosts } from './public/hosts.js';
import { kbPublicPages } from './public/plugin.js';
import { mainRobotsRoute } from './robots.js';
import { followKbEvents } from './search/follow.js';
import { KbSearch } from './search/kb-search.js';
import { kbSuggestionRoutes } from './suggestions.js';

export interface KnowledgeBaseOptions {
  platform: Platform;
  /** Run the search follower (the sb.events group keeping the index in step, and tenant.deleted clean-up) here; default true. */
  background?: boolean;
  /** How often events a crash or a broker outage left in the outbox are published (with the follower); default 30000. */
  outboxEveryMs?: number;
}

/**
 * The knowledge base: the agents' REST API under /api/v1/kb, the widget's suggestions, the
 * public help center pages, and the search index following sb.events. Mounted by the hub or run
 * alone by main.ts.
 */
async function knowledgeBase(app: FastifyInstance, opts: KnowledgeBaseOptions): Promise<void> {
  const { platform } = opts;
  const logger = platform.logger.child({ component: 'knowledge-base' });
  const inbox = new Repositories(platform.store);
  const store = new KbStore(platform.store);
  await store.ensureIndexes();
  if (!app.hasRequestDecorator('principal')) requirePrincipal(app, new AccessAuthenticator(inbox, platform.tokens, platform.kv));

  const search = new KbSearch(platform.search, store, logger.child({ component: 'kb-search' }));
  await search.ensure();
  const publicUrl = platform.config.publicUrl;
  const service = new KbService({ store, inbox, bus: platform.bus, kv: platform.kv, logger, publicUrl });
  const limiter = new RateLimiter(platform.kv, { onStoreError: (err) => logger.warn({ err }, 'rate limit store failed; request allowed') });

  await app.register(
    async (api) => {
      const typed = api as unknown as HttpServer;
      await kbRoutes(typed, { store, service, search, publicUrl });
      await kbSuggestionRoutes(typed, { inbox, settings: service.settings, search, publicUrl, limiter });
    },
    { prefix: '/api/v1' },
  );
  // One custom-domain router, reloaded at once when this process changes a help center's settings.
  const hosts = new KbHosts(store, logger.child({ component: 'kb-hosts' }));
  service.settings.onChanged = () => void hosts.refresh().catch((err: unknown) => logger.warn({ err }, 'custom domains could not be reloaded'));
  await app.register(kbPublicPages, { store, search, voting: service, publicUrl, kv: platform.kv, logger, hosts });
  mainRobotsRoute(app, { store, publicUrl });

  let follower: Subscription | undefined;
  let sweeper: NodeJS.Timeout | undefined;
  let sweeping: Promise<unknown> = Promise.resolve();
  app.addHook('onReady', async () => {
    if (opts.background === false) return;
    follower = await followKbEvents({ bus: platform.bus, search, store: platform.store, logger });
    const rebuilt = await search.reconcile();
    if (rebuilt) logger.info({ tenants: rebuilt }, 'knowledge base search index caught up with the store at start');
    const every = opts.outboxEveryMs ?? 30_000;
    sweeper = setInterval(() => {
      sweeping = service.publishPending(every).catch((err: unknown) => logger.warn({ err }, 'knowledge base outbox sweep failed'));
    }, every);
    sweeper.unref();
  });
  app.addHook('preClose', async () => {
    clearInterval(sweeper);
    await sweeping;
    await follower?.close();
  });
  app.decorate('kb', { store, service, search });
}

declare module 'fastify' {
  interface FastifyInstance {
    kb: { store: KbStore; service: KbService; search: KbSearch };
  }
}

export default fp(knowledgeBase, { name: 'knowledge-base', fastify: '5.x' });
