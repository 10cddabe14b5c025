import { afterEach, describe, expect, it, vi } from 'vitest';
import { createOutbox, type OutgoingMessage, type SendOutcome } from './outbox.js';

const msg = (text: string): OutgoingMessage => ({ clientId: `id-${text}`, text, createdAt: '2025-01-01T00:00:00.000Z' });

/** A server stand-in: records what it received, answers each send when told to. */
function fakeServer() {
  const received: string[] = [];
  const waiting: Array<(o: SendOutcome) => void> = [];
  return {
    received,
    send: (m: OutgoingMessage) => {
      received.push(m.text);
      return new Promise<SendOutcome>((resolve) => waiting.push(resolve));
    },
    answer: async (o: SendOutcome = { kind: 'sent' }) => {
      waiting.shift()?.(o);
      await Promise.resolve();
      await Promise.resolve();
    },
  };
}

afterEach(() => vi.useRealTimers());

describe('outbox', () => {
  it('holds messages typed while offline and sends them in order, once, when back online', async () => {
    const server = fakeServer();
    const sent: string[] = [];
    const box = createOutbox({ send: server.send, onSent: (m) => sent.push(m.text) });
    box.enqueue(msg('one'));
    box.enqueue(msg('two'));
    expect(server.received).toEqual([]);
    box.setOnline(true);
    await server.answer();
    await server.answer();
    expect(server.received).toEqual(['one', 'two']);
    expect(sent).toEqual(['one', 'two']);
    expect(box.pending).toEqual([]);
  });

  it('sends one at a time, so the server stores them in the order typed', async () => {
    const server = fakeServer();
    const box = createOutbox({ send: server.send });
    box.setOnline(true);
    box.enqueue(msg('a'));
    box.enqueue(msg('b'));
    expect(server.received).toEqual(['a']);
    await server.answer();
    expect(server.received).toEqual(['a', 'b']);
  });

  it('sends again with the same clientId what was in flight when the connection dropped', async () => {
    const server = fakeServer();
    const ids: string[] = [];
    const box = createOutbox({ send: (m) => (ids.push(m.clientId), server.send(m)) });
    box.setOnline(true);
    box.enqueue(msg('hello'));
    box.setOnline(false);
    await server.answer({ kind: 'retry' });
    box.setOnline(true);
    await server.answer();
    expect(ids).toEqual(['id-hello', 'id-hello']);
    expect(box.pending).toEqual([]);
  });

  it('does not let a late answer from an old connection send the next message twice', async () => {
    const server = fakeServer();
    const box = createOutbox({ send: server.send });
    box.setOnline(true);
    box.enqueue(msg('a'));
    box.enqueue(msg('b'));
    box.setOnline(false);
    box.setOnline(true); // resends 'a'
    await server.answer(); // old connection's ack for 'a'
    await server.answer(); // new connection's ack for 'a': moves on to 'b'
    await server.answer();
    expect(server.received).toEqual(['a', 'a', 'b']);
    expect(box.pending).toEqual([]);
  });

  it('tries again after a while when the server does not answer', async () => {
    vi.useFakeTimers();
    const outcomes: SendOutcome[] = [{ kind: 'retry' }, { kind: 'sent' }];
    const send = vi.fn(async () => outcomes.shift()!);
    const box = createOutbox({ send, retryDelayMs: 1000 });
    box.setOnline(true);
    box.enqueue(msg('x'));
    await vi.advanceTimersByTimeAsync(999);
    expect(send).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(send).toHaveBeenCalledTimes(2);
    expect(box.pending).toEqual([]);
  });

  it('drops a refused message from the queue and reports why, without blocking the next', async () => {
    const server = fakeServer();
    const refused: string[] = [];
    const box = createOutbox({ send: server.send, onRejected: (m, e) => refused.push(`${m.text}: ${e.code}`) });
    box.setOnline(true);
    box.enqueue(msg('bad'));
    box.enqueue(msg('good'));
    await server.answer({ kind: 'rejected', error: { code: 'SB_ERR_TOO_LONG', message: 'Too long' } });
    expect(refused).toEqual(['bad: SB_ERR_TOO_LONG']);
    expect(server.received).toEqual(['bad', 'good']);
  });

  it('reports every change so the queue survives a page load, and resumes from a restored queue', async () => {
    const saved: string[][] = [];
    const server = fakeServer();
    const box = createOutbox({ send: server.send, onChange: (q) => saved.push(q.map((m) => m.text)) }, [msg('from last page')]);
    box.enqueue(msg('new'));
    box.setOnline(true);
    await server.answer();
    expect(saved).toEqual([['from last page', 'new'], ['new']]);
    expect(server.received).toEqual(['from last page', 'new']);
  });

  it('forgets everything on clear (logout): nothing more goes out, and a late answer reports nothing', async () => {
    const server = fakeServer();
    const saved: string[][] = [];
    const sent: string[] = [];
    const box = createOutbox({ send: server.send, onSent: (m) => sent.push(m.text), onChange: (q) => saved.push(q.map((m) => m.text)) });
    box.setOnline(true);
    box.enqueue(msg('a'));
    box.enqueue(msg('b'));
    box.clear();
    await server.answer(); // the answer to 'a', in flight when the queue was cleared
    expect(server.received).toEqual(['a']);
    expect(sent).toEqual([]);
    expect(saved.at(-1)).toEqual([]);
    box.enqueue(msg('c'));
    await server.answer();
    expect(server.received).toEqual(['a', 'c']);
    expect(sent).toEqual(['c']);
  });
});
