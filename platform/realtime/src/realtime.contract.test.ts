import { randomUUID } from 'node:crypto';
import { connect as tcpConnect, createServer as tcpServer, type AddressInfo, type Socket as TcpSocket } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Socket } from 'socket.io-client';
import { createRealtime, RESYNC_EVENT, type OutageWindow } from './index.js';
import { client, joined, next, realtimeContract, startNode, stopNode } from './realtime.contract.js';

const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const key = `sbt-rt-${randomUUID().slice(0, 8)}`;

realtimeContract('memory', (http) => createRealtime({ driver: 'memory' }, http));
realtimeContract('redis', (http) => createRealtime({ driver: 'redis', url: redisUrl, key }, http));

describe('Realtime — redis adapter across instances', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanup.splice(0).reverse()) await c();
  });

  it('a broadcast on instance A reaches a client connected to instance B', async () => {
    const make = (http: Parameters<typeof createRealtime>[1]) => createRealtime({ driver: 'redis', url: redisUrl, key }, http);
    const a = await startNode(make);
    const b = await startNode(make);
    cleanup.push(() => stopNode(a), () => stopNode(b));
    const onB: Socket = client(b.url);
    cleanup.push(async () => void onB.disconnect());
    await joined(onB, 'tenant:9');
    const got = next<string>(onB, 'msg');
    a.rt.io.of('/t').to('tenant:9').emit('msg', 'from A');
    expect(await got).toBe('from A');
    const everywhere = await a.rt.io.of('/t').in('tenant:9').fetchSockets();
    expect(everywhere.map((s) => s.id)).toEqual([onB.id]);
  });

  it('after one instance lost Redis, its clients and the other instances\' clients are told to resync, once each', async () => {
    // Instance A reaches Redis through a relay the test cuts (its network to Redis, not Redis itself).
    const { hostname, port } = new URL(redisUrl);
    const open = new Set<TcpSocket>();
    let cut = false;
    const relay = tcpServer((conn) => {
      if (cut) return void conn.destroy();
      const upstream = tcpConnect(Number(port), hostname);
      for (const [from, to] of [[conn, upstream], [upstream, conn]] as const) {
        open.add(from);
        from.pipe(to);
        from.on('error', () => to.destroy());
        from.on('close', () => (open.delete(from), to.destroy()));
      }
    });
    await new Promise<void>((r) => relay.listen(0, '127.0.0.1', r));
    cleanup.push(async () => {
      for (const c of open) c.destroy();
      await new Promise<void>((r) => relay.close(() => r()));
    });
    const via = `redis://127.0.0.1:${(relay.address() as AddressInfo).port}`;
    const a = await startNode((http) => createRealtime({ driver: 'redis', url: via, key }, http));
    const b = await startNode((http) => createRealtime({ driver: 'redis', url: redisUrl, key }, http));
    cleanup.push(() => stopNode(a), () => stopNode(b));
    const onA = client(a.url);
    const onB = client(b.url);
    cleanup.push(async () => void (onA.disconnect(), onB.disconnect()));
    await Promise.all([joined(onA, 'room:r'), joined(onB, 'room:r')]);
    const resyncs = { a: [] as OutageWindow[], b: [] as OutageWindow[] };
    onA.on(RESYNC_EVENT, (w: OutageWindow) => resyncs.a.push(w));
    onB.on(RESYNC_EVENT, (w: OutageWindow) => resyncs.b.push(w));

    const cutAt = Date.now();
    cut = true;
    for (const c of open) c.destroy();
    // Local clients still hear it; B's may not (ioredis holds a publish briefly, then drops it).
    const gotOnA = next<string>(onA, 'msg');
    a.rt.io.of('/t').to('room:r').emit('msg', 'while cut off');
    expect(await gotOnA).toBe('while cut off');
    await new Promise((r) => setTimeout(r, 300));
    const backAt = Date.now();
    cut = false;

    await vi.waitFor(() => expect(resyncs.a.length > 0 && resyncs.b.length > 0).toBe(true), { timeout: 10_000, interval: 50 });
    await new Promise((r) => setTimeout(r, 500)); // a second resync would show up by now
    expect(resyncs.a).toHaveLength(1);
    expect(resyncs.b).toEqual(resyncs.a);
    expect(Date.parse(resyncs.a[0]!.since)).toBeGreaterThanOrEqual(cutAt);
    expect(Date.parse(resyncs.a[0]!.until)).toBeGreaterThanOrEqual(backAt);
  }, 20_000);

  it('refuses to start with a sentence naming REDIS_URL when Redis cannot be reached', async () => {
    const { createServer } = await import('node:http');
    await expect(createRealtime({ driver: 'redis', url: 'redis://127.0.0.1:1' }, createServer())).rejects.toThrow(/REDIS_URL/);
  });
});
