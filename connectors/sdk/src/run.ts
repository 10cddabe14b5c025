import type { FastifyInstance } from 'fastify';
import type { Config } from '@switchboard/config';
import { createHttpServer, healthRoutes } from '@switchboard/http';
import { metricsRoute } from '@switchboard/metrics';
import { createPlatform, serve, type Platform } from '@switchboard/runtime';
import connectorsBase from './base.js';
import { connectorPlugin } from './plugin.js';
import type { Connector } from './types.js';

/**
 * Connectors as their own process (docker compose): the shared base (blob store and route,
 * channel list), whatever `mount` registers, /metrics, health checks, graceful shutdown. Every connector
 * main goes through here.
 */
export async function runConnectorHost(
  config: Config,
  service: string,
  mount: (app: FastifyInstance, platform: Platform) => Promise<void>,
): Promise<FastifyInstance> {
  const platform = await createPlatform(config, service);
  const app = createHttpServer({ logger: platform.logger, bodyLimit: config.bodyLimit }) as unknown as FastifyInstance;
  app.addHook('onClose', async () => platform.close());
  await app.register(connectorsBase, { platform });
  await mount(app, platform);
  metricsRoute(app, platform.metrics);
  healthRoutes(app, {
    store: () => platform.store.ping(),
    kv: () => platform.kv.ping(),
    bus: async () => void (await platform.bus.depths()),
  });
  await serve(app, { port: config.port, host: config.host, logger: platform.logger, shutdownTimeoutMs: config.shutdownTimeoutMs });
  return app;
}

/** One SDK connector as its own process. */
export function runConnector(config: Config, connector: Connector): Promise<FastifyInstance> {
  return runConnectorHost(config, `connector-${connector.channel}`, async (app, platform) => {
    await app.register(connectorPlugin, { platform, connector });
  });
}
