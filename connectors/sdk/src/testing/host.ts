import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { Socket } from 'socket.io-client';
import { createBus, type Bus } from '@switchboard/bus';
import { RabbitScratch } from '@switchboard/bus/testing';
import { loadConfig } from '@switchboard/config';
import { createHttpServer } from '@switchboard/http';
import { inboxService, Repositories } from '@switchboard/inbox-service';
import { createLogger, type DestinationStream } from '@switchboard/logging';
import { Metrics, metricsRoute } from '@switchboard/metrics';
import { createRealtime, type Realtime } from '@switchboard/realtime';
import { createPlatform, type Platform } from '@switchboard/runtime';
import { tempDir } from '@switchboard/testkit';
import { agentSocket, connected, JWT_SECRET, seedTenant, type SeededTenant } from '../../../../inbox-service/test/harness.js';
import { ChannelAccounts, type ChannelAccountView } from '../accounts.js';
import connectorsBase from '../base.js';
import { connectorPlugin } from '../plugin.js';
import type { ChannelAccount, Connector } from '../types.js';

/**
 * A bus whose inbound publishing can be switched off, standing in for a broker that is down or
 * refuses confirms: everything else passes through to the real bus.
 */
export class BreakableBus {
  broken = false;
  readonly bus: Bus;
  constructor(inner: Bus) {
    this.bus = new Proxy(inner, {
      get: (target, prop, receiver) => {
        if ((prop === 'publishInbound' || prop === 'publishInboundRaw') && this.broken) {
          return async () => {
            throw new Error('broker unavailable: publish was not confirmed');
          };
        }
        const value = Reflect.get(target, prop, receiver) as unknown;
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
  }
}

export interface ConnectorHost {
  url: string;
  app: FastifyInstance;
  platform: Platform;
  breakable: BreakableBus;
  tenant: SeededTenant;
  adminToken: string;
  /** Calls the admin API as the seeded tenant's admin. */
  api(method: string, path: string, body?: unknown): Promise<{ status: number; json: any }>;
  /** A connected agent socket of the seeded tenant. */
  agent(): Promise<Socket>;
  /** The account as its connector sees it (credentials opened), for signing test webhooks. */
  account(accountId: string): Promise<ChannelAccount>;
  /** Count of stored messages of the tenant on the account. */
  messages(accountId: string): Promise<Array<{ _id: string; text?: string; status?: string; direction: string; attachments: unknown[]; editedAt?: Date; deletedAt?: Date; error?: string; externalId: string; conversationId: string }>>;
  conversations(accountId: string): Promise<Array<{ _id: string; threadKey: string }>>;
  close(): Promise<void>;
}

export interface HostOptions {
  /** Run on the real RabbitMQ (default) or the embedded journal. */
  bus?: 'rabbitmq' | 'embedded';
  /** A RabbitMQ other than the shared test broker (fault tests run a private node they can stop). */
  amqpUrl?: string;
  env?: Record<string, string>;
  bodyLimit?: number;
  /** Where the host's JSON log lines go, at debug level (default: none, or TEST_LOG_LEVEL to stdout). */
  logs?: DestinationStream;
  /**
   * Mounts the channel instead of a plain `connectorPlugin` (channels that bring more than the
   * SDK runtime, e.g. email's SMTP server). connectorsBase is registered before it.
   */
  mount?(app: FastifyInstance, platform: Platform): Promise<void>;
}

/** inbox-service + one connector in one fastify server, on a real bus, with a seeded tenant. */
export async function startConnectorHost(connector: Connector, opts: HostOptions = {}): Promise<ConnectorHost> {
  const data = tempDir(`sb-${connector.channel}`);
  const config = loadConfig({
    DATA_DIR: data.dir,
    JWT_SECRET,
    LOG_LEVEL: 'silent',
    DEMO_SEED: 'false',
    BUS_DELIVERY_LIMIT: '3',
    ...(opts.bodyLimit ? { BODY_LIMIT: String(opts.bodyLimit) } : {}),
    ...opts.env,
  });
  const logger = opts.logs
    ? createLogger({ level: 'debug', format: 'json', destination: opts.logs })
    : createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent', format: 'json' });
  const metrics = new Metrics({ service: `${connector.channel}-test`, defaultMetrics: false });
  const onDeadLetter = metrics.countDeadLetter;
  const scratch = new RabbitScratch();
  const inner =
    (opts.bus ?? 'rabbitmq') === 'rabbitmq'
      ? await scratch.bus({ partitions: 2, deliveryLimit: 3, retryDelayMs: 50, onDeadLetter, ...(opts.amqpUrl ? { url: opts.amqpUrl } : {}) })
      : await createBus({ driver: 'embedded', dir: `${data.dir}/bus`, partitions: 2, deliveryLimit: 3, retryDelayMs: 50, onDeadLetter });
  const breakable = new BreakableBus(inner);
  const platform = await createPlatform(config, `${connector.channel}-test`, { logger, bus: breakable.bus, metrics });
  const app = createHttpServer({ logger, bodyLimit: config.bodyLimit }) as unknown as FastifyInstance;
  let realtime: Realtime | undefined;
  try {
    realtime = await createRealtime(platform.realtime, app.server);
    await app.register(inboxService, { platform, io: realtime.io });
    // connectors
    await app.register(connectorsBase, { platform });
    if (opts.mount) await opts.mount(app, platform);
    else await app.register(connectorPlugin, { platform, connector });
    metricsRoute(app, platform.metrics);
    await app.listen({ port: 0, host: '127.0.0.1' });
  } catch (err) {
    await realtime?.close();
    await app.close();
    await platform.close();
    await inner.close();
    await scratch.cleanup();
    data.remove();
    throw err;
  }
  const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const repos = new Repositories(platform.store);
  const tenant = await seedTenant(repos, connector.channel);
  const adminToken = await platform.tokens.signAccess({ agentId: tenant.agentId, tenantId: tenant.tenantId, role: 'admin', name: 'Admin' });
  const accounts = new ChannelAccounts(platform.store, platform.secrets);
  const sockets: Socket[] = [];
  const rt = realtime;
  return {
    url,
    app,
    platform,
    breakable,
    tenant,
    adminToken,
    async api(method, path, body) {
      const res = await fetch(`${url}${path}`, {
        method,
        headers: { authorization: `Bearer ${adminToken}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      const text = await res.text();
      return { status: res.status, json: text ? JSON.parse(text) : null };
    },
    async agent() {
      const socket = agentSocket(url, adminToken);
      sockets.push(socket);
      await connected(socket);
      return socket;
    },
    async account(accountId) {
      const record = await accounts.forTenant(tenant.tenantId).accounts.findById(accountId);
      if (!record) throw new Error(`no account ${accountId}`);
      return accounts.open(record);
    },
    async messages(accountId) {
      return repos.forTenant(tenant.tenantId).messages.find({ channelAccountId: accountId }, { sort: { seq: 1 } }) as never;
    },
    async conversations(accountId) {
      return repos.forTenant(tenant.tenantId).conversations.find({ channelAccountId: accountId }) as never;
    },
    async close() {
      for (const s of sockets) s.disconnect();
      await rt.close();
      await app.close();
      await platform.close();
      await inner.close();
      await scratch.cleanup();
      data.remove();
    },
  };
}

export type { ChannelAccountView };
