import type { AgentClientToServer, AgentServerToClient, ConversationView, MessageView } from '@switchboard/contracts';
import { io, type Socket } from 'socket.io-client';
import { t } from './i18n/core.js';

/**
 * The console's live connection: socket.io namespace /agent on the same origin. The store talks
 * to the `Realtime` interface; tests drive a fake of it.
 */

export type ConnectionState = 'connecting' | 'live' | 'reconnecting' | 'offline';
export type TypingEvent = Parameters<AgentServerToClient['typing']>[0];

export interface RealtimeHandlers {
  onState(state: ConnectionState, detail?: string): void;
  /** Connected or reconnected; `resumed` is false only for the very first connection. */
  onConnect(resumed: boolean): void;
  onConversationUpdated(conv: ConversationView): void;
  onMessageNew(msg: MessageView): void;
  onMessageUpdated(msg: MessageView): void;
  onTyping(ev: TypingEvent): void;
  /** Still connected, but live events may have been lost between server instances (Redis was down): catch up as after a reconnect. */
  onResync?(): void;
  /** Any other server event (e.g. 'channel:session' for admins), by name. */
  onEvent?(event: string, payload: unknown): void;
}

export interface Realtime {
  start(handlers: RealtimeHandlers): void;
  stop(): void;
  isConnected(): boolean;
  /** Join a conversation's room; rejects when offline, refused, or unanswered. */
  join(conversationId: string): Promise<void>;
  leave(conversationId: string): void;
  typing(conversationId: string, typing: boolean): void;
  /** Send an event the server acknowledges (presence:set); answers its data, rejects when offline or refused. */
  request?(event: 'presence:set', payload: Parameters<AgentClientToServer['presence:set']>[0]): Promise<unknown>;
}

export interface SocketRealtimeOptions {
  /** The current access token, read on every handshake so reconnects use fresh tokens. */
  token(): string | null;
  /** Refresh the access token after the server refused `stale` as expired. */
  refreshAccess(stale: string): Promise<string>;
  /** Origin of the hub. Default: the page's origin. */
  origin?: string;
  /** How long to wait for a join acknowledgement. Default 5000 ms. */
  ackTimeoutMs?: number;
}

const TOKEN_EXPIRED = 'SB_ERR_TOKEN_EXPIRED';
/** Heartbeat cadence when the server gave none (an older server, or an unanswered beat). */
const DEFAULT_HEARTBEAT_MS = 20_000;
const MIN_HEARTBEAT_MS = 100;

/**
 * Asks for the next frame as a message arrives, before it is shown: the browser then starts that
 * frame at the coming vsync and runs it as soon as the message is in the page. Asked only once the
 * message is in the page, a vsync passing in between would wait for the one after (a frame later).
 * Outside a browser (the fault tests drive this code from Node) there are no frames to ask for.
 */
const nextFrame = () => globalThis.requestAnimationFrame?.(() => {});

export function createSocketRealtime(opts: SocketRealtimeOptions): Realtime {
  let socket: Socket<AgentServerToClient, AgentClientToServer> | null = null;
  let everConnected = false;
  let handshakeToken = '';
  let refusals = 0;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;
  let heartbeatTimer: ReturnType<typeof setTimeout> | null = null;
  const ackTimeoutMs = opts.ackTimeoutMs ?? 5000;

  // The server counts the agent offline after its presence TTL of silence (a console that froze
  // or lost its network says no goodbye); it answers each beat with when to send the next.
  const stopHeartbeat = () => {
    if (heartbeatTimer) clearTimeout(heartbeatTimer);
    heartbeatTimer = null;
  };
  const heartbeat = (s: Socket<AgentServerToClient, AgentClientToServer>) => {
    stopHeartbeat();
    if (socket !== s || !s.connected) return;
    s.timeout(ackTimeoutMs).emit('presence:heartbeat', {}, (err, res) => {
      if (socket !== s || !s.connected) return;
      const everyMs = !err && res.ok ? res.data.everyMs : DEFAULT_HEARTBEAT_MS;
      heartbeatTimer = setTimeout(() => heartbeat(s), Math.max(MIN_HEARTBEAT_MS, everyMs));
    });
  };

  // socket.io stops retrying once the server refuses a handshake; we retry with backoff ourselves.
  const retryLater = () => {
    if (retryTimer || !socket) return;
    const delay = Math.min(30_000, 1000 * 2 ** Math.min(refusals, 5));
    retryTimer = setTimeout(() => {
      retryTimer = null;
      socket?.connect();
    }, delay);
  };

  return {
    start(h) {
      const s: Socket<AgentServerToClient, AgentClientToServer> = io(`${opts.origin ?? ''}/agent`, {
        autoConnect: false,
        auth: (cb) => {
          handshakeToken = opts.token() ?? '';
          cb({ token: handshakeToken });
        },
      });
      socket = s;

      s.on('connect', () => {
        refusals = 0;
        h.onState('live');
        h.onConnect(everConnected);
        everConnected = true;
        heartbeat(s);
      });
      s.on('disconnect', (reason) => {
        stopHeartbeat();
        if (reason === 'io client disconnect') return h.onState('offline');
        h.onState('reconnecting');
        // The server closed the connection; socket.io does not come back on its own then.
        if (reason === 'io server disconnect') retryLater();
      });
      s.on('connect_error', (err) => {
        // Transport trouble: socket.io keeps retrying by itself.
        if (s.active) return h.onState(everConnected ? 'reconnecting' : 'connecting');
        refusals++;
        if (err.message === TOKEN_EXPIRED && refusals <= 3) {
          h.onState(everConnected ? 'reconnecting' : 'connecting');
          opts.refreshAccess(handshakeToken).then(
            () => socket === s && s.connect(),
            () => {
              if (socket !== s) return;
              h.onState('offline', err.message);
              retryLater();
            },
          );
          return;
        }
        h.onState('offline', err.message);
        retryLater();
      });
      s.on('conversation:updated', (c) => h.onConversationUpdated(c));
      s.on('message:new', (m) => (nextFrame(), h.onMessageNew(m)));
      s.on('message:updated', (m) => (nextFrame(), h.onMessageUpdated(m)));
      s.on('typing', (ev) => h.onTyping(ev));
      s.on('resync', () => h.onResync?.());
      s.onAny((event: string, payload: unknown) => h.onEvent?.(event, payload));

      h.onState('connecting');
      s.connect();
    },

    stop() {
      if (retryTimer) clearTimeout(retryTimer);
      retryTimer = null;
      stopHeartbeat();
      const s = socket;
      socket = null;
      s?.removeAllListeners();
      s?.disconnect();
    },

    isConnected: () => socket?.connected ?? false,

    join(conversationId) {
      return new Promise((resolve, reject) => {
        if (!socket?.connected) return reject(new Error(t('store.notConnected')));
        socket.timeout(ackTimeoutMs).emit('conversation:join', { conversationId }, (err, res) => {
          if (err) return reject(err);
          if (!res.ok) return reject(new Error(res.error.message));
          resolve();
        });
      });
    },

    leave(conversationId) {
      if (socket?.connected) socket.emit('conversation:leave', { conversationId });
    },

    typing(conversationId, typing) {
      if (socket?.connected) socket.emit('typing', { conversationId, typing });
    },

    request(event, payload) {
      return new Promise((resolve, reject) => {
        if (!socket?.connected) return reject(new Error(t('store.notConnected')));
        socket.timeout(ackTimeoutMs).emit(event, payload, (err, res) => {
          if (err) return reject(err);
          if (!res.ok) return reject(new Error(res.error.message));
          resolve(res.data);
        });
      });
    },
  };
}
