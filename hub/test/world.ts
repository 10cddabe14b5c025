import type { AddressInfo } from 'node:net';
import type { FastifyInstance, RouteOptions } from 'fastify';
import { loadConfig } from '@switchboard/config';
import { newId } from '@switchboard/contracts';
import { API_SCOPES } from '@switchboard/auth';
import { createLogger } from '@switchboard/logging';
import { eventually, tempDir } from '@switchboard/testkit';
import { buildHub, type Hub } from '../src/app.js';
import { FAMILIES } from './route-fixtures.js';
import { FakeWhatsApp } from '@switchboard/connector-whatsapp-web/testing';

export interface RouteEntry {
  method: string;
  url: string;
  isPublic: boolean;
  scope: string | undefined;
  body: { type?: string; properties?: Record<string, unknown> } | undefined;
}

/** One tenant as the suites use it: its admin's token, an all-scopes API key and one object of each kind. */
export interface TenantWorld {
  tenantId: string;
  adminId: string;
  adminToken: string;
  apiKey: string;
  apiKeyId: string;
  agentId: string;
  inboxId: string;
  conversationId: string;
  contactId: string;
  /** Objects made by fixture families' `create`, keyed by the family's prefix. */
  ids: Record<string, string>;
}

export interface World {
  hub: Hub;
  app: FastifyInstance;
  url: string;
  routes: RouteEntry[];
  a: TenantWorld;
  b: TenantWorld;
  close(): Promise<void>;
}

export interface Res {
  status: number;
  body: any;
  headers: Record<string, unknown>;
}

export async function call(app: FastifyInstance, method: string, url: string, opts: { token?: string; body?: unknown; raw?: string } = {}): Promise<Res> {
  const headers: Record<string, string> = {};
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  const payload = opts.raw ?? (opts.body !== undefined ? JSON.stringify(opts.body) : undefined);
  if (payload !== undefined) headers['content-type'] = 'application/json';
  const res = await app.inject({ method: method as 'GET', url, headers, ...(payload !== undefined ? { payload } : {}) });
  let body: unknown = res.body;
  try {
    body = res.json();
  } catch {
    // not JSON; the assertion on the error format will say so
  }
  return { status: res.statusCode, body, headers: res.headers };
}

/** The whole hub on embedded seams, with the route table it mounted and two populated tenants. */
export async function startWorld(label: string): Promise<World> {
  const data = tempDir(`sb-hub-${label}`);
  const config = loadConfig({ DATA_DIR: data.dir, JWT_SECRET: 'hub-test-secret-hub-test-secret-1234', LOG_LEVEL: 'silent', DEMO_SEED: 'false', SMTP_INBOUND_PORT: '0' });
  const routes: RouteEntry[] = [];
  const onRoute = (r: RouteOptions) => {
    const methods = Array.isArray(r.method) ? r.method : [r.method];
    const config = (r.config ?? {}) as { public?: boolean; access?: { scope?: string } };
    for (const method of methods) {
      if (method === 'HEAD' || !r.url.startsWith('/api/')) continue;
      routes.push({ method, url: r.url, isPublic: config.public === true, scope: config.access?.scope, body: (r.schema as { body?: RouteEntry['body'] })?.body });
    }
  };
  // WhatsApp Web accounts the suites create must never start a real browser session.
  const whatsapp = new FakeWhatsApp();
  const hub = await buildHub(config, { logger: createLogger({ level: 'silent', format: 'json' }), onRoute, whatsappWebFactory: whatsapp.factory });
  await hub.app.listen({ port: 0, host: '127.0.0.1' });
  const url = `http://127.0.0.1:${(hub.app.server.address() as AddressInfo).port}`;
  const a = await populateTenant(hub, 'a');
  const b = await populateTenant(hub, 'b');
  return {
    hub,
    app: hub.app,
    url,
    routes,
    a,
    b,
    async close() {
      await hub.app.close();
      data.remove();
    },
  };
}

async function populateTenant(hub: Hub, label: string): Promise<TenantWorld> {
  const app = hub.app;
  const signup = await call(app, 'POST', '/api/v1/signup', {
    body: { company: `Company ${label}`, name: `Admin ${label}`, email: `admin-${label}-${newId().slice(-8)}@example.test`, password: 'correct horse battery' },
  });
  if (signup.status !== 201) throw new Error(`signup failed: ${JSON.stringify(signup.body)}`);
  const tenantId: string = signup.body.tenant.id;
  const adminToken: string = signup.body.accessToken;
  const agent = await call(app, 'POST', '/api/v1/agents', {
    token: adminToken,
    body: { email: `agent-${label}-${newId().slice(-8)}@example.test`, name: `Agent ${label}`, role: 'agent', password: 'another good password' },
  });
  const key = await call(app, 'POST', '/api/v1/api-keys', { token: adminToken, body: { name: `all scopes ${label}`, scopes: [...API_SCOPES] } });
  const r = app.inbox.repos.forTenant(tenantId);
  const inboxId = newId();
  const channelAccountId = `bot-${inboxId.slice(-8)}`;
  await r.inboxes.insertOne({ _id: inboxId, name: 'Telegram', channel: 'telegram', channelAccountId, createdAt: new Date() });
  const now = new Date().toISOString();
  await hub.platform.bus.publishInbound({
    id: newId(),
    v: 1,
    tenantId,
    channel: 'telegram',
    channelAccountId,
    kind: 'message',
    externalId: newId(),
    threadKey: `chat-${label}`,
    sender: { externalId: `user-${label}`, name: `Customer ${label}` },
    text: `a secret of tenant ${label}`,
    sentAt: now,
    receivedAt: now,
    traceId: newId(),
  });
  const conv = await eventually(() => r.conversations.findOne({}), 10_000, 'conversation stored');
  const t: TenantWorld = {
    tenantId,
    adminId: signup.body.agent.id,
    adminToken,
    apiKey: key.body.key,
    apiKeyId: key.body.id,
    agentId: agent.body.id,
    inboxId,
    conversationId: conv._id,
    contactId: conv.contact.id,
    ids: {},
  };
  for (const family of FAMILIES) if (family.create) t.ids[family.prefix] = await family.create(app, t);
  return t;
}

/** Collections the suites compare before and after: every one a request could write to. */
export const COLLECTIONS = [
  'tenants',
  'agents',
  'inboxes',
  'contacts',
  'conversations',
  'messages',
  'refresh_tokens',
  'api_keys',
  'audit_log',
  'password_resets',
  'webhooks',
  'webhook_deliveries',
] as const;

export async function snapshot(hub: Hub, tenantId?: string): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const name of COLLECTIONS) {
    const docs = await hub.platform.store.collection(name).find(tenantId ? (name === 'tenants' ? { _id: tenantId } : { tenantId }) : {}, { sort: { _id: 1 } });
    out[name] = docs;
  }
  return out;
}

export async function counts(hub: Hub): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const name of COLLECTIONS) out[name] = await hub.platform.store.collection(name).countDocuments({});
  return out;
}
