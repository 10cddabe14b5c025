import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

/**
 * Slack's Socket Mode server on 127.0.0.1: greets with `hello`, pushes `events_api` envelopes
 * and records which envelope ids the app acknowledged (`{ envelope_id }`).
 */
export interface SocketModeStandIn {
  url: string;
  acked: Set<string>;
  connected(): Promise<void>;
  push(eventCallback: Record<string, unknown>): string;
  close(): Promise<void>;
}

export async function startSocketModeStandIn(): Promise<SocketModeStandIn> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  const acked = new Set<string>();
  let socket: WebSocket | undefined;
  let onConnect: (() => void) | undefined;
  wss.on('connection', (ws) => {
    socket = ws;
    ws.on('message', (data) => {
      const msg = JSON.parse(String(data)) as { envelope_id?: string };
      if (msg.envelope_id) acked.add(msg.envelope_id);
    });
    ws.send(JSON.stringify({ type: 'hello', num_connections: 1, debug_info: { host: 'applink-standin', approximate_connection_time: 18060 }, connection_info: { app_id: 'A0SWITCHB' } }));
    onConnect?.();
  });
  return {
    url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/link/?ticket=standin`,
    acked,
    connected: () => new Promise<void>((resolve) => (socket ? resolve() : (onConnect = resolve))),
    push(eventCallback) {
      const envelopeId = randomUUID();
      socket?.send(JSON.stringify({ envelope_id: envelopeId, type: 'events_api', accepts_response_payload: false, retry_attempt: 0, retry_reason: '', payload: eventCallback }));
      return envelopeId;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of wss.clients) c.terminate();
        wss.close(() => resolve());
      }),
  };
}
