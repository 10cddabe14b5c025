import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '@switchboard/contracts';
import { eventually } from '@switchboard/testkit';
import { LOOPBACK_SIGNATURE_HEADER, loopbackConnector, loopbackSignature } from '../src/index.js';
import { startConnectorHost, type ConnectorHost } from '../src/testing/index.js';
import { startLoopbackStandIn, type LoopbackStandIn } from './loopback-stand-in.js';

/** A customer answers one of the team's replies: the stored message names that reply (the console quotes it). */
describe('a customer’s reply to one of ours', () => {
  let provider: LoopbackStandIn;
  let host: ConnectorHost;
  let accountId: string;
  let secret: string;

  const webhook = (body: object) => {
    const raw = JSON.stringify(body);
    return fetch(`${host.url}/webhooks/loopback/${accountId}`, { method: 'POST', headers: { 'content-type': 'application/json', [LOOPBACK_SIGNATURE_HEADER]: loopbackSignature(secret, raw) }, body: raw });
  };
  const stored = (externalId: string) => eventually(async () => (await host.messages(accountId)).find((m) => m.externalId === externalId), 10_000, `${externalId} stored`);

  beforeAll(async () => {
    provider = await startLoopbackStandIn();
    host = await startConnectorHost(loopbackConnector(), { bus: 'embedded' });
    accountId = (await host.api('POST', '/api/v1/channels/loopback', { name: 'Loop', credentials: {}, settings: { deliverUrl: provider.url } })).json.accountId;
    secret = (await host.account(accountId)).credentials.secret as string;
  });
  afterAll(async () => {
    await host?.close();
    await provider?.close();
  });

  it('replyTo is our reply’s id when the customer quotes it, and the customer’s own message’s when they quote that', async () => {
    await webhook({ id: 'c-1', chatId: 'chat-q', from: { id: 'u1', name: 'Grace' }, text: 'Where is my parcel?' });
    const first = await stored('c-1');
    const reply = await host.api('POST', `/api/v1/conversations/${first.conversationId}/messages`, { text: 'It ships today.', idempotencyKey: `k-${newId()}` });
    await eventually(async () => (await host.messages(accountId)).find((m) => m._id === reply.json.id)?.status === 'sent', 10_000, 'reply sent');
    const providerId = `lb-${provider.calls.findIndex((c) => c.text === 'It ships today.') + 1}`;

    await webhook({ id: 'c-2', chatId: 'chat-q', from: { id: 'u1', name: 'Grace' }, text: 'Great, thanks!', replyTo: providerId });
    await webhook({ id: 'c-3', chatId: 'chat-q', from: { id: 'u1', name: 'Grace' }, text: 'And this one?', replyTo: 'c-1' });
    await stored('c-3');
    const again = await host.api('GET', `/api/v1/conversations/${first.conversationId}/messages`);
    const find = (text: string) => (again.json.items as { id: string; text: string; replyTo?: string }[]).find((m) => m.text === text);
    expect(find('Great, thanks!')?.replyTo).toBe(reply.json.id);
    expect(find('And this one?')?.replyTo).toBe(first._id);
  });
});
