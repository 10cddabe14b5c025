import { describe, expect, it } from 'vitest';
import type { ConversationView } from '@switchboard/contracts';
import { batches, bulkBody, bulkSummary, runBulk, type BulkBody, type BulkResult } from './bulk-actions.js';

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
});
