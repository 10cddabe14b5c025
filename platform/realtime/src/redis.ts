import { Redis } from 'ioredis';
import { createAdapter } from '@socket.io/redis-adapter';
import type { Server } from 'socket.io';
import type { RealtimeLogger } from './index.js';

/**
 * Connects the Redis adapter. Start-up fails with a sentence if Redis cannot be reached; once
 * running, losing Redis only degrades cross-instance fan-out: local rooms keep working and
 * ioredis reconnects by itself.
 */
export async function attachRedisAdapter(
  io: Server,
  url: string,
  key: string,
  logger?: RealtimeLogger,
): Promise<() => Promise<void>> {
  const pub = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 2, enableOfflineQueue: true });
  const sub = pub.duplicate();
  let warned = false;
  for (const client of [pub, sub]) {
    client.on('error', (err: Error) => {
      if (!warned) logger?.warn({ err: err.message }, 'realtime: Redis unreachable; fan-out limited to this instance');
      warned = true;
    });
    client.on('ready', () => {
      if (warned) logger?.info({}, 'realtime: Redis is back; cross-instance fan-out resumed');
      warned = false;
    });
  }
  try {
    await Promise.all([pub.connect(), sub.connect()]);
    await pub.ping();
  } catch (err) {
    pub.disconnect();
    sub.disconnect();
    throw new Error(`Cannot reach Redis at REDIS_URL (${redact(url)}): ${(err as Error).message}`);
  }
  observePublishes(pub);
  io.adapter(createAdapter(pub, sub, { key, requestsTimeout: 3000 }));
  return async () => {
    await Promise.allSettled([pub.quit(), sub.quit()]);
  };
}

/**
 * The adapter publishes without awaiting (every emit to a room, every request to the other
 * instances). While Redis is down each such publish rejects with no one listening: an unhandled
 * rejection, which ends a Node process. A handler on every publish keeps the process up; the loss
 * of fan-out is reported once by the 'error' listener, and callers that await a publish
 * (fetchSockets, serverSideEmit) still get its error.
 */
function observePublishes(pub: Redis): void {
  const publish = pub.publish.bind(pub) as (...args: unknown[]) => Promise<number>;
  (pub as unknown as { publish: typeof publish }).publish = (...args) => {
    const sent = publish(...args);
    sent.catch(() => undefined);
    return sent;
  };
}

function redact(url: string): string {
  return url.replace(/\/\/[^@]*@/, '//***@');
}
