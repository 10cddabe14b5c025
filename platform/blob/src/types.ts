import type { Readable } from 'node:stream';

/** Blob seam: media and files channels offer, kept by reference ("blob:<id>"). */
export type BlobConfig =
  | {
      driver: 'gridfs';
      url: string;
      database: string;
      /** GridFS bucket name; default "blobs". */
      bucket?: string;
    }
  | {
      driver: 'files';
      /** Folder the files go in, e.g. DATA_DIR/blobs. */
      dir: string;
    };

export interface BlobMeta {
  /** "blob:<id>" — what attachments carry. */
  ref: string;
  tenantId: string;
  mime: string;
  name: string;
  size: number;
  createdAt: Date;
}

export interface PutOptions {
  tenantId: string;
  mime: string;
  name: string;
  /** Refuse (SB_ERR_BLOB_TOO_LARGE) and keep nothing when the data grows past this; default 50 MiB. */
  maxBytes?: number;
}

export type BlobInput = Buffer | Uint8Array | Readable | NodeJS.ReadableStream;

export interface BlobStore {
  readonly driver: BlobConfig['driver'];
  put(data: BlobInput, opts: PutOptions): Promise<BlobMeta>;
  /** The blob if it exists in this tenant; another tenant's ref answers null like a missing one. */
  get(tenantId: string, ref: string): Promise<{ stream: Readable; meta: BlobMeta } | null>;
  stat(tenantId: string, ref: string): Promise<BlobMeta | null>;
  /** true when something was deleted. */
  delete(tenantId: string, ref: string): Promise<boolean>;
  /** Removes every blob of a tenant (tenant deletion); returns how many. */
  deleteTenant(tenantId: string): Promise<number>;
  close(): Promise<void>;
}
