import type { MessageView } from '@switchboard/contracts';
import { t } from './i18n/core.js';

/** How the thread shows a message's attachments; pure, so it is tested without a browser. */

export type Attachment = MessageView['attachments'][number];

export type AttachmentDisplay =
  /** An inline picture (image, sticker); `blob` when the bytes are ours to fetch with the token. */
  | { type: 'image'; blob: boolean; label: string }
  /** A download link with the name and human size; `blob` false when we cannot serve the bytes. */
  | { type: 'file'; blob: boolean; label: string; size: string | null }
  /** A line of text, with a link when there is somewhere useful to go. */
  | { type: 'line'; label: string; href: string | null };

export const isBlobRef = (ref: string): boolean => ref.startsWith('blob:');

/** The REST path serving a stored file: the whole `blob:<id>` ref, URL-encoded. */
export const blobPath = (ref: string): string => `/api/v1/blobs/${encodeURIComponent(ref)}`;

const KINDS = new Set<Attachment['kind']>(['image', 'sticker', 'video', 'audio', 'file', 'location', 'contact']);
const kindName = (kind: Attachment['kind']): string => (KINDS.has(kind) ? t(`kind.${kind}`) : '');

/** 0 B, 512 B, 1.5 KB, 12 KB, 3.4 MB, 1.2 GB (1024-based, one decimal below 10). */
export function formatSize(bytes: number | undefined | null): string | null {
  if (bytes === undefined || bytes === null || !Number.isFinite(bytes) || bytes < 0) return null;
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let n = bytes;
  let u = 0;
  while (n >= 1024 && u < units.length - 1) {
    n /= 1024;
    u++;
  }
  if (u === 0) return `${Math.round(n)} B`;
  const shown = n < 10 ? (Math.round(n * 10) / 10).toString() : Math.round(n).toString();
  return `${shown} ${units[u]}`;
}

export function describeAttachment(a: Attachment): AttachmentDisplay {
  const blob = isBlobRef(a.ref);
  const name = a.name?.trim() || '';
  switch (a.kind) {
    case 'image':
    case 'sticker':
      // Bytes we cannot fetch (a channel's own reference) are shown as a file line instead.
      if (blob) return { type: 'image', blob, label: name || kindName(a.kind) };
      return { type: 'file', blob, label: name || kindName(a.kind), size: formatSize(a.size) };
    case 'location': {
      const m = /^geo:(-?\d+(?:\.\d+)?),(-?\d+(?:\.\d+)?)/.exec(a.ref);
      if (!m) return { type: 'line', label: name ? t('kind.locationOf', { what: name }) : t('kind.location'), href: null };
      const [lat, lng] = [m[1]!, m[2]!];
      return {
        type: 'line',
        label: t('kind.locationOf', { what: name ? `${name} (${lat}, ${lng})` : `${lat}, ${lng}` }),
        href: `https://www.openstreetmap.org/?mlat=${lat}&mlon=${lng}#map=16/${lat}/${lng}`,
      };
    }
    case 'contact': {
      const tel = a.ref.startsWith('tel:') ? a.ref.slice(4) : '';
      const who = [name, tel].filter(Boolean).join(', ') || t('kind.unknown');
      return { type: 'line', label: t('kind.contactOf', { who }), href: tel ? `tel:${tel}` : null };
    }
    default:
      return { type: 'file', blob, label: name || kindName(a.kind) || t('kind.file'), size: formatSize(a.size) };
  }
}
