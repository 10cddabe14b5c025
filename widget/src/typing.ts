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

export interface TypingNotifier {
  /** The composer changed; `text` is its content (empty means the visitor cleared it). */
  input(text: string): void;
  /** The visitor sent, left the composer, or went idle. */
  stop(): void;
}

export function createTypingNotifier({ emit, throttleMs = 2000, idleMs = 3000 }: TypingNotifierOptions): TypingNotifier {
  let typing = false;
  let lastSent = -Infinity;
  let idle: ReturnType<typeof setTimeout> | undefined;
  const notifier: TypingNotifier = {
    input(text) {
      if (!text.trim()) return notifier.stop();
      const now = Date.now();
      if (!typing || now - lastSent >= throttleMs) {
        typing = true;
        lastSent = now;
        emit(true);
      }
      clearTimeout(idle);
      idle = setTimeout(notifier.stop, idleMs);
    },
    stop() {
      clearTimeout(idle);
      if (!typing) return;
      typing = false;
      emit(false);
    },
  };
  return notifier;
}

/**
 * The name of who is typing for `onChange` (null: nobody) from the hub's signals; `update` again
 * within `hideAfterMs` (default 6000 ms) keeps a `typing: true` shown.
 */
export function createTypingIndicator(onChange: (name: string | null) => void, hideAfterMs = 6000) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const update = (typing: boolean, name: string): void => {
    clearTimeout(timer);
    if (!typing) return onChange(null);
    onChange(name);
    timer = setTimeout(onChange, hideAfterMs, null);
  };
  return { update, clear: () => update(false, '') };
}
