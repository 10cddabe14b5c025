/**
 * A small client for Meta's Graph API, shared by WhatsApp Cloud and Instagram Messaging. Only
 * what the connectors need: JSON calls, media metadata and download, media upload. The base URL
 * is configurable so tests (and a proxy, if you run one) can stand in for graph.facebook.com.
 */
export interface GraphClientOptions {
  /** e.g. https://graph.facebook.com (no trailing slash needed). */
  baseUrl: string;
  /** API version path segment, e.g. v21.0. */
  version: string;
  accessToken: string;
  /** Per-request timeout, ms. Default 15000. */
  timeoutMs?: number;
}

/** An error answered by the Graph API, with Meta's own code, subcode and title. */
export class GraphApiError extends Error {
  override readonly name = 'GraphApiError';
  constructor(
    message: string,
    readonly httpStatus: number,
    readonly code: number | undefined,
    readonly subcode: number | undefined,
    readonly details: string | undefined,
  ) {
    super(message);
  }

  /**
   * Worth another try: server errors, throttling (4, 17, 32, 613, 80007, 130429) and Meta's
   * "temporary" codes (1, 2). Anything else (bad token, outside the window, bad recipient) will
   * fail the same way again.
   */
  get transient(): boolean {
    if (this.httpStatus >= 500 || this.httpStatus === 429) return true;
    return this.code !== undefined && [1, 2, 4, 17, 32, 613, 80007, 130429].includes(this.code);
  }
}

interface GraphErrorBody {
  error?: { message?: string; code?: number; error_subcode?: number; error_user_title?: string; error_user_msg?: string; error_data?: { details?: string } | string };
}

export class GraphClient {
  private readonly base: string;
  private readonly timeoutMs: number;

  constructor(private readonly opts: GraphClientOptions) {
    this.base = `${opts.baseUrl.replace(/\/$/, '')}/${opts.version}`;
    this.timeoutMs = opts.timeoutMs ?? 15_000;
  }

  async post<T>(path: string, body: unknown): Promise<T> {
    return this.json<T>('POST', path, JSON.stringify(body), { 'content-type': 'application/json' });
  }

  async get<T>(path: string): Promise<T> {
    return this.json<T>('GET', path);
  }

  /** Downloads bytes from a URL the Graph API handed out (media URLs need the same token). */
  async download(url: string): Promise<{ bytes: Buffer; mime: string | undefined }> {
    const res = await this.fetch(url, { method: 'GET', headers: { authorization: `Bearer ${this.opts.accessToken}` } });
    if (!res.ok) throw await toError(res);
    return { bytes: Buffer.from(await res.arrayBuffer()), mime: res.headers.get('content-type') ?? undefined };
  }

  /** Multipart upload, e.g. POST /{phone-number-id}/media with file + type + messaging_product. */
  async upload<T>(path: string, fields: Record<string, string>, file: { bytes: Buffer; mime: string; name: string }): Promise<T> {
    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) form.append(k, v);
    form.append('file', new Blob([new Uint8Array(file.bytes)], { type: file.mime }), file.name);
    return this.json<T>('POST', path, form);
  }

  private async json<T>(method: string, path: string, body?: string | FormData, headers: Record<string, string> = {}): Promise<T> {
    const res = await this.fetch(`${this.base}/${path.replace(/^\//, '')}`, {
      method,
      headers: { authorization: `Bearer ${this.opts.accessToken}`, ...headers },
      ...(body !== undefined ? { body } : {}),
    });
    if (!res.ok) throw await toError(res);
    return (await res.json()) as T;
  }

  private async fetch(url: string, init: RequestInit): Promise<Response> {
    try {
      return await fetch(url, { ...init, signal: AbortSignal.timeout(this.timeoutMs) });
    } catch (err) {
      // A network failure is not Meta's answer: report it as a transient 503.
      throw new GraphApiError(`Graph API unreachable: ${(err as Error).message}`, 503, undefined, undefined, undefined);
    }
  }
}

async function toError(res: Response): Promise<GraphApiError> {
  const text = await res.text().catch(() => '');
  let parsed: GraphErrorBody = {};
  try {
    parsed = JSON.parse(text) as GraphErrorBody;
  } catch {
    // not JSON: keep the status only
  }
  const e = parsed.error;
  const details = typeof e?.error_data === 'string' ? e.error_data : (e?.error_data?.details ?? e?.error_user_msg);
  return new GraphApiError(e?.message ?? `Graph API answered ${res.status}`, res.status, e?.code, e?.error_subcode, details);
}
