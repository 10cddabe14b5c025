import type { ConversationView, TicketView } from '@switchboard/contracts';
import { t } from './i18n/bulk.js';
import type { parseTags, pickTicket } from './tickets.js';

/**
 * The bulk actions of the conversation list: what each sends to POST /api/v1/conversations/bulk,
 * how a large selection is split into requests, and the sentence the agent reads afterwards.
 * Snoozing and tagging have no bulk endpoint: they go conversation by conversation through the
 * single routes (a few at a time), each succeeding or failing on its own like a bulk request's
 * items. Pure logic; ui/bulk-bar.tsx runs it.
 */

export const BULK_PATH = '/api/v1/conversations/bulk';
/** The most ids the server takes in one request. */
export const BULK_BATCH = 100;

export type BulkAction =
  | { kind: 'assign'; agentId: string | null; /** "you", "Maria Lopez"; unused when unassigning. */ to?: string }
  | { kind: 'status'; status: 'open' | 'pending' | 'resolved' }
  | { kind: 'read' }
  | { kind: 'snooze'; until: Date; /** "Tomorrow 09:00", for the summary. */ label: string }
  | { kind: 'tag'; tags: string[] };

/** The actions POST /conversations/bulk takes. */
export type ServerBulkAction = Extract<BulkAction, { kind: 'assign' | 'status' | 'read' }>;

export interface BulkBody {
  ids: string[];
  action: 'assign' | 'status' | 'read';
  agentId?: string | null;
  status?: 'open' | 'pending' | 'resolved';
}

export type BulkResult =
  | { id: string; ok: true; /** Absent when the conversation itself did not change (its ticket was tagged). */ conversation?: ConversationView }
  | { id: string; ok: false; error: { code: string; message: string } };

export function bulkBody(action: ServerBulkAction, ids: string[]): BulkBody {
  switch (action.kind) {
    case 'assign':
      return { ids, action: 'assign', agentId: action.agentId };
    case 'status':
      return { ids, action: 'status', status: action.status };
    case 'read':
      return { ids, action: 'read' };
  }
}

export function batches<T>(items: readonly T[], size = BULK_BATCH): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Runs the action on every id, batch after batch; a batch the server never answered fails each of its ids with the reason. */
export async function runBulk(action: ServerBulkAction, ids: readonly string[], post: (body: BulkBody) => Promise<{ results: BulkResult[] }>): Promise<BulkResult[]> {
  const all: BulkResult[] = [];
  for (const batch of batches(ids)) {
    try {
      all.push(...(await post(bulkBody(action, batch))).results);
    } catch (err) {
      for (const id of batch) all.push({ id, ok: false, error: itemError(err) });
    }
  }
  return all;
}

function itemError(err: unknown): { code: string; message: string } {
  const message = err instanceof Error && err.message ? err.message : t('wentWrong');
  const code = (err as { code?: unknown } | null)?.code;
  return { code: typeof code === 'string' ? code : 'SB_ERR_NETWORK', message };
}

/** How many single requests run at once when an action has no bulk endpoint. */
export const EACH_CONCURRENCY = 4;

/** `one` on every id, a few at a time; results in the order of `ids`, a failure recorded with its reason. */
export async function runEach(ids: readonly string[], one: (id: string) => Promise<ConversationView | undefined>, concurrency = EACH_CONCURRENCY): Promise<BulkResult[]> {
  const results: BulkResult[] = new Array(ids.length);
  let next = 0;
  const worker = async () => {
    while (next < ids.length) {
      const i = next++;
      const id = ids[i]!;
      try {
        const conversation = await one(id);
        results[i] = conversation ? { id, ok: true, conversation } : { id, ok: true };
      } catch (err) {
        results[i] = { id, ok: false, error: itemError(err) };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, ids.length) }, worker));
  return results;
}

type Call = <T>(method: 'GET' | 'POST' | 'PATCH', path: string, body?: unknown) => Promise<T>;
const conversationPath = (id: string) => `/api/v1/conversations/${encodeURIComponent(id)}`;

/** POST /conversations/:id/snooze for one conversation. */
export function snoozeOne(call: Call, until: Date): (id: string) => Promise<ConversationView> {
  return (id) => call<ConversationView>('POST', `${conversationPath(id)}/snooze`, { until: until.toISOString() });
}

/**
 * The ticket panel's rules for tags (tickets.ts). Handed in by the page, which holds them: this
 * module's chunk importing tickets.ts would split the page's shared chunk.
 */
export interface TagRules {
  parseTags: typeof parseTags;
  pickTicket: typeof pickTicket;
}

/**
 * Adds tags to one conversation's ticket (the one the ticket panel shows; made first when the
 * team files tickets by hand), keeping the tags it has.
 */
export function tagOne(call: Call, tags: readonly string[], { parseTags, pickTicket }: TagRules): (id: string) => Promise<undefined> {
  return async (id) => {
    const listed = await call<{ items: TicketView[] }>('GET', `/api/v1/tickets?conversationId=${encodeURIComponent(id)}&limit=50`);
    const ticket = pickTicket(listed.items) ?? (await call<TicketView>('POST', '/api/v1/tickets', { conversationId: id }));
    const { add, error } = parseTags(tags.join(' '), ticket.tags);
    if (error) throw new Error(error);
    if (add.length > 0) await call('PATCH', `/api/v1/tickets/${encodeURIComponent(ticket.id)}`, { tags: [...ticket.tags, ...add] });
    return undefined;
  };
}

/** "resolved", "assigned to you": what happened to each conversation that changed. */
export function pastTense(action: BulkAction): string {
  switch (action.kind) {
    case 'assign':
      return action.agentId === null ? t('did.unassigned') : t('did.assigned', { to: action.to ?? t('anotherAgent') });
    case 'status':
      return action.status === 'resolved' ? t('did.resolved') : action.status === 'open' ? t('did.reopened') : t('did.pending');
    case 'read':
      return t('did.read');
    case 'snooze':
      return t('did.snoozed', { until: action.label });
    case 'tag':
      return t('did.tagged', { tags: action.tags.join(', ') });
  }
}

const count = (n: number) => t('conversations', { count: n });
const MAX_NAMES = 3;

/**
 * The toast after a bulk action: "12 conversations resolved", or on failures which ones did not
 * change and why — "2 conversations resolved. Not changed: Olga Petrova, Visitor 3F2A (The
 * conversation was not found.)".
 */
export function bulkSummary(action: BulkAction, results: readonly BulkResult[], nameOf: (id: string) => string): { kind: 'info' | 'error'; text: string } {
  const done = results.filter((r) => r.ok).length;
  const failed = results.filter((r): r is Extract<BulkResult, { ok: false }> => !r.ok);
  const did = pastTense(action);
  if (failed.length === 0) return { kind: 'info', text: t('done', { n: count(done), did }) };
  const byReason = new Map<string, string[]>();
  for (const f of failed) byReason.set(f.error.message, [...(byReason.get(f.error.message) ?? []), nameOf(f.id)]);
  const reasons = [...byReason].map(([message, names]) => {
    const shown = names.slice(0, MAX_NAMES).join(', ');
    const more = names.length > MAX_NAMES ? t('more', { names: shown, n: names.length - MAX_NAMES }) : shown;
    return `${more} (${message})`;
  });
  const head = done > 0 ? t('done', { n: count(done), did }) : t('noneDone', { did });
  return { kind: 'error', text: t('notChanged', { head, reasons: reasons.join('; ') }) };
}
