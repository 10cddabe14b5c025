/** The knowledge base alone (docker compose service "knowledge-base"): agents' API, help center pages, widget suggestions, search follower. */
import { loadConfig } from '@switchboard/config';
import { createHttpServer, healthRoutes } from '@switchboard/http';
import { metricsRoute } from '@switchboard/metrics';
import { createPlatform, serve } from '@switchboard/runtime';
import type { FastifyInstance } from 'fastify';
import knowledgeBase from './plugin.js';

const config = loadConfig();
const platform = await createPlatform(config, 'knowledge-base');
const app = createHttpServer({
  logger: platform.logger,
  bodyLimit: config.bodyLimit,
  // The help center pages are served from here: security headers and CSP as on the hub.
  security: { publicUrl: config.publicUrl, allowedOrigins: config.widgetAllowedOrigins },
}) as unknown as FastifyInstance;
app.addHook('onClose', async () => platform.close());
await app.register(knowledgeBase, { platform });
metricsRoute(app, platform.metrics);
healthRoutes(app, {
  store: () => platform.store.ping(),
  kv: () => platform.kv.ping(),
  bus: async () => void (await platform.bus.depths()),
  search: () => platform.search.ping(),
});
await serve(app, { port: config.port, host: config.host, logger: platform.logger, shutdownTimeoutMs: config.shutdownTimeoutMs });
