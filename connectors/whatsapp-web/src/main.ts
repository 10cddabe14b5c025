/**
 * WhatsApp Web alone (docker compose service "connector-whatsapp-web"). Run exactly one replica:
 * a linked device is one browser. Session pushes reach admins through the Redis socket.io adapter.
 */
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '@switchboard/config';
import { connectorsBase } from '@switchboard/connectors-sdk';
import { createHttpServer, healthRoutes } from '@switchboard/http';
import { createRealtime } from '@switchboard/realtime';
import { createPlatform } from '@switchboard/runtime';
import { whatsappWebConnectors } from './plugin.js';

const config = loadConfig();
const platform = await createPlatform(config, 'connector-whatsapp-web');
const app = createHttpServer({ logger: platform.logger, bodyLimit: config.bodyLimit }) as unknown as FastifyInstance;
const realtime = await createRealtime(platform.realtime, app.server, { cors: { origin: true, credentials: false } }, platform.logger);
app.addHook('onClose', async () => {
  await realtime.close();
  await platform.close();
});
await app.register(connectorsBase, { platform });
await app.register(whatsappWebConnectors, { platform, io: realtime.io });
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
