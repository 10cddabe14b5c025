import type { MessageView } from '@switchboard/contracts';

/**
 * The conversation as the visitor sees it: server messages merged with the visitor's own
 * messages that the server has not stored yet. Pure functions; every change returns a new list.
 */

export type ChatAuthor = 'visitor' | 'agent' | 'system';
/** pending: typed, not yet acknowledged; sent: the server has it; failed: the server refused it. */
export type ChatStatus = 'pending' | 'sent' | 'failed';

/** A file on a message, as the UI shows it. */
export interface ChatAttachment {
  name: string;
  mime?: string;
  size?: number;
  /** Where to open or show it: the hub's signed link, or an object URL while a local file uploads. */
  url?: string;
  /** Shown as a picture rather than a file chip. */
  image: boolean;
  /** Still on the visitor's device (not yet uploaded, or upload refused). */
  local?: boolean;
}

export interface ChatMessage {
  /** Render key; stays the same when a pending message becomes the server's copy. */
  key: string;
  /** Server id, once the server has the message. */
  id?: string;
  /** The widget's id for a message the visitor typed (UUID). */
  clientId?: string;
  /** Position in the conversation; absent until the server's copy arrives. */
  seq?: number;
  author: ChatAuthor;
  authorName?: string;
  text: string;
  attachments: ChatAttachment[];
  status: ChatStatus;
  /** Why the server refused a failed message. */
  error?: string;
  createdAt: string;
  /** Set when an agent edited the message; the newer copy wins when two arrive out of order. */
  editedAt?: string;
  deleted: boolean;
}

/** The server echoes the widget's clientId on visitor messages; the shared type does not carry it (yet). */
type WithClientId = MessageView & { clientId?: string };

export function fromView(view: MessageView): ChatMessage {
  const { id, author, clientId, html } = view as WithClientId;
  return {
    key: clientId ?? id,
    id,
    clientId,
    seq: view.seq,
    author: view.direction === 'in' ? 'visitor' : author.kind === 'system' ? 'system' : 'agent',
    authorName: author.name || undefined,
    text: view.text ?? (html ? htmlToText(html) : ''),
    attachments: view.attachments.map(({ kind, name = kind, mime, size, url }) => ({ name, mime, size, url, image: kind === 'image' || Boolean(mime?.startsWith('image/')) })),
    status: view.status === 'failed' ? 'failed' : 'sent',
    error: view.error,
    createdAt: view.createdAt,
    editedAt: view.editedAt,
    deleted: Boolean(view.deletedAt),
  };
}

/** An agent's message as the page's `Switchboard.on('message')` listeners get it. */
export function toPublicMessage(m: ChatMessage) {
  return {
    id: m.id ?? m.key,
    text: m.text,
    ...(m.authorName ? { authorName: m.authorName } : {}),
    createdAt: m.createdAt,
    attachments: m.attachments.map(({ name, url }) => ({ name, url })),
  };
}

/** Plain text of an HTML body (the widget renders text only, never markup from the server). */
export function htmlToText(html: string): string {
  const entities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", nbsp: ' ' };
  return html
    .replace(/<br\s*\/?>|<\/p>|<\/div>/gi, '\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&(amp|lt|gt|quot|#39|nbsp);/g, (_, name: string) => entities[name] ?? '')
    .trim();
}

/** Add a message the visitor just typed (or a file they picked), shown at once as pending. */
export function addPending(
  list: readonly ChatMessage[],
  msg: { clientId: string; text: string; createdAt: string; attachments?: readonly ChatAttachment[] | undefined },
): ChatMessage[] {
  if (list.some((m) => m.clientId === msg.clientId)) return [...list];
  // After everything the server numbered, in the order typed.
  return [...list, { ...msg, key: msg.clientId, author: 'visitor', attachments: [...(msg.attachments ?? [])], status: 'pending', deleted: false }];
}

function setStatus(list: readonly ChatMessage[], clientId: string, status: ChatStatus, error?: string): ChatMessage[] {
  return list.map((m) => (m.clientId !== clientId || m.id ? m : { ...m, status, error }));
}

/** The server acknowledged a send. A no-op if its copy already replaced the pending message. */
export const markSent = (list: readonly ChatMessage[], clientId: string) => setStatus(list, clientId, 'sent');
export const markFailed = (list: readonly ChatMessage[], clientId: string, error: string) =>
  setStatus(list, clientId, 'failed', error);
export const markPending = (list: readonly ChatMessage[], clientId: string) => setStatus(list, clientId, 'pending');

/**
 * Merge messages from the server (resume answer or live events). A message already held (same
 * server id) is replaced by the newer copy; a visitor message replaces its local pending copy,
 * found by the echoed clientId or, when the server does not echo it, by the oldest local message
 * with the same text. Never duplicates; the result is ordered by seq, local-only messages last.
 */
export function mergeServer(list: readonly ChatMessage[], views: readonly MessageView[]): ChatMessage[] {
  const next = [...list];
  for (const view of views) {
    const incoming = fromView(view);
    let at = next.findIndex((m) => m.id === view.id);
    if (at < 0 && incoming.author === 'visitor') {
      at = incoming.clientId
        ? next.findIndex((m) => m.clientId === incoming.clientId)
        : next.findIndex((m) => !m.id && m.author === 'visitor' && m.text === incoming.text);
    }
    if (at < 0) {
      next.push(incoming);
      continue;
    }
    const held = next[at]!;
    if (isOlder(incoming, held)) continue;
    next[at] = { ...incoming, key: held.key, clientId: held.clientId ?? incoming.clientId };
  }
  return sortMessages(next);
}

/**
 * A resume answer read from the store can arrive after a live edit of the same message; the
 * older copy must not undo the newer one. Deletion is final; otherwise the later edit wins.
 */
function isOlder(incoming: ChatMessage, held: ChatMessage): boolean {
  if (!held.id) return false;
  if (held.deleted && !incoming.deleted) return true;
  return held.editedAt !== undefined && (incoming.editedAt === undefined || incoming.editedAt < held.editedAt);
}

/** Sorts `list` (a fresh copy) in place by seq; messages the server has not numbered yet keep their order at the end (sort is stable). */
export function sortMessages(list: ChatMessage[]): ChatMessage[] {
  return list.sort((a, b) => (a.seq ?? Infinity) - (b.seq ?? Infinity) || 0);
}

/** Highest seq held, the cursor for `session:resume`; undefined when nothing came from the server. */
export function highestSeq(list: readonly ChatMessage[]): number | undefined {
  let max: number | undefined;
  for (const m of list) if (m.seq !== undefined && (max === undefined || m.seq > max)) max = m.seq;
  return max;
}
