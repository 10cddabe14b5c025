import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { Socket } from 'socket.io-client';
import { connectorsBase } from '@switchboard/connectors-sdk';
import { loadConfig } from '@switchboard/config';
import { createHttpServer } from '@switchboard/http';
import { inboxService, Repositories } from '@switchboard/inbox-service';
import { createLogger } from '@switchboard/logging';
import { createRealtime, type Realtime } from '@switchboard/realtime';
import { createPlatform, type Platform } from '@switchboard/runtime';
import { agentSocket, connected, JWT_SECRET } from '../../../inbox-service/test/harness.js';
import { whatsappWebConnectors } from '../src/plugin.js';
import type { FakeWhatsApp } from './fake-whatsapp.js';

export interface Tenant {
  tenantId: string;
  agentId: string;
}

export interface WebHost {
  url: string;
  platform: Platform;
  api(method: string, path: string, body?: unknown): Promise<{ status: number; json: any }>;
  agent(): Promise<Socket>;
  download(ref: string): Promise<Buffer>;
  messages(): Promise<any[]>;
  close(): Promise<void>;
}

/** inbox-service + the WhatsApp Web connector (on a FakeWhatsApp) in one server; `dataDir` survives close, like a restart. */
export async function startWebHost(wa: FakeWhatsApp, dataDir: string, tenant: Tenant | null): Promise<WebHost & { tenant: Tenant }> {
  const config = loadConfig({ DATA_DIR: dataDir, JWT_SECRET, LOG_LEVEL: 'silent', DEMO_SEED: 'false', BUS_DELIVERY_LIMIT: '5' });
  const logger = createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent', format: 'json' });
  const platform = await createPlatform(config, 'whatsapp-web-test', { logger });
  const app = createHttpServer({ logger, bodyLimit: config.bodyLimit }) as unknown as FastifyInstance;
  const realtime: Realtime = await createRealtime(platform.realtime, app.server);
  await app.register(inboxService, { platform, io: realtime.io });
  await app.register(connectorsBase, { platform });
  await app.register(whatsappWebConnectors, { platform, io: realtime.io, factory: wa.factory, reconnectDelayMs: 20 });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const repos = new Repositories(platform.store);
  let t = tenant;
  if (!t) {
    const { newId } = await import('@switchboard/contracts');
    const { hashPassword } = await import('@switchboard/auth');
    t = { tenantId: newId(), agentId: newId() };
    await repos.createTenant({ _id: t.tenantId, name: 'WhatsApp Web tenant', createdAt: new Date() });
    await repos.forTenant(t.tenantId).agents.insertOne({ _id: t.agentId, email: `wa-${t.agentId}@example.test`, name: 'Ada Admin', role: 'admin', passwordHash: await hashPassword('pw-secret-123'), createdAt: new Date() });
  }
  const token = await platform.tokens.signAccess({ agentId: t.agentId, tenantId: t.tenantId, role: 'admin', name: 'Ada Admin' });
  const sockets: Socket[] = [];
  const tenantId = t.tenantId;
  return {
    url,
    platform,
    tenant: t,
    async api(method, path, body) {
      const res = await fetch(`${url}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      const text = await res.text();
      return { status: res.status, json: text ? JSON.parse(text) : null };
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
    messages() {
      return repos.forTenant(tenantId).messages.find({ channel: 'whatsapp-web' }, { sort: { seq: 1 } });
    },
    async close() {
      for (const s of sockets) s.disconnect();
      await realtime.close();
      await app.close();
      await platform.close();
    },
  };
}
