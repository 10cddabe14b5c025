/**
 * Fan-out: many website-widget sockets on one inbox-service instance, next to a bare socket.io
 * server measured in the same run.
 *
 *   node --import tsx bench/fanout.ts [sockets=10000] [broadcasts=20]
 *
 * Each server runs in its own child process (bench/lib/servers.ts); this process holds the
 * clients (socket.io-client, forceNew, WebSocket only). For each server:
 * 1. a tenth of the clients connect (warm-up), then server RSS after two full collections;
 * 2. the rest connect (100 handshakes at a time, at most 120 s) — ours through the real /widget
 *    handshake (inbox token lookup, a visitor token signed per socket);
 * 3. RSS again → bytes per connection = growth ÷ sockets added;
 * 4. `broadcasts` broadcasts to every socket, one at a time → latency p50/p99 (send → receipt,
 *    every socket) and send → last socket.
 * Target: ours ≤ 1.5× the bare server's bytes per connection. Printed, never asserted.
 */
import { closeSockets, openSockets, timeBroadcasts } from './lib/clients.js';
import { startServer } from './lib/child.js';
import { recordResults, target } from './lib/results.js';
import { int, machine, mb, ms, percentile, table } from './lib/stats.js';

const SOCKETS = Number(process.argv[2] ?? 10_000);
const BROADCASTS = Number(process.argv[3] ?? 20);
const RATIO_TARGET = 1.5;

interface Measured {
  connected: number;
  failed: number;
  firstError?: string;
  connectMs: number;
  rssBefore: number;
  rssAfter: number;
  heapBefore: number;
  heapAfter: number;
  bytesPerConnection: number;
  heapPerConnection: number;
  latencies: number[];
  completions: number[];
  missing: number;
}

async function measure(role: 'fanout-bare' | 'fanout-switchboard'): Promise<Measured> {
  const server = await startServer(role);
  try {
    // The first tenth warms the server up (JIT, pools, the first handshakes' buffers); bytes per
    // connection are the growth from there to all of them, so start-up garbage is not counted.
    const first = await openSockets(server.info, Math.max(1, Math.round(SOCKETS / 10)));
    await settle();
    const before = await server.memory();
    const rest = await openSockets(server.info, SOCKETS - first.sockets.length - first.failed);
    const opened = { sockets: [...first.sockets, ...rest.sockets], failed: first.failed + rest.failed, firstError: first.firstError ?? rest.firstError, ms: first.ms + rest.ms };
    try {
      await settle();
      const after = await server.memory();
      const n = Math.max(1, after.sockets - before.sockets);
      const broadcasts = await timeBroadcasts(server, opened.sockets, BROADCASTS);
      return {
        connected: opened.sockets.length,
        failed: opened.failed,
        ...(opened.firstError ? { firstError: opened.firstError } : {}),
        connectMs: opened.ms,
        rssBefore: before.rss,
        rssAfter: after.rss,
        heapBefore: before.heapUsed,
        heapAfter: after.heapUsed,
        bytesPerConnection: (after.rss - before.rss) / n,
        heapPerConnection: (after.heapUsed - before.heapUsed) / n,
        ...broadcasts,
      };
    } finally {
      closeSockets(opened.sockets);
    }
  } finally {
    await server.stop();
  }
}

/** Lets the handshakes' garbage and socket buffers settle before memory is read. */
const settle = () => new Promise((r) => setTimeout(r, 2000));

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

async function main(): Promise<void> {
  console.log(`fanout: ${int(SOCKETS)} sockets on one instance, ${BROADCASTS} broadcasts — ${await machine()}`);
  const bare = await measure('fanout-bare');
  const ours = await measure('fanout-switchboard');
  const row = (m: Measured): string[] => [
    `${int(m.connected)} connected${m.failed ? ` (${int(m.failed)} failed${m.firstError ? `: ${m.firstError}` : ''})` : ''} in ${(m.connectMs / 1000).toFixed(1)} s (${int(m.connected / (m.connectMs / 1000))}/s)`,
    `RSS ${mb(m.rssBefore)} at a tenth → ${mb(m.rssAfter)} at all: ${kb(m.bytesPerConnection)} per connection (heap ${kb(m.heapPerConnection)})`,
    `broadcast to every socket: p50 ${ms(percentile(m.latencies, 50))}, p99 ${ms(percentile(m.latencies, 99))}; send → last socket p50 ${ms(percentile(m.completions, 50))}, max ${ms(m.completions.length ? Math.max(...m.completions) : NaN)}${m.missing ? `; ${int(m.missing)} receipts missing` : ''}`,
  ];
  const [b, o] = [row(bare), row(ours)];
  table('bare socket.io server (default options)', [['connect', b[0]!], ['memory', b[1]!], ['latency', b[2]!]]);
  table('ours: inbox service /widget (embedded platform, memory adapter)', [['connect', o[0]!], ['memory', o[1]!], ['latency', o[2]!]]);
  const ratio = ours.bytesPerConnection / bare.bytesPerConnection;
  table('ours ÷ bare', [
    ['RSS per connection', `${ratio.toFixed(2)}×`],
    ['broadcast p50 / p99', `${(percentile(ours.latencies, 50) / percentile(bare.latencies, 50)).toFixed(2)}× / ${(percentile(ours.latencies, 99) / percentile(bare.latencies, 99)).toFixed(2)}×`],
  ]);
  const figures = (m: Measured) => ({
    connected: m.connected,
    failed: m.failed,
    connectMs: m.connectMs,
    connectsPerSecond: m.connected / (m.connectMs / 1000),
    rssBeforeBytes: m.rssBefore,
    rssAfterBytes: m.rssAfter,
    rssPerConnectionBytes: m.bytesPerConnection,
    heapPerConnectionBytes: m.heapPerConnection,
    broadcastP50Ms: percentile(m.latencies, 50),
    broadcastP99Ms: percentile(m.latencies, 99),
    sendToLastSocketP50Ms: percentile(m.completions, 50),
    missingReceipts: m.missing,
  });
  recordResults(
    'fanout',
    { bare: figures(bare), ours: figures(ours), rssPerConnectionOursOverBare: ratio },
    [target(`RSS per connection ≤ ${RATIO_TARGET}× bare socket.io (ours ÷ bare)`, ratio, 'atMost', RATIO_TARGET, '×')],
    { sockets: SOCKETS, broadcasts: BROADCASTS },
  );
}

await main();
