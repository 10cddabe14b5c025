/**
 * What @socket.io/redis-adapter costs a broadcast: our realtime seam (createRealtime) on one
 * instance with the in-memory adapter, against two instances sharing the Redis adapter, in the
 * same run.
 *
 *   node --import tsx bench/redis-adapter.ts [sockets=1000] [broadcasts=50] [burst=500]
 *
 * Each instance is its own child process (bench/lib/servers.ts, role `realtime`); this process
 * holds the clients. Without Redis, all `sockets` are on the one instance; with Redis, half are on
 * each and instance A sends every broadcast, so half the receipts cross Redis (pub/sub on a
 * channel prefix of this run's own, so the shared Redis is never flushed or disturbed).
 * 1. latency: `broadcasts` broadcasts one at a time → p50/p99 send → receipt (local and remote
 *    sockets apart), and send → last socket;
 * 2. throughput: `burst` broadcasts at once → broadcasts per second that reached every socket.
 * Printed, never asserted.
 */
import { randomBytes } from 'node:crypto';
import type { Socket } from 'socket.io-client';
import { broadcastThroughput, closeSockets, openSockets, timeBroadcasts, type BroadcastResult } from './lib/clients.js';
import { startServer, type ServerChild } from './lib/child.js';
import { recordResults } from './lib/results.js';
import { int, machine, ms, percentile, table } from './lib/stats.js';

const SOCKETS = Number(process.argv[2] ?? 1_000);
const BROADCASTS = Number(process.argv[3] ?? 50);
const BURST = Number(process.argv[4] ?? 500);

interface Run {
  local: BroadcastResult;
  remote?: BroadcastResult;
  throughput: { perSecond: number; missing: number; ms: number };
}

async function connect(server: ServerChild, count: number): Promise<Socket[]> {
  const opened = await openSockets(server.info, count, 50, 60_000);
  if (opened.failed) throw new Error(`${opened.failed} sockets failed to connect: ${opened.firstError ?? 'unknown'}`);
  return opened.sockets;
}

async function withoutRedis(): Promise<Run> {
  const a = await startServer('realtime');
  let sockets: Socket[] = [];
  try {
    sockets = await connect(a, SOCKETS);
    const local = await timeBroadcasts(a, sockets, BROADCASTS);
    const throughput = await broadcastThroughput(a, sockets, BURST);
    return { local, throughput };
  } finally {
    closeSockets(sockets);
    await a.stop();
  }
}

async function withRedis(): Promise<Run> {
  const redisKey = `sbbench-${randomBytes(4).toString('hex')}`;
  const a = await startServer('realtime', { redis: true, redisKey });
  const b = await startServer('realtime', { redis: true, redisKey }).catch(async (err: unknown) => {
    await a.stop();
    throw err;
  });
  let onA: Socket[] = [];
  let onB: Socket[] = [];
  try {
    onA = await connect(a, Math.ceil(SOCKETS / 2));
    onB = await connect(b, Math.floor(SOCKETS / 2));
    const local = await timeBroadcasts(a, onA, BROADCASTS);
    const remote = await timeBroadcasts(a, onB, BROADCASTS);
    const throughput = await broadcastThroughput(a, [...onA, ...onB], BURST);
    return { local, remote, throughput };
  } finally {
    closeSockets([...onA, ...onB]);
    await a.stop();
    await b.stop();
  }
}

const latency = (r: BroadcastResult) =>
  `p50 ${ms(percentile(r.latencies, 50))}, p99 ${ms(percentile(r.latencies, 99))}; send → last socket p50 ${ms(percentile(r.completions, 50))}${r.missing ? `; ${int(r.missing)} receipts missing` : ''}`;
const figures = (r: BroadcastResult) => ({ p50Ms: percentile(r.latencies, 50), p99Ms: percentile(r.latencies, 99), sendToLastSocketP50Ms: percentile(r.completions, 50), missingReceipts: r.missing });

async function main(): Promise<void> {
  console.log(`redis-adapter: ${int(SOCKETS)} sockets, ${BROADCASTS} timed broadcasts, bursts of ${int(BURST)} — ${await machine()}`);
  const memory = await withoutRedis();
  const redis = await withRedis();
  table(`one instance, in-memory adapter (${int(SOCKETS)} sockets)`, [
    ['broadcast latency', latency(memory.local)],
    ['throughput', `${int(memory.throughput.perSecond)} broadcasts/s to every socket (${int(BURST)} in ${ms(memory.throughput.ms, 0)})`],
  ]);
  table(`two instances, Redis adapter (${int(Math.ceil(SOCKETS / 2))} + ${int(Math.floor(SOCKETS / 2))} sockets, A broadcasts)`, [
    ['latency, sockets on A (local)', latency(redis.local)],
    ['latency, sockets on B (through Redis)', latency(redis.remote!)],
    ['throughput', `${int(redis.throughput.perSecond)} broadcasts/s to every socket (${int(BURST)} in ${ms(redis.throughput.ms, 0)})${redis.throughput.missing ? `, ${int(redis.throughput.missing)} receipts missing` : ''}`],
  ]);
  table('Redis ÷ in-memory', [
    ['p50 on B (through Redis)', `${(percentile(redis.remote!.latencies, 50) / percentile(memory.local.latencies, 50)).toFixed(2)}×`],
    ['p50 on A (local, Redis adapter)', `${(percentile(redis.local.latencies, 50) / percentile(memory.local.latencies, 50)).toFixed(2)}×`],
    ['throughput', `${(redis.throughput.perSecond / memory.throughput.perSecond).toFixed(2)}×`],
  ]);
  recordResults(
    'redis-adapter',
    {
      memory: { ...figures(memory.local), broadcastsPerSecond: memory.throughput.perSecond },
      redis: { local: figures(redis.local), remote: figures(redis.remote!), broadcastsPerSecond: redis.throughput.perSecond, missingInBurst: redis.throughput.missing },
      throughputRedisOverMemory: redis.throughput.perSecond / memory.throughput.perSecond,
    },
    [],
    { sockets: SOCKETS, broadcasts: BROADCASTS, burst: BURST },
  );
}

await main();
