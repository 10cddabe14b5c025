/** WhatsApp Cloud API + Instagram Messaging alone (docker compose service "connector-meta"). */
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '@switchboard/config';
import { connectorsBase } from '@switchboard/connectors-sdk';
import { createHttpServer, healthRoutes } from '@switchboard/http';
import { createPlatform } from '@switchboard/runtime';
import { metaConnectors } from './plugin.js';

const config = loadConfig();
const platform = await createPlatform(config, 'connector-meta');
const app = createHttpServer({ logger: platform.logger, bodyLimit: config.bodyLimit }) as unknown as FastifyInstance;
app.addHook('onClose', async () => platform.close());
await app.register(connectorsBase, { platform });
await app.register(metaConnectors, { platform });
healthRoutes(app, {
  store: () => platform.store.ping(),
  kv: () => platform.kv.ping(),
  bus: async () => void (await platform.bus.depths()),
});
await app.listen({ port: config.port, host: config.host });
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    app.log.info({ signal }, 'shutting down');
    setTimeout(() => process.exit(1), 10_000).unref();
    void app.close().then(() => process.exit(0));
  });
}
