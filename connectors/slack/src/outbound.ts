import type { webApi } from '@slack/bolt';
import type { OutboundCommand } from '@switchboard/contracts';
import { permanent, type ConnectorContext } from '@switchboard/connectors-sdk';
import { toDeliveryError } from './client.js';

/** threadKey "C123:1712345678.000100" → the channel and the top-level message the reply goes under. */
export function threadOf(threadKey: string): { channel: string; threadTs: string } {
  const m = /^([A-Z0-9]+):(\d+\.\d+)$/.exec(threadKey);
  if (!m) throw permanent(`"${threadKey}" is not a Slack thread (channel:ts).`);
  return { channel: m[1] as string, threadTs: m[2] as string };
}

/**
 * Where the reply goes: the thread the agent picked (`command.thread`, "channel:ts" as inbound
 * messages carry it), the channel's top level (null), or by default the conversation's thread.
 */
export function replyTarget(command: OutboundCommand): { channel: string; threadTs: string | undefined } {
  const { channel, threadTs } = threadOf(command.threadKey);
  if (command.thread === null) return { channel, threadTs: undefined };
  if (command.thread === undefined) return { channel, threadTs };
  const picked = threadOf(command.thread);
  if (picked.channel !== channel) throw permanent(`The thread "${command.thread}" is not in the conversation's channel ${channel}.`);
  return picked;
}

/**
 * The agent's answer, posted in a thread (or at the channel's top level): text with
 * chat.postMessage(thread_ts); with files, Slack's external upload (files.getUploadURLExternal →
 * upload → files.completeUploadExternal) shares them there with the text as their comment.
 */
export async function sendReply(client: webApi.WebClient, command: OutboundCommand, ctx: ConnectorContext): Promise<{ externalId: string }> {
  const { channel, threadTs } = replyTarget(command);
  const files = command.attachments ?? [];
  if (!command.text && files.length === 0) throw permanent('The reply has neither text nor files.');
  if (files.length === 0) {
    try {
      const res = await client.chat.postMessage({ channel, ...(threadTs ? { thread_ts: threadTs } : {}), text: command.text ?? '', unfurl_links: false });
      return { externalId: `${channel}:${res.ts as string}` };
    } catch (err) {
      throw toDeliveryError(err);
    }
  }
  const uploads: Array<{ file: Buffer; filename: string }> = [];
  for (const a of files) {
    const blob = await ctx.readBlob(a.ref);
    if (!blob) throw permanent(`The attachment ${a.name ?? a.ref} is no longer stored.`);
    uploads.push({ file: blob.data, filename: blob.meta.name });
  }
  try {
    const res = (await client.filesUploadV2({
      channel_id: channel,
      ...(threadTs ? { thread_ts: threadTs } : {}),
      ...(command.text ? { initial_comment: command.text } : {}),
      file_uploads: uploads,
    })) as { files?: Array<{ files?: Array<{ id?: string }> }> };
    const fileId = res.files?.[0]?.files?.[0]?.id ?? 'upload';
    return { externalId: `${channel}:file:${fileId}` };
  } catch (err) {
    throw toDeliveryError(err);
  }
}
