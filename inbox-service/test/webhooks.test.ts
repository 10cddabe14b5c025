import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bus } from '@switchboard/bus';
import { RabbitScratch } from '@switchboard/bus/testing';
import { newId } from '@switchboard/contracts';
import { createStore, type DocumentStore } from '@switchboard/store';
import { eventually, tempDir, uniqueName } from '@switchboard/testkit';
import { Repositories } from '../src/repositories/index.js';
import { WebhookRepository } from '../src/webhooks/repository.js';
import { agentToken, inboundMessage, seedTenant, startInstance, type Instance, type SeededTenant } from './harness.js';

/**
 * A receiver written from docs/webhooks.md alone: HMAC-SHA256 over "<t>.<raw body>" with the
 * signing secret, compared in constant time, refused when t is more than 300 s away.
 */
function verify(secret: string, rawBody: string, header: string | undefined, now = Math.floor(Date.now() / 1000)): boolean {
  if (!header) return false;
  const fields = new Map(header.split(',').map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));
  const t = Number(fields.get('t'));
  const v1 = fields.get('v1') ?? '';
  if (!Number.isInteger(t) || Math.abs(now - t) > 300) return false;
  const expected = createHmac('sha256', secret).update(`${t}.${rawBody}`).digest('hex');
  return v1.length === expected.length && timingSafeEqual(Buffer.from(v1), Buffer.from(expected));
}

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  valid: boolean;
}

/** A loopback webhook receiver; `answer` decides the status of each request. */
class Receiver {
  readonly requests: Received[] = [];
  secret = '';
  private server: Server | undefined;
  constructor(private readonly answer: (n: number, r: Received) => number) {}

  url = '';

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const r = { headers: req.headers, body, valid: verify(this.secret, body, req.headers['switchboard-signature'] as string | undefined) };
        this.requests.push(r);
        res.statusCode = r.valid ? this.answer(this.requests.length, r) : 400;
        res.end();
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hook`;
    return this.url;
  }

  close(): Promise<void> {
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

function countingReceiver(answer: (n: number) => number): Receiver & { ok: Received[] } {
  const ok: Received[] = [];
  const r = new Receiver((n, req) => {
    const status = answer(n);
    if (status < 300) ok.push(req);
    return status;
  }) as Receiver & { ok: Received[] };
  r.ok = ok;
  return r;
}

const env = { WEBHOOK_RETRY_BASE_MS: '40', WEBHOOK_MAX_ATTEMPTS: '4', WEBHOOK_DISABLE_AFTER: '2', WEBHOOK_TIMEOUT_MS: '2000' };

async function setup(hub: Instance, label: string) {
  const t = await seedTenant(new Repositories(hub.platform.store), label);
  const token = await agentToken(hub, t);
  const api = async (method: string, url: string, body?: unknown) => {
    const res = await hub.app.inject({
      method: method as 'GET',
      url: `/api/v1${url}`,
      headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
    });
    return { status: res.statusCode, body: (res.body ? res.json() : null) as Record<string, any> };
  };
  return { t, api };
}

async function subscribe(api: Awaited<ReturnType<typeof setup>>['api'], receiver: Receiver, events: string[]) {
  const url = await receiver.start();
  const created = await api('POST', '/webhooks', { url, events, description: 'test receiver' });
  expect(created.status).toBe(201);
  receiver.secret = created.body.secret as string;
  return created.body as { id: string; secret: string };
}

describe('outgoing webhooks on the embedded bus', () => {
  let hub: Instance;
  const receivers: Receiver[] = [];
  const track = <R extends Receiver>(r: R) => (receivers.push(r), r);

  beforeAll(async () => {
    hub = await startInstance(env);
  });
  afterAll(async () => {
    await hub.close();
    await Promise.all(receivers.map((r) => r.close()));
  });

  it('signs every delivery so a receiver following the docs accepts it and refuses a stale one', async () => {
    const { t, api } = await setup(hub, 'wh-sign');
    const receiver = track(countingReceiver(() => 204));
    const hook = await subscribe(api, receiver, ['message.created']);
    expect(hook.secret).toMatch(/^whsec_/);

    await hub.platform.bus.publishInbound(inboundMessage(t, { text: 'Where is my order?' }));
    const got = await eventually(() => receiver.ok[0], 10_000, 'webhook received');
    expect(got.valid).toBe(true);
    expect(got.headers['switchboard-event']).toBe('message.created');
    expect(got.headers['switchboard-delivery']).toBeTruthy();
    const payload = JSON.parse(got.body);
    expect(payload.type).toBe('message.created');
    expect(payload.data.conversationId).toBeTruthy();

    // The same body signed 6 minutes ago (a replay) is refused by the documented check.
    const old = Math.floor(Date.now() / 1000) - 360;
    const staleSig = `t=${old},v1=${createHmac('sha256', hook.secret).update(`${old}.${got.body}`).digest('hex')}`;
    expect(verify(hook.secret, got.body, staleSig)).toBe(false);
    expect(verify(hook.secret, got.body, String(got.headers['switchboard-signature']))).toBe(true);
    expect(verify('whsec_wrong', got.body, String(got.headers['switchboard-signature']))).toBe(false);

    // The secret is never shown again.
    const list = await api('GET', '/webhooks');
    expect(JSON.stringify(list.body)).not.toContain(hook.secret);
    expect(JSON.stringify(list.body)).not.toMatch(/secretSealed|v1:/);
    const log = await eventually(async () => {
      const res = await api('GET', `/webhooks/${hook.id}/deliveries`);
      return res.body.items[0]?.status === 'delivered' ? res.body.items : undefined;
    });
    expect(log[0]).toMatchObject({ eventType: 'message.created', attempts: 1, responseStatus: 204, error: null });
    expect(typeof log[0].durationMs).toBe('number');
  });

  it('retries a receiver that fails twice with 500 and delivers the event exactly once', async () => {
    const { t, api } = await setup(hub, 'wh-retry');
    const receiver = track(countingReceiver((n) => (n <= 2 ? 500 : 200)));
    // One event type: a new conversation also sends contact.created and conversation.created.
    const hook = await subscribe(api, receiver, ['message.created']);

    await hub.platform.bus.publishInbound(inboundMessage(t, { text: 'retry me' }));
    await eventually(() => receiver.ok.length === 1, 10_000, 'delivered after retries');
    const ids = receiver.requests.map((r) => r.headers['switchboard-delivery']);
    expect(ids).toHaveLength(3);
    expect(new Set(ids).size).toBe(1);
    const log = await eventually(async () => {
      const res = await api('GET', `/webhooks/${hook.id}/deliveries`);
      return res.body.items.find((d: { status: string }) => d.status === 'delivered');
    });
    expect(log).toMatchObject({ attempts: 3, responseStatus: 200, id: ids[0] });
    await new Promise((r) => setTimeout(r, 300));
    expect(receiver.ok).toHaveLength(1);
  });

  it('disables a subscription whose receiver keeps failing, announces it, and re-enables on PATCH', async () => {
    const { t, api } = await setup(hub, 'wh-disable');
    const failing = track(countingReceiver(() => 500));
    const hook = await subscribe(api, failing, ['message.created']);
    const notices = track(countingReceiver(() => 200));
    await subscribe(api, notices, ['webhook.disabled']);

    await hub.platform.bus.publishInbound(inboundMessage(t, { externalId: uniqueName('m'), text: 'one' }));
    await hub.platform.bus.publishInbound(inboundMessage(t, { externalId: uniqueName('m'), text: 'two' }));

    const disabled = await eventually(async () => {
      const res = await api('GET', `/webhooks/${hook.id}`);
      return res.body.enabled === false ? res.body : undefined;
    }, 15_000, 'subscription disabled');
    expect(disabled.disabledReason).toMatch(/2 deliveries in a row failed/);
    const notice = await eventually(() => notices.ok[0], 10_000, 'webhook.disabled notice');
    expect(JSON.parse(notice.body)).toMatchObject({ type: 'webhook.disabled', data: { webhookId: hook.id } });

    const log = await api('GET', `/webhooks/${hook.id}/deliveries?status=failed`);
    expect(log.body.items).toHaveLength(2);
    expect(log.body.items[0]).toMatchObject({ attempts: 4, responseStatus: 500, error: 'the receiver answered HTTP 500' });

    const reenabled = await api('PATCH', `/webhooks/${hook.id}`, { enabled: true });
    expect(reenabled.body).toMatchObject({ enabled: true, disabledReason: null, consecutiveFailures: 0 });
  });

  it('is for admins, validates subscriptions, and keeps tenants apart', async () => {
    const { api } = await setup(hub, 'wh-admin');
    const bad = await api('POST', '/webhooks', { url: 'ftp://x', events: ['message.created'] });
    expect(bad.status).toBe(400);
    const unknown = await api('POST', '/webhooks', { url: 'https://example.test/h', events: ['nope.nothing'] });
    expect(unknown.status).toBe(400);
    const mine = await api('POST', '/webhooks', { url: 'https://example.test/h', events: ['ticket.updated', 'sla.breached'] });
    expect(mine.status).toBe(201);

    const other = await setup(hub, 'wh-other');
    expect((await other.api('GET', `/webhooks/${mine.body.id}`)).status).toBe(404);
    expect((await other.api('DELETE', `/webhooks/${mine.body.id}`)).status).toBe(404);

    const repos = new Repositories(hub.platform.store);
    const agentId = newId();
    await repos.forTenant(other.t.tenantId).agents.insertOne({
      _id: agentId, email: `${agentId}@example.test`, name: 'Plain agent', role: 'agent', passwordHash: 'x', createdAt: new Date(),
    });
    const asAgent = await hub.platform.tokens.signAccess({ agentId, tenantId: other.t.tenantId, role: 'agent', name: 'Plain agent' });
    const refused = await hub.app.inject({ method: 'GET', url: '/api/v1/webhooks', headers: { authorization: `Bearer ${asAgent}` } });
    expect(refused.statusCode).toBe(403);

    expect((await api('DELETE', `/webhooks/${mine.body.id}`)).status).toBe(204);
    expect((await api('GET', `/webhooks/${mine.body.id}`)).status).toBe(404);
  });

  it('sends a signed test event on request and answers the receiver\'s status, without logging a delivery', async () => {
    const { api } = await setup(hub, 'wh-test');
    let answer = 204;
    const receiver = track(countingReceiver(() => answer));
    const hook = await subscribe(api, receiver, ['ticket.updated']);

    const sent = await api('POST', `/webhooks/${hook.id}/test`);
    expect(sent.status).toBe(200);
    expect(sent.body).toMatchObject({ ok: true, status: 204, error: null });
    expect(receiver.ok).toHaveLength(1);
    const got = receiver.ok[0]!;
    expect(got.valid).toBe(true);
    expect(got.headers['switchboard-event']).toBe('webhook.test');
    expect(got.headers['switchboard-delivery']).toBe(sent.body.deliveryId);
    expect(JSON.parse(got.body)).toMatchObject({ type: 'webhook.test', data: { webhookId: hook.id } });

    answer = 500;
    const refused = await api('POST', `/webhooks/${hook.id}/test`);
    expect(refused.body).toMatchObject({ ok: false, status: 500, error: 'the receiver answered HTTP 500' });
    // A test is not a delivery: the log stays empty and the subscription is not counted as failing.
    expect((await api('GET', `/webhooks/${hook.id}/deliveries`)).body.items).toEqual([]);
    expect((await api('GET', `/webhooks/${hook.id}`)).body).toMatchObject({ enabled: true, consecutiveFailures: 0 });

    const other = await setup(hub, 'wh-test-other');
    expect((await other.api('POST', `/webhooks/${hook.id}/test`)).status).toBe(404);
  });

  it('rotates the signing secret (shown once) and records every change in the audit log', async () => {
    const { api } = await setup(hub, 'wh-audit');
    const receiver = track(countingReceiver(() => 200));
    const hook = await subscribe(api, receiver, ['ticket.updated']);
    const edited = await api('PATCH', `/webhooks/${hook.id}`, { url: 'https://example.test/elsewhere', events: ['sla.breached'], enabled: false });
    expect(edited.body).toMatchObject({ url: 'https://example.test/elsewhere', events: ['sla.breached'], enabled: false });
    expect((await api('PATCH', `/webhooks/${hook.id}`, { url: 'not a url' })).status).toBe(400);

    const rotated = await api('POST', `/webhooks/${hook.id}/secret`);
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).toMatch(/^whsec_/);
    expect(rotated.body.secret).not.toBe(hook.secret);
    expect((await api('GET', `/webhooks/${hook.id}`)).body).not.toHaveProperty('secret');
    // Deliveries are now signed with the new secret.
    expect((await api('PATCH', `/webhooks/${hook.id}`, { url: receiver.url })).status).toBe(200);
    receiver.secret = rotated.body.secret as string;
    expect((await api('POST', `/webhooks/${hook.id}/test`)).body).toMatchObject({ ok: true, status: 200 });
    expect((await api('DELETE', `/webhooks/${hook.id}`)).status).toBe(204);

    const audit = await api('GET', '/audit?limit=20');
    const mine = (audit.body.items as { type: string; details?: { target?: string; fields?: string[] } }[]).filter((e) => e.details?.target === hook.id);
    expect(mine.map((e) => e.type)).toEqual(['webhook.deleted', 'webhook.tested', 'webhook.updated', 'webhook.secret.rotated', 'webhook.updated', 'webhook.created']);
    expect(mine[4]!.details?.fields).toEqual(['url', 'events', 'enabled']);
    expect(JSON.stringify(audit.body)).not.toContain(rotated.body.secret as string);
  });
});

describe('outgoing webhooks on RabbitMQ', () => {
  const scratch = new RabbitScratch();
  let bus: Bus;
  let hub: Instance;
  const receiver = countingReceiver(() => 200);

  beforeAll(async () => {
    bus = await scratch.bus({ partitions: 2, prefix: uniqueName('sbwh'), deliveryLimit: 3, retryDelayMs: 50 });
    hub = await startInstance(env, { bus });
  });
  afterAll(async () => {
    await hub?.close();
    await bus?.close();
    await scratch.cleanup();
    await receiver.close();
  });

  it('dispatches from the durable "webhooks" group on sb.events', async () => {
    const { t, api } = await setup(hub, 'wh-rabbit');
    await subscribe(api, receiver, ['message.created', 'conversation.updated']);
    await bus.publishInbound(inboundMessage(t, { text: 'over rabbit' }));
    const got = await eventually(() => receiver.ok[0], 15_000, 'webhook over RabbitMQ');
    expect(got.valid).toBe(true);
    expect(JSON.parse(got.body).tenantId).toBe(t.tenantId);
  });
});

describe('webhook deliveries across a restart', () => {
  const data = tempDir('sb-wh-store');
  let store: DocumentStore;
  const receiver = countingReceiver((n) => (n === 1 ? 503 : 200));

  beforeAll(async () => {
    store = await createStore({ driver: 'embedded', dir: data.dir });
  });
  afterAll(async () => {
    await receiver.close();
    await store.close();
    data.remove();
  });

  it('resumes a pending retry in the next process', async () => {
    // The same SECRETS_KEY, as a real restart has: the sealed signing secret must open again.
    const slowRetry = { ...env, WEBHOOK_RETRY_BASE_MS: '1500', SECRETS_KEY: 'restart-test-secrets-key-0123456789abcdef' };
    const first = await startInstance(slowRetry, { store });
    const { t, api } = await setup(first, 'wh-restart');
    const hook = await subscribe(api, receiver, ['message.created']);
    await first.platform.bus.publishInbound(inboundMessage(t, { text: 'survive me' }));
    await eventually(() => receiver.requests.length === 1, 10_000, 'first attempt');
    await first.close();

    const second = await startInstance(slowRetry, { store });
    try {
      await eventually(() => receiver.ok.length === 1, 10_000, 'delivered by the next process');
      // The receiver's 200 comes before the dispatcher records it: wait for the record, not the request.
      const recorded = () => new WebhookRepository(store).forTenant(t.tenantId).deliveries.find({ webhookId: hook.id });
      await eventually(async () => (await recorded())[0]?.status === 'delivered', 10_000, 'delivery recorded');
      const deliveries = await recorded();
      expect(deliveries).toHaveLength(1);
      expect(deliveries[0]).toMatchObject({ status: 'delivered', attempts: 2 });
    } finally {
      await second.close();
    }
  });
});
