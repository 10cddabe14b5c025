import { describe, expect, it } from 'vitest';
import type { ConversationView, TicketView } from '@switchboard/contracts';
import { ApiError } from './api.js';
import { parseTags, pickTicket } from './tickets.js';
import { batches, bulkBody, bulkSummary, runBulk, runEach, snoozeOne, tagOne, type BulkBody, type BulkResult } from './bulk-actions.js';

const conv = (id: string) => ({ id }) as ConversationView;
const ok = (id: string): BulkResult => ({ id, ok: true, conversation: conv(id) });
const failed = (id: string, message = 'The conversation was not found.'): BulkResult => ({ id, ok: false, error: { code: 'SB_ERR_NOT_FOUND', message } });
const names: Record<string, string> = { a: 'Olga Petrova', b: 'Ivan', c: 'Maria', d: 'Dana', e: 'Eve' };
const nameOf = (id: string) => names[id] ?? id;

describe('bulk actions', () => {
  it('sends each action with its own fields', () => {
    expect(bulkBody({ kind: 'assign', agentId: 'ag1', to: 'you' }, ['a'])).toEqual({ ids: ['a'], action: 'assign', agentId: 'ag1' });
    expect(bulkBody({ kind: 'assign', agentId: null }, ['a'])).toEqual({ ids: ['a'], action: 'assign', agentId: null });
    expect(bulkBody({ kind: 'status', status: 'pending' }, ['a'])).toEqual({ ids: ['a'], action: 'status', status: 'pending' });
    expect(bulkBody({ kind: 'read' }, ['a', 'b'])).toEqual({ ids: ['a', 'b'], action: 'read' });
  });

  it('splits a large selection into requests of at most 100', async () => {
    expect(batches(Array.from({ length: 250 }, (_, i) => i)).map((b) => b.length)).toEqual([100, 100, 50]);
    const sent: BulkBody[] = [];
    const ids = Array.from({ length: 205 }, (_, i) => `c${i}`);
    const results = await runBulk({ kind: 'read' }, ids, async (body) => {
      sent.push(body);
      return { results: body.ids.map(ok) };
    });
    expect(sent.map((b) => b.ids.length)).toEqual([100, 100, 5]);
    expect(results.map((r) => r.id)).toEqual(ids);
  });

  it('a request that fails fails each of its conversations with the reason; the other batches still run', async () => {
    const ids = Array.from({ length: 150 }, (_, i) => `c${i}`);
    let call = 0;
    const results = await runBulk({ kind: 'status', status: 'resolved' }, ids, async (body) => {
      if (call++ === 0) throw Object.assign(new Error('Could not reach Switchboard.'), { code: 'SB_ERR_NETWORK' });
      return { results: body.ids.map(ok) };
    });
    expect(results.filter((r) => !r.ok)).toHaveLength(100);
    expect(results[0]).toEqual({ id: 'c0', ok: false, error: { code: 'SB_ERR_NETWORK', message: 'Could not reach Switchboard.' } });
    expect(results.filter((r) => r.ok)).toHaveLength(50);
  });

  it('says how many changed, in words for each action', () => {
    const three = ['a', 'b', 'c'].map(ok);
    expect(bulkSummary({ kind: 'status', status: 'resolved' }, three, nameOf)).toEqual({ kind: 'info', text: '3 conversations resolved.' });
    expect(bulkSummary({ kind: 'status', status: 'open' }, [ok('a')], nameOf).text).toBe('1 conversation reopened.');
    expect(bulkSummary({ kind: 'status', status: 'pending' }, three, nameOf).text).toBe('3 conversations marked pending.');
    expect(bulkSummary({ kind: 'assign', agentId: 'me', to: 'you' }, three, nameOf).text).toBe('3 conversations assigned to you.');
    expect(bulkSummary({ kind: 'assign', agentId: 'x', to: 'Maria Lopez' }, three, nameOf).text).toBe('3 conversations assigned to Maria Lopez.');
    expect(bulkSummary({ kind: 'assign', agentId: null }, three, nameOf).text).toBe('3 conversations unassigned.');
    expect(bulkSummary({ kind: 'read' }, three, nameOf).text).toBe('3 conversations marked read.');
  });

  it('names the conversations that did not change and why, grouped by reason', () => {
    const s = bulkSummary({ kind: 'status', status: 'resolved' }, [ok('a'), failed('b'), ok('c'), failed('d', 'Something went wrong on our side; it has been logged.'), failed('e')], nameOf);
    expect(s).toEqual({
      kind: 'error',
      text: '2 conversations resolved. Not changed: Ivan, Eve (The conversation was not found.); Dana (Something went wrong on our side; it has been logged.)',
    });
    const none = bulkSummary({ kind: 'read' }, ['a', 'b', 'c', 'd', 'e'].map((id) => failed(id)), nameOf);
    expect(none.text).toBe('No conversation was marked read. Not changed: Olga Petrova, Ivan, Maria and 2 more (The conversation was not found.)');
  });

  it('snooze goes conversation by conversation, a few at a time, each failing on its own', async () => {
    const until = new Date('2030-01-04T09:00:00Z');
    const sent: { path: string; body: unknown }[] = [];
    let running = 0;
    let most = 0;
    const call = async <T,>(method: string, path: string, body?: unknown): Promise<T> => {
      sent.push({ path, body });
      most = Math.max(most, ++running);
      await new Promise((r) => setTimeout(r, 5));
      running--;
      if (path.includes('/b/')) throw new ApiError(404, 'SB_ERR_NOT_FOUND', 'The conversation was not found.');
      return conv(path.split('/')[4]!) as T;
    };
    const ids = ['a', 'b', 'c', 'd', 'e', 'f'];
    const results = await runEach(ids, snoozeOne(call, until));
    expect(results.map((r) => [r.id, r.ok])).toEqual(ids.map((id) => [id, id !== 'b']));
    expect(sent[0]).toEqual({ path: '/api/v1/conversations/a/snooze', body: { until: '2030-01-04T09:00:00.000Z' } });
    expect(most).toBe(4);
    const summary = bulkSummary({ kind: 'snooze', until, label: 'Fri 09:00' }, results, nameOf);
    expect(summary).toEqual({ kind: 'error', text: '5 conversations snoozed until Fri 09:00. Not changed: Ivan (The conversation was not found.)' });
  });

  it('tag adds the tags to each conversation’s ticket, keeping its own, and makes the ticket when there is none', async () => {
    const ticket = (id: string, tags: string[]) => ({ id, tags, status: 'open', createdAt: '2026-01-01T00:00:00Z', number: 1 }) as unknown as TicketView;
    const tickets: Record<string, TicketView[]> = { a: [ticket('ta', ['VIP', 'old'])], b: [] };
    const patched: Record<string, unknown> = {};
    const call = async <T,>(method: string, path: string, body?: unknown): Promise<T> => {
      if (method === 'GET') return { items: tickets[new URL(path, 'http://x').searchParams.get('conversationId')!] ?? [] } as T;
      if (method === 'POST') return ticket(`t${(body as { conversationId: string }).conversationId}`, []) as T;
      patched[path] = body;
      return {} as T;
    };
    const results = await runEach(['a', 'b'], tagOne(call, ['vip', 'refund'], { parseTags, pickTicket }));
    expect(results).toEqual([{ id: 'a', ok: true }, { id: 'b', ok: true }]);
    expect(patched).toEqual({ '/api/v1/tickets/ta': { tags: ['VIP', 'old', 'refund'] }, '/api/v1/tickets/tb': { tags: ['vip', 'refund'] } });
    expect(bulkSummary({ kind: 'tag', tags: ['vip', 'refund'] }, results, nameOf).text).toBe('2 conversations tagged vip, refund.');
  });
});
