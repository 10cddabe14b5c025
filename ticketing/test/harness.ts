import type { FastifyInstance } from 'fastify';
import { hashPassword } from '@switchboard/auth';
import { newId, type Channel, type DomainEvent } from '@switchboard/contracts';
import { Repositories } from '@switchboard/inbox-service';
import type { Platform } from '@switchboard/runtime';
import { startServiceWorld } from '../../inbox-service/test/harness.js';
import ticketingService, { type TicketingOptions } from '../src/plugin.js';

export interface TicketWorld {
  url: string;
  app: FastifyInstance;
  platform: Platform;
  tenantId: string;
  adminId: string;
  /** Every domain event published while the world runs, in order. */
  events: DomainEvent[];
  api(method: string, path: string, body?: unknown, token?: string): Promise<{ status: number; json: any }>;
  tokenFor(agentId: string, role?: 'admin' | 'supervisor' | 'agent'): Promise<string>;
  /** Another agent of the tenant. */
  addAgent(name: string, role?: 'admin' | 'supervisor' | 'agent'): Promise<string>;
  /** A customer writes on a channel; resolves once the inbox stored it (not waiting for the ticket). */
  customerWrites(msg: { text: string; thread: string; channel?: Channel; sender?: { externalId?: string; name?: string; email?: string; phone?: string }; subject?: string }): Promise<{ conversationId: string }>;
  close(): Promise<void>;
}

/**
 * The inbox service and ticketing in one server on the real RabbitMQ (a scratch vhost of
 * queues), with a seeded tenant that has one inbox per channel used.
 */
export async function startTicketWorld(opts: Partial<Omit<TicketingOptions, 'platform'>> = {}, env: Record<string, string> = {}): Promise<TicketWorld> {
  const world = await startServiceWorld(
    'ticketing',
    (app, platform, io) => app.register(ticketingService, { platform, io, schedulerEveryMs: 3_600_000, crmPollMs: 100, crmRetryBaseMs: 50, ...opts }),
    env,
  );
  const { app, platform, url, events } = world;
  const repos = new Repositories(platform.store);
  const tenantId = newId();
  await repos.createTenant({ _id: tenantId, name: 'Ticket Co', createdAt: new Date() });
  const r = repos.forTenant(tenantId);
  const addAgent = async (name: string, role: 'admin' | 'supervisor' | 'agent' = 'agent') => {
    const id = newId();
    await r.agents.insertOne({ _id: id, email: `${name.toLowerCase().replace(/\W+/g, '.')}-${id.slice(-6)}@ticket.test`, name, role, passwordHash: await hashPassword('a long password'), createdAt: new Date() });
    return id;
  };
  const adminId = await addAgent('Ada Admin', 'admin');
  const tokenFor = (agentId: string, role: 'admin' | 'supervisor' | 'agent' = 'admin') =>
    platform.tokens.signAccess({ agentId, tenantId, role, name: agentId === adminId ? 'Ada Admin' : 'Agent' });
  const adminToken = await tokenFor(adminId);
  const inboxes = new Map<Channel, string>();
  const inboxFor = async (channel: Channel) => {
    let id = inboxes.get(channel);
    if (!id) {
      id = newId();
      await r.inboxes.insertOne({ _id: id, name: channel, channel, channelAccountId: `acc-${channel}-${tenantId.slice(-6)}`, createdAt: new Date() });
      inboxes.set(channel, id);
    }
    return `acc-${channel}-${tenantId.slice(-6)}`;
  };

  return {
    url,
    app,
    platform,
    tenantId,
    adminId,
    events,
    async api(method, path, body, token = adminToken) {
      const res = await fetch(`${url}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      const text = await res.text();
      return { status: res.status, json: text ? JSON.parse(text) : null };
    },
    tokenFor,
    addAgent,
    async customerWrites(msg) {
      const channel = msg.channel ?? 'telegram';
      const account = await inboxFor(channel);
      const externalId = newId();
      const now = new Date().toISOString();
      await platform.bus.publishInbound({
        id: newId(),
        v: 1,
        tenantId,
        channel,
        channelAccountId: account,
        kind: 'message',
        externalId,
        threadKey: msg.thread,
        sender: { externalId: msg.sender?.externalId ?? `user-${msg.thread}`, ...(msg.sender?.name ? { name: msg.sender.name } : {}), ...(msg.sender?.email ? { email: msg.sender.email } : {}), ...(msg.sender?.phone ? { phone: msg.sender.phone } : {}) },
        text: msg.text,
        ...(msg.subject ? { email: { subject: msg.subject } } : {}),
        sentAt: now,
        receivedAt: now,
      });
      for (let i = 0; i < 200; i++) {
        const m = await r.messages.findOne({ channel, channelAccountId: account, externalId });
        if (m) return { conversationId: m.conversationId };
        await new Promise((res) => setTimeout(res, 25));
      }
      throw new Error('message was not stored');
    },
    close: () => world.close(),
  };
}
