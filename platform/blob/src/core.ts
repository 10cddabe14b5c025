import { Readable, Transform, type TransformCallback } from 'node:stream';
import { newId } from '@switchboard/contracts';
import { blobErrors } from './errors.js';
import type { BlobInput } from './types.js';

export const DEFAULT_MAX_BYTES = 50 * 1024 * 1024;
const REF = /^blob:([0-9a-f-]{36})$/;

export function newRef(): { id: string; ref: string } {
  const id = newId();
  return { id, ref: `blob:${id}` };
}

/** The id inside a ref, or null for anything that is not one of ours (no path tricks reach an adapter). */
export function idOf(ref: string): string | null {
  return REF.exec(ref)?.[1] ?? null;
}

export function toReadable(data: BlobInput): Readable {
  if (Buffer.isBuffer(data) || data instanceof Uint8Array) return Readable.from([Buffer.from(data)]);
  if (data instanceof Readable) return data;
  return Readable.from(data as AsyncIterable<Buffer>);
}

/** Counts bytes on their way through and fails the stream once they pass the limit. */
export class SizeLimit extends Transform {
  size = 0;
  constructor(private readonly maxBytes: number) {
    super();
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.size += chunk.length;
    if (this.size > this.maxBytes) return done(blobErrors.tooLarge(this.maxBytes));
    done(null, chunk);
  }
}
