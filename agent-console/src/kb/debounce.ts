import type { Clock } from '../typing.js';

/** Timers to wait with; the browser's own by default, a fake clock in tests. */
export type Timers = Pick<Clock, 'setTimeout' | 'clearTimeout'>;

/**
 * Runs `run` with the last input given to `schedule` once `delayMs` passed without another one,
 * and hands over only the answer to the newest input: a slow answer to an older input is dropped,
 * so the live preview and the article search never jump back to what the agent typed before.
 */
export class LatestDebounced<I, O> {
  private timer: unknown = null;
  private seq = 0;

  constructor(
    private readonly run: (input: I) => Promise<O>,
    private readonly done: (result: O, input: I) => void,
    private readonly failed: (err: unknown, input: I) => void,
    private readonly delayMs: number,
    private readonly clock: Timers = globalThis,
  ) {}

  /** Run after the quiet time (restarted by every call). */
  schedule(input: I): void {
    this.stopTimer();
    const seq = ++this.seq;
    this.timer = this.clock.setTimeout(() => {
      this.timer = null;
      this.start(input, seq);
    }, this.delayMs);
  }

  /** Run at once (an article just opened), dropping anything scheduled or in flight. */
  now(input: I): void {
    this.stopTimer();
    this.start(input, ++this.seq);
  }

  /** Forget what is scheduled or in flight. */
  cancel(): void {
    this.stopTimer();
    this.seq++;
  }

  private start(input: I, seq: number): void {
    this.run(input).then(
      (result) => seq === this.seq && this.done(result, input),
      (err: unknown) => seq === this.seq && this.failed(err, input),
    );
  }

  private stopTimer(): void {
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.timer = null;
  }
}
