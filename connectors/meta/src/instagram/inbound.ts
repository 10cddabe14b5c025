import type { Attachment } from '@switchboard/contracts';
import { isoFromMillis, type MetaItem, type NormalizedEvent, type PendingMedia } from '../types.js';

/** Instagram Messaging webhook payloads (object "instagram", entry[].messaging[]), as Meta documents them. */
interface IgAttachment {
  type: string;
  payload?: { url?: string; title?: string; reel_video_id?: string; id?: string };
}
export interface IgMessaging {
  sender: { id: string };
  recipient: { id: string };
  timestamp: number;
  message?: {
    mid: string;
    text?: string;
    is_echo?: boolean;
    is_deleted?: boolean;
    is_unsupported?: boolean;
    attachments?: IgAttachment[];
    reply_to?: { mid?: string; story?: { url?: string; id?: string } };
    quick_reply?: { payload?: string };
  };
  reaction?: { mid: string; action: 'react' | 'unreact'; reaction?: string; emoji?: string };
  read?: { mid: string };
  postback?: { mid?: string; title?: string; payload?: string };
}
export interface IgWebhook {
  object?: string;
  entry?: { id?: string; time?: number; messaging?: IgMessaging[] }[];
}

export class NotAnInstagramWebhook extends Error {
  override readonly name = 'NotAnInstagramWebhook';
}

const mediaKinds: Record<string, Attachment['kind']> = { image: 'image', video: 'video', audio: 'audio', file: 'file', ig_reel: 'video', reel: 'video' };

/** Turns one webhook body into events. Echoes of our own sends are dropped: we stored them when we sent them. */
export function normalizeInstagram(body: unknown): MetaItem[] {
  const hook = body as IgWebhook;
  if (!hook || typeof hook !== 'object' || hook.object !== 'instagram' || !Array.isArray(hook.entry)) {
    throw new NotAnInstagramWebhook('expected object "instagram" with an entry array');
  }
  const items: MetaItem[] = [];
  for (const entry of hook.entry) {
    for (const m of entry.messaging ?? []) {
      const event = normalizeMessaging(m);
      if (event) items.push({ type: 'event', accountId: entry.id ?? m.recipient.id, ...event });
    }
  }
  return items;
}

function normalizeMessaging(m: IgMessaging): { event: NormalizedEvent; media: PendingMedia[] } | null {
  const base = {
    threadKey: m.sender.id,
    sender: { externalId: m.sender.id },
    sentAt: isoFromMillis(m.timestamp),
  };
  if (m.message?.is_echo) return null;
  if (m.reaction) {
    // Withdrawn reactions cannot be shown: the inbox keeps reactions as a set it only adds to.
    const emoji = m.reaction.emoji ?? m.reaction.reaction;
    if (m.reaction.action !== 'react' || !emoji) return null;
    return {
      event: { ...base, kind: 'reaction', externalId: `reaction:${m.reaction.mid}:${m.sender.id}:${m.timestamp}`, replyTo: m.reaction.mid, reaction: emoji },
      media: [],
    };
  }
  if (m.read) {
    return { event: { ...base, kind: 'read', externalId: `read:${m.read.mid}`, replyTo: m.read.mid }, media: [] };
  }
  if (m.postback) {
    const text = m.postback.title ?? m.postback.payload;
    return { event: { ...base, kind: 'message', externalId: m.postback.mid ?? `postback:${m.sender.id}:${m.timestamp}`, ...(text ? { text } : {}) }, media: [] };
  }
  const msg = m.message;
  if (!msg) return null;
  if (msg.is_deleted) return { event: { ...base, kind: 'delete', externalId: `delete:${msg.mid}`, replyTo: msg.mid }, media: [] };

  const attachments: Attachment[] = [];
  const media: PendingMedia[] = [];
  const notes: string[] = [];
  for (const a of msg.attachments ?? []) {
    const url = a.payload?.url;
    if (a.type === 'story_mention') {
      notes.push('Mentioned you in their story');
      if (url) {
        media.push({ index: attachments.length, url });
        attachments.push({ kind: 'image', name: 'Story mention', ref: url });
      }
    } else if (a.type === 'share' || a.type === 'ig_post') {
      notes.push(`Shared a post${url ? `: ${url}` : ''}`);
    } else if (mediaKinds[a.type] && url) {
      media.push({ index: attachments.length, url });
      attachments.push({ kind: mediaKinds[a.type]!, ref: url, ...(a.payload?.title ? { name: a.payload.title } : {}) });
    } else {
      notes.push(`[${a.type} attachment — open Instagram to see it]`);
    }
  }
  const story = msg.reply_to?.story;
  if (story) {
    notes.unshift('Replied to your story');
    if (story.url) {
      media.push({ index: attachments.length, url: story.url });
      attachments.push({ kind: 'image', name: 'Story', ref: story.url });
    }
  }
  if (msg.is_unsupported) notes.push('[unsupported message — open Instagram to see it]');
  const text = [msg.text, ...notes].filter((t): t is string => Boolean(t)).join('\n');
  return {
    event: {
      ...base,
      kind: 'message',
      externalId: msg.mid,
      ...(text ? { text } : {}),
      ...(attachments.length ? { attachments } : {}),
      ...(msg.reply_to?.mid ? { replyTo: msg.reply_to.mid } : {}),
    },
    media,
  };
}
