import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { io as connect, type Socket } from 'socket.io-client';
import { loadConfig } from '@switchboard/config';
import { RabbitScratch } from '@switchboard/bus/testing';
import { newId, type Channel, type DomainEvent } from '@switchboard/contracts';
import { hashPassword } from '@switchboard/auth';
import { createHttpServer } from '@switchboard/http';
import { createLogger } from '@switchboard/logging';
import { createRealtime, type Realtime } from '@switchboard/realtime';
import { metricsRoute } from '@switchboard/metrics';
import { createPlatform, type Platform, type PlatformOverrides } from '@switchboard/runtime';
import { tempDir } from '@switchboard/testkit';
import inboxService from '../src/plugin.js';
import { Repositories } from '../src/repositories/index.js';

export const JWT_SECRET = 'test-secret-test-secret-test-secret-42';

export interface Instance {
  app: FastifyInstance;
  platform: Platform;
  realtime: Realtime;
  url: string;
  close(): Promise<void>;
}

/** One inbox-service process, in-process: its own HTTP server, socket.io and bus connection. */
export async function startInstance(
  env: Record<string, string> = {},
  overrides: PlatformOverrides = {},
  opts: { consume?: boolean } = {},
): Promise<Instance> {
  const data = tempDir('sb-inbox');
  const config = loadConfig({ DATA_DIR: data.dir, JWT_SECRET, LOG_LEVEL: 'silent', DEMO_SEED: 'false', ...env });
  const logger = createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent', format: 'json' });
  const platform = await createPlatform(config, 'inbox-test', { logger, ...overrides });
  const app = createHttpServer({ logger, bodyLimit: config.bodyLimit }) as unknown as FastifyInstance;
  const realtime = await createRealtime(platform.realtime, app.server);
  await app.register(inboxService, { platform, io: realtime.io, consume: opts.consume ?? true });
  metricsRoute(app, platform.metrics);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  return {
    app,
    platform,
    realtime,
    url,
    async close() {
      await realtime.close();
      await app.close();
      await platform.close();
      data.remove();
    },
  };
}

export interface ServiceWorld {
  app: FastifyInstance;
  platform: Platform;
  url: string;
  /** Every domain event published while the world runs, in order. */
  events: DomainEvent[];
  close(): Promise<void>;
}

/**
 * The inbox service and another service's plugin (`mount`) in one server, on the real RabbitMQ
 * (a scratch vhost of queues) and embedded store and search in a temp folder, recording every
 * domain event. Ticketing's and the knowledge base's test worlds build on it.
 */
export async function startServiceWorld(name: string, mount: (app: FastifyInstance, platform: Platform, io: Realtime['io']) => PromiseLike<unknown>, env: Record<string, string> = {}): Promise<ServiceWorld> {
  const data = tempDir(`sb-${name}`);
  const config = loadConfig({ DATA_DIR: data.dir, JWT_SECRET, LOG_LEVEL: 'silent', DEMO_SEED: 'false', BUS_DELIVERY_LIMIT: '5', ...env });
  const logger = createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent', format: 'json' });
  const scratch = new RabbitScratch();
  const bus = await scratch.bus({ partitions: 2, deliveryLimit: 5, retryDelayMs: 50 });
  const platform = await createPlatform(config, `${name}-test`, { logger, bus });
  const app = createHttpServer({ logger, bodyLimit: config.bodyLimit }) as unknown as FastifyInstance;
  const realtime: Realtime = await createRealtime(platform.realtime, app.server);
  await app.register(inboxService, { platform, io: realtime.io });
  await mount(app, platform, realtime.io);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const events: DomainEvent[] = [];
  const recorder = await platform.bus.subscribeEvents(`test-recorder-${newId()}`, ['#'], async (e) => {
    events.push(e);
  });
  return {
    app,
    platform,
    url,
    events,
    async close() {
      await recorder.close();
      await realtime.close();
      await app.close();
      await platform.close();
      await bus.close();
      await scratch.cleanup();
      data.remove();
    },
  };
}

/** A REST call to `/api/v1<url>` through fastify's inject, as an agent or API key with `token`. */
export async function injectApi(app: FastifyInstance, method: string, url: string, body: unknown, token: string): Promise<{ status: number; body: Record<string, any> }> {
  const res = await app.inject({
    method: method as 'GET',
    url: `/api/v1${url}`,
    headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
  });
  return { status: res.statusCode, body: res.json() as Record<string, any> };
}

export interface SeededTenant {
  tenantId: string;
  agentId: string;
  email: string;
  password: string;
  inboxId: string;
  widgetToken: string;
  channelAccountId: string;
}

/** A tenant with an admin agent, a website inbox and a Telegram inbox (account "bot-<tenant>"). */
export async function seedTenant(repos: Repositories, label: string): Promise<SeededTenant> {
  const tenantId = newId();
  await repos.createTenant({ _id: tenantId, name: `Tenant ${label}`, createdAt: new Date() });
  const r = repos.forTenant(tenantId);
  const agentId = newId();
  const email = `${label}-${tenantId.slice(-6)}@example.test`;
  const password = `pw-${label}-secret`;
  await r.agents.insertOne({ _id: agentId, email, name: `Agent ${label}`, role: 'admin', passwordHash: await hashPassword(password), createdAt: new Date() });
  const inboxId = newId();
  const widgetToken = `wt-${tenantId}`;
  await r.inboxes.insertOne({ _id: inboxId, name: 'Website', channel: 'web', channelAccountId: inboxId, widgetToken, createdAt: new Date() });
  const channelAccountId = `bot-${tenantId.slice(-8)}`;
  await r.inboxes.insertOne({ _id: newId(), name: 'Telegram', channel: 'telegram', channelAccountId, createdAt: new Date() });
  return { tenantId, agentId, email, password, inboxId, widgetToken, channelAccountId };
}

export function inboundMessage(t: SeededTenant, over: Partial<{ externalId: string; threadKey: string; text: string; channel: Channel }> = {}) {
  const now = new Date().toISOString();
  return {
    id: newId(),
    v: 1 as const,
    tenantId: t.tenantId,
    channel: over.channel ?? ('telegram' as const),
    channelAccountId: t.channelAccountId,
    kind: 'message' as const,
    externalId: over.externalId ?? newId(),
    threadKey: over.threadKey ?? 'chat-42',
    sender: { externalId: 'tg-user-7', name: 'Olga Petrova', handle: '@olga' },
    text: over.text ?? 'Hello, where is my order?',
    sentAt: now,
    receivedAt: now,
    traceId: newId(),
  };
}

export async function agentToken(instance: Instance, t: SeededTenant, name = 'Agent'): Promise<string> {
  return instance.platform.tokens.signAccess({ agentId: t.agentId, tenantId: t.tenantId, role: 'admin', name });
}

export function agentSocket(url: string, token: string): Socket {
  return connect(`${url}/agent`, { auth: { token }, transports: ['websocket'], forceNew: true, reconnection: false });
}

/** A visitor's socket; `origin` plays the page it runs on (the handshake's Origin header). */
export function widgetSocket(url: string, inboxToken: string, visitorToken?: string, origin?: string): Socket {
  return connect(`${url}/widget`, {
    auth: { inboxToken, ...(visitorToken ? { visitorToken } : {}) },
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
    ...(origin ? { extraHeaders: { origin } } : {}),
  });
}

export function connected(socket: Socket): Promise<void> {
  return new Promise((resolve, reject) => {
    if (socket.connected) return resolve();
    socket.once('connect', () => resolve());
    socket.once('connect_error', (err) => reject(err));
  });
}

export function emitAck<T>(socket: Socket, event: string, payload: unknown): Promise<T> {
  return socket.timeout(5000).emitWithAck(event, payload) as Promise<T>;
}
