import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '@switchboard/contracts';
import { startConnectorHost, type ConnectorHost } from '@switchboard/connectors-sdk/testing';
import { eventually, sleep } from '@switchboard/testkit';
import { slackConnector } from '../src/index.js';
import { signedHeaders } from './sign.js';
import { startWebApiStandIn, type WebApiStandIn } from './web-api-stand-in.js';

const SIGNING_SECRET = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';

describe('slack connector', () => {
  let api: WebApiStandIn;
  let host: ConnectorHost;
  let accountId: string;
  let path: string;
  const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}.json`, import.meta.url), 'utf8').replaceAll('__BASE__', api.url);
  const deliver = (body: string, headers = signedHeaders(SIGNING_SECRET, body)) => fetch(`${host.url}${path}`, { method: 'POST', headers, body });
  const stored = (externalId: string) =>
    eventually(async () => (await host.messages(accountId)).find((m) => m.externalId === externalId), 10_000, `message ${externalId} stored`);

  beforeAll(async () => {
    api = await startWebApiStandIn();
    api.users.set('U0CUSTOMER', { name: 'dana', real_name: 'Dana Scully', email: 'dana@customer.example' });
    api.files.set('F0INVOICE', { name: 'invoice-2024-117.pdf', mimetype: 'application/pdf', bytes: Buffer.from('%PDF-1.4 invoice') });
    api.files.set('F0SCREEN', { name: 'screenshot.png', mimetype: 'image/png', bytes: Buffer.from('\x89PNG screenshot', 'latin1') });
    host = await startConnectorHost(slackConnector({ slackApiUrl: api.apiUrl }));
    const created = await host.api('POST', '/api/v1/channels/slack', { name: 'Acme shared channels', credentials: { botToken: api.botToken, signingSecret: SIGNING_SECRET } });
    expect(created.status, JSON.stringify(created.json)).toBe(201);
    accountId = created.json.accountId;
    path = new URL(created.json.webhookUrl).pathname;
  });
  afterAll(async () => {
    await host?.close();
    await api?.close();
  });

  it('knows its bot user from auth.test and keeps the signing secret out of every answer', async () => {
    const view = await host.api('GET', `/api/v1/channels/slack/${accountId}`);
    expect(view.json).toMatchObject({ externalAccountId: 'U0SWITCHB', credentialsSet: ['botToken', 'signingSecret'] });
    expect(JSON.stringify(view.json)).not.toContain(SIGNING_SECRET);
    const test = await host.api('POST', `/api/v1/channels/slack/${accountId}/test`);
    expect(test.json).toEqual({ ok: true, reason: null, label: 'Acme Inc / @switchboard' });
  });

  it('answers the url_verification challenge', async () => {
    const res = await deliver(fixture('url_verification'));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ challenge: '3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P' });
  });

  it('refuses a replayed request (timestamp older than five minutes) even with a valid signature', async () => {
    const body = fixture('message');
    const res = await deliver(body, signedHeaders(SIGNING_SECRET, body, Math.floor(Date.now() / 1000) - 600));
    expect(res.status).toBe(401);
  });

  it('a top-level message opens a conversation keyed by channel and ts; thread replies stay in it', async () => {
    expect((await deliver(fixture('message'))).status).toBe(200);
    const top = await stored('C0SHARED1:1735725600.000100');
    expect(top.text).toBe('Hi Acme, our invoice shows the wrong VAT number.');
    const conv = (await host.conversations(accountId)).find((c) => c._id === top.conversationId);
    expect(conv).toMatchObject({ threadKey: 'C0SHARED1:1735725600.000100', contact: { name: 'Dana Scully', handle: '@dana', email: 'dana@customer.example' } });
    await deliver(fixture('thread_reply'));
    const reply = await stored('C0SHARED1:1735725660.000200');
    expect(reply.conversationId).toBe(top.conversationId);
    // The thread's first message, by our id, so the console can quote it.
    expect(reply).toMatchObject({ replyTo: top._id });
    // Both carry the Slack thread (its first message's channel:ts); the first message starts it.
    expect(top).toMatchObject({ thread: { ref: 'C0SHARED1:1735725600.000100', root: true } });
    expect(reply).toMatchObject({ thread: { ref: 'C0SHARED1:1735725600.000100' } });
    expect(reply).not.toHaveProperty('thread.root');
  });

  it('downloads shared files with the bot token, asking files.info when Slack Connect hides them', async () => {
    await deliver(fixture('file_share'));
    const m = await stored('C0SHARED1:1735725720.000300');
    expect(m.text).toBe('Here is the invoice');
    expect(m.attachments).toMatchObject([
      { kind: 'file', name: 'invoice-2024-117.pdf', mime: 'application/pdf', size: 16 },
      { kind: 'image', name: 'screenshot.png', mime: 'image/png' },
    ]);
    expect(api.calls.filter((c) => c.method === 'files.info').map((c) => c.args.file)).toEqual(['F0SCREEN']);
    const ref = (m.attachments[1] as { ref: string }).ref;
    const res = await fetch(`${host.url}/api/v1/blobs/${ref}`, { headers: { authorization: `Bearer ${host.adminToken}` } });
    expect(Buffer.from(await res.arrayBuffer()).toString('latin1')).toBe('\x89PNG screenshot');
  });

  it('applies message_changed and message_deleted', async () => {
    await deliver(fixture('message_changed'));
    await eventually(async () => (await host.messages(accountId)).find((m) => m.externalId === 'C0SHARED1:1735725600.000100')?.text === 'Hi Acme, our invoice shows the wrong VAT ID.', 10_000, 'edit applied');
    await deliver(fixture('message_deleted'));
    await eventually(async () => (await host.messages(accountId)).find((m) => m.externalId === 'C0SHARED1:1735725660.000200')?.deletedAt, 10_000, 'delete applied');
  });

  it("ignores the app's own messages and channel joins", async () => {
    const before = (await host.messages(accountId)).length;
    expect((await deliver(fixture('own_reply'))).status).toBe(200);
    expect((await deliver(fixture('channel_join'))).status).toBe(200);
    await sleep(300);
    expect((await host.messages(accountId)).length).toBe(before);
  });

  describe('replies', () => {
    let conversationId: string;
    beforeAll(async () => {
      conversationId = (await stored('C0SHARED1:1735725600.000100')).conversationId;
    });
    const reply = (text: string) => host.api('POST', `/api/v1/conversations/${conversationId}/messages`, { text, idempotencyKey: `k-${newId()}` });
    const settled = (id: string) => eventually(async () => (await host.messages(accountId)).find((m) => m._id === id && m.status !== 'queued'), 10_000, 'status');

    it('posts in the customer thread with thread_ts', async () => {
      const sent = await reply('Thanks Dana, a corrected invoice is on its way.');
      expect(await settled(sent.json.id)).toMatchObject({ status: 'sent' });
      const post = api.posts().find((c) => c.args.text === 'Thanks Dana, a corrected invoice is on its way.');
      expect(post?.args).toMatchObject({ channel: 'C0SHARED1', thread_ts: '1735725600.000100' });
    });

    it('posts into the thread the agent picked with thread_ts, and at the top level without', async () => {
      const inThread = await host.api('POST', `/api/v1/conversations/${conversationId}/messages`, {
        text: 'Replying in your thread.',
        thread: 'C0SHARED1:1735725600.000100',
        idempotencyKey: `k-${newId()}`,
      });
      expect(inThread.status, JSON.stringify(inThread.json)).toBe(201);
      expect(inThread.json.thread).toEqual({ ref: 'C0SHARED1:1735725600.000100' });
      expect(await settled(inThread.json.id)).toMatchObject({ status: 'sent' });
      expect(api.posts().find((c) => c.args.text === 'Replying in your thread.')?.args).toMatchObject({ channel: 'C0SHARED1', thread_ts: '1735725600.000100' });

      const top = await host.api('POST', `/api/v1/conversations/${conversationId}/messages`, { text: 'A note for the whole channel.', thread: null, idempotencyKey: `k-${newId()}` });
      expect(top.status, JSON.stringify(top.json)).toBe(201);
      expect(top.json.thread).toBeUndefined();
      expect(await settled(top.json.id)).toMatchObject({ status: 'sent' });
      const post = api.posts().find((c) => c.args.text === 'A note for the whole channel.');
      expect(post?.args.channel).toBe('C0SHARED1');
      expect(post?.args.thread_ts).toBeUndefined();
    });

    it('refuses a thread that is not the conversation\'s, sending nothing', async () => {
      const res = await host.api('POST', `/api/v1/conversations/${conversationId}/messages`, { text: 'Lost reply', thread: 'C0SHARED1:1700000000.000900', idempotencyKey: `k-${newId()}` });
      expect(res.status).toBe(400);
      expect(res.json).toMatchObject({ error: { code: 'SB_ERR_VALIDATION', details: { path: '/thread' } } });
      expect(api.posts().some((c) => c.args.text === 'Lost reply')).toBe(false);
    });

    it('not_in_channel is final: failed with Slack\'s reason, not retried', async () => {
      api.failPosts.push('not_in_channel');
      const sent = await reply('Are you there?');
      expect(await settled(sent.json.id)).toMatchObject({ status: 'failed', error: 'Slack: not_in_channel' });
      expect(api.calls.filter((c) => c.method === 'chat.postMessage' && c.args.text === 'Are you there?')).toHaveLength(1);
    });

    it('shares a file in the thread with the text as its comment', async () => {
      const withFile = (await host.messages(accountId)).find((m) => m.externalId === 'C0SHARED1:1735725720.000300')!;
      const ref = (withFile.attachments[0] as { ref: string }).ref;
      await host.platform.bus.publishOutbound({
        id: newId(),
        v: 1,
        tenantId: host.tenant.tenantId,
        conversationId,
        messageId: newId(),
        channel: 'slack',
        channelAccountId: accountId,
        threadKey: 'C0SHARED1:1735725600.000100',
        text: 'Here is the corrected invoice.',
        attachments: [{ kind: 'file', name: 'invoice-2024-117.pdf', mime: 'application/pdf', ref }],
        idempotencyKey: `file-${newId()}`,
      });
      const complete = await eventually(() => api.calls.find((c) => c.method === 'files.completeUploadExternal' && c.ok), 10_000, 'upload completed');
      expect(complete.args).toMatchObject({ channel_id: 'C0SHARED1', thread_ts: '1735725600.000100', initial_comment: 'Here is the corrected invoice.' });
      const [uploaded] = [...api.uploads.values()];
      expect(uploaded).toMatchObject({ filename: 'invoice-2024-117.pdf' });
      expect(uploaded!.bytes.toString()).toBe('%PDF-1.4 invoice');
    });

    it('HTTP 500 and 429 are retried; the reply is posted once', async () => {
      api.failPosts.push(500, 429);
      const sent = await reply('We have re-issued the invoice.');
      expect(await settled(sent.json.id)).toMatchObject({ status: 'sent' });
      expect(api.posts().filter((c) => c.args.text === 'We have re-issued the invoice.')).toHaveLength(1);
    });
  });
});
