import type { webApi } from '@slack/bolt';
import type { Attachment } from '@switchboard/contracts';
import { hmacSha256Hex, safeEqual } from '@switchboard/crypto';
import type { ChannelAccount, ConnectorContext, InboundDraft, WebhookRequest } from '@switchboard/connectors-sdk';

/** The parts of an Events API message event we read (https://api.slack.com/events/message). */
export interface SlackFile {
  id: string;
  name?: string;
  title?: string;
  mimetype?: string;
  size?: number;
  url_private?: string;
  url_private_download?: string;
  /** Slack Connect: "check_file_info" means the event carries only the id. */
  file_access?: string;
}
export interface SlackMessageEvent {
  type: 'message';
  subtype?: string;
  channel: string;
  user?: string;
  bot_id?: string;
  text?: string;
  ts: string;
  thread_ts?: string;
  event_ts?: string;
  files?: SlackFile[];
  message?: { user?: string; bot_id?: string; text?: string; ts: string; thread_ts?: string; subtype?: string };
  previous_message?: { user?: string; ts: string; thread_ts?: string };
  deleted_ts?: string;
}
export interface SlackEnvelope {
  type: 'url_verification' | 'event_callback' | string;
  challenge?: string;
  team_id?: string;
  event_id?: string;
  event?: { type: string } & Partial<SlackMessageEvent>;
}

/** Slack's request signature: v0=HMAC-SHA256(signing secret, "v0:<timestamp>:<raw body>"). */
export function slackSignature(signingSecret: string, timestamp: string, rawBody: Buffer | string): string {
  return `v0=${hmacSha256Hex(signingSecret, Buffer.concat([Buffer.from(`v0:${timestamp}:`), Buffer.from(rawBody)]))}`;
}

export function verifySlack(req: WebhookRequest, signingSecret: string | undefined, maxAgeSeconds: number, now = Date.now()): boolean {
  const timestamp = req.headers['x-slack-request-timestamp'];
  const signature = req.headers['x-slack-signature'];
  if (req.method !== 'POST' || !signingSecret || !timestamp || !signature || !/^\d+$/.test(timestamp)) return false;
  // An old timestamp is a replayed request, however valid its signature.
  if (Math.abs(now / 1000 - Number(timestamp)) > maxAgeSeconds) return false;
  return safeEqual(signature, slackSignature(signingSecret, timestamp, req.rawBody));
}

const key = (channel: string, ts: string) => `${channel}:${ts}`;
const tsDate = (ts: string) => new Date(Math.floor(Number(ts) * 1000)).toISOString();

export interface Normalizer {
  client: webApi.WebClient;
  account: ChannelAccount;
  ctx: ConnectorContext;
  /** Names of Slack users, cached per process. */
  users: UserDirectory;
}

/**
 * One Events API envelope → events. A top-level message opens or continues the conversation
 * keyed by its own ts; replies in its thread stay in it. The app's own messages (any bot) are
 * not customer messages and are skipped.
 */
export async function normalizeEnvelope(envelope: SlackEnvelope, n: Normalizer): Promise<InboundDraft[]> {
  const e = envelope.event as SlackMessageEvent | undefined;
  if (envelope.type !== 'event_callback' || !e || e.type !== 'message' || !e.channel) return [];
  const allowed = n.account.settings.channels?.split(',').map((c) => c.trim()).filter(Boolean) ?? [];
  if (allowed.length && !allowed.includes(e.channel)) return [];
  const own = (m: { bot_id?: string; user?: string }) => Boolean(m.bot_id) || (Boolean(n.account.externalAccountId) && m.user === n.account.externalAccountId);

  if (e.subtype === 'message_changed' && e.message) {
    const m = e.message;
    if (own(m) || !m.user) return [];
    return [
      {
        kind: 'edit',
        externalId: `${key(e.channel, m.ts)}:edit:${e.event_ts ?? e.ts}`,
        threadKey: key(e.channel, m.thread_ts ?? m.ts),
        sender: await n.users.sender(m.user, n),
        replyTo: key(e.channel, m.ts),
        ...(m.text !== undefined ? { text: m.text } : {}),
        sentAt: tsDate(e.event_ts ?? e.ts),
      },
    ];
  }
  if (e.subtype === 'message_deleted' && e.deleted_ts) {
    const p = e.previous_message;
    if (p && own(p)) return [];
    return [
      {
        kind: 'delete',
        externalId: `${key(e.channel, e.deleted_ts)}:delete`,
        threadKey: key(e.channel, p?.thread_ts ?? e.deleted_ts),
        sender: p?.user ? await n.users.sender(p.user, n) : { externalId: e.channel },
        replyTo: key(e.channel, e.deleted_ts),
        sentAt: tsDate(e.event_ts ?? e.ts),
      },
    ];
  }
  if (e.subtype && e.subtype !== 'file_share' && e.subtype !== 'thread_broadcast') return [];
  if (own(e) || !e.user) return [];
  const attachments = await filesOf(e.files ?? [], n);
  const inThread = Boolean(e.thread_ts && e.thread_ts !== e.ts);
  return [
    {
      kind: 'message',
      externalId: key(e.channel, e.ts),
      threadKey: key(e.channel, e.thread_ts ?? e.ts),
      sender: await n.users.sender(e.user, n),
      ...(e.text ? { text: e.text } : {}),
      ...(attachments.length ? { attachments } : {}),
      ...(inThread ? { replyTo: key(e.channel, e.thread_ts as string) } : {}),
      // Every message is in a thread: its own (a top-level message starts one) or its parent's.
      thread: key(e.channel, e.thread_ts ?? e.ts),
      sentAt: tsDate(e.ts),
    },
  ];
}

function kindOf(mime: string): Attachment['kind'] {
  if (mime.startsWith('image/')) return 'image';
  if (mime.startsWith('video/')) return 'video';
  if (mime.startsWith('audio/')) return 'audio';
  return 'file';
}

/** Files are private to the workspace: fetched with the bot token (files.info first when Slack Connect hides them). */
async function filesOf(files: SlackFile[], n: Normalizer): Promise<Attachment[]> {
  const out: Attachment[] = [];
  for (const listed of files) {
    let f = listed;
    const fallback = (): Attachment => ({
      kind: kindOf(f.mimetype ?? ''),
      ref: `slack:${f.id}`,
      ...(f.name ? { name: f.name } : {}),
      ...(f.mimetype ? { mime: f.mimetype } : {}),
      ...(f.size !== undefined ? { size: f.size } : {}),
    });
    try {
      if (f.file_access === 'check_file_info' || !(f.url_private_download ?? f.url_private)) {
        const info = await n.client.files.info({ file: f.id });
        f = { ...f, ...(info.file as SlackFile) };
      }
      const url = f.url_private_download ?? f.url_private;
      if (!url) throw new Error('no download URL');
      const res = await fetch(url, { headers: { authorization: `Bearer ${n.account.credentials.botToken}` }, signal: AbortSignal.timeout(60_000) });
      if (!res.ok) throw new Error(`download answered ${res.status}`);
      const mime = f.mimetype ?? 'application/octet-stream';
      const name = f.name ?? f.title ?? f.id;
      const blob = await n.ctx.saveBlob(Buffer.from(await res.arrayBuffer()), { mime, name });
      out.push({ kind: kindOf(mime), name, mime, size: blob.size, ref: blob.ref });
    } catch (err) {
      n.ctx.logger.warn({ err: (err as Error).message, fileId: f.id }, 'slack file not downloaded; keeping its id');
      out.push(fallback());
    }
  }
  return out;
}

/** users.info look-ups, remembered for an hour so a busy channel does not hit Slack's rate limits. */
export class UserDirectory {
  private readonly cache = new Map<string, { at: number; sender: InboundDraft['sender'] }>();
  constructor(private readonly ttlMs = 3_600_000) {}

  async sender(userId: string, n: Normalizer): Promise<InboundDraft['sender']> {
    const cacheKey = `${n.account.accountId}:${userId}`;
    const hit = this.cache.get(cacheKey);
    if (hit && Date.now() - hit.at < this.ttlMs) return hit.sender;
    let sender: InboundDraft['sender'] = { externalId: userId };
    try {
      const { user } = await n.client.users.info({ user: userId });
      const p = user?.profile;
      const name = p?.real_name || user?.real_name || p?.display_name || user?.name;
      sender = {
        externalId: userId,
        ...(name ? { name } : {}),
        ...(user?.name ? { handle: `@${user.name}` } : {}),
        ...(p?.email ? { email: p.email } : {}),
        ...(p?.image_72 ? { avatarUrl: p.image_72 } : {}),
      };
      this.cache.set(cacheKey, { at: Date.now(), sender });
      if (this.cache.size > 10_000) this.cache.delete(this.cache.keys().next().value as string);
    } catch (err) {
      n.ctx.logger.warn({ err: (err as Error).message, userId }, 'slack users.info failed; storing the id only');
    }
    return sender;
  }
}
