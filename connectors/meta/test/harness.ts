import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { Socket } from 'socket.io-client';
import { loadConfig } from '@switchboard/config';
import { createHttpServer } from '@switchboard/http';
import { inboxService, Repositories } from '@switchboard/inbox-service';
import { createLogger } from '@switchboard/logging';
import { createRealtime, type Realtime } from '@switchboard/realtime';
import { createPlatform, type Platform } from '@switchboard/runtime';
import { tempDir } from '@switchboard/testkit';
import { agentSocket, connected, JWT_SECRET, seedTenant, type SeededTenant } from '../../../inbox-service/test/harness.js';
import { connectorsBase } from '@switchboard/connectors-sdk';
import { hubSignature } from '../src/signature.js';
import { metaConnectors } from '../src/plugin.js';
import { GraphStandIn } from './graph-stand-in.js';

export const TOKEN = 'EAAG-test-access-token';
export const APP_SECRET = 'meta-app-secret-for-tests';
export const VERIFY_TOKEN = 'switchboard-verify-token';

export interface MetaHost {
  url: string;
  app: FastifyInstance;
  platform: Platform;
  graph: GraphStandIn;
  tenant: SeededTenant;
  api(method: string, path: string, body?: unknown): Promise<{ status: number; json: any }>;
  /** POSTs a webhook body signed the way Meta signs it (or with the given signature). */
  webhook(channel: string, accountId: string, body: unknown, signature?: string): Promise<Response>;
  agent(): Promise<Socket>;
  /** The bytes of a stored file, fetched the way the console does. */
  download(ref: string): Promise<Buffer>;
  messages(accountId: string): Promise<any[]>;
  close(): Promise<void>;
}

/** inbox-service + the Meta connectors in one server on the embedded seams, Graph API on a local stand-in. */
export async function startMetaHost(): Promise<MetaHost> {
  const graph = await new GraphStandIn(TOKEN).start();
  const data = tempDir('sb-meta');
  const config = loadConfig({
    DATA_DIR: data.dir,
    JWT_SECRET,
    LOG_LEVEL: 'silent',
    DEMO_SEED: 'false',
    BUS_DELIVERY_LIMIT: '3',
    META_GRAPH_URL: graph.url,
    INSTAGRAM_GRAPH_URL: graph.url,
    PUBLIC_URL: 'http://127.0.0.1:9',
  });
  const logger = createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent', format: 'json' });
  const platform = await createPlatform(config, 'meta-test', { logger });
  const app = createHttpServer({ logger, bodyLimit: config.bodyLimit }) as unknown as FastifyInstance;
  const realtime: Realtime = await createRealtime(platform.realtime, app.server);
  await app.register(inboxService, { platform, io: realtime.io });
  await app.register(connectorsBase, { platform });
  await app.register(metaConnectors, { platform });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const repos = new Repositories(platform.store);
  const tenant = await seedTenant(repos, 'meta');
  const token = await platform.tokens.signAccess({ agentId: tenant.agentId, tenantId: tenant.tenantId, role: 'admin', name: 'Ada Admin' });
  const sockets: Socket[] = [];
  return {
    url,
    app,
    platform,
    graph,
    tenant,
    async api(method, path, body) {
      const res = await fetch(`${url}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      const text = await res.text();
      return { status: res.status, json: text ? JSON.parse(text) : null };
    },
    webhook(channel, accountId, body, signature) {
      // Meta sends compact JSON with non-ASCII escaped; the signature covers exactly these bytes.
      const raw = JSON.stringify(body).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
      return fetch(`${url}/webhooks/${channel}/${accountId}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature ?? hubSignature(raw, APP_SECRET) },
        body: raw,
      });
    },
    async download(ref) {
      const res = await fetch(`${url}/api/v1/blobs/${encodeURIComponent(ref)}`, { headers: { authorization: `Bearer ${token}` } });
      if (!res.ok) throw new Error(`blob ${ref}: ${res.status}`);
      return Buffer.from(await res.arrayBuffer());
    },
    async agent() {
      const s = agentSocket(url, token);
      sockets.push(s);
      await connected(s);
      return s;
    },
    messages(accountId) {
      return repos.forTenant(tenant.tenantId).messages.find({ channelAccountId: accountId }, { sort: { seq: 1 } });
    },
    async close() {
      for (const s of sockets) s.disconnect();
      await realtime.close();
      await app.close();
      await platform.close();
      await graph.close();
      data.remove();
    },
  };
}

/** A fixture with every timestamp moved to `at` (seconds or ms as the fixture uses them) and ids made unique. */
export function fresh<T>(fixture: T, opts: { at?: Date; suffix?: string; unit?: 's' | 'ms' } = {}): T {
  const at = opts.at ?? new Date();
  const unit = opts.unit ?? 's';
  const stamp = unit === 's' ? String(Math.floor(at.getTime() / 1000)) : at.getTime();
  return JSON.parse(JSON.stringify(fixture), (key, value: unknown) => {
    if (key === 'timestamp') return typeof value === 'number' ? Number(stamp) : String(stamp);
    if (opts.suffix && (key === 'id' || key === 'mid') && typeof value === 'string' && /^(wamid|ig\.mid|aWdf)/.test(value)) return `${value}${opts.suffix}`;
    return value;
  }) as T;
}
