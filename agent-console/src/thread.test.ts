import { describe, expect, it } from 'vitest';
import { hasUnsettledOutbound, highestSeq, lowestSeq, mergeMessages, replyQuote, replyThread, typingLine, visiblePending, type PendingReply } from './thread.js';
import { message } from './test-fixtures.js';

const seqs = (list: { seq: number }[]) => list.map((m) => m.seq);

describe('merging messages into a thread', () => {
  it('shows each message once, in conversation order, whatever order they arrive in', () => {
    const held = [message('c', 1), message('c', 2)];
    const next = mergeMessages(held, [message('c', 4), message('c', 2), message('c', 3), message('c', 4)]);
    expect(seqs(next)).toEqual([1, 2, 3, 4]);
  });

  it('replaces a message by id, e.g. an edit', () => {
    const next = mergeMessages([message('c', 1)], [message('c', 1, { text: 'edited', editedAt: '2025-03-12T10:01:00Z' })]);
    expect(next).toHaveLength(1);
    expect(next[0]?.text).toBe('edited');
  });

  it('moves delivery ticks forward and never back', () => {
    let thread = [message('c', 1, { direction: 'out', status: 'queued' })];
    thread = mergeMessages(thread, [message('c', 1, { direction: 'out', status: 'read' })]);
    thread = mergeMessages(thread, [message('c', 1, { direction: 'out', status: 'delivered' })]);
    expect(thread[0]?.status).toBe('read');
  });

  it('shows a failure after sent, with its reason', () => {
    const thread = mergeMessages(
      [message('c', 1, { direction: 'out', status: 'sent' })],
      [message('c', 1, { direction: 'out', status: 'failed', error: 'Outside the 24-hour window' })],
    );
    expect(thread[0]).toMatchObject({ status: 'failed', error: 'Outside the 24-hour window' });
  });

  it('knows the resume cursor and the oldest message held', () => {
    const thread = [message('c', 7), message('c', 9), message('c', 8)];
    expect(highestSeq(thread)).toBe(9);
    expect(lowestSeq(thread)).toBe(7);
    expect(highestSeq([])).toBe(0);
  });

  it('says when outbound ticks may still change', () => {
    expect(hasUnsettledOutbound([message('c', 1, { direction: 'out', status: 'delivered' })])).toBe(true);
    expect(hasUnsettledOutbound([message('c', 1, { direction: 'out', status: 'read' }), message('c', 2)])).toBe(false);
  });
});

describe('pending replies', () => {
  const pending = (key: string, text: string, afterSeq: number, state: PendingReply['state'] = 'sending', attachments: PendingReply['attachments'] = []): PendingReply => ({
    key,
    conversationId: 'c',
    text,
    attachments,
    state,
    afterSeq,
    createdAt: '2025-03-12T10:00:00Z',
  });

  it('stays visible until the stored reply shows up', () => {
    expect(visiblePending([pending('k1', 'On it', 3)], [message('c', 3)], 'agent-1')).toHaveLength(1);
  });

  it('hides once the stored reply arrived by socket before the POST answered (no double bubble)', () => {
    const thread = [message('c', 3), message('c', 4, { direction: 'out', text: 'On it' })];
    expect(visiblePending([pending('k1', 'On it', 3)], thread, 'agent-1')).toEqual([]);
  });

  it('does not let one stored reply hide two identical pending ones', () => {
    const thread = [message('c', 4, { direction: 'out', text: 'ok' })];
    const left = visiblePending([pending('k1', 'ok', 3), pending('k2', 'ok', 3)], thread, 'agent-1');
    expect(left.map((p) => p.key)).toEqual(['k2']);
  });

  it('does not match an earlier identical reply or another agent’s', () => {
    const thread = [
      message('c', 2, { direction: 'out', text: 'ok' }),
      message('c', 4, { direction: 'out', text: 'ok', author: { kind: 'agent', id: 'agent-2', name: 'Bo' } }),
    ];
    expect(visiblePending([pending('k1', 'ok', 3)], thread, 'agent-1')).toHaveLength(1);
  });

  it('matches a reply of files by its files, not only its (empty) text', () => {
    const pdf = { kind: 'file' as const, ref: 'blob:1', name: 'invoice.pdf' };
    const png = { kind: 'image' as const, ref: 'blob:2', name: 'photo.png' };
    const thread = [message('c', 4, { direction: 'out', text: undefined, attachments: [pdf] })];
    expect(visiblePending([pending('k1', '', 3, 'sending', [png])], thread, 'agent-1')).toHaveLength(1);
    expect(visiblePending([pending('k1', '', 3, 'sending', [pdf])], thread, 'agent-1')).toEqual([]);
  });

  it('keeps a refused reply visible so the agent can retry it', () => {
    const thread = [message('c', 4, { direction: 'out', text: 'ok' })];
    expect(visiblePending([pending('k1', 'ok', 3, 'unsent')], thread, 'agent-1')).toHaveLength(1);
  });
});

describe('typing line', () => {
  it('reads naturally for one, two and many people', () => {
    expect(typingLine([])).toBe('');
    expect(typingLine(['Maria'])).toBe('Maria is typing…');
    expect(typingLine(['Maria', 'Ada', 'Maria'])).toBe('Maria and Ada are typing…');
    expect(typingLine(['Maria', 'Ada', 'Bo'])).toBe('Maria and 2 others are typing…');
    expect(typingLine([''])).toBe('Someone is typing…');
  });
});

describe('a retried delivery', () => {
  const failed = message('c', 1, { direction: 'out', status: 'failed', error: 'Bot was blocked' });

  it('starts its ticks over: failed → queued → sent, the old reason gone', () => {
    let thread = mergeMessages([failed], [message('c', 1, { direction: 'out', status: 'queued', retries: 1 })]);
    expect(thread[0]).toMatchObject({ status: 'queued', retries: 1 });
    expect(thread[0]?.error).toBeUndefined();
    thread = mergeMessages(thread, [message('c', 1, { direction: 'out', status: 'sent', retries: 1 })]);
    expect(thread[0]?.status).toBe('sent');
  });

  it('ignores a view from before the retry arriving late', () => {
    const thread = mergeMessages([message('c', 1, { direction: 'out', status: 'sent', retries: 1 })], [failed]);
    expect(thread[0]).toMatchObject({ status: 'sent', retries: 1 });
  });

  it('shows the retry failing again with the new reason', () => {
    const thread = mergeMessages(
      [message('c', 1, { direction: 'out', status: 'queued', retries: 2 })],
      [message('c', 1, { direction: 'out', status: 'failed', error: 'Still blocked', retries: 2 })],
    );
    expect(thread[0]).toMatchObject({ status: 'failed', error: 'Still blocked' });
  });
});

describe('the quote above a reply', () => {
  const byId = (...list: ReturnType<typeof message>[]) => new Map(list.map((m) => [m.id, m]));
  const original = message('c', 1, { text: '\n  Where is order 42?\nIt was due Monday.' });

  it('names the original author and its first line when the original is loaded', () => {
    const reply = message('c', 2, { direction: 'out', replyTo: original.id });
    expect(replyQuote(reply, byId(original, reply))).toEqual({ kind: 'loaded', id: original.id, author: 'Contact', line: 'Where is order 42?' });
  });

  it('says the original is not loaded when it is not among the messages held', () => {
    expect(replyQuote(message('c', 5, { replyTo: 'tg-1' }), byId(original))).toEqual({ kind: 'missing' });
  });

  it('is null for a message that answers nothing, and for an email (it quotes its history itself)', () => {
    expect(replyQuote(original, byId(original))).toBeNull();
    expect(replyQuote(message('c', 2, { replyTo: 'mid:abc', email: { subject: 'Re: Order 42' } as never }), byId(original))).toBeNull();
  });

  it('shortens a long line, and names pictures, files and deleted originals', () => {
    const long = message('c', 1, { text: 'x'.repeat(150) });
    const quote = replyQuote(message('c', 2, { replyTo: long.id }), byId(long));
    expect(quote).toMatchObject({ line: `${'x'.repeat(99)}…` });
    const photo = message('c', 1, { text: undefined, attachments: [{ kind: 'image', ref: 'blob:1' }] });
    expect(replyQuote(message('c', 2, { replyTo: photo.id }), byId(photo))).toMatchObject({ line: 'Photo' });
    const gone = message('c', 1, { deletedAt: '2025-03-12T10:05:00Z' });
    expect(replyQuote(message('c', 2, { replyTo: gone.id }), byId(gone))).toMatchObject({ line: 'This message was deleted' });
    const agent = message('c', 1, { direction: 'out' });
    expect(replyQuote(message('c', 2, { replyTo: agent.id }), byId(agent))).toMatchObject({ author: 'Ada' });
  });
});

describe('threads inside a conversation (Slack)', () => {
  const root = message('c', 1, { thread: { ref: 'C1:100.1', root: true } });
  const reply = message('c', 2, { thread: { ref: 'C1:100.1' }, replyTo: root.id });
  const other = message('c', 3, { thread: { ref: 'C1:200.1', root: true } });

  it('a reply goes where the agent picked, else into the thread of the latest message in one; nowhere without threads', () => {
    expect(replyThread([root, reply, other], undefined)).toBe('C1:200.1');
    expect(replyThread([root, other, message('c', 4)], undefined)).toBe('C1:200.1');
    expect(replyThread([root, reply, other], 'C1:100.1')).toBe('C1:100.1');
    expect(replyThread([root, reply, other], null)).toBeNull();
    expect(replyThread([message('c', 1), message('c', 2)], undefined)).toBeUndefined();
  });

  it('a reply in a thread shows no quote: it sits under the message it answers', () => {
    expect(replyQuote(reply, new Map([root, reply].map((m) => [m.id, m])))).toBeNull();
  });
});
