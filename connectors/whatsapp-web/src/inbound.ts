import type { Attachment } from '@switchboard/contracts';
import type { ConnectorContext, InboundDraft } from '@switchboard/connectors-sdk';
import type { WaMessage } from './seam.js';

const mediaKinds: Record<string, Attachment['kind']> = {
  image: 'image',
  video: 'video',
  audio: 'audio',
  ptt: 'audio',
  document: 'file',
  sticker: 'sticker',
};

/** Chats we never turn into conversations: status updates and broadcast lists. */
export function isIgnorable(msg: WaMessage): boolean {
  return msg.fromMe || msg.isStatus === true || msg.from === 'status@broadcast' || msg.from.endsWith('@broadcast') || msg.type === 'revoked' || msg.type === 'e2e_notification' || msg.type === 'notification_template';
}

/**
 * A whatsapp-web.js message → an InboundDraft keyed by WhatsApp's own id (msg.id._serialized),
 * so live delivery and back-fill of the same message store it once. Media is copied into the
 * blob store; a quoted message becomes replyTo.
 */
export async function normalizeWaWebMessage(msg: WaMessage, ctx: Pick<ConnectorContext, 'saveBlob' | 'logger'>): Promise<InboundDraft> {
  const senderId = msg.author ?? msg.from;
  const number = /^(\d+)@c\.us$/.exec(senderId)?.[1];
  const name = msg._data?.notifyName;
  const attachments: Attachment[] = [];
  let text: string | undefined = msg.body || undefined;

  const kind = mediaKinds[msg.type];
  if (kind && msg.hasMedia) {
    const media = await msg.downloadMedia();
    if (media?.data) {
      const bytes = Buffer.from(media.data, 'base64');
      const mime = media.mimetype.split(';')[0]!.trim();
      const fileName = media.filename ?? `${msg.type}-${msg.id.id}.${mime.split('/')[1] ?? 'bin'}`;
      const saved = await ctx.saveBlob(bytes, { mime, name: fileName });
      attachments.push({ kind, ref: saved.ref, mime, size: saved.size, name: fileName });
    } else {
      // Media WhatsApp no longer has (old messages during back-fill): say so instead of dropping it.
      ctx.logger.warn({ messageId: msg.id._serialized }, 'media could not be downloaded');
      attachments.push({ kind, ref: `whatsapp-web:${msg.id._serialized}`, name: 'media no longer available' });
    }
    // For media, body is the caption (whatsapp-web.js puts base64 thumbnails in body for some types).
    text = msg.type === 'sticker' || msg.type === 'ptt' || msg.type === 'audio' ? undefined : text;
  } else if (msg.type === 'location' && msg.location) {
    const l = msg.location;
    const label = [l.name, l.address].filter(Boolean).join(', ') || l.description;
    attachments.push({ kind: 'location', ref: `geo:${l.latitude},${l.longitude}`, ...(label ? { name: label } : {}) });
    text = label || undefined;
  } else if ((msg.type === 'vcard' || msg.type === 'multi_vcard') && msg.vCards?.length) {
    for (const card of msg.vCards) {
      const fn = /^FN:(.*)$/m.exec(card)?.[1]?.trim();
      const tel = /^TEL[^:]*:(.*)$/m.exec(card)?.[1]?.trim();
      attachments.push({ kind: 'contact', ref: tel ? `tel:${tel.replace(/[^+\d]/g, '')}` : `contact:${fn ?? 'unknown'}`, ...(fn ? { name: fn } : {}) });
    }
    text = attachments.map((a) => [a.name, a.ref.startsWith('tel:') ? a.ref.slice(4) : ''].filter(Boolean).join(' ')).join('\n');
  }

  let replyTo: string | undefined;
  if (msg.hasQuotedMsg) {
    const quoted = await msg.getQuotedMessage().catch(() => undefined);
    if (quoted) replyTo = quoted.id._serialized;
  }
  return {
    kind: 'message',
    externalId: msg.id._serialized,
    threadKey: msg.from,
    sender: { externalId: senderId, ...(name ? { name } : {}), ...(number ? { phone: `+${number}` } : {}) },
    ...(text ? { text } : {}),
    ...(attachments.length ? { attachments } : {}),
    ...(replyTo ? { replyTo } : {}),
    sentAt: new Date(msg.timestamp * 1000).toISOString(),
  };
}
