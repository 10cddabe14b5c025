/**
 * Many socket.io clients in the load process (fan-out and Redis adapter benchmarks): opening them
 * in bounded batches, and timing broadcasts a bench server sends (bench/lib/servers.ts stamps
 * each with its send time).
 */
import { io, type Socket } from 'socket.io-client';
import { now, type ServerChild } from './child.js';
import type { ServerInfo } from './servers.js';

export interface OpenedSockets {
  sockets: Socket[];
  failed: number;
  /** The first connect error seen, to tell a refused handshake from a slow one. */
  firstError?: string;
  ms: number;
}

/** One client per socket (forceNew), WebSocket only, no reconnection. */
export function client(info: ServerInfo): Socket {
  const url = `${info.url}${info.namespace === '/' ? '' : info.namespace}`;
  return io(url, { transports: ['websocket'], forceNew: true, reconnection: false, timeout: 20_000, ...(info.auth ? { auth: info.auth } : {}) });
}

/** Opens `count` sockets, `concurrency` handshakes at a time, giving up on the rest after `deadlineMs`. */
export async function openSockets(info: ServerInfo, count: number, concurrency = 100, deadlineMs = 120_000): Promise<OpenedSockets> {
  const started = now();
  const sockets: Socket[] = [];
  let failed = 0;
  let firstError: string | undefined;
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count && now() - started < deadlineMs) {
        next++;
        const socket = client(info);
        const ok = await new Promise<boolean>((resolve) => {
          socket.once('connect', () => resolve(true));
          socket.once('connect_error', (err) => {
            firstError ??= err.message;
            resolve(false);
          });
        });
        if (ok) sockets.push(socket);
        else {
          failed++;
          socket.close();
        }
      }
    }),
  );
  return { sockets, failed, ...(firstError ? { firstError } : {}), ms: now() - started };
}

export function closeSockets(sockets: Socket[]): void {
  for (const s of sockets) s.close();
}

export interface BroadcastResult {
  /** Send → receipt, every socket of every broadcast, ms. */
  latencies: number[];
  /** Send → the last socket's receipt, per broadcast, ms. */
  completions: number[];
  /** Receipts missing when a broadcast's wait ran out. */
  missing: number;
}

/**
 * Sends `count` broadcasts one after another through `sender` (each waits until every listening
 * socket got the previous one, at most `waitMs`), so each measures one fan-out on its own.
 */
export async function timeBroadcasts(sender: ServerChild, sockets: Socket[], count: number, event = 'bench', waitMs = 15_000): Promise<BroadcastResult> {
  const latencies: number[] = [];
  const completions: number[] = [];
  let missing = 0;
  let received = 0;
  let last = 0;
  let wake: (() => void) | undefined;
  const onEvent = (msg: { at: number }) => {
    const at = now();
    latencies.push(at - msg.at);
    last = at - msg.at;
    if (++received === sockets.length) wake?.();
  };
  for (const s of sockets) s.on(event, onEvent);
  try {
    for (let i = 0; i < count; i++) {
      received = 0;
      const all = new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, waitMs);
      });
      await sender.broadcast(1, event);
      await all;
      if (received < sockets.length) missing += sockets.length - received;
      else completions.push(last);
      // Let both sides settle (GC, socket buffers) so one broadcast's tail is not the next one's head.
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    for (const s of sockets) s.off(event, onEvent);
  }
  return { latencies, completions, missing };
}

/**
 * Sends `count` broadcasts in a burst and measures how many per second reach every socket:
 * from the first send to the last receipt.
 */
export async function broadcastThroughput(sender: ServerChild, sockets: Socket[], count: number, event = 'burst', waitMs = 60_000): Promise<{ perSecond: number; missing: number; ms: number }> {
  const expected = count * sockets.length;
  let received = 0;
  let wake: (() => void) | undefined;
  const onEvent = () => {
    if (++received === expected) wake?.();
  };
  for (const s of sockets) s.on(event, onEvent);
  try {
    const started = now();
    const all = new Promise<void>((resolve) => {
      wake = resolve;
      setTimeout(resolve, waitMs);
    });
    await sender.broadcast(count, event);
    await all;
    const ms = now() - started;
    return { perSecond: (received / sockets.length) / (ms / 1000), missing: expected - received, ms };
  } finally {
    for (const s of sockets) s.off(event, onEvent);
  }
}
