import type { DeliveryStatus, MessageView } from '@switchboard/contracts';
import { t } from './i18n/core.js';

/**
 * The messages of one conversation as held by the console: merged from the first fetch, socket
 * events, catch-up fetches after a reconnect and reply responses, in any order and with repeats.
 * One entry per message id, ordered by seq; a delivery tick never goes backwards.
 */

const STATUS_RANK: Record<DeliveryStatus, number> = { queued: 0, sent: 1, failed: 2, delivered: 3, read: 4 };

/** Channels report ticks out of order (read before delivered); keep the furthest one. */
export function laterStatus(a: DeliveryStatus | undefined, b: DeliveryStatus | undefined): DeliveryStatus | undefined {
  if (!a) return b;
  if (!b) return a;
  return STATUS_RANK[b] >= STATUS_RANK[a] ? b : a;
}

export function mergeMessages(held: readonly MessageView[], incoming: readonly MessageView[]): MessageView[] {
  if (incoming.length === 0) return held as MessageView[];
  // The usual live case: one new message after everything held (seq is unique per message, so
  // its id cannot be held yet): append, no map and no sort over the whole thread.
  const last = held[held.length - 1];
  if (incoming.length === 1 && (!last || incoming[0]!.seq > last.seq)) return [...held, incoming[0]!];
  const byId = new Map<string, MessageView>(held.map((m) => [m.id, m]));
  for (const m of incoming) {
    const prev = byId.get(m.id);
    if (!prev) {
      byId.set(m.id, m);
      continue;
    }
    const retries = m.retries ?? 0;
    const heldRetries = prev.retries ?? 0;
    // A view from before the latest retry is stale; one from a newer attempt starts its ticks over.
    if (retries < heldRetries) continue;
    const status = retries > heldRetries ? m.status : laterStatus(prev.status, m.status);
    // A failure's reason belongs to the failed state only.
    const merged: MessageView = { ...prev, ...m };
    if (status) merged.status = status;
    if (status !== 'failed') delete merged.error;
    byId.set(m.id, merged);
  }
  return [...byId.values()].sort((a, b) => a.seq - b.seq);
}

/** The resume cursor: the highest seq held, 0 when nothing is. */
export function highestSeq(messages: readonly MessageView[]): number {
  return messages.reduce((max, m) => (m.seq > max ? m.seq : max), 0);
}

export function lowestSeq(messages: readonly MessageView[]): number {
  return messages.length === 0 ? 0 : messages.reduce((min, m) => (m.seq < min ? m.seq : min), Number.MAX_SAFE_INTEGER);
}

/** Outbound messages whose ticks can still change; worth a status refresh after a reconnect. */
export function hasUnsettledOutbound(messages: readonly MessageView[]): boolean {
  return messages.some((m) => m.direction === 'out' && m.status !== 'read' && m.status !== 'failed');
}

/** A reply the agent sent that the server has not confirmed yet (or refused). */
export interface PendingReply {
  /** The idempotency key; retrying with it can never send the reply twice. */
  key: string;
  conversationId: string;
  /** '' for a reply of files only. */
  text: string;
  /** Files uploaded for it (shown in the bubble, named by ref when sent). */
  attachments: MessageView['attachments'];
  state: 'sending' | 'unsent';
  error?: string;
  /** Highest seq held when it was sent; the stored reply will come after it. */
  afterSeq: number;
  /** Conversations with threads (Slack): the thread it goes into, null = the top level. */
  thread?: string | null;
  createdAt: string;
}

/**
 * Replies still to show as pending. The stored reply can arrive by socket before the POST
 * answers; a pending reply then hides behind the first matching outbound message (same text
 * and files, by me, after `afterSeq`) not already claimed by an earlier pending reply.
 */
export function visiblePending(pending: readonly PendingReply[], messages: readonly MessageView[], meId: string | null): PendingReply[] {
  const claimed = new Set<string>();
  return pending.filter((p) => {
    if (p.state !== 'sending') return true;
    const match = messages.find(
      (m) =>
        !claimed.has(m.id) &&
        m.direction === 'out' &&
        m.seq > p.afterSeq &&
        (m.text ?? '') === p.text &&
        sameRefs(m.attachments, p.attachments) &&
        (meId === null || m.author.id === undefined || m.author.id === meId),
    );
    if (!match) return true;
    claimed.add(match.id);
    return false;
  });
}

function sameRefs(a: MessageView['attachments'], b: MessageView['attachments']): boolean {
  return a.length === b.length && a.every((x, i) => x.ref === b[i]!.ref);
}

/**
 * Where a reply goes in a conversation with threads (Slack): the agent's pick (a thread's ref, or
 * null for the top level), else the thread of the latest message in one; undefined without threads.
 */
export function replyThread(messages: readonly MessageView[], chosen: string | null | undefined): string | null | undefined {
  return chosen !== undefined ? chosen : messages.findLast((m) => m.thread)?.thread?.ref;
}

/** Names of everyone typing, as one line: "Maria is typing…", "Maria and Ada are typing…". */
export function typingLine(names: readonly string[]): string {
  const unique = [...new Set(names.map((n) => n.trim() || t('typing.someone')))];
  if (unique.length === 0) return '';
  const [a = '', b = ''] = unique;
  if (unique.length === 1) return t('typing.one', { a });
  if (unique.length === 2) return t('typing.two', { a, b });
  return t('typing.many', { a, count: unique.length - 1 });
}

/** The quote above a reply to an earlier message: who wrote the original and its first line. */
export type ReplyQuote = { kind: 'loaded'; id: string; author: string; line: string } | { kind: 'missing' };

/** Longest first line a quote shows. */
const QUOTE_MAX = 100;

/**
 * What to show above message `m` when it answers another (`replyTo`): the original, if it is
 * among the loaded messages, else that it is not loaded. Null when `m` answers nothing, for
 * email messages, and in a thread (it shows under the message it answers).
 */
export function replyQuote(m: MessageView, loaded: ReadonlyMap<string, MessageView>): ReplyQuote | null {
  // An email carries its own quoted history (folded under •••); its In-Reply-To needs no second quote.
  if (!m.replyTo || m.email || m.thread) return null;
  const original = loaded.get(m.replyTo);
  if (!original || original.conversationId !== m.conversationId) return { kind: 'missing' };
  const author = original.author.name?.trim() || (original.direction === 'out' ? t('msg.agent') : t('msg.contact'));
  return { kind: 'loaded', id: original.id, author, line: quoteLine(original) };
}

function quoteLine(m: MessageView): string {
  if (m.deletedAt) return t('msg.deleted');
  const text = (m.text ?? (m.html ? m.html.replace(/<[^>]*>/g, ' ') : '')).trim();
  const line = text.split('\n').map((l) => l.trim()).find((l) => l) ?? '';
  if (!line) {
    const kind = m.attachments[0]?.kind;
    return kind === 'image' ? t('msg.photo') : m.attachments.length ? t('msg.file') : '';
  }
  return line.length > QUOTE_MAX ? `${line.slice(0, QUOTE_MAX - 1)}…` : line;
}
