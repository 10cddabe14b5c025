import type { Attachment } from '@switchboard/contracts';

/** POST /{ig-user-id}/messages bodies (Send API). */
export function igText(recipientId: string, text: string): Record<string, unknown> {
  return { recipient: { id: recipientId }, message: { text } };
}

const igTypes: Partial<Record<Attachment['kind'], 'image' | 'video' | 'audio' | 'file'>> = {
  image: 'image',
  sticker: 'image',
  video: 'video',
  audio: 'audio',
  file: 'file',
};

export function igAttachmentType(kind: Attachment['kind']): 'image' | 'video' | 'audio' | 'file' | null {
  return igTypes[kind] ?? null;
}

export function igAttachment(recipientId: string, type: 'image' | 'video' | 'audio' | 'file', url: string): Record<string, unknown> {
  return { recipient: { id: recipientId }, message: { attachment: { type, payload: { url } } } };
}

export interface IgSendResponse {
  recipient_id: string;
  message_id: string;
}

/** Sentences an agent understands for the Send API errors we meet in practice. */
export function explainInstagramError(code: number | undefined, subcode: number | undefined, fallback: string): string {
  if (code === 10 && subcode === 2018278) {
    return 'Instagram only allows replies within 24 hours of the customer\'s last message. This window has closed; you can reply once they write again.';
  }
  if (code === 10) return 'Instagram does not allow this message (outside the allowed window or without permission).';
  if (code === 551 || subcode === 1545041) return 'This Instagram user is not available right now (they may have blocked messages).';
  if (code === 100 && subcode === 2018001) return 'No matching Instagram user: the conversation may have been deleted.';
  if (code === 190) return 'The Instagram access token has expired or was revoked: update it in the channel settings.';
  if (code === 4 || code === 613 || code === 32) return 'Instagram is rate-limiting this account; the message will be retried.';
  return fallback;
}
