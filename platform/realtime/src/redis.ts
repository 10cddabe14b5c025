import { Redis } from 'ioredis';
import { createAdapter } from '@socket.io/redis-adapter';
import type { Namespace, Server } from 'socket.io';
import type { RealtimeLogger } from './index.js';

/** The `resync` event every client gets after cross-instance fan-out was lost: the outage window. */
export const RESYNC_EVENT = 'resync';
/** Between instances: "my emits were lost in this window", for peers whose own Redis link held. */
const PEER_RESYNC = 'sb:realtime:resync';
/** How soon a failed check (or a resync right after another) is tried again. */
const RECHECK_MS = 1_000;

export interface OutageWindow {
  /** When this instance first saw Redis go (or a publish fail), ISO 8601. */
  since: string;
  /** When fan-out was whole again (both connections ready, subscriptions back), ISO 8601. */
  until: string;
}

/**
 * Connects the Redis adapter. Start-up fails with a sentence if Redis cannot be reached; once
 * running, losing Redis only degrades cross-instance fan-out: local rooms keep working and
 * ioredis reconnects by itself. What other instances emitted meanwhile (and what this one
 * emitted to their clients) is lost, so once both connections are back and resubscribed, every
 * client of this instance gets `resync` with the outage window (clients then fetch what they
 * missed, as after a reconnect), and the other instances are asked to tell theirs too, unless
 * they lost Redis over the same window themselves (then they tell their own clients).
 */
export async function attachRedisAdapter(
  io: Server,
  url: string,
  key: string,
  logger?: RealtimeLogger,
): Promise<() => Promise<void>> {
  const pub = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 2, enableOfflineQueue: true });
  const sub = pub.duplicate();
  let quitting = false;
  /** Cross-instance delivery lost since (ms since epoch); null while whole. */
  let lostSince: number | null = null;
  /** The last outage this instance saw, for telling peers' requests apart from its own. */
  let lastOutage: { since: number; until: number } | null = null;

  const lost = (reason: string) => {
    if (quitting || lostSince !== null) return;
    lostSince = Date.now();
    logger?.warn({ reason }, 'realtime: Redis unreachable; fan-out limited to this instance');
  };
  const main = io.of('/') as unknown as Namespace<Record<string, never>, Record<string, never>, { [PEER_RESYNC]: (window: OutageWindow) => void }>;
  const tellClients = (window: OutageWindow) => {
    for (const nsp of io._nsps.values()) nsp.local.emit(RESYNC_EVENT, window);
  };
  /** A check again later, when publishing still fails while connected (one pending at a time). */
  let retry: NodeJS.Timeout | undefined;
  const later = () => {
    retry ??= setTimeout(() => {
      retry = undefined;
      void restored();
    }, RECHECK_MS);
    retry.unref();
  };
  const restored = async () => {
    const since = lostSince;
    if (since === null || quitting || pub.status !== 'ready' || sub.status !== 'ready') return;
    // Not twice in a row: a publish failing again right after a resync waits for the next check.
    if (lastOutage && Date.now() - lastOutage.until < RECHECK_MS) return later();
    try {
      // Answered only after the resubscriptions sent before it: live events flow again from here.
      await sub.ping();
      // And publishing works (not the adapter's publish, whose failure would come back here).
      await pub.call('PUBLISH', `${key}-probe`, '');
    } catch {
      return later();
    }
    if (lostSince !== since || pub.status !== 'ready' || sub.status !== 'ready') return;
    const until = Date.now();
    lostSince = null;
    lastOutage = { since, until };
    const window: OutageWindow = { since: new Date(since).toISOString(), until: new Date(until).toISOString() };
    logger?.info({ ...window }, 'realtime: Redis is back; cross-instance fan-out resumed, clients told to resync');
    tellClients(window);
    main.serverSideEmit(PEER_RESYNC, window);
  };
  for (const client of [pub, sub]) {
    client.on('error', (err: Error) => lost(err.message));
    client.on('close', () => lost('connection closed'));
    client.on('ready', () => void restored());
  }
  main.on(PEER_RESYNC, (window) => {
    // Lost over the same window here too: this instance tells its own clients when it is back.
    if (lostSince !== null) return;
    if (lastOutage && lastOutage.until >= Date.parse(window.since) && lastOutage.since <= Date.parse(window.until)) return;
    logger?.info({ ...window }, 'realtime: another instance lost Redis; clients told to resync');
    tellClients(window);
  });
  try {
    await Promise.all([pub.connect(), sub.connect()]);
    await pub.ping();
  } catch (err) {
    quitting = true;
    pub.disconnect();
    sub.disconnect();
    throw new Error(`Cannot reach Redis at REDIS_URL (${redact(url)}): ${(err as Error).message}`);
  }
  observePublishes(pub, () => {
    lost('publish failed');
    // Failed while connected (no 'ready' will follow): resync as soon as it is whole.
    void restored();
  });
  io.adapter(createAdapter(pub, sub, { key, requestsTimeout: 3000 }));
  return async () => {
    quitting = true;
    clearTimeout(retry);
    await Promise.allSettled([pub.quit(), sub.quit()]);
  };
}

/**
 * The adapter publishes without awaiting (every emit to a room, every request to the other
 * instances). While Redis is down each such publish rejects with no one listening: an unhandled
 * rejection, which ends a Node process. A handler on every publish keeps the process up and marks
 * cross-instance delivery lost (clients resync once it is whole again), and callers that await a publish
 * (fetchSockets, serverSideEmit) still get its error.
 */
function observePublishes(pub: Redis, onFailure: () => void): void {
  const publish = pub.publish.bind(pub) as (...args: unknown[]) => Promise<number>;
  (pub as unknown as { publish: typeof publish }).publish = (...args) => {
    const sent = publish(...args);
    sent.catch(onFailure);
    return sent;
  };
}

function redact(url: string): string {
  return url.replace(/\/\/[^@]*@/, '//***@');
}
