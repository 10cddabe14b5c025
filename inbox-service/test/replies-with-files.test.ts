import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Socket } from 'socket.io-client';
import { sharedBlobStore, type BlobStore } from '@switchboard/blob';
import type { MessageView, OutboundCommand, WidgetSession } from '@switchboard/contracts';
import type { Subscription } from '@switchboard/bus';
import { eventually } from '@switchboard/testkit';
import { Repositories } from '../src/repositories/index.js';
import { agentToken, connected, emitAck, inboundMessage, seedTenant, startInstance, widgetSocket, type Instance, type SeededTenant } from './harness.js';

type AckResult<T> = { ok: true; data: T } | { ok: false; error: { code: string; message: string } };

/** Agents' replies with files uploaded before (POST /api/v1/blobs): checked, stored, sent. */
describe('replies with attachments', () => {
  let hub: Instance;
  let blobs: BlobStore;
  let t: SeededTenant;
  let other: SeededTenant;
  let token = '';
  let outbound: Subscription;
  const commands: OutboundCommand[] = [];
  const sockets: Socket[] = [];
  let webConversation = '';
  let tgConversation = '';
  const visitorGot: MessageView[] = [];

  const api = async (method: string, url: string, body?: unknown) => {
    const res = await hub.app.inject({
      method: method as 'GET',
      url: `/api/v1${url}`,
      headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
    });
    return { status: res.statusCode, body: res.json() as Record<string, any> };
  };
  const reply = (conversationId: string, body: Record<string, unknown>) => api('POST', `/conversations/${conversationId}/messages`, body);
  const stored = async (conversationId: string) => (await api('GET', `/conversations/${conversationId}/messages`)).body.items as MessageView[];

  beforeAll(async () => {
    hub = await startInstance();
    // The inbox service's store is the process's shared one: the same instance comes back.
    blobs = await sharedBlobStore(hub.app, hub.platform);
    const repos = new Repositories(hub.platform.store);
    t = await seedTenant(repos, 'files');
    other = await seedTenant(repos, 'other');
    token = await agentToken(hub, t, 'Agent files');
    outbound = await hub.platform.bus.consumeOutbound('telegram', async (command) => {
      commands.push(command);
    });

    const visitor = widgetSocket(hub.url, t.widgetToken);
    sockets.push(visitor);
    visitor.on('message:new', (m: MessageView) => visitorGot.push(m));
    await connected(visitor);
    const session = await emitAck<AckResult<WidgetSession>>(visitor, 'session:resume', {});
    if (!session.ok) throw new Error(session.error.message);
    await emitAck(visitor, 'message:send', { clientId: 'c0ffee00-0000-4000-8000-00000000f11e', text: 'can you send me the invoice?' });
    const r = repos.forTenant(t.tenantId);
    webConversation = (await eventually(() => r.conversations.findOne({ channel: 'web' }), 5000, 'web conversation'))._id;
    await hub.platform.bus.publishInbound(inboundMessage(t, { threadKey: 'chat-files', text: 'photo please' }));
    tgConversation = (await eventually(() => r.conversations.findOne({ channel: 'telegram' }), 5000, 'telegram conversation'))._id;
  });
  afterAll(async () => {
    sockets.forEach((s) => s.disconnect());
    await outbound?.close();
    await hub?.close();
  });

  it('a reply of files only: name, type, size and kind come from the upload; the visitor gets it live', async () => {
    const pdf = await blobs.put(Buffer.from('%PDF-1.7 invoice'), { tenantId: t.tenantId, mime: 'application/pdf', name: 'invoice.pdf' });
    const res = await reply(webConversation, { attachments: [{ ref: pdf.ref }], idempotencyKey: 'files-web-0001' });
    expect(res.status).toBe(201);
    expect(res.body.text).toBeUndefined();
    expect(res.body.status).toBe('sent');
    expect(res.body.attachments).toEqual([{ kind: 'file', ref: pdf.ref, name: 'invoice.pdf', mime: 'application/pdf', size: pdf.size }]);
    const seen = await eventually(() => visitorGot.find((m) => m.id === res.body.id), 5000, 'visitor got the file');
    // The visitor's copy carries a link its browser can open without any credential.
    expect(seen.attachments).toEqual([{ ...res.body.attachments[0], url: expect.stringMatching(/\/api\/v1\/widget\/files\/blob%3A/) }]);
    const file = await hub.app.inject({ method: 'GET', url: seen.attachments[0]!.url!.replace(/^https?:\/\/[^/]+/, '') });
    expect(file.statusCode).toBe(200);
    expect(file.body).toBe('%PDF-1.7 invoice');
    const conv = await api('GET', `/conversations/${webConversation}`);
    expect(conv.body.lastMessage.text).toBe('📎 invoice.pdf');
  });

  it('text and files go to the channel in one OutboundCommand; the same key again sends nothing more', async () => {
    const photo = await blobs.put(Buffer.from('\x89PNG fake'), { tenantId: t.tenantId, mime: 'image/png', name: 'photo.png' });
    const body = { text: 'Here it is', attachments: [{ ref: photo.ref }], idempotencyKey: 'files-tg-00001' };
    const first = await reply(tgConversation, body);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ text: 'Here it is', status: 'queued', attachments: [{ kind: 'image', ref: photo.ref, name: 'photo.png', mime: 'image/png' }] });
    const command = await eventually(() => commands.find((c) => c.messageId === first.body.id), 5000, 'outbound command');
    expect(command.text).toBe('Here it is');
    expect(command.attachments).toEqual([{ kind: 'image', ref: photo.ref, name: 'photo.png', mime: 'image/png', size: photo.size }]);
    expect(command.author).toEqual({ name: 'Agent files' });

    const again = await reply(tgConversation, body);
    expect(again.status).toBe(201);
    expect(again.body.id).toBe(first.body.id);
    const msgs = await stored(tgConversation);
    expect(msgs.filter((m) => m.text === 'Here it is')).toHaveLength(1);
    await hub.platform.bus.publishInbound(inboundMessage(t, { threadKey: 'chat-files', text: 'sentinel' }));
    await eventually(async () => (await stored(tgConversation)).some((m) => m.text === 'sentinel'));
    expect(commands.filter((c) => c.idempotencyKey === 'files-tg-00001')).toHaveLength(1);
  });

  it("refuses an unknown ref or another team's file, naming it, and stores nothing", async () => {
    const theirs = await blobs.put(Buffer.from('not yours'), { tenantId: other.tenantId, mime: 'text/plain', name: 'secret.txt' });
    const mine = await blobs.put(Buffer.from('mine'), { tenantId: t.tenantId, mime: 'text/plain', name: 'notes.txt' });
    const before = await stored(tgConversation);
    const lastSeq = (await api('GET', `/conversations/${tgConversation}`)).body.lastSeq;
    for (const [i, ref] of [
      [1, theirs.ref],
      [1, 'blob:00000000-0000-4000-8000-000000000000'],
      [1, '../../etc/passwd'],
    ] as const) {
      const res = await reply(tgConversation, { text: 'with a file', attachments: [{ ref: mine.ref }, { ref }], idempotencyKey: `files-bad-${ref.slice(-8)}` });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('SB_ERR_VALIDATION');
      expect(res.body.error.message).toContain(`Attachment ${i + 1} (${ref})`);
      expect(res.body.error.details).toEqual({ path: `/attachments/${i}/ref` });
    }
    expect(await stored(tgConversation)).toEqual(before);
    expect((await api('GET', `/conversations/${tgConversation}`)).body.lastSeq).toBe(lastSeq);
    expect(commands.some((c) => c.text === 'with a file')).toBe(false);
  });

  it('a reply with neither text nor files is refused with a sentence', async () => {
    for (const body of [{ idempotencyKey: 'files-empty-01' }, { attachments: [], idempotencyKey: 'files-empty-02' }]) {
      const res = await reply(tgConversation, body);
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'SB_ERR_VALIDATION', message: 'A reply needs text, at least one attachment, or both.' });
    }
  });

  it('takes at most 10 files, and only refs', async () => {
    const ref = (await blobs.put(Buffer.from('x'), { tenantId: t.tenantId, mime: 'text/plain', name: 'x.txt' })).ref;
    const eleven = await reply(tgConversation, { attachments: Array.from({ length: 11 }, () => ({ ref })), idempotencyKey: 'files-many-001' });
    expect(eleven.status).toBe(400);
    expect(eleven.body.error.code).toBe('SB_ERR_VALIDATION');
    const forged = await reply(tgConversation, { attachments: [{ ref, name: 'invoice.exe', size: 1 }], idempotencyKey: 'files-forge-01' });
    expect(forged.status).toBe(400);
    expect(forged.body.error.code).toBe('SB_ERR_VALIDATION');
  });
});
