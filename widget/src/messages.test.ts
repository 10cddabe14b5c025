import { describe, expect, it } from 'vitest';
import type { MessageView } from '@switchboard/contracts';
import { addPending, highestSeq, markFailed, markSent, mergeServer, type ChatMessage } from './messages.js';

let n = 0;
function view(seq: number, over: Partial<MessageView> & { clientId?: string } = {}): MessageView {
  return {
    id: `m${seq}`,
    conversationId: 'c1',
    seq,
    direction: 'out',
    author: { kind: 'agent', name: 'Anna' },
    text: `message ${seq}`,
    attachments: [],
    createdAt: new Date(Date.UTC(2025, 0, 1, 0, 0, seq)).toISOString(),
    ...over,
  };
}
const pending = (text: string, clientId = `c-${++n}`) => ({ clientId, text, createdAt: new Date().toISOString() });
const texts = (list: readonly ChatMessage[]) => list.map((m) => m.text);

describe('conversation merge', () => {
  it('shows messages in conversation order whatever order they arrive in', () => {
    const list = mergeServer([], [view(3), view(1)]);
    expect(texts(mergeServer(list, [view(2)]))).toEqual(['message 1', 'message 2', 'message 3']);
  });

  it('never shows a message twice when a resume answer repeats what a live event delivered', () => {
    const live = mergeServer([], [view(1), view(2)]);
    const resumed = mergeServer(live, [view(2), view(3)]);
    expect(resumed.map((m) => m.id)).toEqual(['m1', 'm2', 'm3']);
  });

  it('tells visitor from agent and keeps the agent name', () => {
    const [mine, theirs] = mergeServer([], [view(1, { direction: 'in', author: { kind: 'contact' } }), view(2)]);
    expect(mine).toMatchObject({ author: 'visitor', status: 'sent' });
    expect(theirs).toMatchObject({ author: 'agent', authorName: 'Anna' });
  });

  it('shows an edit in place, and an older copy arriving later does not undo it', () => {
    const list = mergeServer([], [view(1)]);
    const edited = mergeServer(list, [view(1, { text: 'fixed typo', editedAt: '2025-01-02T00:00:00.000Z' })]);
    expect(texts(edited)).toEqual(['fixed typo']);
    expect(texts(mergeServer(edited, [view(1)]))).toEqual(['fixed typo']);
  });

  it('shows HTML-only messages as text, never as markup', () => {
    const [m] = mergeServer([], [view(1, { text: undefined, html: '<p>Hi <b>there</b> &amp; welcome</p><script>x()</script>' })]);
    expect(m!.text).toBe('Hi there & welcome\nx()');
  });
});

describe('the visitor’s own messages', () => {
  it('appear at once as pending, after everything the server numbered', () => {
    const list = addPending(mergeServer([], [view(1), view(2)]), pending('hello'));
    expect(list.at(-1)).toMatchObject({ text: 'hello', author: 'visitor', status: 'pending' });
  });

  it('become sent when acknowledged', () => {
    const msg = pending('hello');
    const list = markSent(addPending([], msg), msg.clientId);
    expect(list[0]).toMatchObject({ status: 'sent' });
  });

  it('are replaced by the server copy carrying the same clientId, keeping their place on screen', () => {
    const msg = pending('hello');
    const list = addPending([], msg);
    const merged = mergeServer(list, [view(5, { id: 'srv-5', direction: 'in', author: { kind: 'contact' }, text: 'hello', clientId: msg.clientId })]);
    expect(merged).toHaveLength(1);
    expect(merged[0]).toMatchObject({ id: 'srv-5', seq: 5, status: 'sent', key: msg.clientId });
    // The ack arriving after the echo changes nothing visible.
    expect(markSent(merged, msg.clientId)).toEqual(merged);
  });

  it('are matched by text and order when the server does not echo the clientId', () => {
    let list = addPending([], pending('hi'));
    list = addPending(list, pending('hi'));
    list = mergeServer(list, [view(7, { direction: 'in', author: { kind: 'contact' }, text: 'hi' })]);
    expect(list.map((m) => [m.text, m.seq])).toEqual([
      ['hi', 7],
      ['hi', undefined],
    ]);
  });

  it('are not added twice when sent again with the same clientId', () => {
    const msg = pending('hello');
    expect(addPending(addPending([], msg), msg)).toHaveLength(1);
  });

  it('show why the server refused them', () => {
    const msg = pending('x'.repeat(10));
    expect(markFailed(addPending([], msg), msg.clientId, 'Too long')[0]).toMatchObject({ status: 'failed', error: 'Too long' });
  });
});

describe('resume cursor', () => {
  it('is the highest seq held, and undefined for a new visitor', () => {
    expect(highestSeq([])).toBeUndefined();
    expect(highestSeq(addPending(mergeServer([], [view(4), view(9)]), pending('x')))).toBe(9);
  });
});
