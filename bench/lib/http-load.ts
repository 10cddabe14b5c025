/**
 * A small closed-loop HTTP/1.1 load generator (the job autocannon does, without a dependency):
 * `connections` keep-alive sockets, each sending the next GET as soon as the previous answer is
 * complete, for a fixed time after a warm-up. It runs in a worker thread so the server under test
 * keeps the main thread's event loop to itself; raw sockets keep the client's own cost per request
 * far below the server's, so even a hello-world server is the one measured.
 *
 * With `webhook` it POSTs signed loopback-channel webhooks instead, each carrying a key of its own,
 * and returns when each key was sent and how it was answered (the ingest bench's overload phase:
 * 512 senders at once from one process that costs far less than node:http would).
 */
import { connect, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';

export interface LoadOptions {
  /** http://127.0.0.1:<port>/path (loopback only). */
  url: string;
  connections: number;
  /** Measured time. */
  durationMs: number;
  /** Time before that whose answers are not counted. */
  warmupMs: number;
  headers?: Record<string, string>;
  /** POST loopback webhooks signed with `secret`, keyed `<keyPrefix>-<n>`, over `threads` conversations. */
  webhook?: { secret: string; keyPrefix: string; threads: number };
}

export interface SentWebhook {
  key: string;
  /** When it was written to the socket: epoch ms with a fraction (timeOrigin + now()). */
  at: number;
  status: number;
}

export interface LoadResult {
  /** Answers completed in the measured time. */
  requests: number;
  durationMs: number;
  /** Latency of every counted answer, ms. */
  latencies: number[];
  /** status code → answers. */
  statuses: Record<string, number>;
  /** Body bytes received in the measured time. */
  bodyBytes: number;
  /** Socket errors (each ends its connection). */
  errors: string[];
  /** With `webhook`: every webhook answered in the measured time. */
  sent?: SentWebhook[];
}

/** Runs the load in a worker thread and resolves with its figures. */
export function runLoad(options: LoadOptions): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    // A worker does not inherit the main thread's TypeScript loader: register tsx in it first.
    const boot = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((tsx) => { tsx.register(); return import(${JSON.stringify(import.meta.url)}); })`;
    const worker = new Worker(boot, { eval: true, workerData: options });
    worker.once('message', (result: LoadResult) => resolve(result));
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`the load worker exited with ${code}`));
    });
  });
}

const HEADER_END = Buffer.from('\r\n\r\n');
const LAST_CHUNK = Buffer.from('\r\n0\r\n\r\n');

/** Where the response at the start of `buf` ends, or -1 while incomplete; with its status and body length. */
function responseEnd(buf: Buffer): { end: number; status: number; body: number } | null {
  const head = buf.indexOf(HEADER_END);
  if (head < 0) return null;
  const text = buf.subarray(0, head).toString('latin1');
  const status = Number(text.slice(9, 12));
  const bodyStart = head + 4;
  if (status === 304 || status === 204 || (status >= 100 && status < 200)) return { end: bodyStart, status, body: 0 };
  const length = /\r\ncontent-length:\s*(\d+)/i.exec(text);
  if (length) {
    const end = bodyStart + Number(length[1]);
    return buf.length >= end ? { end, status, body: end - bodyStart } : null;
  }
  if (/\r\ntransfer-encoding:\s*chunked/i.test(text)) {
    const last = buf.indexOf(LAST_CHUNK, bodyStart - 2);
    return last < 0 ? null : { end: last + LAST_CHUNK.length, status, body: last + LAST_CHUNK.length - bodyStart };
  }
  throw new Error(`a response without content-length or chunked encoding (status ${status})`);
}

async function load(o: LoadOptions): Promise<LoadResult> {
  const url = new URL(o.url);
  if (url.protocol !== 'http:' || !['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)) {
    throw new Error(`the load generator only targets http on loopback, not ${o.url}`);
  }
  const port = Number(url.port || 80);
  const extra = Object.entries(o.headers ?? {})
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('');
  const get = Buffer.from(`GET ${url.pathname}${url.search} HTTP/1.1\r\nHost: ${url.host}\r\nUser-Agent: sb-bench\r\n${extra}\r\n`, 'latin1');
  // Loaded only for webhooks: the SDK's import graph would slow every page-load worker's start.
  const sdk = o.webhook ? await import('@switchboard/connectors-sdk') : undefined;
  let seq = 0;
  /** The next request and its key (webhooks only). */
  const next = (): { bytes: Buffer; key?: string } => {
    if (!o.webhook || !sdk) return { bytes: get };
    const n = seq++;
    const key = `${o.webhook.keyPrefix}-${n}`;
    const thread = n % o.webhook.threads;
    const body = JSON.stringify({ id: key, chatId: `chat-${thread}`, from: { id: `user-${thread}`, name: `Customer ${thread}` }, text: key });
    const head =
      `POST ${url.pathname} HTTP/1.1\r\nHost: ${url.host}\r\nUser-Agent: sb-bench\r\n${extra}` +
      `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
      `${sdk.LOOPBACK_SIGNATURE_HEADER}: ${sdk.loopbackSignature(o.webhook.secret, body)}\r\n\r\n`;
    return { bytes: Buffer.from(head + body), key };
  };
  const result: LoadResult = { requests: 0, durationMs: o.durationMs, latencies: [], statuses: {}, bodyBytes: 0, errors: [], ...(o.webhook ? { sent: [] } : {}) };
  const started = performance.now();
  const countFrom = started + o.warmupMs;
  const stopAt = countFrom + o.durationMs;
  const sockets: Socket[] = [];
  // An answer that never comes must not hold the run: sockets still open 10 s after the end are cut.
  const cutOff = setTimeout(() => {
    for (const s of sockets) if (!s.destroyed) s.destroy(new Error('no answer within 10 s after the end of the run'));
  }, o.warmupMs + o.durationMs + 10_000);

  const connection = () =>
    new Promise<void>((done) => {
      const socket: Socket = connect({ host: url.hostname.replace(/^\[|\]$/g, ''), port });
      sockets.push(socket);
      socket.setNoDelay(true);
      let buf: Buffer = Buffer.alloc(0);
      let sentAt = 0;
      let key: string | undefined;
      const send = () => {
        const req = next();
        key = req.key;
        sentAt = performance.now();
        socket.write(req.bytes);
      };
      socket.on('connect', send);
      socket.on('data', (chunk: Buffer) => {
        buf = buf.length === 0 ? chunk : Buffer.concat([buf, chunk]);
        for (;;) {
          const r = responseEnd(buf);
          if (!r) return;
          buf = buf.subarray(r.end);
          const now = performance.now();
          if (now >= countFrom && now < stopAt) {
            result.requests++;
            result.latencies.push(now - sentAt);
            result.statuses[r.status] = (result.statuses[r.status] ?? 0) + 1;
            result.bodyBytes += r.body;
            if (key !== undefined) result.sent!.push({ key, at: performance.timeOrigin + sentAt, status: r.status });
          }
          if (now >= stopAt) {
            socket.end();
            return;
          }
          send();
        }
      });
      socket.on('error', (err) => {
        result.errors.push(err.message);
        socket.destroy();
      });
      socket.on('close', () => done());
    });

  await Promise.all(Array.from({ length: o.connections }, connection));
  clearTimeout(cutOff);
  return result;
}

if (!isMainThread && parentPort) {
  const port = parentPort;
  load(workerData as LoadOptions).then(
    (result) => port.postMessage(result),
    (err: unknown) => {
      throw err;
    },
  );
}
