import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request a stand-in received. */
export interface StandInCall {
  method: string;
  path: string;
  query: URLSearchParams;
  authorization: string | undefined;
  body: unknown;
}

export interface StandInRequest extends StandInCall {
  headers: IncomingHttpHeaders;
}

export interface Answer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** How the next requests fail: the status, and Retry-After in seconds when given. */
export interface Misbehaviour {
  status: 429 | 500 | 502 | 503;
  retryAfter?: number;
}

/**
 * The HTTP part every CRM stand-in shares: a real server on 127.0.0.1:0, every call recorded,
 * bearer token checked, and misbehaviour on demand — the next n requests fail with a status in the
 * provider's own error format, or every answer comes `delayMs` late (for timeout tests).
 */
export abstract class StandInServer {
  readonly calls: StandInCall[] = [];
  url = '';
  /** Milliseconds every answer waits before it is sent; 0 = none. */
  delayMs = 0;
  private readonly failures: Misbehaviour[] = [];
  private server: Server | undefined;

  constructor(readonly token: string) {}

  /** The next `n` requests (any endpoint) answer with this failure. */
  failNext(n: number, failure: Misbehaviour): void {
    for (let i = 0; i < n; i++) this.failures.push(failure);
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      void (async () => {
        const chunks: Buffer[] = [];
        for await (const c of req) chunks.push(c as Buffer);
        const text = Buffer.concat(chunks).toString('utf8');
        const url = new URL(req.url ?? '/', 'http://127.0.0.1');
        let body: unknown = text;
        if (text && String(req.headers['content-type'] ?? '').includes('json')) {
          try {
            body = JSON.parse(text) as unknown;
          } catch {
            return this.send(res, this.badJson());
          }
        }
        const call: StandInRequest = { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, authorization: req.headers.authorization, body, headers: req.headers };
        this.calls.push({ method: call.method, path: call.path, query: call.query, authorization: call.authorization, body });
        if (this.delayMs > 0) await new Promise((r) => setTimeout(r, this.delayMs));
        if (res.destroyed) return;
        const failure = this.failures.shift();
        if (failure) return this.send(res, this.failure(failure));
        if (call.authorization !== `Bearer ${this.token}`) return this.send(res, this.unauthorized());
        return this.send(res, await this.handle(call));
      })().catch((err: unknown) => this.send(res, { status: 500, body: { message: String(err) } }));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  protected abstract handle(req: StandInRequest): Promise<Answer> | Answer;
  /** The provider's answer for a failure asked with failNext. */
  protected abstract failure(m: Misbehaviour): Answer;
  /** The provider's answer to a missing or wrong token. */
  protected abstract unauthorized(): Answer;
  /** The provider's answer to a body that is not JSON. */
  protected abstract badJson(): Answer;

  private send(res: ServerResponse, answer: Answer): void {
    if (res.destroyed || res.headersSent) return;
    const headers: Record<string, string> = { ...(answer.headers ?? {}) };
    if (answer.body === undefined) {
      res.writeHead(answer.status, headers).end();
      return;
    }
    headers['content-type'] ??= 'application/json;charset=utf-8';
    res.writeHead(answer.status, headers).end(JSON.stringify(answer.body));
  }
}
