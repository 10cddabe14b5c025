/** Ticketing alone (docker compose service "ticketing"): tickets, teams, SLA clocks, CRM links, the contact directory. */
import { loadConfig } from '@switchboard/config';
import { createHttpServer, healthRoutes } from '@switchboard/http';
import { createPlatform } from '@switchboard/runtime';
import type { FastifyInstance } from 'fastify';
import ticketingService from './plugin.js';

const config = loadConfig();
const platform = await createPlatform(config, 'ticketing');
const app = createHttpServer({ logger: platform.logger, bodyLimit: config.bodyLimit }) as unknown as FastifyInstance;
app.addHook('onClose', async () => platform.close());
await app.register(ticketingService, { platform });
healthRoutes(app, {
  store: () => platform.store.ping(),
  kv: () => platform.kv.ping(),
  bus: async () => void (await platform.bus.depths()),
});
await app.listen({ port: config.port, host: config.host });
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    setTimeout(() => process.exit(1), 10_000).unref();
    void app.close().then(() => process.exit(0));
  });
}
