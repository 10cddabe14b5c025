import type { Channel, ContactView, ConversationView } from '@switchboard/contracts';
import { t } from './i18n/core.js';

/**
 * The conversation list as the agent sees it: which conversations the current filters show,
 * newest activity first, kept current by socket updates and page fetches that may arrive in any
 * order. An older view of a conversation never overwrites a newer one.
 */

export type StatusFilter = 'open' | 'pending' | 'snoozed' | 'resolved' | 'all';
export type AssigneeFilter = 'me' | 'unassigned' | 'all';
/** The list's order: latest activity, first created, customer waiting longest, nearest SLA due time. */
export type ListSort = 'newest' | 'oldest' | 'waiting' | 'sla';
/** Which conversations the list shows besides the status tab: a fixed view, one inbox, or one team. */
export type ViewKey = 'mine' | 'unassigned' | 'all' | 'mentions' | `inbox:${string}` | `team:${string}`;
export interface ListFilter {
  status: StatusFilter;
  /** Follows the view: `me` for Mine, `unassigned` for Unassigned, else `all`. */
  assignee: AssigneeFilter;
  /** Default: the view of `assignee`. */
  view?: ViewKey;
  /** Default: newest. */
  sort?: ListSort;
}

export const STATUS_FILTERS: readonly StatusFilter[] = ['open', 'pending', 'snoozed', 'resolved', 'all'];
export const ASSIGNEE_FILTERS: readonly AssigneeFilter[] = ['me', 'unassigned', 'all'];
export const LIST_SORTS: readonly ListSort[] = ['newest', 'oldest', 'waiting', 'sla'];

export function viewOf(filter: ListFilter): ViewKey {
  return filter.view ?? (filter.assignee === 'me' ? 'mine' : filter.assignee);
}

export function assigneeOf(view: ViewKey): AssigneeFilter {
  return view === 'mine' ? 'me' : view === 'unassigned' ? 'unassigned' : 'all';
}

export function isViewKey(v: unknown): v is ViewKey {
  return typeof v === 'string' && (['mine', 'unassigned', 'all', 'mentions'].includes(v) || /^(inbox|team):.+/.test(v));
}

/** The query parameters of GET /api/v1/conversations for a filter. */
export function listParams(filter: ListFilter): { status: StatusFilter; assignee: AssigneeFilter; inboxId?: string; teamId?: string; mentioned?: 'me'; sort: ListSort } {
  const view = viewOf(filter);
  const params = { status: filter.status, assignee: assigneeOf(view), sort: filter.sort ?? 'newest' };
  if (view === 'mentions') return { ...params, mentioned: 'me' };
  if (view.startsWith('inbox:')) return { ...params, inboxId: view.slice(6) };
  if (view.startsWith('team:')) return { ...params, teamId: view.slice(5) };
  return params;
}

/**
 * Whether a conversation belongs in the list. Mentions are known only to the server: a
 * conversation stays in the Mentions view while `held` (already listed) and its status still fits.
 */
export function matchesFilter(conv: ConversationView, filter: ListFilter, meId: string | null, held = false): boolean {
  if (filter.status !== 'all' && conv.status !== filter.status) return false;
  const view = viewOf(filter);
  if (view === 'mine') return meId !== null && conv.assigneeId === meId;
  if (view === 'unassigned') return conv.assigneeId === null;
  if (view === 'mentions') return held;
  if (view.startsWith('inbox:')) return conv.inboxId === view.slice(6);
  if (view.startsWith('team:')) return (conv.teamId ?? null) === view.slice(5);
  return true;
}

function time(iso: string | null | undefined): number {
  const t = iso ? Date.parse(iso) : NaN;
  return Number.isNaN(t) ? 0 : t;
}

/** Newest activity first; ties broken by id so the order never flickers. */
export function compareConversations(a: ConversationView, b: ConversationView): number {
  const d = time(b.updatedAt) - time(a.updatedAt);
  if (d !== 0) return d;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** Ascending by a time that may be missing: those without it last, newest activity first among them (as the server pages them). */
function byTimeThenNewest(key: (c: ConversationView) => string | null | undefined) {
  return (a: ConversationView, b: ConversationView): number => {
    const ka = key(a);
    const kb = key(b);
    if (!ka || !kb) return ka ? -1 : kb ? 1 : compareConversations(a, b);
    const d = time(ka) - time(kb);
    return d !== 0 ? d : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  };
}

const COMPARATORS: Record<ListSort, (a: ConversationView, b: ConversationView) => number> = {
  newest: compareConversations,
  oldest: byTimeThenNewest((c) => c.createdAt),
  waiting: byTimeThenNewest((c) => c.waitingSince),
  sla: byTimeThenNewest((c) => c.slaDueAt),
};

/** The list's order for a sort (the server's order, so fetched pages and live updates agree). */
export function comparatorFor(sort: ListSort = 'newest'): (a: ConversationView, b: ConversationView) => number {
  return COMPARATORS[sort];
}

/** The view to keep when two versions of one conversation meet: the later one, the incoming on a tie. */
export function newerOf(held: ConversationView, incoming: ConversationView): ConversationView {
  return time(incoming.updatedAt) < time(held.updatedAt) ? held : incoming;
}

/**
 * Apply one change (from a socket event or an action's response) to the visible list: insert or
 * replace it, drop it if it no longer matches the filters, re-sort.
 */
export function upsertConversation(
  list: readonly ConversationView[],
  incoming: ConversationView,
  filter: ListFilter,
  meId: string | null,
): ConversationView[] {
  const held = list.find((c) => c.id === incoming.id);
  const next = held ? newerOf(held, incoming) : incoming;
  if (held === next) return list as ConversationView[];
  const rest = list.filter((c) => c.id !== incoming.id);
  if (!matchesFilter(next, filter, meId, !!held)) return rest;
  // The held list is in order already: put the one change in its place (binary search), not
  // sort ten thousand rows again on every message.
  const compare = comparatorFor(filter.sort);
  let lo = 0;
  let hi = rest.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compare(rest[mid]!, next) <= 0) lo = mid + 1;
    else hi = mid;
  }
  rest.splice(lo, 0, next);
  return rest;
}

/**
 * Merge a fetched page into the list. `replace` (first page, e.g. after a reconnect) drops held
 * conversations the server no longer lists, except those in `keep`: ones a socket event touched
 * while the fetch was in flight, which the page's snapshot may predate.
 */
export function mergePage(
  held: readonly ConversationView[],
  page: readonly ConversationView[],
  opts: { replace: boolean; keep?: ReadonlySet<string>; sort?: ListSort },
): ConversationView[] {
  const byId = new Map<string, ConversationView>();
  if (opts.replace) {
    for (const c of held) if (opts.keep?.has(c.id)) byId.set(c.id, c);
  } else {
    for (const c of held) byId.set(c.id, c);
  }
  const heldById = new Map(held.map((c) => [c.id, c]));
  for (const c of page) {
    const mine = heldById.get(c.id);
    byId.set(c.id, mine ? newerOf(mine, c) : c);
  }
  return [...byId.values()].sort(comparatorFor(opts.sort));
}

export function totalUnread(list: readonly ConversationView[]): number {
  return list.reduce((n, c) => n + c.unreadCount, 0);
}

/** What to call a contact: name, else handle, email, phone, else a short visitor label. */
export function contactName(contact: ContactView): string {
  const name = contact.name?.trim() || contact.handle?.trim() || contact.email?.trim() || contact.phone?.trim();
  return name || t('conv.visitor', { id: contact.id.slice(-4).toUpperCase() });
}

/** Secondary line under a contact's name: how to reach them on their channel. */
export function contactDetail(contact: ContactView): string {
  const handle = contact.handle ? (contact.handle.startsWith('@') ? contact.handle : `@${contact.handle}`) : '';
  const candidates = [contact.email, contact.phone, handle].filter((s): s is string => !!s && s !== contact.name);
  return candidates[0] ?? '';
}

export function initials(name: string): string {
  const words = name.replace(/[^\p{L}\p{N}\s]/gu, ' ').trim().split(/\s+/).filter(Boolean);
  const first = words[0]?.[0] ?? '?';
  const second = words.length > 1 ? (words[words.length - 1]?.[0] ?? '') : '';
  return (first + second).toUpperCase();
}

/** Brand names read the same in every language; web chat and email are words. */
const CHANNEL_LABELS: Partial<Record<Channel, string>> = {
  telegram: 'Telegram',
  whatsapp: 'WhatsApp',
  'whatsapp-web': 'WhatsApp',
  instagram: 'Instagram',
  slack: 'Slack',
  loopback: 'Loopback',
};

export function channelLabel(channel: Channel): string {
  return channel === 'web' || channel === 'email' ? t(`channel.${channel}`) : (CHANNEL_LABELS[channel] ?? channel);
}

/** Last message line for the list; `outbound` marks a reply from the team (any agent, so not "You"). */
export function preview(conv: ConversationView): { text: string; outbound: boolean } {
  const last = conv.lastMessage;
  if (!last) return { text: t('conv.noMessages'), outbound: false };
  const text = (last.text ?? '').replace(/\s+/g, ' ').trim() || t('conv.attachment');
  return { text, outbound: last.direction === 'out' };
}

/** A stable hue per contact so the same person keeps the same avatar colour (FNV-1a, murmur3 finaliser). */
export function avatarHue(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return Math.floor(((h >>> 0) / 2 ** 32) * 360);
}
