import { createServer, type Server as HttpServer } from 'node:http';
import { connect as tcpConnect, type AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { io as connect, type Socket } from 'socket.io-client';
import type { Realtime } from './index.js';

export type MakeRealtime = (server: HttpServer) => Promise<Realtime>;

interface Node {
  rt: Realtime;
  http: HttpServer;
  url: string;
}

export async function startNode(make: MakeRealtime): Promise<Node> {
  const http = createServer();
  const rt = await make(http);
  // A tiny protocol for the suite: a client asks to join a room; the server acks.
  rt.io.of('/t').on('connection', (socket) => {
    socket.on('join', (room: string, ack: () => void) => {
      void socket.join(room);
      ack();
    });
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  return { rt, http, url: `http://127.0.0.1:${(http.address() as AddressInfo).port}` };
}

export async function stopNode(node: Node): Promise<void> {
  await node.rt.close();
  await new Promise<void>((r) => node.http.close(() => r()));
}

export function client(url: string): Socket {
  return connect(`${url}/t`, { transports: ['websocket'], forceNew: true, reconnection: false });
}

export async function joined(socket: Socket, room: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    socket.once('connect_error', reject);
    socket.emit('join', room, () => resolve());
  });
}

export function next<T>(socket: Socket, event: string, ms = 3000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "${event}" within ${ms} ms`)), ms);
    socket.once(event, (payload: T) => {
      clearTimeout(timer);
      resolve(payload);
    });
  });
}

/** The Realtime contract: what every adapter must do within one instance. */
export function realtimeContract(name: string, make: MakeRealtime): void {
  describe(`Realtime contract — ${name}`, () => {
    const nodes: Node[] = [];
    const sockets: Socket[] = [];
    afterEach(async () => {
      sockets.splice(0).forEach((s) => s.disconnect());
      for (const n of nodes.splice(0)) await stopNode(n);
    });

    it('delivers a room broadcast to members only', async () => {
      const node = await startNode(make);
      nodes.push(node);
      const a = client(node.url);
      const b = client(node.url);
      sockets.push(a, b);
      await joined(a, 'tenant:1');
      await joined(b, 'tenant:2');
      let leaked = false;
      b.on('hello', () => (leaked = true));
      const got = next<{ n: number }>(a, 'hello');
      node.rt.io.of('/t').to('tenant:1').emit('hello', { n: 1 });
      expect(await got).toEqual({ n: 1 });
      await new Promise((r) => setTimeout(r, 100));
      expect(leaked).toBe(false);
    });

    it('lists the sockets in a room', async () => {
      const node = await startNode(make);
      nodes.push(node);
      const a = client(node.url);
      sockets.push(a);
      await joined(a, 'room-x');
      const found = await node.rt.io.of('/t').in('room-x').fetchSockets();
      expect(found.map((s) => s.id)).toEqual([a.id]);
    });

    it('keeps namespaces apart', async () => {
      const node = await startNode(make);
      nodes.push(node);
      const a = client(node.url);
      sockets.push(a);
      await joined(a, 'r');
      let leaked = false;
      a.on('x', () => (leaked = true));
      node.rt.io.of('/other').to('r').emit('x', 1);
      await new Promise((r) => setTimeout(r, 150));
      expect(leaked).toBe(false);
    });

    it('closes, and lets the HTTP server close, without waiting for a client that never answers the close frame', async () => {
      const node = await startNode(make);
      // A peer that opens a WebSocket and then goes quiet (a frozen tab): ws would wait 30 s for its answer.
      const port = new URL(node.url).port;
      const peer = tcpConnect(Number(port), '127.0.0.1');
      const upgraded = new Promise<string>((resolve) => peer.once('data', (d: Buffer) => resolve(d.toString())));
      peer.write(
        'GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
          'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
      );
      expect(await upgraded).toMatch(/^HTTP\/1\.1 101 /);
      const dropped = new Promise<void>((resolve) => peer.once('close', () => resolve()));

      const started = Date.now();
      await stopNode(node);
      await dropped;
      expect(Date.now() - started).toBeLessThan(5_000);
    });
  });
}
