import type { GraphClient } from './graph-client.js';
import { GraphApiError } from './graph-client.js';
import type { Attachment } from '@switchboard/contracts';
import type { ConnectorContext } from '@switchboard/connectors-sdk';
import type { NormalizedEvent, PendingMedia } from './types.js';

const extensions: Record<string, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
  'video/mp4': 'mp4',
  'audio/ogg': 'ogg',
  'audio/mpeg': 'mp3',
  'audio/mp4': 'm4a',
  'application/pdf': 'pdf',
};

/**
 * Copies the media an event points at on Meta's side into the blob store, so agents can open it
 * after Meta's URLs expire. A file Meta no longer has keeps its channel reference (and a note in
 * the log); a transient failure throws, so the webhook answers 5xx and Meta delivers again.
 */
export async function fetchMedia(
  event: NormalizedEvent,
  pending: PendingMedia[],
  graph: GraphClient,
  ctx: ConnectorContext,
): Promise<NormalizedEvent> {
  if (!pending.length || !event.attachments) return event;
  const attachments: Attachment[] = [...event.attachments];
  for (const p of pending) {
    const current = attachments[p.index];
    if (!current) continue;
    try {
      let url = p.url;
      let mime = current.mime;
      if (p.mediaId) {
        const meta = await graph.get<{ url: string; mime_type?: string }>(encodeURIComponent(p.mediaId));
        url = meta.url;
        mime = mime ?? meta.mime_type;
      }
      if (!url) continue;
      const got = await graph.download(url);
      const type = (mime ?? got.mime ?? 'application/octet-stream').split(';')[0]!.trim();
      const name = current.name ?? `${current.kind}-${event.externalId.slice(-12).replace(/[^\w-]/g, '')}.${extensions[type] ?? 'bin'}`;
      const saved = await ctx.saveBlob(got.bytes, { mime: type, name });
      attachments[p.index] = { ...current, ref: saved.ref, mime: type, size: saved.size, name: current.name ?? name };
    } catch (err) {
      if (err instanceof GraphApiError && !err.transient) {
        ctx.logger.warn({ err: err.message, externalId: event.externalId }, 'media no longer available from Meta; keeping its reference');
        continue;
      }
      throw err;
    }
  }
  return { ...event, attachments };
}
