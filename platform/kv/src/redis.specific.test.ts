/** What only the Redis adapter has: prefixes, and a loud, bounded failure when Redis is away. */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { createKeyValue, describeKeyValue, KvError } from './index.js';

const url = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

describe('RedisKeyValue', () => {
  it('fails createKeyValue with SB_ERR_KV_UNAVAILABLE naming REDIS_URL, after bounded attempts', async () => {
    const started = Date.now();
    const err = await createKeyValue({ driver: 'redis', url: 'redis://:secret@127.0.0.1:1', connectAttempts: 2 }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(KvError);
    expect(err).toMatchObject({ code: 'SB_ERR_KV_UNAVAILABLE', statusCode: 503 });
    expect((err as Error).message).toContain('REDIS_URL');
    expect((err as Error).message).not.toContain('secret');
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('keeps each prefix to itself and stores keys under it', async () => {
    const run = `sbtest:kvp:${randomBytes(6).toString('hex')}:`;
    const a = await createKeyValue({ driver: 'redis', url, prefix: `${run}a:` });
    const b = await createKeyValue({ driver: 'redis', url, prefix: `${run}b:` });
    const raw = new Redis(url);
    try {
      await a.set('k', 'from a');
      await a.incr('n', { ttlMs: 10_000 });
      expect(await b.get('k')).toBeNull();
      await b.set('k', 'from b');
      expect(await a.get('k')).toBe('from a');
      expect(await raw.get(`${run}a:k`)).toBe('from a');
      const pttl = await raw.pttl(`${run}a:n`);
      expect(pttl).toBeGreaterThan(9000);
    } finally {
      await raw.del(`${run}a:k`, `${run}a:n`, `${run}b:k`);
      await raw.quit();
      await a.close();
      await b.close();
    }
  });

  it('says which adapter runs, without secrets', () => {
    expect(describeKeyValue({ driver: 'redis', url: 'redis://:pw@cache:6379', prefix: 'sb:' })).toBe(
      'kv: redis at redis://:***@cache:6379 (prefix sb:)',
    );
    expect(describeKeyValue({ driver: 'memory' })).toBe('kv: memory (this process only)');
  });
});
