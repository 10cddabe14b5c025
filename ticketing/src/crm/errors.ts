/**
 * What every adapter does with a failed call: one rule for which failures are worth trying
 * again (the link outbox retries those later), Retry-After read the same way, and a timeout on
 * every request so a hanging CRM becomes a retryable error instead of a stuck ticket.
 */
import { CrmError } from './types.js';

/** Requests that take longer fail as retryable; adapters take `timeoutMs` with this default. */
export const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * Worth trying again later: rate limits (429), request timeouts (408), too-early (425) and every
 * server-side failure (5xx). Everything else (400, 401, 403, 404, 409, 422 …) says the request
 * itself or the credentials are wrong: repeating it gives the same answer.
 */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 425 || status === 429 || status >= 500;
}

/**
 * Retry-After in milliseconds: delay-seconds ("3", "1.5") or an HTTP date (the time until then,
 * at least 0). Undefined when absent or unreadable.
 */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (value === null || value === undefined) return undefined;
  const text = value.trim();
  if (text === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** A CrmError for an HTTP answer: retryable by status, with the provider's own sentence. */
export function statusError(provider: string, status: number, detail: string | undefined, retryAfterMs?: number): CrmError {
  const what = detail?.trim() ? `: ${detail.trim().replace(/\.?$/, '.')}` : '.';
  return new CrmError(`${provider} answered ${status}${what}`, isRetryableStatus(status), status, retryAfterMs);
}

/**
 * A CrmError for a request that got no HTTP answer: refused or reset connections, DNS failures
 * and timeouts are all retryable. An AbortSignal the caller passed that fired is not a timeout.
 */
export function transportError(provider: string, err: unknown, timeoutMs: number): CrmError {
  if (err instanceof CrmError) return err;
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e?.name === 'TimeoutError') return new CrmError(`${provider} did not answer within ${timeoutMs} ms.`, true);
  const cause = e?.cause?.code ?? e?.cause?.message;
  return new CrmError(`${provider} could not be reached${cause ? ` (${cause})` : ''}: ${e?.message ?? String(err)}.`, true);
}

/**
 * The answer to `check()` from any failure of the cheap authenticated call: the credentials are
 * refused (401/403), or the service could not be asked at all, both said in one sentence.
 */
export function checkFailure(provider: string, err: unknown): { ok: false; reason: string } {
  if (!(err instanceof CrmError)) throw err;
  if (err.status === 401 || err.status === 403) {
    return { ok: false, reason: `${provider} refused the credentials (${err.status}): check the token. ${err.message}` };
  }
  return { ok: false, reason: err.message };
}
