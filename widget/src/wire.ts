/**
 * The part of a socket.io client the widget uses, speaking socket.io's documented wire protocol
 * (Engine.IO v4 framing, Socket.IO v5 packets) over the browser's own WebSocket, to one namespace.
 * socket.io-client would take most of the widget's byte budget on its own (docs/widget.md, "Size").
 *
 * Left out on purpose: HTTP long-polling (a network that blocks WebSocket cannot chat), binary
 * payloads, several namespaces on one connection, and buffering emits while disconnected
 * (an emit then is dropped, an emitWithAck rejects; chat.ts sends only while online anyway).
 */

type Fn = (...args: never[]) => void;
type Events<T> = { [K in keyof T]: Fn };
/** The value a client→server event's ack callback receives. */
export type AckOf<F> = F extends (req: never, ack: (res: infer R) => void) => void ? R : never;
type ReqOf<F> = F extends (req: infer Q, ...rest: never[]) => void ? Q : never;

/** What `new WebSocket(url)` gives, in the browser or from the `ws` package in Node. */
export interface WebSocketLike {
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: (() => void) | null;
  onerror: (() => void) | null;
  send(data: string): void;
  close(): void;
}
export type WebSocketFactory = new (url: string) => WebSocketLike;

export interface WireOptions {
  /** Called before every connect: the namespace's handshake auth (a fresh visitor token each time). */
  auth: () => object;
  /** Default: the global WebSocket. Node 20 has none; tests pass the `ws` package's. */
  WebSocket?: WebSocketFactory;
  /** First wait before reconnecting after a lost connection, doubled per failed attempt. Default 1000 ms. */
  reconnectionDelay?: number;
  /** Longest wait between reconnect attempts. Default 5000 ms. */
  reconnectionDelayMax?: number;
  /** Each wait varies by ± this share, so thousands of widgets do not come back at once. Default 0.5. */
  randomizationFactor?: number;
  /** An opening that has not got the server's open packet by then counts as failed. Default 20 000 ms. */
  timeout?: number;
}

/** `connect_error`: `message` is the server's refusal (SB_ERR_ORIGIN_NOT_ALLOWED …) or a transport failure. */
export type ConnectError = Error & { data?: unknown };

export interface Wire<In extends Events<In>, Out extends Events<Out>> {
  /** The namespace is joined; emits go out. */
  readonly connected: boolean;
  /** Connected or trying to be: false after disconnect(), a refused handshake or a server disconnect. */
  readonly active: boolean;
  connect(): void;
  disconnect(): void;
  on(event: 'connect', fn: () => void): void;
  /** reason: 'io server disconnect' (no reconnect), 'io client disconnect', 'transport close' or 'ping timeout' (reconnects). */
  on(event: 'disconnect', fn: (reason: string) => void): void;
  /** While `active` a reconnect follows; otherwise the server refused the handshake and none does. */
  on(event: 'connect_error', fn: (err: ConnectError) => void): void;
  on<K extends keyof In & string>(event: K, fn: In[K]): void;
  emit<K extends keyof Out & string>(event: K, req: ReqOf<Out[K]>): void;
  /** Rejects when no answer came within `timeoutMs` or the connection dropped first. */
  emitWithAck<K extends keyof Out & string>(event: K, req: ReqOf<Out[K]>, timeoutMs: number): Promise<AckOf<Out[K]>>;
}

// Socket.IO packet types (inside an Engine.IO "4" message packet).
const CONNECT = '0';
const DISCONNECT = '1';
const EVENT = '2';
const ACK = '3';
const CONNECT_ERROR = '4';
/** type, optional binary attachment count, namespace, ack id, JSON payload. */
const PACKET = /^(\d)(?:\d+-)?(?:(\/[^,]*),)?(\d*)([^]*)$/;

/** `hub` is an http(s) origin; the socket goes to `${hub}/socket.io/` (ws or wss) and joins `nsp`. */
export function createWire<In extends Events<In>, Out extends Events<Out>>(hub: string, nsp: string, opts: WireOptions): Wire<In, Out> {
  const url = `${hub.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`;
  const listeners: Record<string, ((...args: unknown[]) => void)[]> = {};
  const acks = new Map<number, (err: Error | null, res?: unknown) => void>();
  let ws: WebSocketLike | undefined;
  let connected = false;
  let active = false;
  let attempts = 0;
  let nextId = 0;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let aliveTimer: ReturnType<typeof setTimeout> | undefined;

  const fire = (event: string, ...args: unknown[]) => {
    for (const fn of [...(listeners[event] ?? [])]) fn(...args);
  };
  const send = (type: string, data?: unknown, id: number | string = '') =>
    ws?.send(`4${type}${nsp},${id}${JSON.stringify(data) ?? ''}`);

  function open(): void {
    const sock = (ws = new (opts.WebSocket ?? (WebSocket as unknown as WebSocketFactory))(url));
    /** Engine.IO heartbeat: the server pings every pingInterval; silence past pingInterval + pingTimeout means the link is dead. */
    const expectWithin = (ms: number) => {
      clearTimeout(aliveTimer);
      aliveTimer = setTimeout(() => drop(connected ? 'ping timeout' : 'timeout', true), ms);
    };
    let silence = opts.timeout ?? 20_000;
    expectWithin(silence);
    sock.onerror = () => {};
    sock.onclose = () => drop('transport close', true);
    sock.onmessage = ({ data }) => {
      if (typeof data !== 'string') return;
      try {
        if (data[0] === '0') {
          const handshake = JSON.parse(data.slice(1)) as { pingInterval: number; pingTimeout: number };
          silence = handshake.pingInterval + handshake.pingTimeout;
          expectWithin(silence);
          send(CONNECT, opts.auth());
        } else if (data[0] === '2') {
          sock.send('3');
          expectWithin(silence);
        } else if (data[0] === '1') {
          drop('transport close', true);
        } else if (data[0] === '4') {
          receive(data.slice(1));
        }
      } catch {
        // A packet we cannot read is dropped, as socket.io-client drops an undecodable one.
      }
    };
  }

  function receive(text: string): void {
    const [, type, packetNsp = '/', id, json] = PACKET.exec(text) ?? [];
    if (packetNsp !== nsp) return;
    const data: unknown = json ? JSON.parse(json) : undefined;
    if (type === CONNECT) {
      connected = true;
      attempts = 0;
      fire('connect');
    } else if (type === EVENT && Array.isArray(data)) {
      const [event, ...args] = data as [string, ...unknown[]];
      if (id) args.push((...res: unknown[]) => send(ACK, res, id));
      fire(event, ...args);
    } else if (type === ACK) {
      const settle = acks.get(+id!);
      acks.delete(+id!);
      settle?.(null, (data as unknown[])[0]);
    } else if (type === DISCONNECT) {
      active = false;
      drop('io server disconnect', false);
    } else if (type === CONNECT_ERROR) {
      // A refused handshake is an answer, not a network fault: socket.io does not retry it either.
      active = false;
      const err: ConnectError = new Error((data as { message?: string })?.message ?? 'connect error');
      err.data = (data as { data?: unknown })?.data;
      drop('', false, err);
    }
  }

  /** Close the transport, settle what waits on it, tell listeners, and reconnect when asked and still active. */
  function drop(reason: string, reconnect: boolean, refusal?: ConnectError): void {
    clearTimeout(aliveTimer);
    const sock = ws;
    ws = undefined;
    if (sock) {
      sock.onclose = sock.onmessage = null;
      sock.close();
    }
    const was = connected;
    connected = false;
    for (const settle of acks.values()) settle(new Error(reason || 'disconnected'));
    acks.clear();
    if (was) fire('disconnect', reason);
    else if (refusal) fire('connect_error', refusal);
    else if (reason !== 'io client disconnect') fire('connect_error', new Error(`websocket ${reason}`));
    if (reconnect && active) {
      const base = Math.min(opts.reconnectionDelayMax ?? 5000, (opts.reconnectionDelay ?? 1000) * 2 ** attempts++);
      const spread = opts.randomizationFactor ?? 0.5;
      retryTimer = setTimeout(open, base * (1 + spread * (Math.random() * 2 - 1)));
    }
  }

  const wire: Wire<In, Out> = {
    get connected() {
      return connected;
    },
    get active() {
      return active;
    },
    connect() {
      if (active && ws) return;
      clearTimeout(retryTimer);
      active = true;
      attempts = 0;
      open();
    },
    disconnect() {
      clearTimeout(retryTimer);
      active = false;
      if (connected) send(DISCONNECT);
      drop('io client disconnect', false);
    },
    on(event: string, fn: (...args: never[]) => void) {
      (listeners[event] ??= []).push(fn as (...args: unknown[]) => void);
    },
    emit(event, req) {
      if (connected) send(EVENT, [event, req]);
    },
    emitWithAck(event, req, timeoutMs) {
      return new Promise((resolve, reject) => {
        if (!connected) return reject(new Error('disconnected'));
        const id = nextId++;
        const timer = setTimeout(() => {
          acks.delete(id);
          reject(new Error('operation has timed out'));
        }, timeoutMs);
        acks.set(id, (err, res) => {
          clearTimeout(timer);
          if (err) reject(err);
          else resolve(res as AckOf<Out[typeof event]>);
        });
        send(EVENT, [event, req], id);
      });
    },
  };
  return wire;
}
