/**
 * The servers the ingest and fan-out benchmarks measure, each run in its own child process
 * (`node --expose-gc --import tsx bench/lib/servers.ts <role> [json options]`), so the load
 * clients' CPU and memory are never counted as the server's. The child answers over IPC:
 *
 *   → { type: 'ready', info }                    once listening (info: what the clients need)
 *   ← { type: 'rss' }   → { type: 'rss', rss, heapUsed }   after two full collections
 *   ← { type: 'broadcast', count, event }  → { type: 'broadcasted', sent }: `count` emits to every
 *     socket, each carrying its send time (performance.timeOrigin + performance.now(), ms)
 *   ← { type: 'stop' }  → cleans up (scratch queues, temp folders) and exits
 *
 * Roles:
 * - `ingest-bare`: fastify POST /hook → rabbitmq-client publisher with confirms → a quorum queue →
 *   a consumer → socket.io emit to every client, all at library defaults, on one connection.
 * - `ingest-switchboard`: the inbox service and the loopback connector in one fastify server
 *   (as the hub mounts them) on the real RabbitMQ under a scratch prefix and an embedded store.
 * - `fanout-bare`: a bare socket.io server.
 * - `fanout-switchboard`: one inbox-service instance (embedded platform) with its /widget namespace.
 * - `realtime`: our realtime seam (createRealtime) alone, `{ redis: true }` for the Redis adapter.
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import Fastify, { type FastifyInstance } from 'fastify';
import { Connection } from 'rabbitmq-client';
import { Server } from 'socket.io';
import { RabbitScratch, testAmqpUrl } from '@switchboard/bus/testing';
import { loadConfig } from '@switchboard/config';
import { connectorPlugin, connectorsBase, loopbackConnector } from '@switchboard/connectors-sdk';
import { createHttpServer } from '@switchboard/http';
import { inboxService, Repositories } from '@switchboard/inbox-service';
import { createLogger } from '@switchboard/logging';
import { metricsRoute } from '@switchboard/metrics';
import { createRealtime, type Realtime } from '@switchboard/realtime';
import { createPlatform } from '@switchboard/runtime';
import { tempDir } from '@switchboard/testkit';
import { ChannelAccounts } from '../../connectors/sdk/src/accounts.js';
import { JWT_SECRET, seedTenant } from '../../inbox-service/test/harness.js';

export type Role = 'ingest-bare' | 'ingest-switchboard' | 'fanout-bare' | 'fanout-switchboard' | 'realtime';

export interface ServerOptions {
  /** ingest-switchboard: inbound work partitions (default 8, as the hub). */
  partitions?: number;
  /** ingest-switchboard: the bus's inbound backlog limit (publishes answer 503 above it). */
  maxInboundBacklog?: number;
  /** realtime: use the Redis adapter (REDIS_URL or redis://127.0.0.1:6379). */
  redis?: boolean;
  /** realtime: channel prefix shared by the instances of one run. */
  redisKey?: string;
}

/** What a client needs to reach the server. */
export interface ServerInfo {
  url: string;
  /** socket.io namespace the clients connect to. */
  namespace: string;
  /** socket.io handshake auth for an agent (ingest-switchboard) or a visitor (fanout-switchboard). */
  auth?: Record<string, string>;
  /** ingest: POST here. */
  hookPath?: string;
  /** ingest-switchboard: the loopback account's signing secret. */
  secret?: string;
  /** ingest: the event a client receives per stored message. */
  event?: string;
  pid: number;
}

export const now = () => performance.timeOrigin + performance.now();

const port = (server: { address(): unknown }) => (server.address() as AddressInfo).port;

async function ingestBare(): Promise<{ info: Omit<ServerInfo, 'pid'>; io: Server; stop(): Promise<void> }> {
  const queue = `sbbench-${randomBytes(4).toString('hex')}`;
  const conn = new Connection(testAmqpUrl);
  conn.on('error', () => undefined);
  await conn.onConnect(10_000);
  const queueOptions = { durable: true, arguments: { 'x-queue-type': 'quorum' as const } };
  await conn.queueDeclare({ queue, ...queueOptions });
  const publisher = conn.createPublisher({ confirm: true });
  const app = Fastify();
  const io = new Server(app.server, { serveClient: false });
  const consumer = conn.createConsumer({ queue, queueOptions }, async (msg) => {
    io.emit('message', JSON.parse(Buffer.isBuffer(msg.body) ? msg.body.toString('utf8') : JSON.stringify(msg.body)));
  });
  app.post('/hook', async (req) => {
    await publisher.send({ routingKey: queue, durable: true }, Buffer.from(JSON.stringify(req.body)));
    return 'ok';
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    info: { url: `http://127.0.0.1:${port(app.server)}`, namespace: '/', hookPath: '/hook', event: 'message' },
    io,
    async stop() {
      io.close();
      await app.close();
      await consumer.close();
      await publisher.close();
      await conn.queueDelete({ queue }).catch(() => undefined);
      await conn.close();
    },
  };
}

/** inbox-service + connectors runtime + loopback channel, as the hub mounts them, on a scratch bus. */
async function switchboard(opts: ServerOptions, bus: 'rabbitmq' | 'embedded'): Promise<{ info: Omit<ServerInfo, 'pid'>; io: Server; realtime: Realtime; stop(): Promise<void> }> {
  const data = tempDir('sb-bench-server');
  const config = loadConfig({ DATA_DIR: data.dir, JWT_SECRET, LOG_LEVEL: 'warn', DEMO_SEED: 'false' });
  const logger = createLogger({ level: 'warn', format: 'json' });
  const scratch = new RabbitScratch();
  const scratchBus =
    bus === 'rabbitmq'
      ? await scratch.bus({ partitions: opts.partitions ?? 8, ...(opts.maxInboundBacklog !== undefined ? { maxInboundBacklog: opts.maxInboundBacklog } : {}) })
      : undefined;
  const platform = await createPlatform(config, 'bench', { logger, ...(scratchBus ? { bus: scratchBus } : {}) });
  const app = createHttpServer({ logger, bodyLimit: config.bodyLimit }) as unknown as FastifyInstance;
  const realtime = await createRealtime(platform.realtime, app.server);
  await app.register(inboxService, { platform, io: realtime.io });
  await app.register(connectorsBase, { platform });
  await app.register(connectorPlugin, { platform, connector: loopbackConnector() });
  metricsRoute(app, platform.metrics);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const url = `http://127.0.0.1:${port(app.server)}`;
  const repos = new Repositories(platform.store);
  const tenant = await seedTenant(repos, 'bench');
  const token = await platform.tokens.signAccess({ agentId: tenant.agentId, tenantId: tenant.tenantId, role: 'admin', name: 'Bench' });
  const created = await fetch(`${url}/api/v1/channels/loopback`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Bench loopback', credentials: {} }),
  });
  const { accountId } = (await created.json()) as { accountId: string };
  const accounts = new ChannelAccounts(platform.store, platform.secrets);
  const record = await accounts.forTenant(tenant.tenantId).accounts.findById(accountId);
  if (!record) throw new Error('the loopback account was not created');
  const secret = accounts.open(record).credentials.secret as string;
  return {
    info:
      bus === 'rabbitmq'
        ? { url, namespace: '/agent', auth: { token }, hookPath: `/webhooks/loopback/${accountId}`, secret, event: 'message:new' }
        : { url, namespace: '/widget', auth: { inboxToken: tenant.widgetToken } },
    io: realtime.io,
    realtime,
    async stop() {
      await realtime.close();
      await app.close();
      await platform.close();
      if (scratchBus) await scratchBus.close();
      await scratch.cleanup();
      data.remove();
    },
  };
}

async function bareSocketIo(): Promise<{ info: Omit<ServerInfo, 'pid'>; io: Server; stop(): Promise<void> }> {
  const server = createServer();
  const io = new Server(server, { serveClient: false });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    info: { url: `http://127.0.0.1:${port(server)}`, namespace: '/' },
    io,
    async stop() {
      await new Promise<void>((resolve) => io.close(() => resolve()));
    },
  };
}

async function realtimeOnly(opts: ServerOptions): Promise<{ info: Omit<ServerInfo, 'pid'>; io: Server; stop(): Promise<void> }> {
  const server = createServer();
  const realtime = await createRealtime(
    opts.redis ? { driver: 'redis', url: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', ...(opts.redisKey ? { key: opts.redisKey } : {}) } : { driver: 'memory' },
    server,
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    info: { url: `http://127.0.0.1:${port(server)}`, namespace: '/' },
    io: realtime.io,
    async stop() {
      await realtime.close();
      server.close();
    },
  };
}

async function serve(role: Role, opts: ServerOptions): Promise<void> {
  const started =
    role === 'ingest-bare'
      ? await ingestBare()
      : role === 'ingest-switchboard'
        ? await switchboard(opts, 'rabbitmq')
        : role === 'fanout-switchboard'
          ? await switchboard(opts, 'embedded')
          : role === 'fanout-bare'
            ? await bareSocketIo()
            : await realtimeOnly(opts);
  const send = (msg: unknown) => process.send?.(msg);
  process.on('message', (msg: { type: string; count?: number; event?: string }) => {
    void (async () => {
      switch (msg.type) {
        case 'rss': {
          const gc = (globalThis as { gc?: () => void }).gc;
          gc?.();
          gc?.();
          const m = process.memoryUsage();
          send({ type: 'rss', rss: m.rss, heapUsed: m.heapUsed, sockets: started.io.of(started.info.namespace).sockets.size });
          break;
        }
        case 'broadcast': {
          const ns = started.io.of(started.info.namespace);
          for (let i = 0; i < (msg.count ?? 1); i++) ns.emit(msg.event ?? 'bench', { i, at: now() });
          send({ type: 'broadcasted', sent: msg.count ?? 1 });
          break;
        }
        case 'stop':
          await started.stop().catch((err: unknown) => process.stderr.write(`stop failed: ${String(err)}\n`));
          process.exit(0);
      }
    })();
  });
  send({ type: 'ready', info: { ...started.info, pid: process.pid } });
}

const [role, json] = process.argv.slice(2);
if (role && process.argv[1]?.endsWith('servers.ts')) {
  serve(role as Role, json ? (JSON.parse(json) as ServerOptions) : {}).catch((err: unknown) => {
    process.stderr.write(`bench server ${role} failed: ${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  });
}
