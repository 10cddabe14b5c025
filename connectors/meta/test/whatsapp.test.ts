import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { newId } from '@switchboard/contracts';
import { eventually } from '@switchboard/testkit';
import textFixture from '../src/fixtures/whatsapp-text.json' with { type: 'json' };
import mediaFixture from '../src/fixtures/whatsapp-media.json' with { type: 'json' };
import { APP_SECRET, fresh, startMetaHost, TOKEN, VERIFY_TOKEN, type MetaHost } from './harness.js';
import { hubSignature } from '../src/signature.js';

const PHONE_ID = '106540352242922';

function statusHook(id: string, status: string, extra: Record<string, unknown> = {}) {
  return {
    object: 'whatsapp_business_account',
    entry: [{ id: '102290129340398', changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', metadata: { display_phone_number: '15550783881', phone_number_id: PHONE_ID }, statuses: [{ id, status, timestamp: String(Math.floor(Date.now() / 1000)), recipient_id: '16505551234', ...extra }] } }] }],
  };
}

describe('WhatsApp Cloud API connector (Graph API stand-in)', () => {
  let host: MetaHost;
  let accountId: string;

  beforeAll(async () => {
    host = await startMetaHost();
    const created = await host.api('POST', '/api/v1/channels/whatsapp', {
      name: 'Acme WhatsApp',
      credentials: { accessToken: TOKEN, appSecret: APP_SECRET, verifyToken: VERIFY_TOKEN },
      settings: { phoneNumberId: PHONE_ID },
    });
    expect(created.status).toBe(201);
    accountId = created.json.accountId;
  });
  afterAll(async () => host?.close());

  it('answers Meta\'s subscription handshake with hub.challenge, and only with the right verify token', async () => {
    const q = (token: string) => `hub.mode=subscribe&hub.verify_token=${token}&hub.challenge=1158201444`;
    const ok = await fetch(`${host.url}/webhooks/whatsapp/${accountId}?${q(VERIFY_TOKEN)}`);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('1158201444');
    expect((await fetch(`${host.url}/webhooks/whatsapp/${accountId}?${q('guess')}`)).status).toBe(401);
  });

  it('stores a message once although Meta delivers it twice, and shows it to agents live', async () => {
    const agent = await host.agent();
    const seen: string[] = [];
    agent.on('message:new', (m: { text?: string }) => seen.push(m.text ?? ''));
    const body = fresh(textFixture);
    expect((await host.webhook('whatsapp', accountId, body)).status).toBe(200);
    expect((await host.webhook('whatsapp', accountId, body)).status).toBe(200);
    await eventually(() => seen.includes('Does it come in another color?'), 5000, 'agent socket got the message');
    const stored = (await host.messages(accountId)).filter((m) => m.externalId === body.entry[0]!.changes[0]!.value.messages[0]!.id);
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ direction: 'in', text: 'Does it come in another color?', author: { kind: 'contact', name: 'Sheena Nelson' } });
  });

  it('refuses a webhook whose signature is not Meta\'s (401) and stores nothing', async () => {
    const before = (await host.messages(accountId)).length;
    const body = fresh(textFixture, { suffix: 'forged' });
    const res = await host.webhook('whatsapp', accountId, body, hubSignature(JSON.stringify(body), 'not-the-app-secret'));
    expect(res.status).toBe(401);
    expect(await host.messages(accountId)).toHaveLength(before);
  });

  it('downloads media through the Graph API media URL into the blob store, and keeps the caption', async () => {
    const jpeg = Buffer.from('ffd8ffe000104a464946-fake-jpeg-bytes', 'utf8');
    host.graph.addMedia('1003383421387256', jpeg, 'image/jpeg');
    host.graph.addMedia('1003383421387257', Buffer.from('%PDF-1.7 invoice'), 'application/pdf');
    const body = fresh(mediaFixture);
    expect((await host.webhook('whatsapp', accountId, body)).status).toBe(200);
    const image = await eventually(async () => (await host.messages(accountId)).find((m) => m.text === 'This one, in blue'));
    expect(image.attachments[0]).toMatchObject({ kind: 'image', mime: 'image/jpeg', size: jpeg.length });
    expect(image.attachments[0].ref).toMatch(/^blob:/);
    const file = await host.download(image.attachments[0].ref);
    expect(file.equals(jpeg)).toBe(true);
    const download = host.graph.calls.find((c) => c.path === '/cdn/1003383421387256');
    expect(download?.authorization).toBe(`Bearer ${TOKEN}`);
    const doc = await eventually(async () => (await host.messages(accountId)).find((m) => m.attachments?.[0]?.name === 'invoice-2291.pdf'));
    expect(doc.attachments[0]).toMatchObject({ kind: 'file', mime: 'application/pdf' });
  });

  it('round trip: agent reply → POST /{phone-number-id}/messages → statuses update the message', async () => {
    const [conv] = (await host.api('GET', '/api/v1/conversations?status=all')).json.items.filter((c: { channel: string }) => c.channel === 'whatsapp');
    const window = await host.api('GET', `/api/v1/conversations/${conv.id}/reply-window`);
    expect(window.json).toMatchObject({ channel: 'whatsapp', open: true, canSend: 'any' });
    expect(Date.parse(window.json.windowExpiresAt) - Date.now()).toBeGreaterThan(23 * 3600_000);

    const agent = await host.agent();
    const updates: { id: string; status?: string }[] = [];
    agent.on('message:updated', (m: { id: string; status?: string }) => updates.push(m));
    const reply = await host.api('POST', `/api/v1/conversations/${conv.id}/messages`, { text: 'Yes — blue and green.', idempotencyKey: randomUUID() });
    expect(reply.status).toBe(201);
    const send = await eventually(() => host.graph.sends().find((c) => (c.body as { text?: { body?: string } }).text?.body === 'Yes — blue and green.'));
    expect(send.path).toBe(`/v21.0/${PHONE_ID}/messages`);
    expect(send.body).toMatchObject({ messaging_product: 'whatsapp', to: '16505551234', type: 'text' });
    await eventually(() => updates.some((m) => m.id === reply.json.id && m.status === 'sent'), 5000, 'sent status');

    const wamid = await eventually(async () => {
      const res = await host.platform.store.collection<{ _id: string; messageId: string; providerMessageId: string }>('meta_sent').findOne({ messageId: reply.json.id });
      return res?.providerMessageId;
    });
    await host.webhook('whatsapp', accountId, statusHook(wamid, 'delivered'));
    await eventually(async () => (await host.messages(accountId)).find((m) => m._id === reply.json.id)?.status === 'delivered', 5000, 'delivered');
    await host.webhook('whatsapp', accountId, statusHook(wamid, 'read'));
    await eventually(async () => (await host.messages(accountId)).find((m) => m._id === reply.json.id)?.status === 'read', 5000, 'read');
  });

  it('sends media by upload (stored files) and by link, with the caption on the first', async () => {
    const [conv] = (await host.api('GET', '/api/v1/conversations?status=all')).json.items.filter((c: { contact: { phone?: string } }) => c.contact.phone === '+16505551234');
    const stored = (await host.messages(accountId)).find((m) => m.text === 'This one, in blue');
    const placeholder = await host.api('POST', `/api/v1/conversations/${conv.id}/messages`, { text: 'Two pictures coming', idempotencyKey: randomUUID() });
    await host.platform.bus.publishOutbound({
      id: newId(),
      v: 1,
      tenantId: host.tenant.tenantId,
      conversationId: conv.id,
      messageId: placeholder.json.id,
      channel: 'whatsapp',
      channelAccountId: accountId,
      threadKey: '16505551234',
      text: 'Blue and green side by side',
      attachments: [stored.attachments[0], { kind: 'file', ref: 'https://example.com/catalog.pdf', name: 'catalog.pdf', mime: 'application/pdf' }],
      idempotencyKey: randomUUID(),
    });
    const image = await eventually(() => host.graph.sends().find((c) => (c.body as { image?: { caption?: string } }).image?.caption === 'Blue and green side by side'));
    const upload = host.graph.calls.find((c) => c.method === 'POST' && c.path === `/v21.0/${PHONE_ID}/media`);
    expect(upload?.contentType).toMatch(/^multipart\/form-data/);
    expect(String(upload?.body)).toContain('ffd8ffe000104a464946-fake-jpeg-bytes');
    expect((image.body as { image: { id?: string } }).image.id).toMatch(/^\d+$/);
    const doc = await eventually(() => host.graph.sends().find((c) => (c.body as { type?: string }).type === 'document'));
    expect(doc.body).toMatchObject({ to: '16505551234', document: { link: 'https://example.com/catalog.pdf', filename: 'catalog.pdf' } });
    expect((doc.body as { document: { caption?: string } }).document.caption).toBeUndefined();
  });

  it('after 24 hours free text fails with a clear reason, and a template goes out instead', async () => {
    const old = new Date(Date.now() - 30 * 3600_000);
    const body = fresh(textFixture, { at: old, suffix: 'old' });
    body.entry[0]!.changes[0]!.value.messages[0]!.from = '4915112345678';
    body.entry[0]!.changes[0]!.value.contacts[0]!.wa_id = '4915112345678';
    await host.webhook('whatsapp', accountId, body);
    const conv = await eventually(async () =>
      (await host.api('GET', '/api/v1/conversations?status=all')).json.items.find((c: { contact: { phone?: string } }) => c.contact.phone === '+4915112345678'),
    );
    const window = await host.api('GET', `/api/v1/conversations/${conv.id}/reply-window`);
    expect(window.json).toMatchObject({ open: false, canSend: 'template', remainingSeconds: 0 });
    expect(Date.parse(window.json.windowExpiresAt)).toBe(old.getTime() - (old.getTime() % 1000) + 24 * 3600_000);

    const sendsBefore = host.graph.sends().length;
    const text = await host.api('POST', `/api/v1/conversations/${conv.id}/messages`, { text: 'Are you still there?', idempotencyKey: randomUUID() });
    const failed = await eventually(async () => (await host.messages(accountId)).find((m) => m._id === text.json.id && m.status === 'failed'));
    expect(failed.error).toMatch(/24 hours.*template/);
    expect(host.graph.sends()).toHaveLength(sendsBefore);

    const key = randomUUID();
    const tpl = await host.api('POST', `/api/v1/conversations/${conv.id}/template`, { name: 'order_update', language: 'en_US', params: ['Sheena', 'A-2291'], idempotencyKey: key });
    expect(tpl.status).toBe(200);
    expect(tpl.json.message.text).toBe('Template order_update (en_US): Sheena | A-2291');
    const call = await eventually(() => host.graph.sends().find((c) => (c.body as { type?: string }).type === 'template'));
    expect(call.body).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '4915112345678',
      type: 'template',
      template: { name: 'order_update', language: { code: 'en_US' }, components: [{ type: 'body', parameters: [{ type: 'text', text: 'Sheena' }, { type: 'text', text: 'A-2291' }] }] },
    });
    await eventually(async () => (await host.messages(accountId)).find((m) => m._id === tpl.json.message.id)?.status === 'sent', 5000, 'template sent');
    // The same key again sends nothing more.
    await host.api('POST', `/api/v1/conversations/${conv.id}/template`, { name: 'order_update', language: 'en_US', params: ['Sheena', 'A-2291'], idempotencyKey: key });
    expect(host.graph.sends().filter((c) => (c.body as { type?: string }).type === 'template')).toHaveLength(1);
  });

  it('a "failed" status from Meta reaches the agent with the error title', async () => {
    const [conv] = (await host.api('GET', '/api/v1/conversations?status=all')).json.items.filter((c: { contact: { phone?: string } }) => c.contact.phone === '+16505551234');
    const reply = await host.api('POST', `/api/v1/conversations/${conv.id}/messages`, { text: 'One more thing', idempotencyKey: randomUUID() });
    const wamid = await eventually(async () => (await host.platform.store.collection<{ _id: string; messageId: string; providerMessageId: string }>('meta_sent').findOne({ messageId: reply.json.id }))?.providerMessageId);
    await eventually(async () => (await host.messages(accountId)).find((m) => m._id === reply.json.id)?.status === 'sent', 5000, 'sent');
    await host.webhook('whatsapp', accountId, statusHook(wamid, 'failed', { errors: [{ code: 131026, title: 'Message undeliverable', message: 'Message undeliverable', error_data: { details: 'Receiver is incapable of receiving this message' } }] }));
    const failed = await eventually(async () => (await host.messages(accountId)).find((m) => m._id === reply.json.id && m.status === 'failed'), 5000, JSON.stringify(reply.json));
    expect(failed.error).toBe('Message undeliverable: Receiver is incapable of receiving this message');
  });
});
