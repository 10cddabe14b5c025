import type { Server as HttpServer } from 'node:http';
import { Server, type ServerOptions } from 'socket.io';

export { RESYNC_EVENT, type OutageWindow } from './redis.js';

export type RealtimeConfig =
  | { driver: 'redis'; url: string; /** Channel prefix; default "sb-socket.io". */ key?: string }
  | { driver: 'memory' };

/** socket.io fan-out: the in-memory adapter embedded, @socket.io/redis-adapter across instances. */
export interface Realtime {
  readonly driver: RealtimeConfig['driver'];
  readonly io: Server;
  close(): Promise<void>;
}

export interface RealtimeLogger {
  warn(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
}

export async function createRealtime(
  config: RealtimeConfig,
  server: HttpServer,
  options: Partial<ServerOptions> = {},
  logger?: RealtimeLogger,
): Promise<Realtime> {
  const io = new Server(server, { serveClient: false, ...options });
  if (config.driver === 'memory') {
    return { driver: 'memory', io, close: () => closeIo(io) };
  }
  const { attachRedisAdapter } = await import('./redis.js');
  const detach = await attachRedisAdapter(io, config.url, config.key ?? 'sb-socket.io', logger);
  return {
    driver: 'redis',
    io,
    async close() {
      await closeIo(io);
      await detach();
    },
  };
}

function closeIo(io: Server): Promise<void> {
  return new Promise((resolve) => {
    io.disconnectSockets(true);
    // io.close() also closes the http server it is attached to; callers own that server.
    io.engine.close();
    resolve();
  });
}
