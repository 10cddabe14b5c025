import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '@switchboard/contracts';
import { eventually } from '@switchboard/testkit';
import { LOOPBACK_SIGNATURE_HEADER, loopbackConnector, loopbackSignature } from '../src/index.js';
import { startConnectorHost, type ConnectorHost } from '../src/testing/index.js';
import { startLoopbackStandIn, type LoopbackStandIn } from './loopback-stand-in.js';

/** An agent retries a reply whose delivery failed: POST /conversations/:id/messages/:messageId/retry. */
describe('retrying a failed delivery', () => {
  let provider: LoopbackStandIn;
  let host: ConnectorHost;
  let accountId: string;
  let conversationId: string;

  const stored = async (id: string) => (await host.messages(accountId)).find((m) => m._id === id);
  const reply = async (text: string, idempotencyKey = `k-${newId()}`) => {
    const res = await host.api('POST', `/api/v1/conversations/${conversationId}/messages`, { text, idempotencyKey });
    expect(res.status, JSON.stringify(res.json)).toBe(201);
    return { id: res.json.id as string, idempotencyKey };
  };
  const retry = (messageId: string) => host.api('POST', `/api/v1/conversations/${conversationId}/messages/${messageId}/retry`);

  beforeAll(async () => {
    provider = await startLoopbackStandIn();
    host = await startConnectorHost(loopbackConnector(), { bus: 'embedded' });
    const created = await host.api('POST', '/api/v1/channels/loopback', { name: 'Loop', credentials: {}, settings: { deliverUrl: provider.url } });
    accountId = created.json.accountId;
    const secret = (await host.account(accountId)).credentials.secret as string;
    const raw = JSON.stringify({ id: 'm-retry', chatId: 'chat-retry', from: { id: 'u1', name: 'Grace' }, text: 'hello?' });
    await fetch(`${host.url}/webhooks/loopback/${accountId}`, { method: 'POST', headers: { 'content-type': 'application/json', [LOOPBACK_SIGNATURE_HEADER]: loopbackSignature(secret, raw) }, body: raw });
    conversationId = (await eventually(async () => (await host.messages(accountId)).find((m) => m.externalId === 'm-retry'), 10_000, 'inbound stored')).conversationId;
  });
  afterAll(async () => {
    await host?.close();
    await provider?.close();
  });

  it('a refused reply, retried, reaches the channel once with its own idempotency key and turns "sent"', async () => {
    provider.failWith.push(400);
    const { id, idempotencyKey } = await reply('refused the first time');
    const failed = await eventually(async () => (await stored(id))?.status === 'failed' && (await stored(id)), 10_000, 'failed');
    expect(failed && failed.error).toContain('400');

    const socket = await host.agent();
    const updates: { id: string; status?: string; retries?: number; error?: string }[] = [];
    socket.on('message:updated', (m: { id: string; status?: string }) => m.id === id && updates.push(m));
    const res = await retry(id);
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    expect(res.json).toMatchObject({ id, status: 'queued', retries: 1 });
    expect(res.json.error).toBeUndefined();

    await eventually(async () => (await stored(id))?.status === 'sent', 10_000, 'sent after the retry');
    await eventually(() => updates.some((u) => u.status === 'sent'), 5_000, 'agents told it was sent');
    expect(updates[0]).toMatchObject({ status: 'queued', retries: 1 });
    expect(provider.calls.filter((c) => c.text === 'refused the first time')).toEqual([expect.objectContaining({ idempotencyKey })]);
  });

  it('a reply the channel did deliver is not sent again when retried: the connector reports "sent"', async () => {
    const { id } = await reply('delivered, but reported failed');
    await eventually(async () => (await stored(id))?.status === 'sent', 10_000, 'sent');
    // As if the "sent" status had been lost and a late failure recorded instead.
    await host.platform.store.collection('messages').updateOne({ _id: id }, { $set: { status: 'failed', error: 'lost' } });
    expect((await retry(id)).status).toBe(200);
    await eventually(async () => (await stored(id))?.status === 'sent', 10_000, 'sent again');
    expect(provider.calls.filter((c) => c.text === 'delivered, but reported failed')).toHaveLength(1);
  });

  it('refuses to retry a reply that has not failed (409), a customer message, and an unknown id (404)', async () => {
    const { id } = await reply('all good');
    await eventually(async () => (await stored(id))?.status === 'sent', 10_000, 'sent');
    const res = await retry(id);
    expect(res.status).toBe(409);
    expect(res.json.error.code).toBe('SB_ERR_NOT_RETRYABLE');
    const inbound = (await host.messages(accountId)).find((m) => m.externalId === 'm-retry')!;
    expect((await retry(inbound._id)).json.error.code).toBe('SB_ERR_NOT_RETRYABLE');
    expect((await retry('no-such-message')).status).toBe(404);
  });
});
