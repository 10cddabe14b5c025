/**
 * Outgoing typing signal for one conversation: `true` at most once per `throttleMs` while the
 * agent keeps typing, `false` after `idleMs` without a keystroke or at once when the reply is
 * sent. The contact sees "Agent is typing…" without the console flooding the socket.
 */
export interface TypingOptions {
  /** Least time between two `true` signals. Default 2000 ms. */
  throttleMs?: number;
  /** Quiet time after the last keystroke before `false` is sent. Default 3000 ms. */
  idleMs?: number;
}

export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const browserClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (h) => globalThis.clearTimeout(h as ReturnType<typeof setTimeout>),
};

export class TypingSender {
  private typing = false;
  private lastTrueAt = -Infinity;
  private idleTimer: unknown = null;
  private readonly throttleMs: number;
  private readonly idleMs: number;

  constructor(
    private readonly emit: (typing: boolean) => void,
    private readonly clock: Clock = browserClock,
    opts: TypingOptions = {},
  ) {
    this.throttleMs = opts.throttleMs ?? 2000;
    this.idleMs = opts.idleMs ?? 3000;
  }

  /** Call on every keystroke that leaves text in the composer. */
  input(): void {
    const now = this.clock.now();
    if (!this.typing || now - this.lastTrueAt >= this.throttleMs) {
      this.typing = true;
      this.lastTrueAt = now;
      this.emit(true);
    }
    if (this.idleTimer !== null) this.clock.clearTimeout(this.idleTimer);
    this.idleTimer = this.clock.setTimeout(() => this.stop(), this.idleMs);
  }

  /** Call on send, when the composer is emptied, or when leaving the conversation. */
  stop(): void {
    if (this.idleTimer !== null) this.clock.clearTimeout(this.idleTimer);
    this.idleTimer = null;
    if (!this.typing) return;
    this.typing = false;
    this.emit(false);
  }
}
