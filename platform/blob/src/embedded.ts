import { createReadStream, createWriteStream } from 'node:fs';
import { access, mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { DEFAULT_MAX_BYTES, SizeLimit, idOf, newRef, toReadable } from './core.js';
import type { BlobInput, BlobMeta, BlobStore, PutOptions } from './types.js';

interface StoredMeta extends Omit<BlobMeta, 'createdAt'> {
  createdAt: string;
}

/** Blobs as files under one folder: `<id>` holds the bytes, `<id>.json` the meta. */
export class FileBlobStore implements BlobStore {
  readonly driver = 'files' as const;
  private constructor(private readonly dir: string) {}

  static async open(dir: string): Promise<FileBlobStore> {
    await mkdir(dir, { recursive: true });
    return new FileBlobStore(dir);
  }

  async put(data: BlobInput, opts: PutOptions): Promise<BlobMeta> {
    const { id, ref } = newRef();
    const file = path.join(this.dir, id);
    const partial = `${file}.partial`;
    const limit = new SizeLimit(opts.maxBytes ?? DEFAULT_MAX_BYTES);
    try {
      await pipeline(toReadable(data), limit, createWriteStream(partial));
    } catch (err) {
      await rm(partial, { force: true });
      throw err;
    }
    const meta: BlobMeta = { ref, tenantId: opts.tenantId, mime: opts.mime, name: opts.name, size: limit.size, createdAt: new Date() };
    await writeFile(`${file}.json`, JSON.stringify(meta));
    // The bytes appear under their final name only after the meta exists: a reader never sees half a blob.
    await rename(partial, file);
    return meta;
  }

  async stat(tenantId: string, ref: string): Promise<BlobMeta | null> {
    const id = idOf(ref);
    if (!id) return null;
    let stored: StoredMeta;
    try {
      stored = JSON.parse(await readFile(path.join(this.dir, `${id}.json`), 'utf8')) as StoredMeta;
    } catch {
      return null;
    }
    if (stored.tenantId !== tenantId) return null;
    return { ...stored, createdAt: new Date(stored.createdAt) };
  }

  async get(tenantId: string, ref: string) {
    const meta = await this.stat(tenantId, ref);
    if (!meta) return null;
    const file = path.join(this.dir, idOf(ref) as string);
    if (!(await access(file).then(() => true, () => false))) return null;
    return { stream: createReadStream(file), meta };
  }

  async delete(tenantId: string, ref: string): Promise<boolean> {
    const meta = await this.stat(tenantId, ref);
    if (!meta) return false;
    const id = idOf(ref) as string;
    await rm(path.join(this.dir, id), { force: true });
    await rm(path.join(this.dir, `${id}.json`), { force: true });
    return true;
  }

  async deleteTenant(tenantId: string): Promise<number> {
    let removed = 0;
    for (const name of await readdir(this.dir)) {
      if (!name.endsWith('.json')) continue;
      const stored = JSON.parse(await readFile(path.join(this.dir, name), 'utf8').catch(() => '{}')) as Partial<StoredMeta>;
      if (stored.tenantId !== tenantId) continue;
      const id = name.slice(0, -'.json'.length);
      await rm(path.join(this.dir, id), { force: true });
      await rm(path.join(this.dir, name), { force: true });
      removed++;
    }
    return removed;
  }

  async close(): Promise<void> {}
}
