import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { StandIn } from '../src/testing/index.js';

export interface LoopbackCall {
  chatId: string;
  text: string;
  idempotencyKey: string;
  signature: string;
}

/** The loopback channel's "provider": records each delivery; `failWith` makes the next answers fail. */
export interface LoopbackStandIn extends StandIn {
  calls: LoopbackCall[];
  /** Statuses to answer with before answering 200 again, e.g. [503] or [400]. */
  failWith: number[];
}

function body(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export async function startLoopbackStandIn(): Promise<LoopbackStandIn> {
  const calls: LoopbackCall[] = [];
  const failWith: number[] = [];
  const server: Server = createServer(async (req, res) => {
    const text = await body(req);
    const status = failWith.shift();
    if (status) {
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ error: status === 400 ? 'chat not found' : 'try later' }));
      return;
    }
    const parsed = JSON.parse(text) as Omit<LoopbackCall, 'signature'>;
    calls.push({ ...parsed, signature: String(req.headers['x-loopback-signature'] ?? '') });
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id: `lb-${calls.length}` }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/deliver`,
    calls,
    failWith,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
