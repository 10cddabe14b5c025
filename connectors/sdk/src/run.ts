import type { FastifyInstance } from 'fastify';
import type { Config } from '@switchboard/config';
import { createHttpServer, healthRoutes } from '@switchboard/http';
import { createPlatform } from '@switchboard/runtime';
import connectorsBase from './base.js';
import { connectorPlugin } from './plugin.js';
import type { Connector } from './types.js';

/**
 * A connector as its own process (docker compose): webhooks, the channel's admin API, the blob
 * route and outbound delivery, with health checks. What `src/main.ts` of every channel calls.
 */
export async function runConnector(config: Config, connector: Connector): Promise<FastifyInstance> {
  const platform = await createPlatform(config, `connector-${connector.channel}`);
  const app = createHttpServer({ logger: platform.logger, bodyLimit: config.bodyLimit }) as unknown as FastifyInstance;
  app.addHook('onClose', async () => platform.close());
  await app.register(connectorsBase, { platform });
  await app.register(connectorPlugin, { platform, connector });
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
  return app;
}
