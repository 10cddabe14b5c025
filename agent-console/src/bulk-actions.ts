import type { ConversationView } from '@switchboard/contracts';
import { t } from './i18n/bulk.js';

/**
 * The bulk actions of the conversation list: what each sends to POST /api/v1/conversations/bulk,
 * how a large selection is split into requests, and the sentence the agent reads afterwards.
 * Pure logic; ui/bulk-bar.tsx runs it.
 */

export const BULK_PATH = '/api/v1/conversations/bulk';
/** The most ids the server takes in one request. */
export const BULK_BATCH = 100;

export type BulkAction =
  | { kind: 'assign'; agentId: string | null; /** "you", "Maria Lopez"; unused when unassigning. */ to?: string }
  | { kind: 'status'; status: 'open' | 'pending' | 'resolved' }
  | { kind: 'read' };

export interface BulkBody {
  ids: string[];
  action: 'assign' | 'status' | 'read';
  agentId?: string | null;
  status?: 'open' | 'pending' | 'resolved';
}

export type BulkResult =
  | { id: string; ok: true; conversation: ConversationView }
  | { id: string; ok: false; error: { code: string; message: string } };

export function bulkBody(action: BulkAction, ids: string[]): BulkBody {
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
export async function runBulk(action: BulkAction, ids: readonly string[], post: (body: BulkBody) => Promise<{ results: BulkResult[] }>): Promise<BulkResult[]> {
  const all: BulkResult[] = [];
  for (const batch of batches(ids)) {
    try {
      all.push(...(await post(bulkBody(action, batch))).results);
    } catch (err) {
      const message = err instanceof Error && err.message ? err.message : t('wentWrong');
      const code = (err as { code?: unknown }).code;
      for (const id of batch) all.push({ id, ok: false, error: { code: typeof code === 'string' ? code : 'SB_ERR_NETWORK', message } });
    }
  }
  return all;
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
