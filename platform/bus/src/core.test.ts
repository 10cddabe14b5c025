import { describe, expect, it } from 'vitest';
import { backoffMs, fnv1a, headersToText, partitionOf, routingWord, SerialPerKey, topicMatches } from './core.js';

describe('core helpers', () => {
  it('fnv1a is the standard 32-bit FNV-1a', () => {
    expect(fnv1a('')).toBe(0x811c9dc5);
    expect(fnv1a('a')).toBe(0xe40c292c);
    expect(fnv1a('foobar')).toBe(0xbf9cf968);
  });

  it('partitions by tenant and thread, stably, and still routes events lacking them', () => {
    expect(partitionOf('t1', 'chat-1', 8)).toBe(partitionOf('t1', 'chat-1', 8));
    expect(partitionOf(undefined, undefined, 8)).toBe(fnv1a('\u0000') % 8);
    // the separator keeps ("ab","c") and ("a","bc") apart
    expect(fnv1a('ab\u0000c')).not.toBe(fnv1a('a\u0000bc'));
    const spread = new Set(Array.from({ length: 200 }, (_, i) => partitionOf('t1', `chat-${i}`, 8)));
    expect(spread.size).toBe(8);
  });

  it('matches AMQP topic patterns', () => {
    expect(topicMatches('#', 'message.created')).toBe(true);
    expect(topicMatches('#', '')).toBe(true);
    expect(topicMatches('message.*', 'message.created')).toBe(true);
    expect(topicMatches('message.*', 'message.note.added')).toBe(false);
    expect(topicMatches('message.#', 'message')).toBe(true);
    expect(topicMatches('message.#', 'message.note.added')).toBe(true);
    expect(topicMatches('*.updated', 'ticket.updated')).toBe(true);
    expect(topicMatches('#.updated', 'a.b.updated')).toBe(true);
    expect(topicMatches('ticket.updated', 'ticket.created')).toBe(false);
    expect(topicMatches('3.#', '3.telegram')).toBe(true);
    expect(topicMatches('3.#', '13.telegram')).toBe(false);
  });

  it('routing words, back-off and header text', () => {
    expect(routingWord('telegram')).toBe('telegram');
    expect(routingWord('a.b')).toBe('unknown');
    expect(routingWord(undefined)).toBe('unknown');
    expect([1, 2, 3, 10].map((n) => backoffMs(250, n))).toEqual([250, 500, 1000, 10_000]);
    expect(headersToText({ a: 'x', n: 3, b: Buffer.from('y'), t: { k: 1 }, u: undefined })).toEqual({
      a: 'x',
      n: '3',
      b: 'y',
      t: '{"k":1}',
    });
  });

  it('SerialPerKey runs one key in call order, other keys alongside, and goes on after a failure', async () => {
    const serial = new SerialPerKey<string>();
    const log: string[] = [];
    const gates = new Map<string, () => void>();
    const task = (name: string, fail = false) => () =>
      new Promise<string>((resolve, reject) => {
        log.push(`start ${name}`);
        gates.set(name, () => (fail ? reject(new Error(name)) : resolve(name)));
      });
    const a1 = serial.run('a', task('a1', true));
    const a2 = serial.run('a', task('a2'));
    const b1 = serial.run('b', task('b1'));
    await new Promise((r) => setImmediate(r));
    expect(log).toEqual(['start a1', 'start b1']);
    gates.get('b1')!();
    gates.get('a1')!();
    await expect(a1).rejects.toThrow('a1');
    expect(await b1).toBe('b1');
    await new Promise((r) => setImmediate(r));
    expect(log).toEqual(['start a1', 'start b1', 'start a2']);
    gates.get('a2')!();
    expect(await a2).toBe('a2');
    await new Promise((r) => setImmediate(r));
    expect(serial.size).toBe(0);
  });
});
