/**
 * The one HTTP path of the adapters: bearer token, JSON both ways, a timeout on every request,
 * and every failure turned into a CrmError (errors.ts decides which are retryable). Adapters only
 * build paths and bodies and read answers.
 */
import { DEFAULT_TIMEOUT_MS, parseRetryAfter, statusError, transportError } from './errors.js';

export interface RestResponse {
  status: number;
  headers: Headers;
  /** Parsed JSON; the raw text when it is not JSON; undefined when empty (204). */
  body: unknown;
}

export interface RestClientOptions {
  /** Name used in error sentences ("HubSpot answered 429: …"). */
  provider: string;
  baseUrl: string;
  /** Sent as `Authorization: Bearer <token>`. */
  token: string;
  /** Milliseconds before a request fails as retryable; default 10000. */
  timeoutMs?: number;
  /** The fetch to use; default the global one (tests and proxies may pass another). */
  fetch?: typeof fetch;
  /** The provider's sentence and retry hint in an error answer (its own body and headers). */
  describeError(res: RestResponse): { detail?: string; retryAfterMs?: number };
}

export interface RestRequest {
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  /** Non-2xx statuses answered as a response instead of thrown (404 for "not there"). */
  allow?: number[];
}

export class RestClient {
  private readonly base: string;
  private readonly timeoutMs: number;
  private readonly fetchFn: typeof fetch;

  constructor(private readonly opts: RestClientOptions) {
    this.base = opts.baseUrl.replace(/\/+$/, '');
    this.timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.fetchFn = opts.fetch ?? globalThis.fetch;
  }

  async request(method: string, path: string, req: RestRequest = {}): Promise<RestResponse> {
    const url = new URL(this.base + path);
    for (const [k, v] of Object.entries(req.query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    const headers: Record<string, string> = { authorization: `Bearer ${this.opts.token}`, accept: 'application/json' };
    if (req.body !== undefined) headers['content-type'] = 'application/json';
    let res: RestResponse;
    try {
      const answer = await this.fetchFn(url, {
        method,
        headers,
        ...(req.body !== undefined ? { body: JSON.stringify(req.body) } : {}),
        signal: AbortSignal.timeout(this.timeoutMs),
        redirect: 'error',
      });
      // The body is read under the same timeout: a server that stalls mid-answer is a timeout too.
      const text = await answer.text();
      res = { status: answer.status, headers: answer.headers, body: parseBody(text) };
    } catch (err) {
      throw transportError(this.opts.provider, err, this.timeoutMs);
    }
    if ((res.status >= 200 && res.status < 300) || req.allow?.includes(res.status)) return res;
    const { detail, retryAfterMs } = this.opts.describeError(res);
    throw statusError(this.opts.provider, res.status, detail, retryAfterMs ?? parseRetryAfter(res.headers.get('retry-after')));
  }
}

function parseBody(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** A field of an answer that should be an object, or an empty one. */
export function obj(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** A string field, or undefined (numbers are turned into text: CRM ids are often numbers). */
export function str(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}
