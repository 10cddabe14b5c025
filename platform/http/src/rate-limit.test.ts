import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createKeyValue, type KeyValue } from '@switchboard/kv';
import { createLogger } from '@switchboard/logging';
import { testRedisUrl, uniqueName } from '@switchboard/testkit';
import { RateLimiter, rateLimitHook } from './rate-limit.js';
import { createHttpServer } from './server.js';

const adapters: [string, () => Promise<KeyValue>][] = [
  ['memory', () => createKeyValue({ driver: 'memory' })],
  ['redis', () => createKeyValue({ driver: 'redis', url: testRedisUrl, prefix: `${uniqueName('rl')}:` })],
];

describe.each(adapters)('rate limiter on the %s KeyValue', (_name, make) => {
  let kv: KeyValue;
  let clock = 0;
  const limiter = () => new RateLimiter(kv, { prefix: `${uniqueName('t')}:`, now: () => clock });

  beforeAll(async () => {
    kv = await make();
  });
  afterAll(async () => {
    await kv.close();
  });

  it('allows the limit per minute, then refuses with the seconds to wait', async () => {
    clock = 60_000 * 1000 + 30_000; // halfway through a window, nothing before it
    const l = limiter();
    for (let i = 0; i < 3; i++) expect((await l.hit('agent:a', 3)).allowed).toBe(true);
    const refused = await l.hit('agent:a', 3);
    expect(refused.allowed).toBe(false);
    expect(refused.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(refused.retryAfterSeconds).toBeLessThanOrEqual(90);
    expect((await l.hit('agent:b', 3)).allowed).toBe(true);
  });

  it('slides: a full burst at the end of one window still counts early in the next', async () => {
    clock = 60_000 * 2000 + 59_000;
    const l = limiter();
    for (let i = 0; i < 4; i++) await l.hit('k', 4);
    clock += 2_000; // 1 s into the next window: ~97 % of the previous burst still counts
    expect((await l.hit('k', 4)).allowed).toBe(false);
    clock += 60_000; // a whole window later the burst has faded
    expect((await l.hit('k', 4)).allowed).toBe(true);
  });

  it('treats a limit of 0 as unlimited', async () => {
    const l = limiter();
    for (let i = 0; i < 5; i++) expect((await l.hit('free', 0)).allowed).toBe(true);
  });
});

describe('rate limit hook', () => {
  let app: FastifyInstance;
  let kv: KeyValue;

  beforeAll(async () => {
    kv = await createKeyValue({ driver: 'memory' });
    app = createHttpServer({ logger: createLogger({ level: 'silent', format: 'json' }), bodyLimit: 1024 * 1024 }) as unknown as FastifyInstance;
    const limiter = new RateLimiter(kv);
    app.addHook('preHandler', rateLimitHook(limiter, (req) => ({ key: String(req.headers['x-who']), limit: 2 })));
    app.get('/thing', async () => ({ ok: true }));
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    await kv.close();
  });

  it('answers 429 SB_ERR_RATE_LIMITED with Retry-After, per caller', async () => {
    const get = (who: string) => app.inject({ method: 'GET', url: '/thing', headers: { 'x-who': who } });
    expect((await get('a')).statusCode).toBe(200);
    expect((await get('a')).headers['ratelimit-remaining']).toBe('0');
    const refused = await get('a');
    expect(refused.statusCode).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(refused.json().error.code).toBe('SB_ERR_RATE_LIMITED');
    expect((await get('b')).statusCode).toBe(200);
  });

  it('lets requests through when the store fails (an outage must not stop support)', async () => {
    const broken = { incr: async () => Promise.reject(new Error('down')), get: async () => null };
    const errors: unknown[] = [];
    const l = new RateLimiter(broken, { onStoreError: (e) => errors.push(e) });
    expect((await l.hit('x', 1)).allowed).toBe(true);
    expect(errors).toHaveLength(1);
  });
});
