import type { Telegram } from 'telegraf';
import type { OutboundCommand } from '@switchboard/contracts';
import { permanent, type ConnectorContext } from '@switchboard/connectors-sdk';
import { toDeliveryError, withSignal } from './client.js';
import { messageKey } from './inbound.js';

/** Telegram's caption limit; longer texts go as their own message before the files. */
const CAPTION_LIMIT = 1024;

/** The Telegram message id inside our externalId "chatId:messageId", when it is one of this chat's. */
function replyTarget(command: OutboundCommand): { message_id: number; allow_sending_without_reply: true } | undefined {
  const m = command.replyTo ? /^(-?\d+):(\d+)$/.exec(command.replyTo) : null;
  if (!m || m[1] !== command.threadKey) return undefined;
  return { message_id: Number(m[2]), allow_sending_without_reply: true };
}

/**
 * One agent reply: text with sendMessage; images with sendPhoto, other files with sendDocument
 * (the text as the first file's caption when it fits). Returns the last Telegram message's key.
 */
export async function sendReply(telegram: Telegram, command: OutboundCommand, ctx: ConnectorContext, timeoutMs: number): Promise<{ externalId: string }> {
  const chatId = command.threadKey;
  const reply = replyTarget(command);
  const base = reply ? { reply_parameters: reply } : {};
  const files = command.attachments ?? [];
  const text = command.text ?? '';
  const call = async <T>(fn: (signal: AbortSignal) => Promise<T>): Promise<T> => {
    try {
      return await fn(AbortSignal.timeout(timeoutMs));
    } catch (err) {
      throw toDeliveryError(err);
    }
  };
  let last: { message_id: number } | undefined;
  const captionFits = text.length > 0 && text.length <= CAPTION_LIMIT && files.length > 0;
  if (text && !captionFits) {
    last = await call((signal) => telegram.callApi('sendMessage', { chat_id: chatId, text, ...base }, withSignal(signal)));
  }
  for (const [i, a] of files.entries()) {
    const blob = await ctx.readBlob(a.ref);
    if (!blob) throw permanent(`The attachment ${a.name ?? a.ref} is no longer stored.`);
    const media = { source: blob.data, filename: blob.meta.name };
    // Uploads go as multipart, where telegraf would take a nested object for a file: send it as JSON text.
    const extra = {
      ...(i === 0 && !last && reply ? { reply_parameters: JSON.stringify(reply) as unknown as typeof reply } : {}),
      ...(i === 0 && captionFits ? { caption: text } : {}),
    };
    last =
      a.kind === 'image'
        ? await call((signal) => telegram.callApi('sendPhoto', { chat_id: chatId, photo: media, ...extra }, withSignal(signal)))
        : await call((signal) => telegram.callApi('sendDocument', { chat_id: chatId, document: media, ...extra }, withSignal(signal)));
  }
  if (!last) throw permanent('The reply has neither text nor files.');
  return { externalId: messageKey(chatId, last.message_id) };
}
