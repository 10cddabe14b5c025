import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { newId } from '@switchboard/contracts';
import { eventually, tempDir } from '@switchboard/testkit';
import { FakeWhatsApp } from './fake-whatsapp.js';
import { startWebHost, type WebHost, type Tenant } from './harness.js';

const CUSTOMER = '4915112345678@c.us';
const PNG = Buffer.from('89504e470d0a1a0a-fake-png-bytes');

describe('WhatsApp Web connector (whatsapp-web.js double)', () => {
  const wa = new FakeWhatsApp();
  const data = tempDir('sb-waweb');
  let host: WebHost & { tenant: Tenant };
  let accountId: string;
  const pushes: { state: string; qr: string | null; health: { status: string } }[] = [];

  beforeAll(async () => {
    host = await startWebHost(wa, data.dir, null);
    const admin = await host.agent();
    admin.on('channel:session', (s: (typeof pushes)[number]) => pushes.push(s));
    const created = await host.api('POST', '/api/v1/channels/whatsapp-web', { name: 'Shop phone', credentials: {} });
    expect(created.status).toBe(201);
    accountId = created.json.accountId;
  });
  afterAll(async () => {
    await host?.close();
    data.remove();
  });

  it('shows a QR code (PNG data URL) over REST and to admins live, then becomes ready once the phone scans it', async () => {
    const session = await eventually(async () => {
      const s = await host.api('GET', `/api/v1/channels/whatsapp-web/${accountId}/session`);
      return s.json?.state === 'qr' ? s.json : null;
    });
    expect(session.qr).toMatch(/^data:image\/png;base64,/);
    expect(session.health.status).toBe('pairing');
    await eventually(() => pushes.some((p) => p.state === 'qr' && p.qr?.startsWith('data:image/png')), 5000, 'qr pushed to the admin socket');

    wa.scan(accountId);
    const ready = await eventually(async () => {
      const s = await host.api('GET', `/api/v1/channels/whatsapp-web/${accountId}/session`);
      return s.json.state === 'ready' ? s.json : null;
    });
    expect(ready).toMatchObject({ paired: true, qr: null, health: { status: 'healthy' } });
    expect(pushes.map((p) => p.state)).toEqual(expect.arrayContaining(['initializing', 'qr', 'authenticated', 'ready']));
  });

  it('stores an inbound message with its media, keyed by WhatsApp\'s own id', async () => {
    const msg = wa.receive(accountId, CUSTOMER, 'Here is the broken part', { media: { mimetype: 'image/png', data: PNG.toString('base64'), filename: 'part.png' }, notifyName: 'Jonas' });
    const stored = await eventually(async () => (await host.messages()).find((m) => m.externalId === msg.id._serialized));
    expect(stored).toMatchObject({ text: 'Here is the broken part', author: { kind: 'contact', name: 'Jonas' } });
    expect(stored.attachments[0]).toMatchObject({ kind: 'image', mime: 'image/png', name: 'part.png', size: PNG.length });
    expect((await host.download(stored.attachments[0].ref)).equals(PNG)).toBe(true);
  });

  it('sends an agent reply through the phone and turns acks into sent → delivered → read', async () => {
    const [conv] = (await host.api('GET', '/api/v1/conversations?status=all')).json.items;
    const reply = await host.api('POST', `/api/v1/conversations/${conv.id}/messages`, { text: 'Thanks, a new one is on its way.', idempotencyKey: randomUUID() });
    expect(reply.status).toBe(201);
    const out = await eventually(() => wa.sent.find((s) => s.content === 'Thanks, a new one is on its way.'));
    expect(out.chatId).toBe(CUSTOMER);
    const status = async () => (await host.messages()).find((m) => m._id === reply.json.id)?.status;
    wa.ack(accountId, out.message, 1);
    await eventually(async () => (await status()) === 'sent', 5000, 'sent');
    wa.ack(accountId, out.message, 2);
    await eventually(async () => (await status()) === 'delivered', 5000, 'delivered');
    wa.ack(accountId, out.message, 3);
    await eventually(async () => (await status()) === 'read', 5000, 'read');
  });

  it('sends a stored file as media with the text as caption, and an error ack (-1) fails the message', async () => {
    const inbound = (await host.messages()).find((m) => m.attachments.length);
    // An outbound command with an attachment, as a future console upload would queue it.
    const [conv] = (await host.api('GET', '/api/v1/conversations?status=all')).json.items;
    const key = randomUUID();
    const messageId = (await host.api('POST', `/api/v1/conversations/${conv.id}/messages`, { text: 'placeholder', idempotencyKey: randomUUID() })).json.id;
    await eventually(() => wa.sent.find((s) => s.content === 'placeholder'));
    await host.platform.bus.publishOutbound({
      id: newId(),
      v: 1,
      tenantId: host.tenant.tenantId,
      conversationId: conv.id,
      messageId,
      channel: 'whatsapp-web',
      channelAccountId: accountId,
      threadKey: CUSTOMER,
      text: 'This is the replacement',
      attachments: [inbound.attachments[0]],
      idempotencyKey: key,
    });
    const media = await eventually(() => wa.sent.find((s) => s.options.caption === 'This is the replacement'));
    expect(typeof media.content).toBe('object');
    expect(Buffer.from((media.content as { data: string }).data, 'base64').equals(PNG)).toBe(true);
    wa.ack(accountId, media.message, -1);
    const failed = await eventually(async () => (await host.messages()).find((m) => m._id === messageId && m.status === 'failed'));
    expect(failed.error).toBe('WhatsApp could not deliver the message.');
  });

  it('after a silent drop it reconnects and back-fills what arrived meanwhile, once', async () => {
    wa.drop(accountId);
    // While we are away the customer writes twice; the phone has the messages, we get no event.
    const missed1 = wa.receive(accountId, CUSTOMER, 'Hello? Anyone there?');
    const missed2 = wa.receive(accountId, '4917700000000@c.us', 'New customer here');
    await eventually(() => pushes.some((p) => p.state === 'disconnected'), 5000, 'disconnected pushed');
    await eventually(async () => (await host.api('GET', `/api/v1/channels/whatsapp-web/${accountId}/session`)).json.state === 'ready', 5000, 'ready again');
    const texts = async () => (await host.messages()).map((m) => m.text);
    await eventually(async () => (await texts()).includes('Hello? Anyone there?') && (await texts()).includes('New customer here'), 5000, 'back-filled');
    expect(pushes.map((p) => p.state)).toEqual(expect.arrayContaining(['disconnected', 'reconnecting', 'ready']));
    const all = await host.messages();
    expect(all.filter((m) => m.externalId === missed1.id._serialized)).toHaveLength(1);
    expect(all.filter((m) => m.externalId === missed2.id._serialized)).toHaveLength(1);
    expect(all.filter((m) => m.text === 'Here is the broken part')).toHaveLength(1);
  });

  it('a restart with the saved session comes back ready without asking for a QR code', async () => {
    const qrBefore = wa.qrShown;
    const tenant = host.tenant;
    await host.close();
    host = await startWebHost(wa, data.dir, tenant);
    const states: string[] = [];
    const admin = await host.agent();
    admin.on('channel:session', (s: { state: string }) => states.push(s.state));
    const ready = await eventually(async () => {
      const s = await host.api('GET', `/api/v1/channels/whatsapp-web/${accountId}/session`);
      return s.json?.state === 'ready' ? s.json : null;
    });
    expect(ready.paired).toBe(true);
    expect(wa.qrShown).toBe(qrBefore);
    expect(states).not.toContain('qr');
    // And it still works both ways.
    const msg = wa.receive(accountId, CUSTOMER, 'Back again');
    await eventually(async () => (await host.messages()).some((m) => m.externalId === msg.id._serialized), 5000, 'live after restart');
  });
});
