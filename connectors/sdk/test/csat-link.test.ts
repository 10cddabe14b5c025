import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '@switchboard/testkit';
import { LOOPBACK_SIGNATURE_HEADER, loopbackConnector, loopbackSignature } from '../src/index.js';
import { startConnectorHost, type ConnectorHost } from '../src/testing/index.js';
import { startLoopbackStandIn, type LoopbackStandIn } from './loopback-stand-in.js';

/**
 * CSAT on a messenger channel, through a connector end to end: the agent resolves, the customer's
 * chat gets one message with the survey link, the link's page takes the rating as a form post, and
 * the rating shows on the conversation.
 */
describe('CSAT survey link on a messenger channel', () => {
  let provider: LoopbackStandIn;
  let host: ConnectorHost;
  let accountId: string;
  let secret: string;

  beforeAll(async () => {
    provider = await startLoopbackStandIn();
    host = await startConnectorHost(loopbackConnector(), { bus: 'embedded', env: { PUBLIC_URL: 'https://support.example' } });
    accountId = (await host.api('POST', '/api/v1/channels/loopback', { name: 'Loop', credentials: {}, settings: { deliverUrl: provider.url } })).json.accountId;
    secret = (await host.account(accountId)).credentials.secret as string;
  });
  afterAll(async () => {
    await host?.close();
    await provider?.close();
  });

  it('resolving sends the link once; the page takes the rating; the conversation shows it', async () => {
    const raw = JSON.stringify({ id: 'm-1', chatId: 'chat-csat', from: { id: 'u1', name: 'Grace' }, text: 'Is my order on its way?' });
    await fetch(`${host.url}/webhooks/loopback/${accountId}`, { method: 'POST', headers: { 'content-type': 'application/json', [LOOPBACK_SIGNATURE_HEADER]: loopbackSignature(secret, raw) }, body: raw });
    const first = await eventually(async () => (await host.messages(accountId)).find((m) => m.externalId === 'm-1'), 10_000, 'message stored');
    const conversationId = first.conversationId;

    expect((await host.api('POST', `/api/v1/conversations/${conversationId}/status`, { status: 'resolved' })).status).toBe(200);
    const delivered = await eventually(() => provider.calls.find((c) => c.text.includes('/csat/')), 10_000, 'survey link delivered');
    expect(delivered.chatId).toBe('chat-csat');
    expect(delivered.text).toMatch(/^How did we do\?.* https:\/\/support\.example\/csat\/[\w-]{20,}$/);
    // Resolving again without a new customer message sends nothing more.
    await host.api('POST', `/api/v1/conversations/${conversationId}/status`, { status: 'open' });
    await host.api('POST', `/api/v1/conversations/${conversationId}/status`, { status: 'resolved' });

    const path = new URL(/https:\S+$/.exec(delivered.text)![0]).pathname;
    const page = await fetch(`${host.url}${path}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('How satisfied are you');
    const posted = await fetch(`${host.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ rating: '5', comment: 'Fast answer' }).toString(),
      redirect: 'manual',
    });
    expect(posted.status).toBe(303);
    const thanks = await fetch(`${host.url}${path}`);
    expect(await thanks.text()).toContain('Your rating: 5 of 5');

    const conversation = await host.api('GET', `/api/v1/conversations/${conversationId}`);
    expect(conversation.json.csat).toMatchObject({ rating: 5, comment: 'Fast answer' });
    expect(provider.calls.filter((c) => c.text.includes('/csat/'))).toHaveLength(1);
  });
});
