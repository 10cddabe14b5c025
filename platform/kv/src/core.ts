/** Argument rules both KeyValue adapters apply, so a call refused by one is refused by the other. */
import { invalidArgument } from './errors.js';

/** A time to live for set/incr: at least 1 ms, whole milliseconds (rounded up, as Redis wants). */
export function ttlArg(ttlMs: number): number {
  if (typeof ttlMs !== 'number' || !Number.isFinite(ttlMs) || ttlMs <= 0) {
    throw invalidArgument(`ttlMs must be a positive number of milliseconds, not ${String(ttlMs)}.`);
  }
  return Math.ceil(ttlMs);
}

/** A time to live for expire: 0 or less deletes the key, as Redis' PEXPIRE does. */
export function expireArg(ttlMs: number): number {
  if (typeof ttlMs !== 'number' || !Number.isFinite(ttlMs)) {
    throw invalidArgument(`ttlMs must be a number of milliseconds, not ${String(ttlMs)}.`);
  }
  return Math.ceil(ttlMs);
}

/** Redis counters are integers; beyond 2^53 JavaScript numbers lose precision, so stop there. */
export function byArg(by: number): number {
  if (!Number.isSafeInteger(by)) throw invalidArgument(`incr "by" must be a whole number, not ${String(by)}.`);
  return by;
}
