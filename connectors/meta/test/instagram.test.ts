import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { newId } from '@switchboard/contracts';
import { eventually } from '@switchboard/testkit';
import fixture from '../src/fixtures/instagram-messages.json' with { type: 'json' };
import { APP_SECRET, fresh, startMetaHost, TOKEN, VERIFY_TOKEN, type MetaHost } from './harness.js';

const IG_USER = '17841405822304914';
const CUSTOMER = '1254459154682919';

function hook(messaging: unknown[]) {
  return { object: 'instagram', entry: [{ id: IG_USER, time: Date.now(), messaging }] };
}

describe('Instagram Messaging connector (Graph API stand-in)', () => {
  let host: MetaHost;
  let accountId: string;
  let conversationId: string;

  beforeAll(async () => {
    host = await startMetaHost();
    const created = await host.api('POST', '/api/v1/channels/instagram', {
      name: 'Acme Instagram',
      credentials: { accessToken: TOKEN, appSecret: APP_SECRET, verifyToken: VERIFY_TOKEN },
    });
    expect(created.status).toBe(201);
    expect(created.json.externalAccountId).toBe(IG_USER);
    accountId = created.json.accountId;
  });
  afterAll(async () => host?.close());

  it('answers hub.challenge and refuses a bad signature with 401', async () => {
    const ok = await fetch(`${host.url}/webhooks/instagram/${accountId}?hub.mode=subscribe&hub.verify_token=${VERIFY_TOKEN}&hub.challenge=abc123`);
    expect(await ok.text()).toBe('abc123');
    const res = await host.webhook('instagram', accountId, fresh(fixture, { unit: 'ms' }), 'sha256=' + '0'.repeat(64));
    expect(res.status).toBe(401);
    expect(await host.messages(accountId)).toHaveLength(0);
  });

  it('stores text, images, story replies, mentions and shares once each; echoes are ignored', async () => {
    const story = host.graph.addMedia('story1', Buffer.from('story-image-bytes'), 'image/jpeg');
    const image = host.graph.addMedia('img1', Buffer.from('customer-photo-bytes'), 'image/png');
    const mention = host.graph.addMedia('mention1', Buffer.from('mention-bytes'), 'image/jpeg');
    const body = fresh(fixture, { unit: 'ms' }) as typeof fixture;
    const m = body.entry[0]!.messaging as any[];
    m[1].message.attachments[0].payload.url = image;
    m[2].message.reply_to.story.url = story;
    m[3].message.attachments[0].payload.url = mention;
    expect((await host.webhook('instagram', accountId, body)).status).toBe(200);
    expect((await host.webhook('instagram', accountId, body)).status).toBe(200);
    const stored = await eventually(async () => {
      const all = await host.messages(accountId);
      return all.length >= 5 ? all : null;
    });
    await new Promise((r) => setTimeout(r, 200));
    expect(await host.messages(accountId)).toHaveLength(5);
    expect(stored.map((s) => s.text)).toEqual([
      'Hi! Is the blue jacket still available?',
      undefined,
      'Love this!\nReplied to your story',
      'Mentioned you in their story',
      'Shared a post: https://www.instagram.com/p/C1a2b3c4d5e/',
    ]);
    expect(stored.some((s) => s.text === 'Yes, it is!')).toBe(false);
    expect((await host.download(stored[1].attachments[0].ref)).toString()).toBe('customer-photo-bytes');
    expect((await host.download(stored[2].attachments[0].ref)).toString()).toBe('story-image-bytes');
    conversationId = stored[0].conversationId;
  });

  it('round trip: agent reply → POST /{ig-user-id}/messages; "seen" marks it read; reactions are kept', async () => {
    const reply = await host.api('POST', `/api/v1/conversations/${conversationId}/messages`, { text: 'Yes! Size M or L?', idempotencyKey: randomUUID() });
    expect(reply.status).toBe(201);
    const call = await eventually(() => host.graph.sends().find((c) => (c.body as any).message?.text === 'Yes! Size M or L?'));
    expect(call.path).toBe(`/v21.0/${IG_USER}/messages`);
    expect(call.body).toEqual({ recipient: { id: CUSTOMER }, message: { text: 'Yes! Size M or L?' } });
    expect(call.authorization).toBe(`Bearer ${TOKEN}`);
    await eventually(async () => (await host.messages(accountId)).find((m) => m._id === reply.json.id)?.status === 'sent', 5000, 'sent');
    const mid = (await host.platform.store.collection<any>('meta_sent').findOne({ messageId: reply.json.id }))!.providerMessageId as string;

    const now = Date.now();
    await host.webhook('instagram', accountId, hook([
      { sender: { id: CUSTOMER }, recipient: { id: IG_USER }, timestamp: now, reaction: { mid, action: 'react', reaction: 'love', emoji: '❤️' } },
      { sender: { id: CUSTOMER }, recipient: { id: IG_USER }, timestamp: now + 1, read: { mid } },
    ]));
    const read = await eventually(async () => (await host.messages(accountId)).find((m) => m._id === reply.json.id && m.status === 'read'));
    expect(read.reactions).toEqual([{ emoji: '❤️', by: CUSTOMER }]);
  });

  it('sends a stored file as an attachment by a sealed link Meta can fetch, and the text after it', async () => {
    const stored = (await host.messages(accountId)).find((m) => m.attachments?.[0]?.kind === 'image');
    const placeholder = await host.api('POST', `/api/v1/conversations/${conversationId}/messages`, { text: 'A photo for you', idempotencyKey: randomUUID() });
    await host.platform.bus.publishOutbound({
      id: newId(),
      v: 1,
      tenantId: host.tenant.tenantId,
      conversationId,
      messageId: placeholder.json.id,
      channel: 'instagram',
      channelAccountId: accountId,
      threadKey: CUSTOMER,
      text: 'Here it is in green',
      attachments: [stored.attachments[0]],
      idempotencyKey: randomUUID(),
    });
    const call = await eventually(() => host.graph.sends().find((c) => (c.body as any).message?.attachment));
    const url = new URL((call.body as any).message.attachment.payload.url);
    expect(url.pathname).toBe('/media/meta');
    expect((call.body as any).message.attachment.type).toBe('image');
    const fetched = await fetch(`${host.url}${url.pathname}${url.search}`);
    expect(fetched.status).toBe(200);
    expect(await fetched.text()).toBe('customer-photo-bytes');
    expect((await fetch(`${host.url}${url.pathname}${url.search.slice(0, -6)}garbled`)).status).toBe(404);
    await eventually(() => host.graph.sends().find((c) => (c.body as any).message?.text === 'Here it is in green'));
  });

  it('the 24-hour window error from the Send API becomes a failed status an agent understands', async () => {
    host.graph.failNext('POST', /\/messages$/, 400, { message: '(#10) This message is sent outside of allowed window.', code: 10, error_subcode: 2018278 });
    const reply = await host.api('POST', `/api/v1/conversations/${conversationId}/messages`, { text: 'Still interested?', idempotencyKey: randomUUID() });
    const failed = await eventually(async () => (await host.messages(accountId)).find((m) => m._id === reply.json.id && m.status === 'failed'));
    expect(failed.error).toBe("Instagram only allows replies within 24 hours of the customer's last message. This window has closed; you can reply once they write again.");
    const window = await host.api('GET', `/api/v1/conversations/${conversationId}/reply-window`);
    expect(window.json).toMatchObject({ channel: 'instagram', open: true, canSend: 'any' });
  });
});
