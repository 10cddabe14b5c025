import type { Telegram } from 'telegraf';
import type { Attachment } from '@switchboard/contracts';
import type { ConnectorContext, InboundDraft } from '@switchboard/connectors-sdk';

/** The parts of a Bot API Update we read (https://core.telegram.org/bots/api#update). */
export interface TgUser {
  id: number;
  is_bot: boolean;
  first_name: string;
  last_name?: string;
  username?: string;
}
interface TgChat {
  id: number;
  type: 'private' | 'group' | 'supergroup' | 'channel';
  title?: string;
}
interface TgFile {
  file_id: string;
  file_unique_id: string;
  file_size?: number;
}
export interface TgMessage {
  message_id: number;
  from?: TgUser;
  chat: TgChat;
  date: number;
  edit_date?: number;
  text?: string;
  caption?: string;
  photo?: Array<TgFile & { width: number; height: number }>;
  document?: TgFile & { file_name?: string; mime_type?: string };
  voice?: TgFile & { duration: number; mime_type?: string };
  audio?: TgFile & { duration: number; mime_type?: string; file_name?: string };
  video?: TgFile & { duration: number; mime_type?: string; file_name?: string };
  video_note?: TgFile & { duration: number };
  sticker?: TgFile & { emoji?: string; is_animated: boolean; is_video: boolean };
  location?: { latitude: number; longitude: number };
  contact?: { phone_number: string; first_name: string; last_name?: string; user_id?: number };
  reply_to_message?: { message_id: number };
}
export interface TgUpdate {
  update_id: number;
  message?: TgMessage;
  edited_message?: TgMessage;
}

/** Update types a Switchboard bot asks for (setWebhook / getUpdates allowed_updates). */
export const ALLOWED_UPDATES = ['message', 'edited_message'] as const;

/** getFile serves files up to 20 MB; bigger ones stay on Telegram, referenced by file id. */
const BOT_API_DOWNLOAD_LIMIT = 20 * 1024 * 1024;

/** Our externalId of a Telegram message: message ids are unique only within a chat. */
export const messageKey = (chatId: number | string, messageId: number | string) => `${chatId}:${messageId}`;

export function isUpdate(value: unknown): value is TgUpdate {
  return typeof value === 'object' && value !== null && typeof (value as { update_id?: unknown }).update_id === 'number';
}

function displayName(u: { first_name: string; last_name?: string }): string {
  return [u.first_name, u.last_name].filter(Boolean).join(' ');
}

/** "/start@acme_bot ref-42" → "/start ref-42": in groups commands carry the bot's name. */
function normalizeCommand(text: string): string {
  return text.replace(/^(\/[A-Za-z0-9_]+)@[A-Za-z0-9_]+/, '$1');
}

/**
 * One Update → the events it means. Media are downloaded into the blob store; when that fails
 * the attachment keeps Telegram's file id (`telegram:<file_id>`) so the message is never lost.
 */
export async function normalizeUpdate(update: TgUpdate, telegram: Telegram, ctx: ConnectorContext): Promise<InboundDraft[]> {
  const edited = update.edited_message;
  if (edited) {
    if (!edited.from) return [];
    return [
      {
        kind: 'edit',
        externalId: `${messageKey(edited.chat.id, edited.message_id)}:edit:${edited.edit_date ?? update.update_id}`,
        threadKey: String(edited.chat.id),
        sender: sender(edited.from),
        replyTo: messageKey(edited.chat.id, edited.message_id),
        ...(edited.text ?? edited.caption ? { text: normalizeCommand(edited.text ?? edited.caption ?? '') } : {}),
        sentAt: new Date((edited.edit_date ?? edited.date) * 1000).toISOString(),
      },
    ];
  }
  const m = update.message;
  if (!m?.from || m.from.is_bot) return [];
  const attachments = await attachmentsOf(m, telegram, ctx);
  const text = m.text ?? m.caption;
  return [
    {
      kind: 'message',
      externalId: messageKey(m.chat.id, m.message_id),
      threadKey: String(m.chat.id),
      sender: sender(m.from),
      ...(text !== undefined ? { text: normalizeCommand(text) } : m.sticker?.emoji ? { text: m.sticker.emoji } : {}),
      ...(attachments.length ? { attachments } : {}),
      ...(m.reply_to_message ? { replyTo: messageKey(m.chat.id, m.reply_to_message.message_id) } : {}),
      sentAt: new Date(m.date * 1000).toISOString(),
    },
  ];
}

function sender(u: TgUser): InboundDraft['sender'] {
  return { externalId: String(u.id), name: displayName(u), ...(u.username ? { handle: `@${u.username}` } : {}) };
}

async function attachmentsOf(m: TgMessage, telegram: Telegram, ctx: ConnectorContext): Promise<Attachment[]> {
  const out: Attachment[] = [];
  const largest = m.photo?.reduce((a, b) => (b.width * b.height > a.width * a.height ? b : a));
  if (largest) out.push(await media('image', largest, 'image/jpeg', `photo-${largest.file_unique_id}.jpg`, telegram, ctx));
  if (m.document) {
    out.push(await media('file', m.document, m.document.mime_type ?? 'application/octet-stream', m.document.file_name ?? `file-${m.document.file_unique_id}`, telegram, ctx));
  }
  if (m.voice) out.push(await media('audio', m.voice, m.voice.mime_type ?? 'audio/ogg', `voice-${m.voice.file_unique_id}.ogg`, telegram, ctx));
  if (m.audio) out.push(await media('audio', m.audio, m.audio.mime_type ?? 'audio/mpeg', m.audio.file_name ?? `audio-${m.audio.file_unique_id}`, telegram, ctx));
  if (m.video) out.push(await media('video', m.video, m.video.mime_type ?? 'video/mp4', m.video.file_name ?? `video-${m.video.file_unique_id}.mp4`, telegram, ctx));
  if (m.video_note) out.push(await media('video', m.video_note, 'video/mp4', `video-note-${m.video_note.file_unique_id}.mp4`, telegram, ctx));
  if (m.sticker) {
    const s = m.sticker;
    const [mime, ext] = s.is_animated ? ['application/x-tgsticker', 'tgs'] : s.is_video ? ['video/webm', 'webm'] : ['image/webp', 'webp'];
    out.push(await media('sticker', s, mime, `sticker-${s.file_unique_id}.${ext}`, telegram, ctx));
  }
  if (m.location) out.push({ kind: 'location', ref: `geo:${m.location.latitude},${m.location.longitude}` });
  if (m.contact) {
    out.push({ kind: 'contact', name: displayName(m.contact), ref: `tel:${m.contact.phone_number.replace(/[^\d+]/g, '')}` });
  }
  return out;
}

async function media(kind: Attachment['kind'], file: TgFile, mime: string, name: string, telegram: Telegram, ctx: ConnectorContext): Promise<Attachment> {
  const fallback: Attachment = { kind, name, mime, ref: `telegram:${file.file_id}`, ...(file.file_size !== undefined ? { size: file.file_size } : {}) };
  if ((file.file_size ?? 0) > BOT_API_DOWNLOAD_LIMIT) return fallback;
  try {
    const link = await telegram.getFileLink(file.file_id);
    const res = await fetch(link, { signal: AbortSignal.timeout(60_000) });
    if (!res.ok || !res.body) throw new Error(`file download answered ${res.status}`);
    const blob = await ctx.saveBlob(Buffer.from(await res.arrayBuffer()), { mime, name });
    return { kind, name, mime, size: blob.size, ref: blob.ref };
  } catch (err) {
    ctx.logger.warn({ err: (err as Error).message, fileId: file.file_id }, 'telegram file not downloaded; keeping its file id');
    return fallback;
  }
}
