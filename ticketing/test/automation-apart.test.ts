import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '@switchboard/auth';
import type { Bus } from '@switchboard/bus';
import { RabbitScratch, uniquePrefix } from '@switchboard/bus/testing';
import { loadConfig } from '@switchboard/config';
import { newId, type DomainEvent, type OutboundCommand } from '@switchboard/contracts';
import { createHttpServer } from '@switchboard/http';
import { CONVERSATION_COMMAND_PREFIX, conversationCommandEvent, Repositories, WebhookRepository } from '@switchboard/inbox-service';
import { createLogger } from '@switchboard/logging';
import { createRealtime, type Realtime } from '@switchboard/realtime';
import { createPlatform, type Platform } from '@switchboard/runtime';
import { eventually, sleep, tempDir } from '@switchboard/testkit';
import inboxService from '../../inbox-service/src/plugin.js';
import { JWT_SECRET } from '../../inbox-service/test/harness.js';
import ticketingService from '../src/plugin.js';

/**
 * Ticketing as the compose service `ticketing`: its own fastify app, platform and bus connection,
 * without the inbox service in its process. The inbox runs as another app on the same RabbitMQ
 * prefix, store and key-value store (in compose: the same RabbitMQ, MongoDB and Redis). A rule's
 * reply and snooze reach the conversation only through the bus.
 */
const scratch = new RabbitScratch();
const prefix = uniquePrefix();
const data = tempDir('sb-apart');
const logger = createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent', format: 'json' });
const config = (dir: string) => loadConfig({ DATA_DIR: dir, JWT_SECRET, LOG_LEVEL: 'silent', DEMO_SEED: 'false', BUS_DELIVERY_LIMIT: '5' });
const busConfig = { prefix, partitions: 2, deliveryLimit: 5, retryDelayMs: 50 };

let inboxBus: Bus;
let ticketingBus: Bus;
let inbox: { app: FastifyInstance; platform: Platform; realtime: Realtime };
let ticketing: { app: FastifyInstance; platform: Platform; url: string };
let repos: Repositories;
let tenantId: string;
let token: string;
const outbound: OutboundCommand[] = [];
const commands: DomainEvent[] = [];
/** Event types the tenant's '*' webhook received. */
const hooked: string[] = [];
let hookServer: Server;

beforeAll(async () => {
  inboxBus = await scratch.bus(busConfig);
  ticketingBus = await scratch.bus(busConfig);
  {
    const platform = await createPlatform(config(`${data.dir}/inbox`), 'inbox-apart', { logger, bus: inboxBus });
    const app = createHttpServer({ logger, bodyLimit: platform.config.bodyLimit }) as unknown as FastifyInstance;
    const realtime = await createRealtime(platform.realtime, app.server);
    await app.register(inboxService, { platform, io: realtime.io });
    await app.listen({ port: 0, host: '127.0.0.1' });
    inbox = { app, platform, realtime };
  }
  {
    const platform = await createPlatform(config(`${data.dir}/ticketing`), 'ticketing-apart', { logger, bus: ticketingBus, store: inbox.platform.store, kv: inbox.platform.kv });
    const app = createHttpServer({ logger, bodyLimit: platform.config.bodyLimit }) as unknown as FastifyInstance;
    await app.register(ticketingService, { platform, schedulerEveryMs: 3_600_000, automation: { idleEveryMs: 3_600_000 } });
    await app.listen({ port: 0, host: '127.0.0.1' });
    expect(app.hasDecorator('inbox')).toBe(false);
    ticketing = { app, platform, url: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}` };
  }
  // The customer's channel: what the telegram connector would be handed to send.
  await inboxBus.consumeOutbound('telegram', async (cmd) => void outbound.push(cmd));
  // What ticketing asked of the inbox, as it travelled on sb.events.
  await ticketingBus.subscribeEvents(`test-commands-${newId()}`, [`${CONVERSATION_COMMAND_PREFIX}*`], async (e) => void commands.push(e));

  repos = new Repositories(inbox.platform.store);
  tenantId = newId();
  await repos.createTenant({ _id: tenantId, name: 'Apart Co', createdAt: new Date() });
  const adminId = newId();
  await repos.forTenant(tenantId).agents.insertOne({ _id: adminId, email: `ada-${adminId.slice(-6)}@apart.test`, name: 'Ada Admin', role: 'admin', passwordHash: await hashPassword('a long password'), createdAt: new Date() });
  await repos.forTenant(tenantId).inboxes.insertOne({ _id: newId(), name: 'telegram', channel: 'telegram', channelAccountId: `acc-${tenantId}`, createdAt: new Date() });
  // An integration subscribed to everything: conversation commands must never reach it.
  hookServer = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      hooked.push((JSON.parse(body) as { type: string }).type);
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => hookServer.listen(0, '127.0.0.1', resolve));
  const now = new Date();
  await new WebhookRepository(inbox.platform.store).forTenant(tenantId).webhooks.insertOne({
    _id: newId(),
    url: `http://127.0.0.1:${(hookServer.address() as AddressInfo).port}/hook`,
    events: ['*'],
    secretSealed: inbox.platform.secrets.seal('hook-secret'),
    enabled: true,
    disabledReason: null,
    consecutiveFailures: 0,
    createdAt: now,
    updatedAt: now,
  });
  token = await ticketing.platform.tokens.signAccess({ agentId: adminId, tenantId, role: 'admin', name: 'Ada Admin' });
});

afterAll(async () => {
  await ticketing?.app.close();
  await ticketing?.platform.close();
  await inbox?.realtime.close();
  await inbox?.app.close();
  await inbox?.platform.close();
  await ticketingBus?.close();
  await inboxBus?.close();
  await scratch.cleanup();
  await new Promise((resolve) => hookServer?.close(resolve));
  data.remove();
});

/** A REST call to ticketing's own server. */
async function api(method: string, path: string, body?: unknown): Promise<{ status: number; json: any }> {
  const res = await fetch(`${ticketing.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : null };
}

async function customerWrites(thread: string, text: string, name: string): Promise<string> {
  const externalId = newId();
  const now = new Date().toISOString();
  await inboxBus.publishInbound({
    id: newId(),
    v: 1,
    tenantId,
    channel: 'telegram',
    channelAccountId: `acc-${tenantId}`,
    kind: 'message',
    externalId,
    threadKey: thread,
    sender: { externalId: `user-${thread}`, name },
    text,
    sentAt: now,
    receivedAt: now,
  });
  return eventually(async () => (await repos.forTenant(tenantId).messages.findOne({ externalId }))?.conversationId, 15_000, 'message stored');
}

describe('ticketing in its own process: conversation actions through the bus', () => {
  it("a rule's auto-reply reaches the customer's channel and its snooze snoozes the conversation", async () => {
    const created = await api('POST', '/api/v1/automation/rules', {
      name: 'Away reply',
      trigger: { kind: 'message_received', first: true },
      conditions: [{ kind: 'text', op: 'contains', value: 'hello' }],
      actions: [
        { type: 'auto_reply', text: 'Hi {{contact.name}}, we will be with you soon.' },
        { type: 'add_tags', tags: ['apart'] },
        { type: 'snooze', minutes: 90 },
      ],
    });
    expect(created.status, JSON.stringify(created.json)).toBe(201);
    const before = Date.now();
    const conversationId = await customerWrites('apart-1', 'hello there', 'Dora');

    const sent = await eventually(() => outbound.find((c) => c.conversationId === conversationId), 20_000, 'auto-reply handed to the channel');
    expect(sent.text).toBe('Hi Dora, we will be with you soon.');
    expect(sent.tenantId).toBe(tenantId);

    const conv = await eventually(async () => {
      const c = await repos.forTenant(tenantId).conversations.findById(conversationId);
      return c?.status === 'snoozed' ? c : undefined;
    }, 20_000, 'conversation snoozed');
    const until = +new Date(conv.snoozedUntil!);
    expect(until).toBeGreaterThanOrEqual(before + 89 * 60_000);
    expect(until).toBeLessThanOrEqual(Date.now() + 90 * 60_000);

    const messages = await repos.forTenant(tenantId).messages.find({ conversationId }, { sort: { seq: 1 } });
    expect(messages.map((m) => [m.direction, m.text])).toEqual([
      ['in', 'hello there'],
      ['out', 'Hi Dora, we will be with you soon.'],
    ]);
    expect(messages[1]!.author).toMatchObject({ kind: 'system', id: `automation:${created.json.id}` });

    const rule = await eventually(async () => {
      const r = (await api('GET', `/api/v1/automation/rules/${created.json.id}`)).json;
      return r.stats.runs >= 1 ? r : undefined;
    }, 10_000, 'rule ran');
    expect(rule.stats.lastError).toBeNull();
    // The ticket action ran in ticketing itself.
    const tickets = await api('GET', '/api/v1/tickets?limit=50');
    expect(tickets.json.items.find((t: { conversationIds: string[] }) => t.conversationIds.includes(conversationId))?.tags).toContain('apart');
    // Once, however often the commands were delivered.
    expect(outbound.filter((c) => c.conversationId === conversationId)).toHaveLength(1);
    expect(commands.filter((e) => e.data.conversationId === conversationId).map((e) => e.type).sort()).toEqual(['command.conversation.reply', 'command.conversation.snooze']);
    // The '*' webhook got the conversation's events, never the commands that changed it.
    await eventually(() => hooked.includes('conversation.updated') && hooked.filter((t) => t === 'message.created').length >= 2, 15_000, 'webhook received the reply and the snooze');
    expect(hooked.filter((t) => t.startsWith('command.'))).toEqual([]);
    const deliveries = new WebhookRepository(inbox.platform.store).forTenant(tenantId).deliveries;
    expect((await deliveries.find({})).filter((d) => d.eventType.startsWith('command.'))).toEqual([]);
  });

  it('a reply command delivered again (or re-sent by a rule run twice) sends nothing more', async () => {
    const [reply] = commands.filter((e) => e.type === 'command.conversation.reply');
    expect(reply).toBeDefined();
    const conversationId = reply!.data.conversationId as string;
    // The same event again, as RabbitMQ redelivers it, and a copy under a new event id.
    await ticketingBus.publishEvent(reply!);
    await ticketingBus.publishEvent({ ...reply!, id: newId() });
    await eventually(() => commands.filter((e) => e.type === 'command.conversation.reply').length >= 3, 10_000, 'commands delivered again');
    // The inbox's group took them too (same sb.events); give it time to (not) send.
    await sleep(1_000);
    expect(outbound.filter((c) => c.conversationId === conversationId)).toHaveLength(1);
    expect(await repos.forTenant(tenantId).messages.countDocuments({ conversationId, direction: 'out' })).toBe(1);
  });

  it('a command naming a conversation that does not exist is dropped, and the next one is carried out', async () => {
    const conversationId = await customerWrites('apart-2', 'good morning', 'Eve');
    await ticketingBus.publishEvent(conversationCommandEvent(tenantId, { action: 'set_status', conversationId: newId(), status: 'resolved' }));
    await ticketingBus.publishEvent(conversationCommandEvent(tenantId, { action: 'set_status', conversationId, status: 'pending' }));
    await eventually(async () => (await repos.forTenant(tenantId).conversations.findById(conversationId))?.status === 'pending', 15_000, 'conversation pending');
  });
});
