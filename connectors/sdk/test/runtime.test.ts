import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '@switchboard/contracts';
import { eventually, sleep } from '@switchboard/testkit';
import { LOOPBACK_SIGNATURE_HEADER, loopbackConnector, loopbackSignature } from '../src/index.js';
import { startConnectorHost, type ConnectorHost } from '../src/testing/index.js';
import { startLoopbackStandIn, type LoopbackStandIn } from './loopback-stand-in.js';

describe('connector runtime', () => {
  let provider: LoopbackStandIn;
  let host: ConnectorHost;
  let accountId: string;
  let secret: string;

  const webhook = (body: object, id = accountId) => {
    const raw = JSON.stringify(body);
    return fetch(`${host.url}/webhooks/loopback/${id}`, { method: 'POST', headers: { 'content-type': 'application/json', [LOOPBACK_SIGNATURE_HEADER]: loopbackSignature(secret, raw) }, body: raw });
  };
  const command = (over: Record<string, unknown> = {}) => ({
    id: newId(),
    v: 1 as const,
    tenantId: host.tenant.tenantId,
    conversationId: newId(),
    messageId: newId(),
    channel: 'loopback' as const,
    channelAccountId: accountId,
    threadKey: 'chat-runtime',
    text: 'hello from the runtime test',
    idempotencyKey: `k-${newId()}`,
    ...over,
  });

  beforeAll(async () => {
    provider = await startLoopbackStandIn();
    host = await startConnectorHost(loopbackConnector(), { bus: 'embedded' });
    const created = await host.api('POST', '/api/v1/channels/loopback', { name: 'Loop', credentials: {}, settings: { deliverUrl: provider.url } });
    accountId = created.json.accountId;
    secret = (await host.account(accountId)).credentials.secret as string;
  });
  afterAll(async () => {
    await host?.close();
    await provider?.close();
  });

  it('creates the inbox with the account, and lists the account under /api/v1/channels', async () => {
    const all = await host.api('GET', '/api/v1/channels');
    expect(all.json.items.map((a: { accountId: string }) => a.accountId)).toEqual([accountId]);
    const inbox = await host.platform.store.collection('inboxes').findOne({ _id: all.json.items[0].inboxId });
    expect(inbox).toMatchObject({ tenantId: host.tenant.tenantId, channel: 'loopback', channelAccountId: accountId });
    const stored = await host.platform.store.collection<{ _id: string; credentials: Record<string, string> }>('channel_accounts').findOne({ _id: accountId });
    expect(stored?.credentials.secret).toMatch(/^v1:/);
    expect(stored?.credentials.secret).not.toContain(secret);
  });

  it('refuses the admin API to an agent who is not an admin', async () => {
    const agent = await host.api('POST', '/api/v1/agents', { email: `agent-${newId().slice(-8)}@example.test`, name: 'Plain Agent', role: 'agent', password: 'a good long password' });
    expect(agent.status, JSON.stringify(agent.json)).toBe(201);
    const agentToken = await host.platform.tokens.signAccess({ agentId: agent.json.id, tenantId: host.tenant.tenantId, role: 'agent', name: 'Plain Agent' });
    const res = await fetch(`${host.url}/api/v1/channels/loopback`, { headers: { authorization: `Bearer ${agentToken}` } });
    expect(res.status).toBe(403);
    expect((await fetch(`${host.url}/api/v1/channels/loopback`)).status).toBe(401);
  });

  it('a verified body that cannot be read answers 400 and stores nothing', async () => {
    const before = (await host.messages(accountId)).length;
    const res = await webhook({ id: 'x', chatId: 'c', text: 'no sender' });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('SB_ERR_WEBHOOK_MALFORMED');
    await sleep(200);
    expect((await host.messages(accountId)).length).toBe(before);
  });

  it('a permanent refusal (4xx) reaches the agent as "failed" with the provider\'s reason, once', async () => {
    provider.failWith.push(400);
    const socket = await host.agent();
    await webhook({ id: 'm-perm', chatId: 'chat-perm', from: { id: 'u1', name: 'Grace' }, text: 'hi' });
    const msg = await eventually(async () => (await host.messages(accountId)).find((m) => m.externalId === 'm-perm'), 10_000, 'stored');
    const updated = new Promise<{ status: string; error?: string }>((resolve) => socket.on('message:updated', (m: { status: string; error?: string }) => m.status === 'failed' && resolve(m)));
    const reply = await host.api('POST', `/api/v1/conversations/${msg.conversationId}/messages`, { text: 'this will be refused', idempotencyKey: `k-${newId()}` });
    expect(reply.status).toBeLessThan(300);
    const failed = await updated;
    expect(failed.error).toContain('loopback endpoint answered 400');
    expect(provider.calls.some((c) => c.text === 'this will be refused')).toBe(false);
  });

  it('keeps retrying transient failures and reports "failed" after the last attempt', async () => {
    const msg = (await host.messages(accountId)).find((m) => m.externalId === 'm-perm')!;
    provider.failWith.push(503, 503, 503);
    const reply = await host.api('POST', `/api/v1/conversations/${msg.conversationId}/messages`, { text: 'never gets through', idempotencyKey: `k-${newId()}` });
    const final = await eventually(async () => (await host.messages(accountId)).find((m) => m._id === reply.json.id && m.status === 'failed'), 15_000, 'failed after retries');
    expect(final.error).toContain('503');
    expect(provider.failWith).toHaveLength(0);
  });

  it('a channel API answering 5xx and then recovering gets the reply exactly once, and it turns "sent"', async () => {
    const msg = (await host.messages(accountId)).find((m) => m.externalId === 'm-perm')!;
    provider.failWith.push(500, 503);
    const reply = await host.api('POST', `/api/v1/conversations/${msg.conversationId}/messages`, { text: 'through after two 5xx', idempotencyKey: `k-${newId()}` });
    await eventually(async () => (await host.messages(accountId)).find((m) => m._id === reply.json.id && m.status === 'sent'), 15_000, 'sent after the 5xx answers');
    expect(provider.failWith).toHaveLength(0);
    await sleep(300); // a second send would have reached the stand-in by now
    expect(provider.calls.filter((c) => c.text === 'through after two 5xx')).toHaveLength(1);
  });

  it('a command for a removed account is not delivered, and its webhook answers 404', async () => {
    const other = await host.api('POST', '/api/v1/channels/loopback', { name: 'Temporary', credentials: {}, settings: { deliverUrl: provider.url } });
    expect((await host.api('DELETE', `/api/v1/channels/loopback/${other.json.accountId}`)).status).toBe(204);
    const before = provider.calls.length;
    await host.platform.bus.publishOutbound(command({ channelAccountId: other.json.accountId }));
    await sleep(500);
    expect(provider.calls.length).toBe(before);
    const res = await webhook({ id: 'gone', chatId: 'c', from: { id: 'u' }, text: 'x' }, other.json.accountId);
    expect(res.status).toBe(404);
  });

  it('a disabled account stops receiving (404) and can be enabled again', async () => {
    expect((await host.api('PATCH', `/api/v1/channels/loopback/${accountId}`, { status: 'disabled' })).json.status).toBe('disabled');
    expect((await webhook({ id: 'while-off', chatId: 'c', from: { id: 'u' }, text: 'x' })).status).toBe(404);
    expect((await host.api('PATCH', `/api/v1/channels/loopback/${accountId}`, { status: 'active' })).json.status).toBe('active');
    expect((await webhook({ id: 'back-on', chatId: 'c', from: { id: 'u' }, text: 'x' })).status).toBe(200);
  });

  it('test connection reports the provider\'s answer and updates the account', async () => {
    const res = await host.api('POST', `/api/v1/channels/loopback/${accountId}/test`);
    expect(res.json).toEqual({ ok: true, reason: null, label: 'Loop' });
  });

  it('renames an account and replaces its credentials: sealed, never answered, its inbox renamed, and audited without the values', async () => {
    const fresh = 'a-brand-new-loopback-secret';
    const tooShort = await host.api('PATCH', `/api/v1/channels/loopback/${accountId}`, { credentials: { secret: 'short' } });
    expect(tooShort.status).toBe(400);
    const unknown = await host.api('PATCH', `/api/v1/channels/loopback/${accountId}`, { credentials: { token: 'x'.repeat(20) } });
    expect(unknown.status).toBe(400);

    const res = await host.api('PATCH', `/api/v1/channels/loopback/${accountId}`, { name: 'Loop renamed', credentials: { secret: fresh } });
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    expect(res.json).toMatchObject({ name: 'Loop renamed', credentialsSet: ['secret'] });
    expect(JSON.stringify(res.json)).not.toContain(fresh);
    expect(JSON.stringify((await host.api('GET', '/api/v1/channels')).json)).not.toContain(fresh);
    const stored = await host.platform.store.collection<{ _id: string; credentials: Record<string, string> }>('channel_accounts').findOne({ _id: accountId });
    expect(stored?.credentials.secret).toMatch(/^v1:/);
    expect(stored?.credentials.secret).not.toContain(fresh);
    const inbox = await host.platform.store.collection<{ _id: string; name: string }>('inboxes').findOne({ _id: res.json.inboxId });
    expect(inbox?.name).toBe('Loop renamed');

    // Webhooks signed with the old secret are refused now; the new one is taken.
    expect((await webhook({ id: 'old-secret', chatId: 'c', from: { id: 'u' }, text: 'x' })).status).not.toBe(200);
    secret = fresh;
    expect((await webhook({ id: 'new-secret', chatId: 'c', from: { id: 'u' }, text: 'x' })).status).toBe(200);

    const audit = await host.api('GET', '/api/v1/audit?type=channel.updated');
    expect(audit.status).toBe(200);
    expect(audit.json.items[0]).toMatchObject({ type: 'channel.updated', details: { target: accountId, channel: 'loopback', name: 'Loop renamed', fields: ['name', 'credentials'], credentials: ['secret'] } });
    expect(JSON.stringify(audit.json)).not.toContain(fresh);
  });
});
