import type { BlobMeta } from './types.js';

/** Types a browser may render in place; anything else is sent as a download. */
const INLINE = /^(image\/(png|jpeg|gif|webp)|video\/(mp4|webm)|audio\/(ogg|mpeg|mp4|webm)|application\/pdf)$/;

/**
 * The headers a stored file is served with over HTTP: inline only for types a browser shows
 * without running anything, a download otherwise; never sniffed, sandboxed if opened.
 */
export function fileHeaders(meta: Pick<BlobMeta, 'mime' | 'name' | 'size'>): Record<string, string> {
  const inline = INLINE.test(meta.mime);
  return {
    'content-type': inline ? meta.mime : 'application/octet-stream',
    'content-length': String(meta.size),
    'content-disposition': `${inline ? 'inline' : 'attachment'}; filename*=UTF-8''${encodeURIComponent(meta.name)}`,
    'x-content-type-options': 'nosniff',
    'content-security-policy': "default-src 'none'; sandbox",
    'cache-control': 'private, max-age=3600',
  };
}

/** The last path segment of an uploaded file's name, without control characters; '' when nothing is left. */
export function cleanFileName(raw: string): string {
  return (raw.split(/[\\/]/).pop() ?? '').replace(/[\u0000-\u001f\u007f]/g, '').trim();
}

/** A Content-Type without parameters, or application/octet-stream when it is missing or odd. */
export function mimeOf(header: string | undefined): string {
  const mime = (header ?? '').split(';')[0]!.trim().toLowerCase();
  return /^[a-z0-9][a-z0-9!#$&^_.+-]{0,99}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,99}$/.test(mime) ? mime : 'application/octet-stream';
}
