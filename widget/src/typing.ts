/**
 * Typing signals both ways. Outgoing: tell the agent the visitor is typing, at most once per
 * throttle window, and that they stopped on send, blur, or after a pause. Incoming: show
 * "<name> is typing…" and hide it when the agent's message arrives or the signal goes stale.
 */

export interface TypingNotifierOptions {
  emit(typing: boolean): void;
  /** Least time between two `typing: true` signals. Default 2000 ms. */
  throttleMs?: number;
  /** Quiet time after which the visitor counts as no longer typing. Default 3000 ms. */
  idleMs?: number;
}

export class TypingNotifier {
  #typing = false;
  #lastSent = -Infinity;
  #idle: ReturnType<typeof setTimeout> | undefined;
  readonly #emit: (typing: boolean) => void;
  readonly #throttleMs: number;
  readonly #idleMs: number;

  constructor(opts: TypingNotifierOptions) {
    this.#emit = opts.emit;
    this.#throttleMs = opts.throttleMs ?? 2000;
    this.#idleMs = opts.idleMs ?? 3000;
  }

  /** The composer changed; `text` is its content (empty means the visitor cleared it). */
  input(text: string): void {
    if (!text.trim()) return this.stop();
    const now = Date.now();
    if (!this.#typing || now - this.#lastSent >= this.#throttleMs) {
      this.#typing = true;
      this.#lastSent = now;
      this.#emit(true);
    }
    clearTimeout(this.#idle);
    this.#idle = setTimeout(() => this.stop(), this.#idleMs);
  }

  /** The visitor sent, left the composer, or went idle. */
  stop(): void {
    clearTimeout(this.#idle);
    if (!this.#typing) return;
    this.#typing = false;
    this.#emit(false);
  }
}

export class TypingIndicator {
  #timer: ReturnType<typeof setTimeout> | undefined;
  readonly #onChange: (name: string | null) => void;
  readonly #hideAfterMs: number;

  /** `hideAfterMs`: how long a `typing: true` stays shown without a new one. Default 6000 ms. */
  constructor(onChange: (name: string | null) => void, hideAfterMs = 6000) {
    this.#onChange = onChange;
    this.#hideAfterMs = hideAfterMs;
  }

  update(typing: boolean, name: string): void {
    clearTimeout(this.#timer);
    if (!typing) return this.#onChange(null);
    this.#onChange(name);
    this.#timer = setTimeout(() => this.#onChange(null), this.#hideAfterMs);
  }

  clear(): void {
    this.update(false, '');
  }
}
