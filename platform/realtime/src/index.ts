import type { Server as HttpServer } from 'node:http';
import type { Duplex } from 'node:stream';
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
  const upgraded = trackUpgrades(server);
  if (config.driver === 'memory') {
    return { driver: 'memory', io, close: () => closeIo(io, upgraded) };
  }
  const { attachRedisAdapter } = await import('./redis.js');
  const detach = await attachRedisAdapter(io, config.url, config.key ?? 'sb-socket.io', logger);
  return {
    driver: 'redis',
    io,
    async close() {
      await closeIo(io, upgraded);
      await detach();
    },
  };
}

/** How long a closing socket's peer gets to answer the WebSocket close handshake. */
const CLOSE_GRACE_MS = 1_000;

/**
 * The sockets that left HTTP for WebSocket: the HTTP server's close waits for each of them to
 * end, and a WebSocket ends only when its peer answers the close frame (ws gives up after 30 s).
 */
function trackUpgrades(server: HttpServer): Set<Duplex> {
  const upgraded = new Set<Duplex>();
  server.on('upgrade', (_req, socket: Duplex) => {
    upgraded.add(socket);
    socket.once('close', () => upgraded.delete(socket));
  });
  return upgraded;
}

/**
 * Disconnects every client with a close frame, waits up to CLOSE_GRACE_MS for the peers to
 * answer, then drops the connections of those that did not (a busy or frozen browser tab would
 * otherwise hold a shutdown for up to 30 s; its client reconnects either way).
 */
async function closeIo(io: Server, upgraded: Set<Duplex>): Promise<void> {
  io.disconnectSockets(true);
  // io.close() also closes the http server it is attached to; callers own that server.
  io.engine.close();
  const answered = Promise.all([...upgraded].map((socket) => new Promise((r) => socket.once('close', r))));
  let timer: NodeJS.Timeout | undefined;
  const grace = new Promise((r) => (timer = setTimeout(r, CLOSE_GRACE_MS)));
  await Promise.race([answered, grace]);
  clearTimeout(timer);
  for (const socket of upgraded) socket.destroy();
}
