/**
 * Load shedding at the edge: while a conversation's work partition is backed up, a channel's
 * webhook answers 503 SB_ERR_WEBHOOK_BUSY with Retry-After (the provider retries later) and the
 * backlog shows in /metrics — never a silent, growing queue. Nothing consumes inbound work here
 * (no inbox service is mounted), so the partition only fills.
 */
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBus, type Bus } from '@switchboard/bus';
import { loadConfig } from '@switchboard/config';
import { createHttpServer } from '@switchboard/http';
import { Repositories } from '@switchboard/inbox-service';
import { createLogger } from '@switchboard/logging';
import { metricsRoute } from '@switchboard/metrics';
import { createPlatform, type Platform } from '@switchboard/runtime';
import { tempDir } from '@switchboard/testkit';
import { JWT_SECRET, seedTenant } from '../../../inbox-service/test/harness.js';
import { ChannelAccounts } from '../src/accounts.js';
import connectorsBase from '../src/base.js';
import { loopbackConnector, loopbackSignature } from '../src/index.js';
import { connectorPlugin } from '../src/plugin.js';

const LIMIT = 3;
const data = tempDir('sb-webhook-busy');
let bus: Bus;
let platform: Platform;
let app: FastifyInstance;
let url: string;
let hook: string;
let secret: string;

beforeAll(async () => {
  const config = loadConfig({ DATA_DIR: data.dir, JWT_SECRET, LOG_LEVEL: 'silent', DEMO_SEED: 'false' });
  const logger = createLogger({ level: 'silent', format: 'json' });
  bus = await createBus({ driver: 'embedded', dir: `${data.dir}/bus`, partitions: 2, maxInboundBacklog: LIMIT });
  platform = await createPlatform(config, 'webhook-busy-test', { logger, bus });
  app = createHttpServer({ logger, bodyLimit: config.bodyLimit }) as unknown as FastifyInstance;
  await app.register(connectorsBase, { platform });
  await app.register(connectorPlugin, { platform, connector: loopbackConnector() });
  metricsRoute(app, platform.metrics);
  await app.listen({ port: 0, host: '127.0.0.1' });
  url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const tenant = await seedTenant(new Repositories(platform.store), 'busy');
  const token = await platform.tokens.signAccess({ agentId: tenant.agentId, tenantId: tenant.tenantId, role: 'admin', name: 'Admin' });
  const created = await fetch(`${url}/api/v1/channels/loopback`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Busy loopback', credentials: {} }),
  });
  expect(created.status).toBe(201);
  const { accountId } = (await created.json()) as { accountId: string };
  const accounts = new ChannelAccounts(platform.store, platform.secrets);
  const record = await accounts.forTenant(tenant.tenantId).accounts.findById(accountId);
  secret = accounts.open(record!).credentials.secret as string;
  hook = `${url}/webhooks/loopback/${accountId}`;
});

afterAll(async () => {
  await app?.close();
  await platform?.close();
  await bus?.close();
  data.remove();
});

let seq = 0;
function webhook(chatId: string): Promise<Response> {
  const body = JSON.stringify({ id: `busy-${seq++}`, chatId, from: { id: `user-${chatId}`, name: 'Customer' }, text: 'Where is my order?' });
  return fetch(hook, { method: 'POST', headers: { 'content-type': 'application/json', 'x-loopback-signature': loopbackSignature(secret, body) }, body });
}

describe('webhook under a backed-up inbound partition', () => {
  it('answers 503 SB_ERR_WEBHOOK_BUSY with Retry-After, and /metrics shows the depth', async () => {
    let accepted = 0;
    let refused: Response | undefined;
    const deadline = Date.now() + 8_000;
    // The bus reads depths at most once a second, so a few more than the limit get in first.
    while (!refused && Date.now() < deadline) {
      const res = await webhook('chat-1');
      if (res.status === 200) accepted++;
      else refused = res;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(refused?.status).toBe(503);
    expect(refused!.headers.get('retry-after')).toBe('1');
    const body = (await refused!.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('SB_ERR_WEBHOOK_BUSY');
    expect(body.error.message).toContain('retry later');
    expect(accepted).toBeGreaterThanOrEqual(LIMIT);

    const metrics = await (await fetch(`${url}/metrics`)).text();
    const depths = [...metrics.matchAll(/^sb_queue_depth\{[^}]*queue="[^"]*\.inbound\.work\.\d+"[^}]*\} (\d+)/gm)].map((m) => Number(m[1]));
    expect(depths.reduce((a, b) => a + b, 0)).toBe(accepted);
    expect(Math.max(...depths)).toBeGreaterThanOrEqual(LIMIT);
  });
});
