import type { FastifyInstance } from 'fastify';
import { loadConfig } from '@switchboard/config';
import { metricsRoute } from '@switchboard/metrics';
import { createHttpServer, healthRoutes } from '@switchboard/http';
import { createRealtime } from '@switchboard/realtime';
import { createPlatform, serve } from '@switchboard/runtime';
import inboxService from './plugin.js';
import { Repositories } from './repositories/index.js';
import { seedDemo } from './seed.js';

/** The inbox service alone (docker compose runs one or more of these behind the gateway). */
const config = loadConfig();
const platform = await createPlatform(config, 'inbox-service');
const app = createHttpServer({
  logger: platform.logger,
  bodyLimit: config.bodyLimit,
  security: { publicUrl: config.publicUrl, allowedOrigins: config.widgetAllowedOrigins },
}) as unknown as FastifyInstance;
const realtime = await createRealtime(platform.realtime, app.server, { cors: { origin: true, credentials: false } }, platform.logger);
await app.register(inboxService, { platform, io: realtime.io });
metricsRoute(app, platform.metrics);
healthRoutes(app, {
  store: () => platform.store.ping(),
  kv: () => platform.kv.ping(),
  bus: async () => void (await platform.bus.depths()),
});
// After the plugin's own preClose (consumers stopped, handlers in flight done): sockets are open
// connections the HTTP server would otherwise wait for.
app.addHook('preClose', () => realtime.close());
app.addHook('onClose', () => platform.close());
if (config.demoSeed) await seedDemo(new Repositories(platform.store));
await serve(app, { port: config.port, host: config.host, logger: platform.logger, shutdownTimeoutMs: config.shutdownTimeoutMs });
