/**
 * The KeyValue contract: one suite every adapter passes. `make` returns a fresh store whose keys
 * no other test sees; the suite closes it afterwards. TTLs are short (100–200 ms) and every wait
 * for an expiry polls with a deadline.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KvError } from './errors.js';
import type { KeyValue } from './types.js';

export type KeyValueFactory = () => Promise<KeyValue>;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until `check` holds or `withinMs` passed; returns whether it held. */
async function eventually(check: () => Promise<boolean>, withinMs = 2000): Promise<boolean> {
  const deadline = Date.now() + withinMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await sleep(20);
  }
  return check();
}

async function rejectsWithCode(promise: Promise<unknown>, code: string): Promise<void> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err, `expected ${code}`).toBeInstanceOf(KvError);
  expect((err as KvError).code).toBe(code);
}

export function kvContract(name: string, make: KeyValueFactory): void {
  describe(`KeyValue contract — ${name}`, () => {
    let kv: KeyValue;

    beforeEach(async () => {
      kv = await make();
    });

    afterEach(async () => {
      await kv.close();
    });

    it('gets, sets, overwrites and deletes strings', async () => {
      expect(await kv.get('s')).toBeNull();
      expect(await kv.set('s', 'one')).toBe(true);
      expect(await kv.get('s')).toBe('one');
      expect(await kv.set('s', 'two')).toBe(true);
      expect(await kv.get('s')).toBe('two');
      expect(await kv.del('s')).toBe(1);
      expect(await kv.del('s')).toBe(0);
      expect(await kv.get('s')).toBeNull();
      await kv.ping();
    });

    it('set with nx only writes an absent key', async () => {
      expect(await kv.set('lock', 'a', { nx: true })).toBe(true);
      expect(await kv.set('lock', 'b', { nx: true })).toBe(false);
      expect(await kv.get('lock')).toBe('a');
      await kv.del('lock');
      expect(await kv.set('lock', 'c', { nx: true, ttlMs: 200 })).toBe(true);
      expect(await kv.set('lock', 'd', { nx: true, ttlMs: 200 })).toBe(false);
      expect(await eventually(async () => (await kv.get('lock')) === null)).toBe(true);
      expect(await kv.set('lock', 'e', { nx: true })).toBe(true);
      expect(await kv.get('lock')).toBe('e');
    });

    it('expires keys after their ttl and reports what is left', async () => {
      expect(await kv.ttl('missing')).toBe(-2);
      await kv.set('plain', 'v');
      expect(await kv.ttl('plain')).toBe(-1);
      const start = Date.now();
      await kv.set('short', 'v', { ttlMs: 200 });
      const left = await kv.ttl('short');
      expect(left).toBeGreaterThan(0);
      expect(left).toBeLessThanOrEqual(200);
      expect(await eventually(async () => (await kv.get('short')) === null)).toBe(true);
      expect(Date.now() - start).toBeGreaterThanOrEqual(190);
      expect(await kv.ttl('short')).toBe(-2);
      expect(await kv.get('plain')).toBe('v');
    });

    it('set without ttl clears an earlier ttl; expire sets, moves or ends one', async () => {
      await kv.set('k', 'v', { ttlMs: 150 });
      await kv.set('k', 'w');
      expect(await kv.ttl('k')).toBe(-1);
      expect(await kv.expire('missing', 1000)).toBe(false);
      expect(await kv.expire('k', 10_000)).toBe(true);
      const left = await kv.ttl('k');
      expect(left).toBeGreaterThan(9000);
      expect(left).toBeLessThanOrEqual(10_000);
      expect(await kv.expire('k', 100)).toBe(true);
      expect(await eventually(async () => (await kv.ttl('k')) === -2)).toBe(true);
      await kv.set('gone', 'v');
      expect(await kv.expire('gone', 0)).toBe(true);
      expect(await kv.get('gone')).toBeNull();
    });

    it('incr counts from zero, by any whole step, atomically', async () => {
      expect(await kv.incr('n')).toBe(1);
      expect(await kv.incr('n')).toBe(2);
      expect(await kv.incr('n', { by: 10 })).toBe(12);
      expect(await kv.incr('n', { by: -20 })).toBe(-8);
      expect(await kv.get('n')).toBe('-8');
      await kv.set('m', '41');
      expect(await kv.incr('m')).toBe(42);
      const values = await Promise.all(Array.from({ length: 100 }, () => kv.incr('many')));
      expect(new Set(values).size).toBe(100);
      expect(Math.max(...values)).toBe(100);
    });

    it('incr with ttl sets the expiry only when it creates the key', async () => {
      expect(await kv.incr('rate', { ttlMs: 200 })).toBe(1);
      const first = await kv.ttl('rate');
      expect(first).toBeGreaterThan(0);
      expect(first).toBeLessThanOrEqual(200);
      await sleep(40);
      expect(await kv.incr('rate', { ttlMs: 200 })).toBe(2);
      const second = await kv.ttl('rate');
      expect(second).toBeGreaterThan(0);
      expect(second).toBeLessThan(first);
      expect(await eventually(async () => (await kv.get('rate')) === null)).toBe(true);
      expect(await kv.incr('rate', { ttlMs: 200 })).toBe(1);

      await kv.set('forever', '5');
      expect(await kv.incr('forever', { ttlMs: 200 })).toBe(6);
      expect(await kv.ttl('forever')).toBe(-1);

      await kv.set('keeps', '1', { ttlMs: 10_000 });
      await kv.incr('keeps');
      expect(await kv.ttl('keeps')).toBeGreaterThan(9000);
    });

    it('incr refuses a value that is not an integer, and fractional steps', async () => {
      await kv.set('text', 'abc');
      await rejectsWithCode(kv.incr('text'), 'SB_ERR_KV_NOT_INTEGER');
      await kv.set('float', '1.5');
      await rejectsWithCode(kv.incr('float'), 'SB_ERR_KV_NOT_INTEGER');
      expect(await kv.get('text')).toBe('abc');
      await rejectsWithCode(kv.incr('n', { by: 1.5 }), 'SB_ERR_KV_INVALID');
      await rejectsWithCode(kv.set('n', 'v', { ttlMs: 0 }), 'SB_ERR_KV_INVALID');
      expect(await kv.get('n')).toBeNull();
    });

    it('hashes: set, get, get all, delete fields; an emptied hash disappears', async () => {
      expect(await kv.hgetall('h')).toEqual({});
      expect(await kv.hget('h', 'a')).toBeNull();
      await kv.hset('h', { a: '1', b: '2' });
      await kv.hset('h', { b: '3', c: '4' });
      await kv.hset('h', {});
      expect(await kv.hget('h', 'b')).toBe('3');
      expect(await kv.hget('h', 'zz')).toBeNull();
      expect(await kv.hgetall('h')).toEqual({ a: '1', b: '3', c: '4' });
      expect(await kv.hdel('h', 'a', 'zz')).toBe(1);
      expect(await kv.hdel('h')).toBe(0);
      expect(await kv.hdel('h', 'b', 'c')).toBe(2);
      expect(await kv.ttl('h')).toBe(-2);
      await kv.hset('h2', { x: '1' });
      expect(await kv.expire('h2', 10_000)).toBe(true);
      await kv.hset('h2', { y: '2' });
      expect(await kv.ttl('h2')).toBeGreaterThan(9000);
      expect(await kv.del('h2')).toBe(1);
    });

    it('sets: add and remove count only real changes; an emptied set disappears', async () => {
      expect(await kv.smembers('s')).toEqual([]);
      expect(await kv.sadd('s', 'a', 'b', 'a')).toBe(2);
      expect(await kv.sadd('s', 'b', 'c')).toBe(1);
      expect(await kv.sadd('s')).toBe(0);
      expect((await kv.smembers('s')).sort()).toEqual(['a', 'b', 'c']);
      expect(await kv.srem('s', 'a', 'zz')).toBe(1);
      expect(await kv.srem('s')).toBe(0);
      expect(await kv.srem('s', 'b', 'c')).toBe(2);
      expect(await kv.ttl('s')).toBe(-2);
      await kv.sadd('presence', 'agent-1');
      await kv.expire('presence', 150);
      expect(await eventually(async () => (await kv.smembers('presence')).length === 0)).toBe(true);
      await kv.sadd('s2', 'x');
      expect(await kv.del('s2')).toBe(1);
    });

    it('keys have one kind: using a key as another kind is refused, set replaces any kind', async () => {
      await kv.hset('h', { a: '1' });
      await kv.sadd('s', 'm');
      await kv.set('str', 'v');
      await rejectsWithCode(kv.get('h'), 'SB_ERR_KV_WRONG_TYPE');
      await rejectsWithCode(kv.incr('s'), 'SB_ERR_KV_WRONG_TYPE');
      await rejectsWithCode(kv.hset('str', { a: '1' }), 'SB_ERR_KV_WRONG_TYPE');
      await rejectsWithCode(kv.sadd('h', 'x'), 'SB_ERR_KV_WRONG_TYPE');
      await rejectsWithCode(kv.smembers('str'), 'SB_ERR_KV_WRONG_TYPE');
      await rejectsWithCode(kv.hgetall('s'), 'SB_ERR_KV_WRONG_TYPE');
      expect(await kv.set('h', 'now a string')).toBe(true);
      expect(await kv.get('h')).toBe('now a string');
      expect(await kv.set('s', 'x', { nx: true })).toBe(false);
    });
  });
}
