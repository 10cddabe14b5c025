import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '@switchboard/contracts';
import { eventually } from '@switchboard/testkit';
import { loopbackConnector } from '../src/index.js';
import { fileName, mimeOf } from '../src/blob-routes.js';
import { startConnectorHost, type ConnectorHost } from '../src/testing/index.js';

const MAX = 4096;

/** POST /api/v1/blobs over real HTTP: raw bytes in, a ref out, the limit enforced with a coded 413. */
describe('agent uploads', () => {
  let host: ConnectorHost;

  const upload = (body: BodyInit | undefined, opts: { name?: string; type?: string; token?: string; headers?: Record<string, string> } = {}) =>
    fetch(`${host.url}/api/v1/blobs${opts.name === undefined ? '' : `?name=${encodeURIComponent(opts.name)}`}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${opts.token ?? host.adminToken}`, ...(opts.type ? { 'content-type': opts.type } : {}), ...opts.headers },
      ...(body !== undefined ? { body, duplex: 'half' } : {}),
    } as RequestInit);
  const json = async (res: Response) => (await res.json()) as any;

  beforeAll(async () => {
    host = await startConnectorHost(loopbackConnector(), { bus: 'embedded', env: { UPLOAD_MAX_BYTES: String(MAX) } });
  });
  afterAll(async () => {
    await host?.close();
  });

  it('stores the raw bytes and answers the ref with name, type, size and kind', async () => {
    const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
    const res = await upload(bytes, { name: 'photo.png', type: 'image/png' });
    expect(res.status).toBe(201);
    const body = await json(res);
    expect(body).toEqual({ ref: expect.stringMatching(/^blob:[0-9a-f-]{36}$/), name: 'photo.png', mime: 'image/png', size: bytes.length, kind: 'image' });
    const back = await fetch(`${host.url}/api/v1/blobs/${encodeURIComponent(body.ref)}`, { headers: { authorization: `Bearer ${host.adminToken}` } });
    expect(back.status).toBe(200);
    expect(Buffer.from(await back.arrayBuffer())).toEqual(bytes);
  });

  it('keeps a JSON file as bytes (the raw parser is the only one on this route) and the JSON API unchanged', async () => {
    const text = '{"not": "parsed"}';
    const res = await upload(text, { name: 'data.json', type: 'application/json; charset=utf-8' });
    expect(res.status).toBe(201);
    expect(await json(res)).toMatchObject({ name: 'data.json', mime: 'application/json', size: text.length, kind: 'file' });
    const me = await host.api('POST', '/api/v1/auth/login', { email: host.tenant.email, password: host.tenant.password });
    expect(me.status).toBe(200);
  });

  it('a missing type is application/octet-stream, and a name is only ever a file name', async () => {
    const res = await upload(new Uint8Array([1, 2, 3]), { name: '../../etc/report\u0007.pdf' });
    expect(res.status).toBe(201);
    expect(await json(res)).toMatchObject({ name: 'report.pdf', mime: 'application/octet-stream', kind: 'file' });
  });

  it('refuses a file over UPLOAD_MAX_BYTES with 413 in the error format, stored or streamed', async () => {
    const declared = await upload(Buffer.alloc(MAX + 1, 7), { name: 'big.bin', type: 'application/octet-stream' });
    expect(declared.status).toBe(413);
    expect((await json(declared)).error).toMatchObject({ code: 'SB_ERR_BLOB_TOO_LARGE', message: 'The file is larger than 4096 bytes, the most an upload may be.' });
    // Without a Content-Length the limit is found while streaming.
    const chunks = [Buffer.alloc(MAX, 1), Buffer.alloc(MAX, 2)];
    const stream = new ReadableStream({
      pull(controller) {
        const next = chunks.shift();
        if (next) controller.enqueue(next);
        else controller.close();
      },
    });
    const streamed = await upload(stream, { name: 'big.bin', type: 'application/octet-stream' });
    expect(streamed.status).toBe(413);
    expect((await json(streamed)).error.code).toBe('SB_ERR_BLOB_TOO_LARGE');
  });

  it('refuses an empty file, and a missing name, in words', async () => {
    const empty = await upload(new Uint8Array(0), { name: 'empty.txt', type: 'text/plain' });
    expect(empty.status).toBe(400);
    expect((await json(empty)).error).toEqual({ code: 'SB_ERR_FILE_EMPTY', message: 'The file is empty: send its bytes as the request body.' });
    const none = await upload(undefined, { name: 'nothing.txt' });
    expect(none.status).toBe(400);
    expect((await json(none)).error.code).toBe('SB_ERR_FILE_EMPTY');
    const nameless = await upload('abc', { type: 'text/plain' });
    expect(nameless.status).toBe(400);
    expect((await json(nameless)).error.code).toBe('SB_ERR_VALIDATION');
  });

  it('needs a token; an API key needs conversations:write', async () => {
    const anonymous = await fetch(`${host.url}/api/v1/blobs?name=a.txt`, { method: 'POST', body: 'abc' });
    expect(anonymous.status).toBe(401);
    const readOnly = await host.api('POST', '/api/v1/api-keys', { name: 'reader', scopes: ['conversations:read'] });
    const writer = await host.api('POST', '/api/v1/api-keys', { name: 'writer', scopes: ['conversations:write'] });
    const refused = await upload('abc', { name: 'a.txt', type: 'text/plain', token: readOnly.json.key });
    expect(refused.status).toBe(403);
    expect((await json(refused)).error.code).toBe('SB_ERR_FORBIDDEN');
    expect((await upload('abc', { name: 'a.txt', type: 'text/plain', token: writer.json.key })).status).toBe(201);
  });

  it('an uploaded file goes out with a reply', async () => {
    const created = await host.api('POST', '/api/v1/channels/loopback', { name: 'Loop', credentials: {}, settings: { deliverUrl: 'http://127.0.0.1:9/never' } });
    const accountId = created.json.accountId as string;
    await host.platform.bus.publishInbound({
      id: newId(),
      v: 1,
      tenantId: host.tenant.tenantId,
      channel: 'loopback',
      channelAccountId: accountId,
      kind: 'message',
      externalId: newId(),
      threadKey: 'chat-upload',
      sender: { externalId: 'u-1', name: 'Ada' },
      text: 'send me the file',
      sentAt: new Date().toISOString(),
      receivedAt: new Date().toISOString(),
    });
    const inbound = await eventually(async () => (await host.messages(accountId))[0], 5000, 'stored');
    const file = await json(await upload('%PDF-1.7', { name: 'invoice.pdf', type: 'application/pdf' }));
    const reply = await host.api('POST', `/api/v1/conversations/${inbound.conversationId}/messages`, { attachments: [{ ref: file.ref }], idempotencyKey: `k-${newId()}` });
    expect(reply.status).toBe(201);
    expect(reply.json.attachments).toEqual([{ kind: 'file', ref: file.ref, name: 'invoice.pdf', mime: 'application/pdf', size: 8 }]);
  });
});

describe('upload helpers', () => {
  it('fileName keeps the last segment without control characters', () => {
    expect(fileName('C:\\Users\\ada\\scan 1.jpg')).toBe('scan 1.jpg');
    expect(fileName('  café menu.pdf ')).toBe('café menu.pdf');
    expect(() => fileName('../')).toThrow(/file name/);
  });
  it('mimeOf takes the type without parameters, else application/octet-stream', () => {
    expect(mimeOf('Image/JPEG')).toBe('image/jpeg');
    expect(mimeOf('text/plain; charset=utf-8')).toBe('text/plain');
    expect(mimeOf(undefined)).toBe('application/octet-stream');
    expect(mimeOf('nonsense')).toBe('application/octet-stream');
  });
});
