import { GridFSBucket, MongoClient } from 'mongodb';
import { pipeline } from 'node:stream/promises';
import { DEFAULT_MAX_BYTES, SizeLimit, idOf, newRef, toReadable } from './core.js';
import { blobErrors } from './errors.js';
import type { BlobInput, BlobMeta, BlobStore, PutOptions } from './types.js';

interface FileDoc {
  _id: unknown;
  filename: string;
  length: number;
  uploadDate: Date;
  metadata?: { ref: string; tenantId: string; mime: string };
}

/** Blobs in MongoDB GridFS; the ref is kept in the file's metadata with the tenant. */
export class GridFsBlobStore implements BlobStore {
  readonly driver = 'gridfs' as const;
  private constructor(
    private readonly client: MongoClient,
    private readonly bucket: GridFSBucket,
  ) {}

  static async open(url: string, database: string, bucketName = 'blobs'): Promise<GridFsBlobStore> {
    const client = new MongoClient(url, { serverSelectionTimeoutMS: 10_000 });
    try {
      await client.connect();
    } catch (err) {
      throw blobErrors.unreachable(`MongoDB (MONGODB_URL): ${(err as Error).message}`);
    }
    const db = client.db(database);
    await db.collection(`${bucketName}.files`).createIndex({ 'metadata.ref': 1 }, { unique: true });
    return new GridFsBlobStore(client, new GridFSBucket(db, { bucketName }));
  }

  async put(data: BlobInput, opts: PutOptions): Promise<BlobMeta> {
    const { ref } = newRef();
    const limit = new SizeLimit(opts.maxBytes ?? DEFAULT_MAX_BYTES);
    const upload = this.bucket.openUploadStream(opts.name, { metadata: { ref, tenantId: opts.tenantId, mime: opts.mime } });
    try {
      await pipeline(toReadable(data), limit, upload);
    } catch (err) {
      await upload.abort().catch(() => undefined);
      throw err;
    }
    return { ref, tenantId: opts.tenantId, mime: opts.mime, name: opts.name, size: limit.size, createdAt: upload.gridFSFile?.uploadDate ?? new Date() };
  }

  private async find(tenantId: string, ref: string): Promise<FileDoc | null> {
    if (!idOf(ref)) return null;
    const [file] = (await this.bucket.find({ 'metadata.ref': ref, 'metadata.tenantId': tenantId }).limit(1).toArray()) as FileDoc[];
    return file ?? null;
  }

  async stat(tenantId: string, ref: string): Promise<BlobMeta | null> {
    const f = await this.find(tenantId, ref);
    if (!f?.metadata) return null;
    return { ref, tenantId, mime: f.metadata.mime, name: f.filename, size: f.length, createdAt: f.uploadDate };
  }

  async get(tenantId: string, ref: string) {
    const f = await this.find(tenantId, ref);
    if (!f?.metadata) return null;
    const meta: BlobMeta = { ref, tenantId, mime: f.metadata.mime, name: f.filename, size: f.length, createdAt: f.uploadDate };
    return { stream: this.bucket.openDownloadStream(f._id as never), meta };
  }

  async delete(tenantId: string, ref: string): Promise<boolean> {
    const f = await this.find(tenantId, ref);
    if (!f) return false;
    await this.bucket.delete(f._id as never);
    return true;
  }

  async deleteTenant(tenantId: string): Promise<number> {
    const files = (await this.bucket.find({ 'metadata.tenantId': tenantId }).toArray()) as FileDoc[];
    for (const f of files) await this.bucket.delete(f._id as never);
    return files.length;
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}
