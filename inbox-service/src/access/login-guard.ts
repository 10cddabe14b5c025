import { createHash } from 'node:crypto';
import type { KeyValue } from '@switchboard/kv';

export interface LoginGuardOptions {
  /** Failed attempts allowed per email and IP within the window; default 5. */
  maxFailures?: number;
  /** Window in which failures count, and how long a lockout lasts; default 15 minutes. */
  windowMs?: number;
}

/**
 * Slows password guessing: failures are counted per (email, IP) in KV; at the limit the pair is
 * locked for the window. Counting per pair means a stranger cannot lock a colleague out from
 * elsewhere, while a guesser is stopped after a handful of tries.
 */
export class LoginGuard {
  readonly maxFailures: number;
  readonly windowMs: number;

  constructor(
    private readonly kv: KeyValue,
    opts: LoginGuardOptions = {},
  ) {
    this.maxFailures = opts.maxFailures ?? 5;
    this.windowMs = opts.windowMs ?? 15 * 60_000;
  }

  private key(kind: 'fail' | 'lock', email: string, ip: string): string {
    const id = createHash('sha256').update(`${email.trim().toLowerCase()}\u0000${ip}`).digest('hex').slice(0, 32);
    return `auth:login:${kind}:${id}`;
  }

  /** Seconds until the pair may try again, or 0 when it is not locked. */
  async lockedFor(email: string, ip: string): Promise<number> {
    const ttl = await this.kv.ttl(this.key('lock', email, ip));
    return ttl > 0 ? Math.ceil(ttl / 1000) : 0;
  }

  /** Counts a failure; returns the lockout in seconds when this failure reached the limit, else 0. */
  async failed(email: string, ip: string): Promise<number> {
    const count = await this.kv.incr(this.key('fail', email, ip), { ttlMs: this.windowMs });
    if (count < this.maxFailures) return 0;
    await this.kv.set(this.key('lock', email, ip), '1', { ttlMs: this.windowMs });
    await this.kv.del(this.key('fail', email, ip));
    return Math.ceil(this.windowMs / 1000);
  }

  async succeeded(email: string, ip: string): Promise<void> {
    await this.kv.del(this.key('fail', email, ip));
  }
}
