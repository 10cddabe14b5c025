import type { Server } from 'socket.io';
import type { Metrics } from '@switchboard/metrics';

/** Keeps the sb_sockets gauge equal to the connected sockets of each namespace. */
export function countSockets(io: Server, metrics: Metrics): void {
  for (const name of ['/agent', '/widget']) {
    const ns = io.of(name);
    ns.on('connection', (socket) => {
      metrics.sockets.inc({ namespace: name });
      socket.once('disconnect', () => metrics.sockets.dec({ namespace: name }));
    });
  }
}
