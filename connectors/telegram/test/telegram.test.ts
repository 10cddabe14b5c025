import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId, type MessageView } from '@switchboard/contracts';
import { startConnectorHost, type ConnectorHost } from '@switchboard/connectors-sdk/testing';
import { eventually, sleep } from '@switchboard/testkit';
import { SECRET_HEADER, telegramConnector } from '../src/index.js';
import { startBotApiStandIn, type BotApiStandIn } from './bot-api-stand-in.js';

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`./fixtures/${name}.json`, import.meta.url), 'utf8')) as Record<string, any>;

describe('telegram connector', () => {
  let api: BotApiStandIn;
  let host: ConnectorHost;
  let accountId: string;
  let secret: string;
  let path: string;

  const webhook = (update: unknown, token = secret) =>
    fetch(`${host.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', [SECRET_HEADER]: token }, body: JSON.stringify(update) });
  const stored = (externalId: string) =>
    eventually(async () => (await host.messages(accountId)).find((m) => m.externalId === externalId), 10_000, `message ${externalId} stored`);

  beforeAll(async () => {
    api = await startBotApiStandIn();
    api.files.set('AgACAgIAAxkBAAIBY2large', { path: 'photos/file_7.jpg', bytes: Buffer.from('\xff\xd8\xff\xe0 jpeg bytes of the box', 'latin1') });
    api.files.set('BQACAgIAAxkBAAIBZGdoc', { path: 'documents/file_8.pdf', bytes: Buffer.from('%PDF-1.4 invoice') });
    api.files.set('AwACAgIAAxkBAAIBZXvoice', { path: 'voice/file_9.oga', bytes: Buffer.from('OggS voice') });
    api.files.set('BAACAgIAAxkBAAIBZnvideo', { path: 'videos/file_10.mp4', bytes: Buffer.from('....ftypmp42') });
    api.files.set('CAACAgIAAxkBAAIBZ3sticker', { path: 'stickers/file_11.webp', bytes: Buffer.from('RIFF....WEBP') });
    host = await startConnectorHost(telegramConnector({ apiRoot: api.url }), { env: { PUBLIC_URL: 'https://support.example.com' } });
    const created = await host.api('POST', '/api/v1/channels/telegram', { name: 'Acme bot', credentials: { botToken: api.token } });
    expect(created.status, JSON.stringify(created.json)).toBe(201);
    accountId = created.json.accountId;
    secret = (await host.account(accountId)).credentials.webhookSecret as string;
    path = new URL(created.json.webhookUrl).pathname;
  });
  afterAll(async () => {
    await host?.close();
    await api?.close();
  });

  it('checks the token with getMe and registers the webhook with a generated secret token', async () => {
    const view = await host.api('GET', `/api/v1/channels/telegram/${accountId}`);
    expect(view.json).toMatchObject({ externalAccountId: '123456789', status: 'active', webhookUrl: `https://support.example.com/webhooks/telegram/${accountId}` });
    const setWebhook = api.calls.find((c) => c.method === 'setWebhook');
    expect(setWebhook?.payload).toMatchObject({ url: view.json.webhookUrl, secret_token: secret, allowed_updates: ['message', 'edited_message'] });
    expect(secret).toMatch(/^[A-Za-z0-9_-]{32,}$/);
  });

  it('shows the account as "error" with Telegram\'s reason when the webhook cannot be registered', async () => {
    api.failMethod.set('setWebhook', { error_code: 400, description: 'Bad Request: bad webhook: HTTPS url must be provided for webhook' });
    try {
      const created = await host.api('POST', '/api/v1/channels/telegram', { name: 'Second bot', credentials: { botToken: api.token } });
      expect(created.status).toBe(201);
      expect(created.json).toMatchObject({ status: 'error' });
      expect(created.json.lastError).toContain('HTTPS url must be provided');
      expect((await host.api('DELETE', `/api/v1/channels/telegram/${created.json.accountId}`)).status).toBe(204);
    } finally {
      api.failMethod.delete('setWebhook');
    }
  });

  it('refuses a token Telegram does not accept, and creates nothing', async () => {
    const res = await host.api('POST', '/api/v1/channels/telegram', { name: 'Wrong', credentials: { botToken: '999:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' } });
    expect(res.status).toBe(422);
    expect(res.json.error.code).toBe('SB_ERR_CHANNEL_CREDENTIALS');
    expect((await host.api('GET', '/api/v1/channels/telegram')).json.items).toHaveLength(1);
  });

  it('stores a text message with the sender, and /start as a command without the bot name', async () => {
    expect((await webhook(fixture('text'))).status).toBe(200);
    const m = await stored('111222333:101');
    expect(m.text).toBe('Hello, where is my order #4411?');
    const conv = (await host.conversations(accountId)).find((c) => c._id === m.conversationId);
    expect(conv).toMatchObject({ threadKey: '111222333', contact: { name: 'Olga Petrova', handle: '@olga_p' } });
    await webhook(fixture('start'));
    expect((await stored('111222333:102')).text).toBe('/start promo-spring');
  });

  it('downloads the largest photo into the blob store; agents of the tenant can open it', async () => {
    await webhook(fixture('photo'));
    const m = await stored('111222333:103');
    expect(m.text).toBe('The box arrived like this');
    const [a] = m.attachments as Array<{ kind: string; ref: string; mime: string; size: number }>;
    expect(a).toMatchObject({ kind: 'image', mime: 'image/jpeg' });
    expect(a!.ref).toMatch(/^blob:/);
    expect(api.calls.filter((c) => c.method === 'getFile').map((c) => c.payload.file_id)).toContain('AgACAgIAAxkBAAIBY2large');
    const res = await fetch(`${host.url}/api/v1/blobs/${a!.ref}`, { headers: { authorization: `Bearer ${host.adminToken}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/jpeg');
    expect(Buffer.from(await res.arrayBuffer()).toString('latin1')).toBe('\xff\xd8\xff\xe0 jpeg bytes of the box');
    const anonymous = await fetch(`${host.url}/api/v1/blobs/${a!.ref}`);
    expect(anonymous.status).toBe(401);
    const stranger = await host.platform.tokens.signAccess({ agentId: newId(), tenantId: newId(), role: 'admin', name: 'Other tenant' });
    const other = await fetch(`${host.url}/api/v1/blobs/${a!.ref}`, { headers: { authorization: `Bearer ${stranger}` } });
    expect([401, 404]).toContain(other.status);
  });

  it('normalizes document, voice, video, sticker, location and contact', async () => {
    for (const name of ['document', 'voice', 'video', 'sticker', 'location', 'contact']) expect((await webhook(fixture(name))).status).toBe(200);
    const doc = await stored('111222333:104');
    expect(doc.attachments).toMatchObject([{ kind: 'file', name: 'invoice-4411.pdf', mime: 'application/pdf' }]);
    const res = await fetch(`${host.url}/api/v1/blobs/${(doc.attachments[0] as { ref: string }).ref}`, { headers: { authorization: `Bearer ${host.adminToken}` } });
    expect(res.headers.get('content-disposition')).toContain('invoice-4411.pdf');
    expect((await stored('111222333:105')).attachments).toMatchObject([{ kind: 'audio', mime: 'audio/ogg' }]);
    expect((await stored('111222333:106')).attachments).toMatchObject([{ kind: 'video', name: 'unboxing.mp4', mime: 'video/mp4' }]);
    const sticker = await stored('111222333:107');
    expect(sticker.text).toBe('👍');
    expect(sticker.attachments).toMatchObject([{ kind: 'sticker', mime: 'image/webp' }]);
    expect((await stored('111222333:108')).attachments).toEqual([{ kind: 'location', ref: 'geo:52.520008,13.404954' }]);
    expect((await stored('111222333:109')).attachments).toEqual([{ kind: 'contact', name: 'Max Mustermann', ref: 'tel:+49301234567' }]);
  });

  it('keeps the file id when Telegram cannot serve the file, rather than losing the message', async () => {
    const update = fixture('document');
    update.update_id = 500000099;
    update.message.message_id = 199;
    update.message.document.file_id = 'BQAC-missing-file';
    expect((await webhook(update)).status).toBe(200);
    expect((await stored('111222333:199')).attachments).toMatchObject([{ kind: 'file', ref: 'telegram:BQAC-missing-file' }]);
  });

  it('applies edited_message to the stored message and links replies', async () => {
    await webhook(fixture('edited'));
    await eventually(async () => (await host.messages(accountId)).find((m) => m.externalId === '111222333:101')?.text === 'Hello, where is my order #4412?', 10_000, 'edit applied');
    await webhook(fixture('reply'));
    // A reply names the stored message it answers by our id, so the console can quote it.
    expect(await stored('111222333:110')).toMatchObject({ replyTo: (await stored('111222333:101'))._id });
  });

  it('keeps a group chat as one conversation and ignores channel posts', async () => {
    await webhook(fixture('group'));
    const m = await stored('-1001234567890:55');
    expect(m.text).toBe('/help my card was charged twice');
    expect((await host.conversations(accountId)).some((c) => c.threadKey === '-1001234567890')).toBe(true);
    const before = (await host.messages(accountId)).length;
    expect((await webhook(fixture('channel_post'))).status).toBe(200);
    await sleep(300);
    expect((await host.messages(accountId)).length).toBe(before);
  });

  it('answers 400 to a body that is not an Update', async () => {
    const res = await fetch(`${host.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', [SECRET_HEADER]: secret }, body: '{"hello":1}' });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('SB_ERR_WEBHOOK_MALFORMED');
  });

  describe('replies', () => {
    let conversationId: string;
    beforeAll(async () => {
      conversationId = (await stored('111222333:101')).conversationId;
    });
    const reply = (text: string) => host.api('POST', `/api/v1/conversations/${conversationId}/messages`, { text, idempotencyKey: `k-${newId()}` });
    const status = (id: string) => eventually(async () => (await host.messages(accountId)).find((m) => m._id === id && m.status !== 'queued'), 10_000, 'status');

    it('a refusal (403 bot blocked) shows as failed with Telegram\'s reason and is not retried', async () => {
      api.failSends.push({ error_code: 403, description: 'Forbidden: bot was blocked by the user' });
      const before = api.sent().length;
      const sent = await reply('Are you still there?');
      const m = await status(sent.json.id);
      expect(m).toMatchObject({ status: 'failed', error: 'Telegram: Forbidden: bot was blocked by the user' });
      await sleep(300);
      expect(api.calls.length).toBeGreaterThan(0);
      expect(api.sent().length).toBe(before);
      const view = await host.api('GET', `/api/v1/channels/telegram/${accountId}`);
      expect(view.json.lastError).toContain('blocked');
    });

    it('a 502 and a 429 are retried and the text is sent once', async () => {
      api.failSends.push({ error_code: 502, description: 'Bad Gateway' }, { error_code: 429, description: 'Too Many Requests: retry after 1' });
      const sent = await reply('Your parcel ships today.');
      expect(await status(sent.json.id)).toMatchObject({ status: 'sent' });
      expect(api.sent().filter((c) => c.payload.text === 'Your parcel ships today.')).toHaveLength(1);
    });

    it('the same command delivered twice sends once', async () => {
      const key = `dup-${newId()}`;
      const command = {
        id: newId(),
        v: 1 as const,
        tenantId: host.tenant.tenantId,
        conversationId,
        messageId: newId(),
        channel: 'telegram' as const,
        channelAccountId: accountId,
        threadKey: '111222333',
        text: 'Only once, please.',
        idempotencyKey: key,
      };
      await host.platform.bus.publishOutbound(command);
      await host.platform.bus.publishOutbound({ ...command, id: newId() });
      await eventually(() => api.sent().some((c) => c.payload.text === 'Only once, please.'), 10_000, 'sent');
      await sleep(500);
      expect(api.sent().filter((c) => c.payload.text === 'Only once, please.')).toHaveLength(1);
    });

    it('sends a photo with the text as caption, as a reply to the customer\'s message', async () => {
      const photo = await host.platform.store.collection<{ _id: string; attachments: Array<{ ref: string }> }>('messages').findOne({ externalId: '111222333:103' });
      const ref = photo!.attachments[0]!.ref;
      await host.platform.bus.publishOutbound({
        id: newId(),
        v: 1,
        tenantId: host.tenant.tenantId,
        conversationId,
        messageId: newId(),
        channel: 'telegram',
        channelAccountId: accountId,
        threadKey: '111222333',
        text: 'Is this the damage you mean?',
        attachments: [{ kind: 'image', name: 'box.jpg', mime: 'image/jpeg', ref }],
        replyTo: '111222333:103',
        idempotencyKey: `photo-${newId()}`,
      });
      const call = await eventually(() => api.calls.find((c) => c.method === 'sendPhoto'), 10_000, 'sendPhoto');
      expect(call.payload).toMatchObject({ chat_id: '111222333', caption: 'Is this the damage you mean?', reply_parameters: { message_id: 103, allow_sending_without_reply: true } });
      expect(Object.values(call.files)[0]?.bytes.toString('latin1')).toBe('\xff\xd8\xff\xe0 jpeg bytes of the box');
    });

    it('sends other files with sendDocument', async () => {
      const doc = await host.platform.store.collection<{ _id: string; attachments: Array<{ ref: string }> }>('messages').findOne({ externalId: '111222333:104' });
      const ref = doc!.attachments[0]!.ref;
      await host.platform.bus.publishOutbound({
        id: newId(),
        v: 1,
        tenantId: host.tenant.tenantId,
        conversationId,
        messageId: newId(),
        channel: 'telegram',
        channelAccountId: accountId,
        threadKey: '111222333',
        attachments: [{ kind: 'file', name: 'invoice-4411.pdf', mime: 'application/pdf', ref }],
        idempotencyKey: `doc-${newId()}`,
      });
      const call = await eventually(() => api.calls.find((c) => c.method === 'sendDocument'), 10_000, 'sendDocument');
      expect(Object.values(call.files)[0]).toMatchObject({ name: 'invoice-4411.pdf' });
    });
  });
});

describe('telegram long polling', () => {
  let api: BotApiStandIn;
  let host: ConnectorHost;
  let accountId: string;

  beforeAll(async () => {
    api = await startBotApiStandIn('987654321:AAH-polling-token-for-stand-in_y');
    host = await startConnectorHost(telegramConnector({ apiRoot: api.url, pollTimeoutSeconds: 1 }));
    const created = await host.api('POST', '/api/v1/channels/telegram', { name: 'Polling bot', credentials: { botToken: api.token }, settings: { mode: 'polling' } });
    expect(created.status, JSON.stringify(created.json)).toBe(201);
    accountId = created.json.accountId;
  });
  afterAll(async () => {
    await host?.close();
    await api?.close();
  });

  it('receives updates without a public URL and moves the offset only after the broker confirmed', async () => {
    const socket = await host.agent();
    const seen = new Promise<MessageView>((resolve) => socket.on('message:new', (m: MessageView) => m.text?.startsWith('Hello') && resolve(m)));
    api.queueUpdate(fixture('text'));
    expect((await seen).text).toBe('Hello, where is my order #4411?');
    expect(api.calls.some((c) => c.method === 'deleteWebhook')).toBe(true);

    host.breakable.broken = true;
    api.queueUpdate(fixture('start'));
    await sleep(1500);
    expect((await host.messages(accountId)).some((m) => m.externalId === '111222333:102')).toBe(false);
    host.breakable.broken = false;
    await eventually(async () => (await host.messages(accountId)).some((m) => m.externalId === '111222333:102'), 20_000, 'update re-read after the outage');
    const offsets = api.calls.filter((c) => c.method === 'getUpdates').map((c) => c.payload.offset);
    expect(offsets).toContain(500000002);
  });
});
