/**
 * RedisKeyValue: the KeyValue seam over ioredis. Commands map 1:1 (keys get the configured
 * prefix through ioredis' keyPrefix); incr with a TTL is one Lua script so the expiry is set only
 * when the increment created the key, atomically. Redis reply errors become coded KvErrors, and
 * a lost connection becomes SB_ERR_KV_UNAVAILABLE, so callers can degrade (presence, fan-out)
 * instead of crashing.
 */
import { Redis, ReplyError } from 'ioredis';
import { byArg, expireArg, ttlArg } from './core.js';
import { KvError, notInteger, redactUrl, wrongType } from './errors.js';
import type { KeyValue, KeyValueConfig } from './types.js';

type RedisConfig = Extract<KeyValueConfig, { driver: 'redis' }>;

const DEFAULT_CONNECT_TIMEOUT_MS = 5000;
const DEFAULT_CONNECT_ATTEMPTS = 3;

const INCR_WITH_TTL = `
local existed = redis.call('EXISTS', KEYS[1])
local value = redis.call('INCRBY', KEYS[1], ARGV[1])
if existed == 0 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return value`;

type ScriptedRedis = Redis & { sbIncrWithTtl(key: string, by: number, ttlMs: number): Promise<number> };

export async function openRedisKeyValue(config: RedisConfig): Promise<KeyValue> {
  const attempts = config.connectAttempts ?? DEFAULT_CONNECT_ATTEMPTS;
  let connected = false;
  let lastError: unknown;
  const client = new Redis(config.url, {
    lazyConnect: true,
    ...(config.prefix ? { keyPrefix: config.prefix } : {}),
    connectTimeout: config.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
    // A command waits through at most this many reconnects, then fails (Redis loss must degrade
    // presence and rate limits quickly, never hang requests).
    maxRetriesPerRequest: 2,
    // While the connection is down a command fails at once instead of queueing through the
    // reconnects: a request checking a rate limit or a cached session answers without waiting.
    enableOfflineQueue: false,
    // Bounded attempts at start-up; once connected, reconnect for as long as it takes.
    retryStrategy: (times) => (!connected && times >= attempts ? null : Math.min(times * 200, 2000)),
  }) as ScriptedRedis;
  // ioredis reports each failed attempt as an 'error' event; callers see errors on their commands.
  client.on('error', (err: unknown) => (lastError = err));
  client.defineCommand('sbIncrWithTtl', { numberOfKeys: 1, lua: INCR_WITH_TTL });
  try {
    await new Promise<void>((resolve, reject) => {
      client.once('ready', resolve);
      client.once('end', () => reject(lastError ?? new Error('the connection ended')));
      client.connect().catch((err: unknown) => (lastError = err));
    });
    connected = true;
    await client.ping();
  } catch (err) {
    client.disconnect();
    throw new KvError(
      'SB_ERR_KV_UNAVAILABLE',
      `The key-value store could not reach Redis at ${redactUrl(config.url)} (check REDIS_URL): ${
        err instanceof Error ? err.message : String(err)
      }`,
      { cause: err },
    );
  }
  return new RedisKeyValue(client);
}

/** Redis reply errors → coded errors; anything else (connection lost, retries exhausted) → unavailable. */
function translate(err: unknown, key: string): Error {
  const message = err instanceof Error ? err.message : String(err);
  if (message.startsWith('WRONGTYPE')) return wrongType(key, err);
  if (/not an integer or out of range|would overflow/.test(message)) return notInteger(key, err);
  // An error reply of the server (not a transport failure) stays as Redis worded it.
  if (err instanceof (ReplyError as ErrorConstructor)) return err;
  return new KvError('SB_ERR_KV_UNAVAILABLE', `Redis did not answer for key "${key}": ${message}`, { cause: err });
}

class RedisKeyValue implements KeyValue {
  readonly driver = 'redis' as const;

  constructor(private readonly client: ScriptedRedis) {}

  private async run<R>(key: string, fn: () => Promise<R>): Promise<R> {
    try {
      return await fn();
    } catch (err) {
      throw translate(err, key);
    }
  }

  async get(key: string): Promise<string | null> {
    return this.run(key, () => this.client.get(key));
  }

  async set(key: string, value: string, opts: { ttlMs?: number; nx?: boolean } = {}): Promise<boolean> {
    const ttl = opts.ttlMs === undefined ? undefined : ttlArg(opts.ttlMs);
    const reply = await this.run(key, () => {
      if (ttl !== undefined && opts.nx) return this.client.set(key, value, 'PX', ttl, 'NX');
      if (ttl !== undefined) return this.client.set(key, value, 'PX', ttl);
      if (opts.nx) return this.client.set(key, value, 'NX');
      return this.client.set(key, value);
    });
    return reply === 'OK';
  }

  async del(key: string): Promise<number> {
    return this.run(key, () => this.client.del(key));
  }

  async incr(key: string, opts: { by?: number; ttlMs?: number } = {}): Promise<number> {
    const by = byArg(opts.by ?? 1);
    const ttl = opts.ttlMs === undefined ? undefined : ttlArg(opts.ttlMs);
    return this.run(key, () =>
      ttl === undefined ? this.client.incrby(key, by) : this.client.sbIncrWithTtl(key, by, ttl),
    );
  }

  async ttl(key: string): Promise<number> {
    return this.run(key, () => this.client.pttl(key));
  }

  async expire(key: string, ttlMs: number): Promise<boolean> {
    const ms = expireArg(ttlMs);
    return (await this.run(key, () => this.client.pexpire(key, ms))) === 1;
  }

  async hset(key: string, fields: Record<string, string>): Promise<void> {
    if (Object.keys(fields).length === 0) return;
    await this.run(key, () => this.client.hset(key, fields));
  }

  async hget(key: string, field: string): Promise<string | null> {
    return this.run(key, () => this.client.hget(key, field));
  }

  async hgetall(key: string): Promise<Record<string, string>> {
    return this.run(key, () => this.client.hgetall(key));
  }

  async hdel(key: string, ...fields: string[]): Promise<number> {
    if (fields.length === 0) return 0;
    return this.run(key, () => this.client.hdel(key, ...fields));
  }

  async sadd(key: string, ...members: string[]): Promise<number> {
    if (members.length === 0) return 0;
    return this.run(key, () => this.client.sadd(key, ...members));
  }

  async srem(key: string, ...members: string[]): Promise<number> {
    if (members.length === 0) return 0;
    return this.run(key, () => this.client.srem(key, ...members));
  }

  async smembers(key: string): Promise<string[]> {
    return this.run(key, () => this.client.smembers(key));
  }

  async ping(): Promise<void> {
    await this.run('(ping)', () => this.client.ping());
  }

  async close(): Promise<void> {
    try {
      await this.client.quit();
    } catch {
      this.client.disconnect();
    }
  }
}
