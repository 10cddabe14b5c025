/** Ticketing alone (docker compose service "ticketing"): tickets, teams, SLA clocks, CRM links, the contact directory. */
import { loadConfig } from '@switchboard/config';
import { createHttpServer, healthRoutes } from '@switchboard/http';
import { metricsRoute } from '@switchboard/metrics';
import { createPlatform, serve } from '@switchboard/runtime';
import type { FastifyInstance } from 'fastify';
import ticketingService from './plugin.js';

const config = loadConfig();
const platform = await createPlatform(config, 'ticketing');
const app = createHttpServer({ logger: platform.logger, bodyLimit: config.bodyLimit }) as unknown as FastifyInstance;
app.addHook('onClose', async () => platform.close());
await app.register(ticketingService, { platform });
metricsRoute(app, platform.metrics);
healthRoutes(app, {
  store: () => platform.store.ping(),
  kv: () => platform.kv.ping(),
  bus: async () => void (await platform.bus.depths()),
});
await serve(app, { port: config.port, host: config.host, logger: platform.logger, shutdownTimeoutMs: config.shutdownTimeoutMs });
