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
export { cleanFileName, fileHeaders, mimeOf } from './http.js';

/**
 * How a stored file is shown and sent, from its type: pictures every channel and browser takes
 * inline are images; other video and audio keep their kind; the rest are files.
 */
export function attachmentKindOf(mime: string): 'image' | 'video' | 'audio' | 'file' {
  const m = mime.toLowerCase();
  if (/^image\/(png|jpeg|gif|webp)$/.test(m)) return 'image';
  if (m.startsWith('video/')) return 'video';
  if (m.startsWith('audio/')) return 'audio';
  return 'file';
}

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

/** What a process gives sharedBlobStore: its config and logger (a runtime Platform has both). */
export interface BlobOwner {
  config: { dataDir: string; mongo: { url: string | undefined; database: string } };
  logger: { info(obj: object, msg: string): void };
}

/** The server whose close closes the store (a fastify instance). */
export interface ClosingServer {
  addHook(name: 'onClose', hook: () => Promise<void>): unknown;
}

const opened = new WeakMap<BlobOwner, Promise<BlobStore>>();

/**
 * One blob store per process, shared by every plugin mounted on the same platform (the inbox
 * service and the connectors); closed with the server that opened it first.
 */
export function sharedBlobStore(server: ClosingServer, owner: BlobOwner): Promise<BlobStore> {
  const held = opened.get(owner);
  if (held) return held;
  const config = blobConfigFor(owner.config);
  const store = createBlobStore(config).then((s) => {
    owner.logger.info({ blob: s.driver }, describeBlobStore(config));
    return s;
  });
  opened.set(owner, store);
  // A store that failed to open is not kept, so a second attempt tries again.
  store.catch(() => opened.delete(owner));
  server.addHook('onClose', async () => {
    opened.delete(owner);
    await (await store.catch(() => null))?.close();
  });
  return store;
}
