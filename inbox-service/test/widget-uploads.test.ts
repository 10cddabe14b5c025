import { readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Socket } from 'socket.io-client';
import type { MessageView, WebInboxView, WidgetSession } from '@switchboard/contracts';
import { eventually } from '@switchboard/testkit';
import { Repositories } from '../src/repositories/index.js';
import { agentToken, connected, emitAck, injectApi, seedTenant, startInstance, widgetSocket, type Instance, type SeededTenant } from './harness.js';

type AckResult<T> = { ok: true; data: T } | { ok: false; error: { code: string; message: string } };
interface Uploaded {
  ref: string;
  name: string;
  mime: string;
  size: number;
  kind: string;
  url: string;
}

const MAX = 64 * 1024;
const PER_MINUTE = 8;
/** The first bytes of a real PNG, then filler: what a phone's screenshot starts with. */
const PNG = Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489', 'hex'), Buffer.alloc(200, 7)]);

/** Files website visitors send: uploaded with their visitor token, sent in a message, opened by a signed link. */
describe('widget uploads', () => {
  let hub: Instance;
  let repos: Repositories;
  let t: SeededTenant;
  let other: SeededTenant;
  let restricted: WebInboxView;
  const sockets: Socket[] = [];

  const visitor = async (inboxToken: string, origin?: string) => {
    const s = widgetSocket(hub.url, inboxToken, undefined, origin);
    sockets.push(s);
    await connected(s);
    const session = await emitAck<AckResult<WidgetSession>>(s, 'session:resume', {});
    if (!session.ok) throw new Error(session.error.message);
    return { socket: s, token: session.data.visitorToken, session: session.data };
  };
  const upload = async (token: string | undefined, file: { bytes: Buffer; name: string; type: string }, headers: Record<string, string> = {}) => {
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(file.bytes)], { type: file.type }), file.name);
    const res = await fetch(`${hub.url}/api/v1/widget/uploads`, {
      method: 'POST',
      body: form,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    });
    return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, any> };
  };
  const blobFiles = () => readdirSync(path.join(hub.platform.config.dataDir, 'blobs')).length;
  const local = (url: string) => url.replace(/^https?:\/\/[^/]+/, hub.url);

  beforeAll(async () => {
    hub = await startInstance({ WIDGET_MAX_UPLOAD_BYTES: String(MAX), RATE_LIMIT_VISITOR_PER_MIN: String(PER_MINUTE), PUBLIC_URL: 'https://support.example' });
    repos = new Repositories(hub.platform.store);
    t = await seedTenant(repos, 'uploads');
    other = await seedTenant(repos, 'uploads-other');
    const admin = await agentToken(hub, t);
    restricted = (await injectApi(hub.app, 'POST', '/web-inboxes', { name: 'Shop only', allowedOrigins: ['https://shop.example'] }, admin)).body as WebInboxView;
  });
  afterAll(async () => {
    sockets.forEach((s) => s.disconnect());
    await hub.close();
  });

  it('the session tells the widget the largest file it may send', async () => {
    const { session } = await visitor(t.widgetToken);
    expect(session.inbox.maxUploadBytes).toBe(MAX);
  });

  it('uploads a picture, sends it without text, and both sides can open it', async () => {
    const v = await visitor(t.widgetToken);
    const got: MessageView[] = [];
    v.socket.on('message:new', (m: MessageView) => got.push(m));
    const up = await upload(v.token, { bytes: PNG, name: 'C:\\Users\\me\\screen shot.png', type: 'image/png' });
    expect(up.status, JSON.stringify(up.body)).toBe(201);
    const file = up.body as Uploaded;
    expect(file).toMatchObject({ name: 'screen shot.png', mime: 'image/png', size: PNG.length, kind: 'image' });
    expect(file.url).toMatch(/^https:\/\/support\.example\/api\/v1\/widget\/files\/blob%3A/);

    const preview = await fetch(local(file.url));
    expect(preview.status).toBe(200);
    expect(preview.headers.get('content-type')).toBe('image/png');
    expect(preview.headers.get('content-disposition')).toMatch(/^inline/);
    expect(preview.headers.get('x-content-type-options')).toBe('nosniff');
    expect(preview.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    expect(Buffer.from(await preview.arrayBuffer()).equals(PNG)).toBe(true);

    const sent = await emitAck<AckResult<{ clientId: string }>>(v.socket, 'message:send', { clientId: 'c-upload-0001', attachments: [{ ref: file.ref }] });
    expect(sent).toEqual({ ok: true, data: { clientId: 'c-upload-0001' } });
    const live = await eventually(() => got.find((m) => m.clientId === 'c-upload-0001'), 10_000, 'visitor got its message back');
    expect(live.text).toBeUndefined();
    expect(live.attachments).toHaveLength(1);
    const [att] = live.attachments;
    expect(att).toMatchObject({ kind: 'image', name: 'screen shot.png', mime: 'image/png', size: PNG.length });
    expect(att!.ref).toMatch(/^blob:[0-9a-f-]{36}$/);
    const opened = await fetch(local(att!.url!));
    expect(opened.status).toBe(200);
    expect(Buffer.from(await opened.arrayBuffer()).equals(PNG)).toBe(true);

    // Agents get the canonical attachment (no visitor link), and the blob route serves it to them.
    const stored = await repos.forTenant(t.tenantId).messages.findOne({ clientId: 'c-upload-0001' });
    expect(stored?.attachments).toEqual([{ kind: 'image', name: 'screen shot.png', mime: 'image/png', size: PNG.length, ref: att!.ref }]);

    // A resumed session has the same link.
    const again = await emitAck<AckResult<WidgetSession>>(v.socket, 'session:resume', {});
    expect(again.ok && again.data.messages.find((m) => m.clientId === 'c-upload-0001')?.attachments[0]?.url).toBe(att!.url);
  });

  it('text and a document together', async () => {
    const v = await visitor(t.widgetToken);
    const pdf = Buffer.from('%PDF-1.7\n% a receipt\n');
    const up = await upload(v.token, { bytes: pdf, name: 'receipt.pdf', type: 'application/pdf' });
    expect(up.status).toBe(201);
    expect(up.body.kind).toBe('file');
    const sent = await emitAck<AckResult<unknown>>(v.socket, 'message:send', { clientId: 'c-upload-0002', text: 'my receipt', attachments: [{ ref: up.body.ref }] });
    expect(sent.ok).toBe(true);
    const stored = await eventually(() => repos.forTenant(t.tenantId).messages.findOne({ clientId: 'c-upload-0002' }), 10_000);
    expect(stored.text).toBe('my receipt');
    expect(stored.attachments[0]).toMatchObject({ kind: 'file', name: 'receipt.pdf', mime: 'application/pdf' });
  });

  it('refuses a ref that this visitor did not upload, and a forged or altered link', async () => {
    const owner = await visitor(t.widgetToken);
    const up = await upload(owner.token, { bytes: PNG, name: 'mine.png', type: 'image/png' });
    const thief = await visitor(t.widgetToken);
    const bareRef = (up.body.ref as string).split('.')[0]!;
    for (const ref of [up.body.ref, bareRef, `${bareRef}.forged`]) {
      const res = await emitAck<AckResult<unknown>>(thief.socket, 'message:send', { clientId: `c-thief-${ref.length}-x`, attachments: [{ ref }] });
      expect(res.ok, ref).toBe(false);
      if (!res.ok) expect(res.error).toEqual({ code: 'SB_ERR_VALIDATION', message: 'File 1 is not one this visitor uploaded; upload it again.' });
    }
    expect(await repos.forTenant(t.tenantId).messages.countDocuments({ clientId: { $regex: '^c-thief' } })).toBe(0);
    const tooMany = Array.from({ length: 11 }, () => ({ ref: up.body.ref }));
    const many = await emitAck<AckResult<unknown>>(owner.socket, 'message:send', { clientId: 'c-too-many-files', attachments: tooMany });
    expect(many.ok).toBe(false);
    const empty = await emitAck<AckResult<unknown>>(owner.socket, 'message:send', { clientId: 'c-nothing-at-all' });
    expect(empty).toEqual({ ok: false, error: { code: 'SB_ERR_VALIDATION', message: 'A message needs text, a file, or both.' } });

    const url = new URL(local(up.body.url));
    for (const change of [(u: URL) => u.searchParams.set('s', 'forged'), (u: URL) => u.searchParams.set('t', other.tenantId), (u: URL) => u.searchParams.set('c', 'another-conversation')]) {
      const altered = new URL(url);
      change(altered);
      const res = await fetch(altered);
      expect(res.status, altered.search).toBe(404);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('SB_ERR_NOT_FOUND');
    }
  });

  it('a file over the limit is 413 and nothing is kept', async () => {
    const v = await visitor(t.widgetToken);
    const before = blobFiles();
    for (const size of [MAX + 1, MAX * 4]) {
      const res = await upload(v.token, { bytes: Buffer.alloc(size, 1), name: 'big.bin', type: 'application/octet-stream' });
      expect(res.status, String(size)).toBe(413);
      expect(res.body.error.code).toBe('SB_ERR_BLOB_TOO_LARGE');
      expect(res.body.error.message).toBe('The file is larger than 65536 bytes, the most a chat upload may be.');
    }
    expect(blobFiles()).toBe(before);
  });

  it('programs, web pages and SVG are 415, whatever they are called', async () => {
    const v = await visitor(t.widgetToken);
    const before = blobFiles();
    const exe = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(300, 0)]);
    for (const file of [
      { bytes: exe, name: 'setup.exe', type: 'application/octet-stream' },
      { bytes: exe, name: 'holiday.jpg', type: 'image/jpeg' },
      { bytes: Buffer.from('<html><script>alert(1)</script></html>'), name: 'page.html', type: 'text/html' },
      { bytes: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'), name: 'logo.svg', type: 'image/svg+xml' },
      { bytes: Buffer.from('<svg/>'), name: 'logo.txt', type: 'image/svg+xml' },
      { bytes: Buffer.from('alert(1)'), name: 'run.js', type: 'text/plain' },
    ]) {
      const res = await upload(v.token, file);
      expect(res.status, file.name).toBe(415);
      expect(res.body.error.code).toBe('SB_ERR_UNSUPPORTED_MEDIA');
      expect(res.body.error.message).toMatch(/cannot be sent in the chat/);
    }
    expect(blobFiles()).toBe(before);
  });

  it('needs a valid visitor token of a live inbox: otherwise 401', async () => {
    const file = { bytes: PNG, name: 'a.png', type: 'image/png' };
    expect((await upload(undefined, file)).status).toBe(401);
    const forged = await upload('eyJhbGciOiJIUzI1NiJ9.e30.forged', file);
    expect(forged.status).toBe(401);
    expect(forged.body.error.code).toBe('SB_ERR_UNAUTHORIZED');
    // An agent's token is not a visitor's.
    expect((await upload(await agentToken(hub, t), file)).status).toBe(401);
    // A visitor of an inbox that was removed since.
    const gone = await visitor(other.widgetToken);
    await repos.forTenant(other.tenantId).inboxes.deleteOne({ _id: other.inboxId });
    expect((await upload(gone.token, file)).status).toBe(401);
  });

  it('answers the browser’s preflight, and keeps a restricted inbox to its websites', async () => {
    const pre = await fetch(`${hub.url}/api/v1/widget/uploads`, {
      method: 'OPTIONS',
      headers: { origin: 'https://shop.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization' },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe('https://shop.example');
    expect(pre.headers.get('access-control-allow-headers')).toMatch(/authorization/);

    const v = await visitor(restricted.widgetToken, 'https://shop.example');
    const file = { bytes: PNG, name: 'ok.png', type: 'image/png' };
    const ok = await upload(v.token, file, { origin: 'https://shop.example' });
    expect(ok.status).toBe(201);
    expect(ok.headers.get('access-control-allow-origin')).toBe('https://shop.example');
    const elsewhere = await upload(v.token, file, { origin: 'https://evil.example' });
    expect(elsewhere.status).toBe(403);
    expect(elsewhere.body.error.code).toBe('SB_ERR_ORIGIN_NOT_ALLOWED');
  });

  it('one visitor uploading too fast is told to wait (429); another visitor is not held up', async () => {
    const v = await visitor(t.widgetToken);
    const file = { bytes: PNG, name: 'burst.png', type: 'image/png' };
    for (let i = 0; i < PER_MINUTE; i++) expect((await upload(v.token, file)).status).toBe(201);
    const refused = await upload(v.token, file);
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe('SB_ERR_RATE_LIMITED');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    const next = await visitor(t.widgetToken);
    expect((await upload(next.token, file)).status).toBe(201);
  });
});
