/**
 * Messages the visitor typed that the server has not acknowledged yet. They go out one at a time,
 * in the order typed, only while the widget is online (connected and resumed); whatever is left
 * when the connection drops goes out on the next connect with the same clientId, so the server,
 * which stores one message per clientId, never stores a message twice.
 */

export interface OutgoingMessage {
  clientId: string;
  /** Empty for a message that carries only files. */
  text: string;
  createdAt: string;
  /** Files already uploaded (POST /api/v1/widget/uploads): `ref` goes to the hub, the rest is for showing it meanwhile. */
  attachments?: OutgoingAttachment[];
}

export interface OutgoingAttachment {
  ref: string;
  name: string;
  mime?: string;
  size?: number;
}

/** sent: acknowledged; rejected: the server refused it (sending again would not help); retry: no answer. */
export type SendOutcome =
  | { kind: 'sent' }
  | { kind: 'rejected'; error: { code: string; message: string } }
  | { kind: 'retry' };

export interface OutboxOptions {
  /** Deliver one message and say how it went. A throw counts as `retry`. */
  send(msg: OutgoingMessage): Promise<SendOutcome>;
  onSent?(msg: OutgoingMessage): void;
  onRejected?(msg: OutgoingMessage, error: { code: string; message: string }): void;
  /** Called with the queue after every change, to persist it across page loads. */
  onChange?(queue: readonly OutgoingMessage[]): void;
  /** Wait before sending again a message that got no answer while still online. Default 3000 ms. */
  retryDelayMs?: number;
}

export interface Outbox {
  readonly pending: readonly OutgoingMessage[];
  enqueue(msg: OutgoingMessage): void;
  /** Forget every message not yet sent (the visitor logged out); a late answer to one in flight is ignored. */
  clear(): void;
  setOnline(online: boolean): void;
}

export function createOutbox(opts: OutboxOptions, restored: readonly OutgoingMessage[] = []): Outbox {
  let queue = [...restored];
  let online = false;
  let inFlight = false;
  /** Bumped when going offline, so answers to sends from an earlier connection cannot drive the queue. */
  let epoch = 0;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  const changed = () => opts.onChange?.(queue);

  async function pump(): Promise<void> {
    const msg = queue[0];
    if (!online || inFlight || !msg) return;
    const sentIn = epoch;
    inFlight = true;
    let outcome: SendOutcome;
    try {
      outcome = await opts.send(msg);
    } catch {
      outcome = { kind: 'retry' };
    }
    const current = sentIn === epoch;
    if (current) inFlight = false;
    if (outcome.kind === 'retry') {
      if (current && online) {
        clearTimeout(retryTimer);
        retryTimer = setTimeout(pump, opts.retryDelayMs ?? 3000);
      }
      return;
    }
    // A late answer from an earlier connection still settles its message (the server has it).
    const at = queue.findIndex((m) => m.clientId === msg.clientId);
    if (at >= 0) {
      queue.splice(at, 1);
      changed();
      if (outcome.kind === 'sent') opts.onSent?.(msg);
      else opts.onRejected?.(msg, outcome.error);
    }
    if (current) void pump();
  }

  return {
    get pending() {
      return queue;
    },
    enqueue(msg) {
      if (queue.some((m) => m.clientId === msg.clientId)) return;
      queue.push(msg);
      changed();
      void pump();
    },
    clear() {
      clearTimeout(retryTimer);
      queue = [];
      epoch++;
      inFlight = false;
      changed();
    },
    setOnline(now) {
      if (now === online) return;
      online = now;
      clearTimeout(retryTimer);
      if (online) void pump();
      else {
        epoch++;
        inFlight = false;
      }
    },
  };
}
