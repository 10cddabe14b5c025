import type { FastifyReply, FastifyRequest } from 'fastify';
import type { KeyValue } from '@switchboard/kv';
import { SbError } from './errors.js';

/** What the limiter needs from the KeyValue seam (Redis in production, memory embedded). */
export type RateLimitStore = Pick<KeyValue, 'incr' | 'get'>;

export interface RateDecision {
  allowed: boolean;
  /** Requests still allowed in the current window (0 when refused). */
  remaining: number;
  /** Whole seconds until a refused caller may try again; 0 when allowed. */
  retryAfterSeconds: number;
}

export interface RateLimiterOptions {
  /** Key prefix in the store; default `rl:`. */
  prefix?: string;
  /** Length of one window; default 60000 (limits are "per minute"). */
  windowMs?: number;
  /** Called when the store fails; the request is then allowed (a Redis outage must not stop support). */
  onStoreError?: (err: unknown) => void;
  /** Clock, for tests; default Date.now. */
  now?: () => number;
}

export const rateLimited = (retryAfterSeconds: number) =>
  new SbError('SB_ERR_RATE_LIMITED', 429, `Too many requests; try again in ${retryAfterSeconds} s.`, { retryAfterSeconds });

/**
 * Sliding-window counter: one counter per fixed window, and the previous window's count weighted
 * by how much of it still overlaps the sliding window. Two keys per caller, one atomic increment,
 * no burst of twice the limit at a window boundary as a plain fixed window allows.
 */
export class RateLimiter {
  private readonly prefix: string;
  private readonly windowMs: number;
  private readonly now: () => number;

  constructor(
    private readonly store: RateLimitStore,
    private readonly opts: RateLimiterOptions = {},
  ) {
    this.prefix = opts.prefix ?? 'rl:';
    this.windowMs = opts.windowMs ?? 60_000;
    this.now = opts.now ?? Date.now;
  }

  /** Count one hit for `key` against `limit` per window. A limit of 0 or less means unlimited. */
  async hit(key: string, limit: number): Promise<RateDecision> {
    if (limit <= 0) return { allowed: true, remaining: Number.MAX_SAFE_INTEGER, retryAfterSeconds: 0 };
    const now = this.now();
    const window = Math.floor(now / this.windowMs);
    const elapsed = (now - window * this.windowMs) / this.windowMs;
    try {
      const [current, previousRaw] = await Promise.all([
        this.store.incr(`${this.prefix}${key}:${window}`, { ttlMs: this.windowMs * 2 }),
        this.store.get(`${this.prefix}${key}:${window - 1}`),
      ]);
      const previous = Number(previousRaw ?? 0) || 0;
      const weighted = previous * (1 - elapsed) + current;
      if (weighted <= limit) return { allowed: true, remaining: Math.floor(limit - weighted), retryAfterSeconds: 0 };
      return { allowed: false, remaining: 0, retryAfterSeconds: this.retryAfter(previous, current, limit, elapsed) };
    } catch (err) {
      this.opts.onStoreError?.(err);
      return { allowed: true, remaining: limit, retryAfterSeconds: 0 };
    }
  }

  /** Time until the weighted count falls to the limit again (the previous window fades out linearly). */
  private retryAfter(previous: number, current: number, limit: number, elapsed: number): number {
    let waitMs: number;
    if (previous > 0 && current <= limit) {
      // previous * (1 - e') + current <= limit  →  e' >= 1 - (limit - current) / previous
      const target = 1 - (limit - current) / previous;
      waitMs = (target - elapsed) * this.windowMs;
    } else {
      // The current window alone is over the limit: it must become the previous one and fade.
      const target = current > 0 ? 1 - Math.min(1, limit / current) : 0;
      waitMs = (1 - elapsed + target) * this.windowMs;
    }
    return Math.max(1, Math.ceil(waitMs / 1000));
  }
}

/** Who a request counts against, and that caller's limit per window; undefined = not limited. */
export type RateLimitIdentify = (req: FastifyRequest) => { key: string; limit: number } | undefined;

/**
 * A fastify hook applying the limiter. Add it after authentication (preHandler) so the caller is
 * known. Answers 429 SB_ERR_RATE_LIMITED with Retry-After; sets RateLimit-Remaining otherwise.
 */
export function rateLimitHook(limiter: RateLimiter, identify: RateLimitIdentify) {
  return async (req: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const who = identify(req);
    if (!who) return;
    const decision = await limiter.hit(who.key, who.limit);
    if (!decision.allowed) {
      reply.header('retry-after', String(decision.retryAfterSeconds));
      throw rateLimited(decision.retryAfterSeconds);
    }
    if (decision.remaining !== Number.MAX_SAFE_INTEGER) reply.header('ratelimit-remaining', String(decision.remaining));
  };
}
