import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Server, type ServerOptions } from 'socket.io';
import { WebSocket, WebSocketServer } from 'ws';
import { createWire, type ConnectError, type Wire, type WebSocketFactory, type WireOptions } from '../src/wire.js';

/**
 * The widget's own socket.io client against the real socket.io server: the handshake with auth,
 * events and acks both ways, refusals, server disconnects, lost transports and heartbeats.
 */

interface In {
  hello: (text: string) => void;
  question: (q: string, ack: (answer: string) => void) => void;
}
interface Out {
  echo: (req: { text: string }, ack: (res: { ok: true; data: string }) => void) => void;
  silent: (req: { text: string }, ack: (res: unknown) => void) => void;
  note: (req: { n: number }) => void;
}

let http: HttpServer | undefined;
let io: Server | undefined;
let raw: WebSocketServer | undefined;
const wires: Wire<In, Out>[] = [];

afterEach(async () => {
  for (const w of wires.splice(0)) w.disconnect();
  await new Promise<void>((resolve) => (io ? io.close(() => resolve()) : resolve()));
  raw?.close();
  http?.closeAllConnections();
  await new Promise<void>((resolve) => (http?.listening ? http.close(() => resolve()) : resolve()));
  io = undefined;
  raw = undefined;
  http = undefined;
});

async function listen(server: HttpServer, port = 0): Promise<string> {
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function startIo(opts: Partial<ServerOptions> = {}, port = 0): Promise<{ url: string; io: Server }> {
  http = createServer();
  io = new Server(http, opts);
  return { url: await listen(http, port), io };
}

function wire(url: string, opts: Partial<WireOptions> = {}): Wire<In, Out> {
  const w = createWire<In, Out>(url, '/widget', {
    auth: () => ({ token: 'visitor-1' }),
    WebSocket: WebSocket as unknown as WebSocketFactory,
    reconnectionDelay: 50,
    reconnectionDelayMax: 200,
    ...opts,
  });
  wires.push(w);
  return w;
}

const connected = (w: Wire<In, Out>) => new Promise<void>((resolve) => w.on('connect', resolve));
const nextError = (w: Wire<In, Out>) => new Promise<ConnectError>((resolve) => w.on('connect_error', resolve));
const nextDisconnect = (w: Wire<In, Out>) => new Promise<string>((resolve) => w.on('disconnect', resolve));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('wire: socket.io over a bare WebSocket', () => {
  it('joins the namespace with the auth of each connect, and exchanges events and acks both ways', async () => {
    const { url, io } = await startIo();
    const auths: unknown[] = [];
    const heard: number[] = [];
    io.of('/widget').on('connection', (socket) => {
      auths.push(socket.handshake.auth);
      socket.on('echo', (req: { text: string }, ack: (res: unknown) => void) => ack({ ok: true, data: req.text.toUpperCase() }));
      socket.on('note', (req: { n: number }) => heard.push(req.n));
      socket.emit('hello', 'welcome');
    });
    let n = 0;
    const w = wire(url, { auth: () => ({ token: `visitor-${++n}` }) });
    const hello = new Promise<string>((resolve) => w.on('hello', resolve));
    w.connect();
    expect(w.active).toBe(true);
    await connected(w);
    expect(w.connected).toBe(true);
    expect(await hello).toBe('welcome');
    expect(await w.emitWithAck('echo', { text: 'hi ünïcode' }, 2000)).toEqual({ ok: true, data: 'HI ÜNÏCODE' });
    w.emit('note', { n: 7 });
    await vi.waitFor(() => expect(heard).toEqual([7]));

    const [socket] = [...io.of('/widget').sockets.values()];
    w.on('question', (q, ack) => ack(`${q}? yes`));
    expect(await socket!.timeout(2000).emitWithAck('question', 'ready')).toBe('ready? yes');

    const reconnected = connected(w);
    socket!.conn.close();
    await reconnected;
    expect(auths).toEqual([{ token: 'visitor-1' }, { token: 'visitor-2' }]);
  });

  it('reports a refused handshake with the server’s message and does not retry it until asked', async () => {
    const { url, io } = await startIo();
    let attempts = 0;
    io.of('/widget').use((_socket, next) => {
      attempts++;
      const err = new Error('SB_ERR_ORIGIN_NOT_ALLOWED') as Error & { data?: unknown };
      err.data = { origin: 'https://evil.example' };
      next(err);
    });
    const w = wire(url);
    const refused = nextError(w);
    w.connect();
    const err = await refused;
    expect(err.message).toBe('SB_ERR_ORIGIN_NOT_ALLOWED');
    expect(err.data).toEqual({ origin: 'https://evil.example' });
    expect(w.active).toBe(false);
    expect(w.connected).toBe(false);
    await sleep(300);
    expect(attempts).toBe(1);
    const again = nextError(w);
    w.connect();
    await again;
    expect(attempts).toBe(2);
  });

  it('stays down after the server disconnects it, and comes back when told to connect', async () => {
    const { url, io } = await startIo();
    let connections = 0;
    io.of('/widget').on('connection', () => connections++);
    const w = wire(url);
    w.connect();
    await connected(w);
    const gone = nextDisconnect(w);
    io.of('/widget').disconnectSockets();
    expect(await gone).toBe('io server disconnect');
    expect(w.active).toBe(false);
    await sleep(300);
    expect(connections).toBe(1);
    w.connect();
    await connected(w);
    expect(connections).toBe(2);
  });

  it('reconnects after losing the transport, and rejects the acks that were waiting at once', async () => {
    const { url, io } = await startIo();
    io.of('/widget').on('connection', (socket) => {
      // Never answers: the ack must fail when the connection goes, not wait for its timeout.
      socket.on('silent', () => socket.conn.close());
    });
    const w = wire(url);
    w.connect();
    await connected(w);
    const gone = nextDisconnect(w);
    const started = Date.now();
    await expect(w.emitWithAck('silent', { text: 'x' }, 10_000)).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(5000);
    expect(await gone).toBe('transport close');
    expect(w.active).toBe(true);
    await connected(w);
    expect(w.connected).toBe(true);
  });

  it('rejects an ack that does not come in time, and drops emits while disconnected', async () => {
    const { url, io } = await startIo();
    const heard: number[] = [];
    io.of('/widget').on('connection', (socket) => socket.on('note', (req: { n: number }) => heard.push(req.n)));
    const w = wire(url);
    w.emit('note', { n: 1 });
    await expect(w.emitWithAck('echo', { text: 'early' }, 1000)).rejects.toThrow('disconnected');
    w.connect();
    await connected(w);
    await expect(w.emitWithAck('silent', { text: 'x' }, 100)).rejects.toThrow('timed out');
    w.emit('note', { n: 2 });
    await vi.waitFor(() => expect(heard).toEqual([2]));
    expect(w.connected).toBe(true);
  });

  it('answers the server’s pings, so a quiet connection stays up', async () => {
    const { url, io } = await startIo({ pingInterval: 50, pingTimeout: 100 });
    let disconnects = 0;
    io.of('/widget').on('connection', (socket) => socket.on('disconnect', () => disconnects++));
    const w = wire(url);
    w.connect();
    await connected(w);
    await sleep(600);
    expect(disconnects).toBe(0);
    expect(w.connected).toBe(true);
  });

  it('drops a connection whose server went silent (no pings) and reconnects', async () => {
    http = createServer();
    raw = new WebSocketServer({ server: http });
    let opened = 0;
    raw.on('connection', (ws) => {
      opened++;
      ws.send('0{"sid":"s1","upgrades":[],"pingInterval":50,"pingTimeout":50,"maxPayload":1000000}');
      ws.on('message', (data) => {
        if (String(data).startsWith('40/widget,')) ws.send('40/widget,{"sid":"n1"}');
      });
    });
    const url = await listen(http);
    const w = wire(url);
    w.connect();
    await connected(w);
    expect(await nextDisconnect(w)).toBe('ping timeout');
    await connected(w);
    expect(opened).toBe(2);
  });

  it('retries a hub that is down with growing waits, capped', async () => {
    http = createServer((_req, res) => res.writeHead(503).end());
    const url = await listen(http);
    const tries: number[] = [];
    http.on('upgrade', (_req, socket) => {
      tries.push(Date.now());
      socket.destroy();
    });
    const w = wire(url, { reconnectionDelay: 100, reconnectionDelayMax: 200, randomizationFactor: 0 });
    const errors: ConnectError[] = [];
    w.on('connect_error', (e) => errors.push(e));
    w.connect();
    await vi.waitFor(() => expect(tries.length).toBeGreaterThanOrEqual(4), { timeout: 5000 });
    w.disconnect();
    const gaps = tries.slice(1).map((t, i) => t - tries[i]!);
    // A busy machine makes waits longer, never shorter: 100, 200, 200 (capped).
    expect(gaps[0]).toBeGreaterThanOrEqual(90);
    expect(gaps[1]).toBeGreaterThanOrEqual(190);
    expect(gaps[2]).toBeGreaterThanOrEqual(190);
    expect(errors.length).toBeGreaterThanOrEqual(3);
    expect(w.active).toBe(false);
  });
});
