import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { Bus } from '@switchboard/bus';
import { loadConfig } from '@switchboard/config';
import { createHttpServer } from '@switchboard/http';
import { Repositories } from '@switchboard/inbox-service';
import { createLogger } from '@switchboard/logging';
import { metricsRoute } from '@switchboard/metrics';
import { createPlatform, type Platform } from '@switchboard/runtime';
import { JWT_SECRET, seedTenant } from '../../../inbox-service/test/harness.js';
import { ChannelAccounts } from '../src/accounts.js';
import connectorsBase, { type ConnectorsBaseOptions } from '../src/base.js';
import { loopbackConnector, loopbackSignature } from '../src/index.js';
import { connectorPlugin } from '../src/plugin.js';

export interface LoopbackHub {
  app: FastifyInstance;
  platform: Platform;
  url: string;
  /** POSTs a signed loopback webhook carrying one customer message in `chatId`. */
  webhook(chatId: string): Promise<Response>;
}

/**
 * The connectors runtime with the loopback channel and /metrics on `bus`, no inbox service (so
 * nothing consumes inbound work), one seeded team and its connected loopback account.
 */
export async function startLoopbackHub(dataDir: string, bus: Bus, base: Omit<ConnectorsBaseOptions, 'platform'> = {}): Promise<LoopbackHub> {
  const config = loadConfig({ DATA_DIR: dataDir, JWT_SECRET, LOG_LEVEL: 'silent', DEMO_SEED: 'false' });
  const logger = createLogger({ level: 'silent', format: 'json' });
  const platform = await createPlatform(config, 'loopback-hub-test', { logger, bus });
  const app = createHttpServer({ logger, bodyLimit: config.bodyLimit }) as unknown as FastifyInstance;
  await app.register(connectorsBase, { platform, ...base });
  await app.register(connectorPlugin, { platform, connector: loopbackConnector() });
  metricsRoute(app, platform.metrics);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const tenant = await seedTenant(new Repositories(platform.store), 'loopback');
  const token = await platform.tokens.signAccess({ agentId: tenant.agentId, tenantId: tenant.tenantId, role: 'admin', name: 'Admin' });
  const created = await fetch(`${url}/api/v1/channels/loopback`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Test loopback', credentials: {} }),
  });
  if (created.status !== 201) throw new Error(`the loopback account was not created: ${created.status}`);
  const { accountId } = (await created.json()) as { accountId: string };
  const accounts = new ChannelAccounts(platform.store, platform.secrets);
  const record = await accounts.forTenant(tenant.tenantId).accounts.findById(accountId);
  const secret = accounts.open(record!).credentials.secret as string;
  const hook = `${url}/webhooks/loopback/${accountId}`;
  let seq = 0;
  return {
    app,
    platform,
    url,
    webhook(chatId) {
      const body = JSON.stringify({ id: `msg-${seq++}`, chatId, from: { id: `user-${chatId}`, name: 'Customer' }, text: 'Where is my order?' });
      return fetch(hook, { method: 'POST', headers: { 'content-type': 'application/json', 'x-loopback-signature': loopbackSignature(secret, body) }, body });
    },
  };
}
