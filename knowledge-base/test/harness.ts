import type { FastifyInstance } from 'fastify';
import { hashPassword } from '@switchboard/auth';
import { newId, type DomainEvent } from '@switchboard/contracts';
import { Repositories } from '@switchboard/inbox-service';
import type { Platform } from '@switchboard/runtime';
import { startServiceWorld } from '../../inbox-service/test/harness.js';
import knowledgeBase, { type KnowledgeBaseOptions } from '../src/plugin.js';

export const PUBLIC_URL = 'http://help-hub.test';

export interface KbTenant {
  tenantId: string;
  name: string;
  adminId: string;
  agentId: string;
  adminToken: string;
  agentToken: string;
  /** Token of the tenant's website inbox (the widget's). */
  widgetToken: string;
}

export interface ApiResult {
  status: number;
  json: any;
  headers: Headers;
}

export interface KbWorld {
  url: string;
  app: FastifyInstance;
  platform: Platform;
  /** Two tenants: most tests work in `a`; `b` checks isolation and cross-tenant uniqueness. */
  a: KbTenant;
  b: KbTenant;
  /** Another tenant with an admin, an agent and a website inbox. */
  addTenant(name: string, locale?: string): Promise<KbTenant>;
  /** Every domain event published while the world runs, in order. */
  events: DomainEvent[];
  /** An agent API call (tenant a's admin unless another token is given). */
  api(method: string, path: string, body?: unknown, token?: string): Promise<ApiResult>;
  /** A request with no credentials (public routes). */
  get(path: string, headers?: Record<string, string>): Promise<ApiResult>;
  close(): Promise<void>;
}

/**
 * The inbox service and the knowledge base in one server on the real RabbitMQ (a scratch vhost
 * of queues) and the embedded store and search index, with two seeded tenants, each with an
 * admin, an agent and a website inbox.
 */
export async function startKbWorld(opts: Partial<Omit<KnowledgeBaseOptions, 'platform'>> = {}, env: Record<string, string> = {}): Promise<KbWorld> {
  const world = await startServiceWorld('kb', (app, platform) => app.register(knowledgeBase, { platform, ...opts }), { PUBLIC_URL, ...env });
  const { app, platform, url, events } = world;
  const repos = new Repositories(platform.store);
  const tenant = async (name: string, locale?: string): Promise<KbTenant> => {
    const tenantId = newId();
    await repos.createTenant({ _id: tenantId, name, ...(locale ? { locale } : {}), createdAt: new Date() });
    const r = repos.forTenant(tenantId);
    const agent = async (who: string, role: 'admin' | 'agent') => {
      const id = newId();
      await r.agents.insertOne({ _id: id, email: `${who}-${id.slice(-8)}@kb.test`, name: who, role, passwordHash: await hashPassword('a long password'), createdAt: new Date() });
      return id;
    };
    const adminId = await agent('Ada Admin', 'admin');
    const agentId = await agent('Andy Agent', 'agent');
    const inboxId = newId();
    const widgetToken = `wt-${inboxId}`;
    await r.inboxes.insertOne({ _id: inboxId, name: 'Website', channel: 'web', channelAccountId: inboxId, widgetToken, createdAt: new Date() });
    return {
      tenantId,
      name,
      adminId,
      agentId,
      adminToken: await platform.tokens.signAccess({ agentId: adminId, tenantId, role: 'admin', name: 'Ada Admin' }),
      agentToken: await platform.tokens.signAccess({ agentId, tenantId, role: 'agent', name: 'Andy Agent' }),
      widgetToken,
    };
  };
  const a = await tenant('Acme Shop');
  const b = await tenant('Acme Shop');

  const request = async (method: string, path: string, body: unknown, headers: Record<string, string>): Promise<ApiResult> => {
    const res = await fetch(`${url}${path}`, {
      method,
      headers: { ...headers, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    let json: unknown = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = text;
    }
    return { status: res.status, json, headers: res.headers };
  };

  return {
    url,
    app,
    platform,
    a,
    b,
    addTenant: tenant,
    events,
    api: (method, path, body, token = a.adminToken) => request(method, path, body, { authorization: `Bearer ${token}` }),
    get: (path, headers = {}) => request('GET', path, undefined, headers),
    close: () => world.close(),
  };
}
