import { describe, expect, it } from 'vitest';
import type { MessageView } from '@switchboard/contracts';
import { message } from '../test-fixtures.js';
import { groupThreads, type ListRow } from './message-threads.js';

const msg = (m: MessageView): ListRow => ({ kind: 'msg', key: m.id, m });
const day = (key: string): ListRow => ({ kind: 'day', key });
/** Items as keys: a plain row by its key, a thread as [ref, root key, reply keys, count]. */
const shape = (items: ReturnType<typeof groupThreads<ListRow>>) =>
  items.map((i) => ('row' in i ? i.row.key : [i.ref, i.root?.key ?? null, i.replies.map((r) => r.key), i.count]));

describe('grouping a conversation’s rows into threads', () => {
  const root = message('c', 1, { thread: { ref: 'T1', root: true } });
  const r1 = message('c', 2, { thread: { ref: 'T1' } });
  const top = message('c', 3);
  const r2 = message('c', 4, { thread: { ref: 'T1' } });

  it('puts each thread where its first message is, with its replies under it; other rows stay in order', () => {
    expect(shape(groupThreads([day('d1'), msg(root), msg(r1), msg(top), msg(r2)]))).toEqual(['d1', ['T1', root.id, [r1.id, r2.id], 2], top.id]);
  });

  it('drops a day line whose messages all moved into a thread, keeps one with a row of its own', () => {
    expect(shape(groupThreads([day('d1'), msg(root), day('d2'), msg(r1), day('d3'), msg(r2), msg(top)]))).toEqual(['d1', ['T1', root.id, [r1.id, r2.id], 2], 'd3', top.id]);
  });

  it('a thread whose first message is not loaded still groups its replies; a sending reply joins its thread without counting', () => {
    const pending: ListRow = { kind: 'pending', key: 'k1', p: { thread: 'T1' } };
    const topLevel: ListRow = { kind: 'pending', key: 'k2', p: { thread: null } };
    expect(shape(groupThreads([msg(r1), msg(r2), pending, topLevel]))).toEqual([['T1', null, [r1.id, r2.id, 'k1'], 2], 'k2']);
  });
});
