/**
 * MemoryKeyValue: the KeyValue seam in one process's memory (nothing on disk, gone on restart),
 * with Redis' semantics: typed keys (string, hash, set), SET clears a TTL while HSET/SADD/INCR
 * keep it, an emptied hash or set disappears. Expired keys vanish when read and, for keys nobody
 * reads, on a periodic sweep whose timer never keeps the process alive.
 */
import { byArg, expireArg, ttlArg } from './core.js';
import { closed, notInteger, wrongType } from './errors.js';
import type { KeyValue, KeyValueConfig } from './types.js';

type Entry =
  | { kind: 'string'; value: string }
  | { kind: 'hash'; value: Map<string, string> }
  | { kind: 'set'; value: Set<string> };

const DEFAULT_SWEEP_EVERY_MS = 1000;
const INTEGER = /^-?(0|[1-9]\d*)$/;

export function openMemoryKeyValue(config: Extract<KeyValueConfig, { driver: 'memory' }>): KeyValue {
  return new MemoryKeyValue(config.sweepEveryMs ?? DEFAULT_SWEEP_EVERY_MS);
}

export class MemoryKeyValue implements KeyValue {
  readonly driver = 'memory' as const;
  private readonly data = new Map<string, Entry>();
  /** Expiry time (ms since epoch) of the keys that have one. */
  private readonly expiries = new Map<string, number>();
  private readonly timer: NodeJS.Timeout;
  private isClosed = false;

  constructor(sweepEveryMs: number) {
    this.timer = setInterval(() => this.sweep(), sweepEveryMs);
    this.timer.unref();
  }

  /** Keys held, expired ones not yet swept included (for diagnostics and tests). */
  get size(): number {
    return this.data.size;
  }

  sweep(now = Date.now()): void {
    for (const [key, at] of this.expiries) if (at <= now) this.remove(key);
  }

  private remove(key: string): boolean {
    this.expiries.delete(key);
    return this.data.delete(key);
  }

  private live(key: string): Entry | undefined {
    if (this.isClosed) throw closed();
    const at = this.expiries.get(key);
    if (at !== undefined && at <= Date.now()) {
      this.remove(key);
      return undefined;
    }
    return this.data.get(key);
  }

  private of<K extends Entry['kind']>(key: string, kind: K): Extract<Entry, { kind: K }> | undefined {
    const entry = this.live(key);
    if (entry && entry.kind !== kind) throw wrongType(key);
    return entry as Extract<Entry, { kind: K }> | undefined;
  }

  async get(key: string): Promise<string | null> {
    return this.of(key, 'string')?.value ?? null;
  }

  async set(key: string, value: string, opts: { ttlMs?: number; nx?: boolean } = {}): Promise<boolean> {
    const ttl = opts.ttlMs === undefined ? undefined : ttlArg(opts.ttlMs);
    if (opts.nx && this.live(key)) return false;
    if (this.isClosed) throw closed();
    this.data.set(key, { kind: 'string', value });
    if (ttl === undefined) this.expiries.delete(key);
    else this.expiries.set(key, Date.now() + ttl);
    return true;
  }

  async del(key: string): Promise<number> {
    return this.live(key) ? Number(this.remove(key)) : 0;
  }

  async incr(key: string, opts: { by?: number; ttlMs?: number } = {}): Promise<number> {
    const by = byArg(opts.by ?? 1);
    const ttl = opts.ttlMs === undefined ? undefined : ttlArg(opts.ttlMs);
    const entry = this.of(key, 'string');
    if (entry && !INTEGER.test(entry.value)) throw notInteger(key);
    const next = (entry ? Number(entry.value) : 0) + by;
    if (!Number.isSafeInteger(next)) throw notInteger(key);
    if (entry) entry.value = String(next);
    else {
      this.data.set(key, { kind: 'string', value: String(next) });
      if (ttl !== undefined) this.expiries.set(key, Date.now() + ttl);
    }
    return next;
  }

  async ttl(key: string): Promise<number> {
    if (!this.live(key)) return -2;
    const at = this.expiries.get(key);
    return at === undefined ? -1 : at - Date.now();
  }

  async expire(key: string, ttlMs: number): Promise<boolean> {
    const ms = expireArg(ttlMs);
    if (!this.live(key)) return false;
    if (ms <= 0) this.remove(key);
    else this.expiries.set(key, Date.now() + ms);
    return true;
  }

  async hset(key: string, fields: Record<string, string>): Promise<void> {
    const entries = Object.entries(fields);
    if (entries.length === 0) return;
    let entry = this.of(key, 'hash');
    if (!entry) this.data.set(key, (entry = { kind: 'hash', value: new Map() }));
    for (const [field, value] of entries) entry.value.set(field, value);
  }

  async hget(key: string, field: string): Promise<string | null> {
    return this.of(key, 'hash')?.value.get(field) ?? null;
  }

  async hgetall(key: string): Promise<Record<string, string>> {
    return Object.fromEntries(this.of(key, 'hash')?.value ?? []);
  }

  async hdel(key: string, ...fields: string[]): Promise<number> {
    if (fields.length === 0) return 0;
    const entry = this.of(key, 'hash');
    if (!entry) return 0;
    let removed = 0;
    for (const field of new Set(fields)) if (entry.value.delete(field)) removed++;
    if (entry.value.size === 0) this.remove(key);
    return removed;
  }

  async sadd(key: string, ...members: string[]): Promise<number> {
    if (members.length === 0) return 0;
    let entry = this.of(key, 'set');
    if (!entry) this.data.set(key, (entry = { kind: 'set', value: new Set() }));
    const before = entry.value.size;
    for (const member of members) entry.value.add(member);
    return entry.value.size - before;
  }

  async srem(key: string, ...members: string[]): Promise<number> {
    if (members.length === 0) return 0;
    const entry = this.of(key, 'set');
    if (!entry) return 0;
    let removed = 0;
    for (const member of new Set(members)) if (entry.value.delete(member)) removed++;
    if (entry.value.size === 0) this.remove(key);
    return removed;
  }

  async smembers(key: string): Promise<string[]> {
    return [...(this.of(key, 'set')?.value ?? [])];
  }

  async ping(): Promise<void> {
    if (this.isClosed) throw closed();
  }

  async close(): Promise<void> {
    this.isClosed = true;
    clearInterval(this.timer);
    this.data.clear();
    this.expiries.clear();
  }
}
