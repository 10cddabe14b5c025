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

export class Outbox {
  #queue: OutgoingMessage[];
  #online = false;
  #inFlight = false;
  /** Bumped when going offline, so answers to sends from an earlier connection cannot drive the queue. */
  #epoch = 0;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  readonly #opts: OutboxOptions;

  constructor(opts: OutboxOptions, restored: readonly OutgoingMessage[] = []) {
    this.#opts = opts;
    this.#queue = [...restored];
  }

  get pending(): readonly OutgoingMessage[] {
    return this.#queue;
  }

  enqueue(msg: OutgoingMessage): void {
    if (this.#queue.some((m) => m.clientId === msg.clientId)) return;
    this.#queue.push(msg);
    this.#opts.onChange?.(this.#queue);
    void this.#pump();
  }

  /** Forget every message not yet sent (the visitor logged out); a late answer to one in flight is ignored. */
  clear(): void {
    clearTimeout(this.#retryTimer);
    this.#queue = [];
    this.#epoch++;
    this.#inFlight = false;
    this.#opts.onChange?.(this.#queue);
  }

  setOnline(online: boolean): void {
    if (online === this.#online) return;
    this.#online = online;
    clearTimeout(this.#retryTimer);
    if (online) {
      void this.#pump();
    } else {
      this.#epoch++;
      this.#inFlight = false;
    }
  }

  async #pump(): Promise<void> {
    if (!this.#online || this.#inFlight) return;
    const msg = this.#queue[0];
    if (!msg) return;
    const epoch = this.#epoch;
    this.#inFlight = true;
    let outcome: SendOutcome;
    try {
      outcome = await this.#opts.send(msg);
    } catch {
      outcome = { kind: 'retry' };
    }
    const current = epoch === this.#epoch;
    if (current) this.#inFlight = false;
    if (outcome.kind === 'retry') {
      if (current && this.#online) {
        clearTimeout(this.#retryTimer);
        this.#retryTimer = setTimeout(() => void this.#pump(), this.#opts.retryDelayMs ?? 3000);
      }
      return;
    }
    // A late answer from an earlier connection still settles its message (the server has it).
    const at = this.#queue.findIndex((m) => m.clientId === msg.clientId);
    if (at >= 0) {
      this.#queue.splice(at, 1);
      this.#opts.onChange?.(this.#queue);
      if (outcome.kind === 'sent') this.#opts.onSent?.(msg);
      else this.#opts.onRejected?.(msg, outcome.error);
    }
    if (current) void this.#pump();
  }
}
