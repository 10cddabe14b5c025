import { utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '@switchboard/testkit';
import { CompressedAssets, pickEncoding } from './compressed-assets.js';

describe('pickEncoding', () => {
  it('prefers brotli, then gzip, and honours q=0 and *', () => {
    expect(pickEncoding('gzip, deflate, br, zstd')).toBe('br');
    expect(pickEncoding('gzip, deflate')).toBe('gzip');
    expect(pickEncoding('br;q=0, gzip;q=0.5')).toBe('gzip');
    expect(pickEncoding('*')).toBe('br');
    expect(pickEncoding('*, br;q=0')).toBe('gzip');
    expect(pickEncoding('identity')).toBe('identity');
    expect(pickEncoding(undefined)).toBe('identity');
    expect(pickEncoding('')).toBe('identity');
  });
});

describe('CompressedAssets', () => {
  const dir = tempDir('sb-assets');
  const file = path.join(dir.dir, 'app.js');
  const code = `export const greeting = ${JSON.stringify('hello '.repeat(2000))};\n`;
  let app: FastifyInstance;

  beforeAll(async () => {
    writeFileSync(file, code);
    const assets = new CompressedAssets();
    app = Fastify();
    app.get('/app.js', async (req, reply) => assets.send(req, reply, file, 'application/javascript; charset=utf-8', { 'cache-control': 'no-cache' }));
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    dir.remove();
  });

  const get = (headers: Record<string, string> = {}) => app.inject({ method: 'GET', url: '/app.js', headers });

  it('sends brotli to a browser that takes it, smaller than the file, with the headers the route gave', async () => {
    const res = await get({ 'accept-encoding': 'gzip, deflate, br' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-encoding']).toBe('br');
    expect(res.headers.vary).toBe('accept-encoding');
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.headers['content-type']).toBe('application/javascript; charset=utf-8');
    expect(res.rawPayload.length).toBeLessThan(code.length / 10);
    expect(brotliDecompressSync(res.rawPayload).toString()).toBe(code);
  });

  it('sends gzip or the file as it is to clients that do not take brotli', async () => {
    const gz = await get({ 'accept-encoding': 'gzip' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.rawPayload).toString()).toBe(code);
    const plain = await get();
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body).toBe(code);
  });

  it('answers 304 to a matching ETag, and serves a rebuilt file under a new one', async () => {
    const first = await get({ 'accept-encoding': 'br' });
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^"[\w-]+"$/);
    const again = await get({ 'accept-encoding': 'br', 'if-none-match': etag });
    expect(again.statusCode).toBe(304);
    expect(again.rawPayload.length).toBe(0);

    const rebuilt = `${code}export const more = 1;\n`;
    writeFileSync(file, rebuilt);
    utimesSync(file, new Date(), new Date(Date.now() + 5_000));
    const fresh = await get({ 'accept-encoding': 'gzip', 'if-none-match': etag });
    expect(fresh.statusCode).toBe(200);
    expect(fresh.headers.etag).not.toBe(etag);
    expect(gunzipSync(fresh.rawPayload).toString()).toBe(rebuilt);
  });
});
