import type { Attachment } from '@switchboard/contracts';

/** A template send: the approved template's name, its language code and the body's {{n}} values in order. */
export interface TemplateRef {
  name: string;
  language: string;
  params?: string[];
}

/** Where the Cloud API finds a media file: a public link, or an id from POST /{phone-number-id}/media. */
export type MediaSourceRef = { link: string } | { id: string };

const sendTypes: Record<Attachment['kind'], 'image' | 'video' | 'audio' | 'document' | 'sticker' | null> = {
  image: 'image',
  video: 'video',
  audio: 'audio',
  file: 'document',
  sticker: 'sticker',
  location: null,
  contact: null,
};

export function whatsappMediaType(kind: Attachment['kind']): 'image' | 'video' | 'audio' | 'document' | 'sticker' | null {
  return sendTypes[kind];
}

const base = (to: string, contextId: string | undefined) => ({
  messaging_product: 'whatsapp',
  recipient_type: 'individual',
  to,
  ...(contextId ? { context: { message_id: contextId } } : {}),
});

/** POST /{phone-number-id}/messages body for free text. */
export function textMessage(to: string, body: string, contextId?: string): Record<string, unknown> {
  return { ...base(to, contextId), type: 'text', text: { body, preview_url: /https?:\/\//.test(body) } };
}

/** Media by link or uploaded id; captions only where WhatsApp shows them (not audio or stickers). */
export function mediaMessage(
  to: string,
  type: 'image' | 'video' | 'audio' | 'document' | 'sticker',
  media: MediaSourceRef,
  opts: { caption?: string; filename?: string; contextId?: string } = {},
): Record<string, unknown> {
  const part: Record<string, unknown> = { ...media };
  if (opts.caption && type !== 'audio' && type !== 'sticker') part.caption = opts.caption;
  if (opts.filename && type === 'document') part.filename = opts.filename;
  return { ...base(to, opts.contextId), type, [type]: part };
}

/** A template message — the only kind WhatsApp delivers outside the 24-hour window. */
export function templateMessage(to: string, template: TemplateRef): Record<string, unknown> {
  const params = template.params ?? [];
  return {
    ...base(to, undefined),
    type: 'template',
    template: {
      name: template.name,
      language: { code: template.language },
      ...(params.length ? { components: [{ type: 'body', parameters: params.map((text) => ({ type: 'text', text })) }] } : {}),
    },
  };
}

/** The answer of POST /{phone-number-id}/messages. */
export interface WaSendResponse {
  messaging_product: 'whatsapp';
  contacts?: { input: string; wa_id: string }[];
  messages: { id: string; message_status?: string }[];
}

/** Sentences an agent understands for the Cloud API's error codes we meet in practice. */
export function explainWhatsAppError(code: number | undefined, fallback: string): string {
  switch (code) {
    case 131047:
    case 470:
      return 'More than 24 hours have passed since the customer last wrote: WhatsApp only delivers an approved template now.';
    case 131026:
      return 'WhatsApp could not deliver the message to this number (not on WhatsApp, or an old app version).';
    case 131051:
      return 'WhatsApp does not support this kind of message.';
    case 131052:
    case 131053:
      return 'WhatsApp could not download or upload the media file.';
    case 132000:
    case 132001:
      return 'The template does not exist in this language, or its parameters do not match.';
    case 190:
      return 'The WhatsApp access token has expired or was revoked: update it in the channel settings.';
    case 131056:
    case 130429:
    case 80007:
      return 'WhatsApp is rate-limiting this number; the message will be retried.';
    default:
      return fallback;
  }
}
