import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { Socket } from 'socket.io-client';
import { createRealtime } from './index.js';
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

  it('refuses to start with a sentence naming REDIS_URL when Redis cannot be reached', async () => {
    const { createServer } = await import('node:http');
    await expect(createRealtime({ driver: 'redis', url: 'redis://127.0.0.1:1' }, createServer())).rejects.toThrow(/REDIS_URL/);
  });
});
