import type { Channel, ConversationStatus } from '@switchboard/contracts';
import type { Principal } from '@switchboard/auth';
import { errors } from '@switchboard/http';
import type { Filter, Sort } from '@switchboard/store';
import type { ConversationRecord, TenantRepositories } from './repositories/index.js';

/**
 * The conversation list's views, sorts and cursors (GET /conversations) and the unread counts
 * per view (GET /conversations/counts). Pure query building plus the reads; the routes only
 * validate and answer.
 */

export type ListSort = 'newest' | 'oldest' | 'waiting' | 'sla';
export const LIST_SORTS: readonly ListSort[] = ['newest', 'oldest', 'waiting', 'sla'];

export interface ListQuery {
  status: ConversationStatus | 'all';
  assignee: 'me' | 'unassigned' | 'all';
  inboxId?: string | undefined;
  channel?: Channel | undefined;
  teamId?: string | undefined;
  crmContactId?: string | undefined;
  mentioned?: 'me' | undefined;
  sort: ListSort;
  limit: number;
  cursor?: string | undefined;
}

/**
 * How a sort orders: by `key` in `dir`, ties by _id the same way. A nullable key (no customer
 * waiting, no SLA running) puts those conversations last, newest activity first among them.
 */
interface SortPlan {
  key: 'updatedAt' | 'createdAt' | 'waitingSince' | 'slaDueAt';
  dir: 1 | -1;
  nullsLast: boolean;
}

const PLANS: Record<ListSort, SortPlan> = {
  newest: { key: 'updatedAt', dir: -1, nullsLast: false },
  oldest: { key: 'createdAt', dir: 1, nullsLast: false },
  waiting: { key: 'waitingSince', dir: 1, nullsLast: true },
  sla: { key: 'slaDueAt', dir: 1, nullsLast: true },
};
const TAIL: SortPlan = PLANS.newest;

/** Where the previous page ended: the sort, its key's value there (null = in the nulls-last tail), the tail's updatedAt, the id. */
interface Cursor {
  s: ListSort;
  k: string | null;
  u: string;
  i: string;
}

/** How many of the caller's newest mentions the Mentions view looks at. */
const MENTIONS_SCANNED = 500;

const badCursor = (why: string) => errors.validation(why, { path: '/cursor' });
const isIso = (v: unknown): v is string => typeof v === 'string' && !Number.isNaN(Date.parse(v));

export function encodeCursor(sort: ListSort, c: ConversationRecord): string {
  const plan = PLANS[sort];
  const key = c[plan.key] as Date | string | null | undefined;
  const cursor: Cursor = { s: sort, k: key == null ? null : new Date(key).toISOString(), u: new Date(c.updatedAt).toISOString(), i: c._id };
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

export function decodeCursor(raw: string, sort: ListSort): Cursor {
  let c: Partial<Cursor> & { u?: unknown; i?: unknown };
  try {
    c = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as typeof c;
  } catch {
    throw badCursor('cursor is not one this API returned.');
  }
  if (!c || typeof c !== 'object' || typeof c.i !== 'string' || !isIso(c.u)) throw badCursor('cursor is not one this API returned.');
  // Cursors from before sorts existed carry only { u, i }: newest first.
  const s = c.s ?? 'newest';
  if (!LIST_SORTS.includes(s)) throw badCursor('cursor is not one this API returned.');
  if (s !== sort) throw badCursor(`cursor belongs to the "${s}" sort; ask for the first page again with sort=${sort}.`);
  const k = c.s === undefined ? c.u : c.k;
  if (k !== null && !isIso(k)) throw badCursor('cursor is not one this API returned.');
  if (k === null && !PLANS[s].nullsLast) throw badCursor('cursor is not one this API returned.');
  return { s, k: k as string | null, u: c.u, i: c.i };
}

/** Conversations after `value`/`id` in `plan`'s order. */
function after(plan: SortPlan, value: Date, id: string): Filter {
  const op = plan.dir === 1 ? '$gt' : '$lt';
  return { $or: [{ [plan.key]: { [op]: value } }, { [plan.key]: value, _id: { [op]: id } }] };
}

/** The filters a query names (not the cursor). Empty `$in` when the caller has no mentions. */
export async function listFilter(r: TenantRepositories, principal: Principal, q: Omit<ListQuery, 'sort' | 'limit' | 'cursor'>): Promise<Filter[]> {
  const and: Filter[] = [];
  if (q.status !== 'all') and.push({ status: q.status });
  if (q.assignee === 'me') and.push({ assigneeId: principal.agentId ?? null });
  if (q.assignee === 'unassigned') and.push({ assigneeId: null });
  if (q.inboxId) and.push({ inboxId: q.inboxId });
  if (q.channel) and.push({ channel: q.channel });
  if (q.teamId) and.push({ teamId: q.teamId });
  if (q.crmContactId) and.push({ crmContactId: q.crmContactId });
  if (q.mentioned === 'me') and.push({ _id: { $in: await mentionedConversationIds(r, principal) } });
  return and;
}

/** Conversations where the caller was @mentioned in a note, newest mentions first (an API key has none). */
async function mentionedConversationIds(r: TenantRepositories, principal: Principal): Promise<string[]> {
  if (!principal.agentId) return [];
  const mentions = await r.mentions.find({ agentId: principal.agentId }, { sort: { createdAt: -1 }, limit: MENTIONS_SCANNED, projection: { conversationId: 1 } });
  return [...new Set(mentions.map((m) => m.conversationId))];
}

/**
 * One page in the sort's order. A nulls-last sort reads the conversations that have the key
 * first; when they run out within the page, the rest comes from the tail (newest first).
 */
export async function listPage(r: TenantRepositories, base: Filter[], q: Pick<ListQuery, 'sort' | 'limit' | 'cursor'>): Promise<{ items: ConversationRecord[]; nextCursor: string | null }> {
  const plan = PLANS[q.sort];
  const cursor = q.cursor ? decodeCursor(q.cursor, q.sort) : null;
  const want = q.limit + 1;
  const find = (extra: Filter[], sort: Sort, limit: number) => {
    const and = [...base, ...extra];
    return r.conversations.find(and.length ? { $and: and } : {}, { sort, limit });
  };
  const keyed: Filter[] = plan.nullsLast ? [{ [plan.key]: { $ne: null } }] : [];
  const tail: Filter[] = [{ [plan.key]: null }];
  let items: ConversationRecord[] = [];
  if (!cursor || cursor.k !== null) {
    const from = cursor ? [after(plan, new Date(cursor.k!), cursor.i)] : [];
    items = await find([...keyed, ...from], { [plan.key]: plan.dir, _id: plan.dir }, want);
  }
  if (plan.nullsLast && items.length < want) {
    const from = cursor?.k === null ? [after(TAIL, new Date(cursor.u), cursor.i)] : [];
    items = items.concat(await find([...tail, ...from], { [TAIL.key]: TAIL.dir, _id: TAIL.dir }, want - items.length));
  }
  const page = items.slice(0, q.limit);
  const last = page[page.length - 1];
  return { items: page, nextCursor: items.length > q.limit && last ? encodeCursor(q.sort, last) : null };
}

export interface ViewCount {
  open: number;
  unread: number;
}

export interface ConversationCounts {
  mine: ViewCount;
  unassigned: ViewCount;
  all: ViewCount;
  mentions: ViewCount;
  /** Every inbox the caller may see, with its name and channel (agents cannot list channel accounts). */
  inboxes: ({ inboxId: string; name: string; channel: Channel } & ViewCount)[];
  teams: ({ teamId: string } & ViewCount)[];
}

/**
 * Open conversations per view and how many of them have unread messages, for the caller: `r`
 * is the caller's repositories, so an agent limited to some inboxes counts only those. One read
 * of the open conversations (four small fields each) answers every view on both store adapters.
 */
export async function countConversations(r: TenantRepositories, principal: Principal): Promise<ConversationCounts> {
  const [open, mentioned, inboxes] = await Promise.all([
    r.conversations.find({ status: 'open' }, { projection: { inboxId: 1, assigneeId: 1, unreadCount: 1, teamId: 1 } }),
    mentionedConversationIds(r, principal),
    r.inboxes.find({}, { sort: { createdAt: 1 }, projection: { name: 1, channel: 1 } }),
  ]);
  const zero = (): ViewCount => ({ open: 0, unread: 0 });
  const counts = { mine: zero(), unassigned: zero(), all: zero(), mentions: zero() };
  const visible = principal.inboxIds ? inboxes.filter((i) => principal.inboxIds!.includes(i._id)) : inboxes;
  const byInbox = new Map(visible.map((i) => [i._id, { name: i.name, channel: i.channel, ...zero() }]));
  const byTeam = new Map<string, ViewCount>();
  const mentionedIds = new Set(mentioned);
  const add = (c: ViewCount, unread: boolean) => {
    c.open++;
    if (unread) c.unread++;
  };
  for (const c of open) {
    const unread = c.unreadCount > 0;
    add(counts.all, unread);
    if (principal.agentId && c.assigneeId === principal.agentId) add(counts.mine, unread);
    if (c.assigneeId === null) add(counts.unassigned, unread);
    if (mentionedIds.has(c._id)) add(counts.mentions, unread);
    const inbox = byInbox.get(c.inboxId);
    if (inbox) add(inbox, unread);
    if (c.teamId) {
      let team = byTeam.get(c.teamId);
      if (!team) byTeam.set(c.teamId, (team = zero()));
      add(team, unread);
    }
  }
  return {
    ...counts,
    inboxes: [...byInbox].map(([inboxId, c]) => ({ inboxId, ...c })),
    teams: [...byTeam].map(([teamId, c]) => ({ teamId, ...c })),
  };
}
