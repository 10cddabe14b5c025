import type { Attachment } from '@switchboard/contracts';
import { isoFromSeconds, type AttachmentKind, type MetaItem, type NormalizedEvent, type PendingMedia } from '../types.js';

/**
 * WhatsApp Cloud API webhook payloads (object "whatsapp_business_account", field "messages"),
 * as Meta documents them. Only the fields we read are typed; everything else is ignored.
 */
interface WaMedia {
  id: string;
  mime_type?: string;
  sha256?: string;
  caption?: string;
  filename?: string;
  voice?: boolean;
  animated?: boolean;
}
interface WaContactCard {
  name?: { formatted_name?: string; first_name?: string; last_name?: string };
  phones?: { phone?: string; wa_id?: string; type?: string }[];
  emails?: { email?: string }[];
}
export interface WaMessage {
  from: string;
  id: string;
  timestamp: string;
  type: string;
  context?: { from?: string; id?: string; forwarded?: boolean };
  text?: { body: string };
  image?: WaMedia;
  video?: WaMedia;
  audio?: WaMedia;
  document?: WaMedia;
  sticker?: WaMedia;
  location?: { latitude: number; longitude: number; name?: string; address?: string; url?: string };
  contacts?: WaContactCard[];
  interactive?: { type: string; button_reply?: { id: string; title: string }; list_reply?: { id: string; title: string; description?: string } };
  button?: { text?: string; payload?: string };
  reaction?: { message_id: string; emoji?: string };
  errors?: { code?: number; title?: string; message?: string }[];
}
export interface WaStatus {
  id: string;
  status: string;
  timestamp: string;
  recipient_id: string;
  errors?: { code?: number; title?: string; message?: string; error_data?: { details?: string } }[];
}
export interface WaWebhook {
  object?: string;
  entry?: {
    id?: string;
    changes?: {
      field?: string;
      value?: {
        messaging_product?: string;
        metadata?: { display_phone_number?: string; phone_number_id?: string };
        contacts?: { profile?: { name?: string }; wa_id?: string }[];
        messages?: WaMessage[];
        statuses?: WaStatus[];
      };
    }[];
  }[];
}

const mediaKinds: Record<string, AttachmentKind> = { image: 'image', video: 'video', audio: 'audio', document: 'file', sticker: 'sticker' };

/** Thrown for a body that is not a WhatsApp webhook at all; the caller dead-letters the raw body. */
export class NotAWhatsAppWebhook extends Error {
  override readonly name = 'NotAWhatsAppWebhook';
}

/** Turns one webhook body into events (messages, reactions) and statuses of our own sends. */
export function normalizeWhatsApp(body: unknown): MetaItem[] {
  const hook = body as WaWebhook;
  if (!hook || typeof hook !== 'object' || hook.object !== 'whatsapp_business_account' || !Array.isArray(hook.entry)) {
    throw new NotAWhatsAppWebhook('expected object "whatsapp_business_account" with an entry array');
  }
  const items: MetaItem[] = [];
  for (const entry of hook.entry) {
    for (const change of entry.changes ?? []) {
      const value = change.value;
      if (change.field !== 'messages' || !value?.metadata?.phone_number_id) continue;
      const accountId = value.metadata.phone_number_id;
      const names = new Map((value.contacts ?? []).map((c) => [c.wa_id ?? '', c.profile?.name]));
      for (const m of value.messages ?? []) {
        const normalized = normalizeMessage(m, names.get(m.from));
        if (normalized) items.push({ type: 'event', accountId, ...normalized });
      }
      for (const s of value.statuses ?? []) {
        if (s.status !== 'sent' && s.status !== 'delivered' && s.status !== 'read' && s.status !== 'failed') continue;
        const err = s.errors?.[0];
        const error = err ? [err.title ?? err.message, err.error_data?.details].filter(Boolean).join(': ') : undefined;
        items.push({
          type: 'status',
          accountId,
          providerMessageId: s.id,
          status: s.status,
          at: isoFromSeconds(s.timestamp),
          recipientId: s.recipient_id,
          ...(s.status === 'failed' ? { error: error || 'WhatsApp could not deliver the message.' } : {}),
        });
      }
    }
  }
  return items;
}

function normalizeMessage(m: WaMessage, profileName: string | undefined): { event: NormalizedEvent; media: PendingMedia[] } | null {
  const base: NormalizedEvent = {
    kind: 'message',
    externalId: m.id,
    threadKey: m.from,
    sender: { externalId: m.from, phone: `+${m.from}`, ...(profileName ? { name: profileName } : {}) },
    sentAt: isoFromSeconds(m.timestamp),
    ...(m.context?.id ? { replyTo: m.context.id } : {}),
  };
  const media: PendingMedia[] = [];
  const attachments: Attachment[] = [];
  let text: string | undefined;

  const kind = mediaKinds[m.type];
  const mediaPart = kind ? (m[m.type as 'image' | 'video' | 'audio' | 'document' | 'sticker'] as WaMedia | undefined) : undefined;
  if (kind && mediaPart) {
    media.push({ index: attachments.length, mediaId: mediaPart.id });
    attachments.push({
      kind,
      ref: `whatsapp-media:${mediaPart.id}`,
      ...(mediaPart.mime_type ? { mime: mediaPart.mime_type.split(';')[0]!.trim() } : {}),
      ...(mediaPart.filename ? { name: mediaPart.filename } : {}),
    });
    text = mediaPart.caption;
  } else {
    switch (m.type) {
      case 'text':
        text = m.text?.body;
        break;
      case 'location': {
        const l = m.location;
        if (!l) return null;
        attachments.push({ kind: 'location', ref: `geo:${l.latitude},${l.longitude}`, ...(l.name || l.address ? { name: [l.name, l.address].filter(Boolean).join(', ') } : {}) });
        text = [l.name, l.address].filter(Boolean).join(', ') || undefined;
        break;
      }
      case 'contacts':
        for (const c of m.contacts ?? []) {
          const phone = c.phones?.[0]?.phone;
          const name = c.name?.formatted_name ?? [c.name?.first_name, c.name?.last_name].filter(Boolean).join(' ');
          attachments.push({ kind: 'contact', ref: phone ? `tel:${phone.replace(/[^+\d]/g, '')}` : `contact:${name || 'unknown'}`, ...(name ? { name } : {}) });
        }
        text = attachments.map((a) => [a.name, a.ref.startsWith('tel:') ? a.ref.slice(4) : ''].filter(Boolean).join(' ')).join('\n') || undefined;
        break;
      case 'interactive':
        text = m.interactive?.button_reply?.title ?? m.interactive?.list_reply?.title;
        break;
      case 'button':
        text = m.button?.text ?? m.button?.payload;
        break;
      case 'reaction': {
        const r = m.reaction;
        // An empty emoji withdraws a reaction; the inbox keeps reactions as a set, so nothing to add.
        if (!r?.message_id || !r.emoji) return null;
        return { event: { ...base, kind: 'reaction', replyTo: r.message_id, reaction: r.emoji }, media };
      }
      default: {
        const reason = m.errors?.[0]?.title ?? m.errors?.[0]?.message;
        text = `[${m.type} message${reason ? `: ${reason}` : ''} — not shown by Switchboard; open WhatsApp to see it]`;
      }
    }
  }
  return {
    event: { ...base, ...(text !== undefined && text !== '' ? { text } : {}), ...(attachments.length ? { attachments } : {}) },
    media,
  };
}
