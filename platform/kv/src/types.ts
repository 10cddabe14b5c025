/** The KeyValue seam: presence, rate limits, locks, counters. Redis in production, memory embedded. */

export type KeyValueConfig =
  | {
      driver: 'redis';
      url: string;
      /** Prepended to every key, e.g. `sb:`; default none. */
      prefix?: string;
      /** Time allowed for one connection attempt; default 5000. */
      connectTimeoutMs?: number;
      /** Connection attempts createKeyValue makes before failing; default 3. */
      connectAttempts?: number;
    }
  | {
      driver: 'memory';
      /** How often expired keys nobody reads are removed; default 1000. */
      sweepEveryMs?: number;
    };

export interface KeyValue {
  readonly driver: KeyValueConfig['driver'];
  get(key: string): Promise<string | null>;
  /** nx: only when absent (returns false if it existed). ttlMs: expire after. */
  set(key: string, value: string, opts?: { ttlMs?: number; nx?: boolean }): Promise<boolean>;
  del(key: string): Promise<number>;
  /** Atomically add `by` (default 1); when ttlMs is given and the key is new, it expires after ttlMs. */
  incr(key: string, opts?: { by?: number; ttlMs?: number }): Promise<number>;
  /** Remaining time to live in ms; -1 without expiry, -2 when missing. */
  ttl(key: string): Promise<number>;
  expire(key: string, ttlMs: number): Promise<boolean>;
  hset(key: string, fields: Record<string, string>): Promise<void>;
  hget(key: string, field: string): Promise<string | null>;
  hgetall(key: string): Promise<Record<string, string>>;
  hdel(key: string, ...fields: string[]): Promise<number>;
  sadd(key: string, ...members: string[]): Promise<number>;
  srem(key: string, ...members: string[]): Promise<number>;
  smembers(key: string): Promise<string[]>;
  ping(): Promise<void>;
  close(): Promise<void>;
}
