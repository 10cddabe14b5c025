/** The knowledge base alone (docker compose service "knowledge-base"): agents' API, help center pages, widget suggestions, search follower. */
import { loadConfig } from '@switchboard/config';
import { createHttpServer, healthRoutes } from '@switchboard/http';
import { createPlatform } from '@switchboard/runtime';
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
healthRoutes(app, {
  store: () => platform.store.ping(),
  kv: () => platform.kv.ping(),
  bus: async () => void (await platform.bus.depths()),
  search: () => platform.search.ping(),
});
await app.listen({ port: config.port, host: config.host });
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    setTimeout(() => process.exit(1), 10_000).unref();
    void app.close().then(() => process.exit(0));
  });
}
