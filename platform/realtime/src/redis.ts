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
  io.adapter(createAdapter(pub, sub, { key, requestsTimeout: 3000 }));
  return async () => {
    await Promise.allSettled([pub.quit(), sub.quit()]);
  };
}

function redact(url: string): string {
  return url.replace(/\/\/[^@]*@/, '//***@');
}
