/**
 * @switchboard/blob — the Blob seam: media and files kept by reference. MongoDB GridFS when
 * MONGODB_URL is set, files under DATA_DIR/blobs otherwise.
 */
import path from 'node:path';
import { FileBlobStore } from './embedded.js';
import { blobErrors } from './errors.js';
import { GridFsBlobStore } from './gridfs.js';
import type { BlobConfig, BlobStore } from './types.js';

export * from './types.js';
export { BlobError, blobErrors } from './errors.js';
export { idOf as blobIdOf } from './core.js';

/** The blob config that follows the store's choice: GridFS beside MongoDB, files beside the embedded store. */
export function blobConfigFor(config: { dataDir: string; mongo: { url: string | undefined; database: string } }): BlobConfig {
  return config.mongo.url
    ? { driver: 'gridfs', url: config.mongo.url, database: config.mongo.database }
    : { driver: 'files', dir: path.join(config.dataDir, 'blobs') };
}

export function describeBlobStore(config: BlobConfig): string {
  return config.driver === 'gridfs' ? `blob: MongoDB GridFS bucket "${config.bucket ?? 'blobs'}"` : `blob: files in ${config.dir}`;
}

export async function createBlobStore(config: BlobConfig): Promise<BlobStore> {
  if (config.driver === 'gridfs') return GridFsBlobStore.open(config.url, config.database, config.bucket);
  if (config.driver === 'files') return FileBlobStore.open(config.dir);
  throw blobErrors.config(`unknown driver "${(config as { driver?: unknown }).driver as string}"`);
}
