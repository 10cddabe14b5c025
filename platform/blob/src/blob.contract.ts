import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BlobStore } from './types.js';

async function bytes(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(Buffer.from(c as Buffer));
  return Buffer.concat(chunks);
}

/** One suite, every adapter (style rule 3). `make` gives a fresh, empty store. */
export function blobContract(name: string, make: () => Promise<{ store: BlobStore; cleanup?: () => Promise<void> }>, opts: { skip?: string } = {}): void {
  describe.skipIf(Boolean(opts.skip))(`blob store contract: ${name}${opts.skip ? ` (skipped: ${opts.skip})` : ''}`, () => {
    let store: BlobStore;
    let cleanup: (() => Promise<void>) | undefined;
    beforeAll(async () => {
      ({ store, cleanup } = await make());
    });
    afterAll(async () => {
      await store?.close();
      await cleanup?.();
    });

    it('keeps a buffer and gives back the same bytes with their meta', async () => {
      const data = Buffer.from('%PDF-1.4 invoice 2024-117');
      const meta = await store.put(data, { tenantId: 't1', mime: 'application/pdf', name: 'invoice.pdf' });
      expect(meta.ref).toMatch(/^blob:/);
      expect(meta.size).toBe(data.length);
      const got = await store.get('t1', meta.ref);
      expect(got?.meta).toMatchObject({ ref: meta.ref, tenantId: 't1', mime: 'application/pdf', name: 'invoice.pdf', size: data.length });
      expect((await bytes(got!.stream)).equals(data)).toBe(true);
    });

    it('keeps a stream of many chunks', async () => {
      const chunks = Array.from({ length: 50 }, (_, i) => Buffer.alloc(10_000, i));
      const meta = await store.put(Readable.from(chunks), { tenantId: 't1', mime: 'image/jpeg', name: 'photo.jpg' });
      expect(meta.size).toBe(500_000);
      const got = await store.get('t1', meta.ref);
      expect((await bytes(got!.stream)).equals(Buffer.concat(chunks))).toBe(true);
    });

    it("answers null for another tenant's blob, as for a missing one", async () => {
      const meta = await store.put(Buffer.from('secret'), { tenantId: 't1', mime: 'text/plain', name: 'a.txt' });
      expect(await store.get('t2', meta.ref)).toBeNull();
      expect(await store.stat('t2', meta.ref)).toBeNull();
      expect(await store.delete('t2', meta.ref)).toBe(false);
      expect(await store.get('t1', 'blob:00000000-0000-7000-8000-000000000000')).toBeNull();
      expect(await store.get('t1', 'blob:../../etc/passwd')).toBeNull();
    });

    it('deletes', async () => {
      const meta = await store.put(Buffer.from('x'), { tenantId: 't1', mime: 'text/plain', name: 'x.txt' });
      expect(await store.delete('t1', meta.ref)).toBe(true);
      expect(await store.get('t1', meta.ref)).toBeNull();
      expect(await store.delete('t1', meta.ref)).toBe(false);
    });

    it("deletes every blob of one tenant and none of another's", async () => {
      const a1 = await store.put(Buffer.from('a1'), { tenantId: 'gone', mime: 'text/plain', name: 'a1.txt' });
      const a2 = await store.put(Buffer.from('a2'), { tenantId: 'gone', mime: 'text/plain', name: 'a2.txt' });
      const b = await store.put(Buffer.from('b'), { tenantId: 'stays', mime: 'text/plain', name: 'b.txt' });
      expect(await store.deleteTenant('gone')).toBe(2);
      expect(await store.get('gone', a1.ref)).toBeNull();
      expect(await store.get('gone', a2.ref)).toBeNull();
      expect(await store.stat('stays', b.ref)).not.toBeNull();
      expect(await store.deleteTenant('gone')).toBe(0);
    });

    it('refuses data over the size limit and keeps nothing', async () => {
      await expect(
        store.put(Readable.from([Buffer.alloc(600), Buffer.alloc(600)]), { tenantId: 't1', mime: 'video/mp4', name: 'big.mp4', maxBytes: 1000 }),
      ).rejects.toMatchObject({ code: 'SB_ERR_BLOB_TOO_LARGE' });
    });
  });
}
