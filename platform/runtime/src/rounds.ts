import type { Logger } from '@switchboard/logging';

/**
 * A background job run in rounds: the next round starts `everyMs` after the previous one ended
 * (never two at once in a process), a failed round is logged and the next one tries again, and
 * `stop()` waits for the round in progress. The timers never keep the process alive.
 */
export class Rounds {
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private running: Promise<unknown> | null = null;

  constructor(
    private readonly round: () => Promise<unknown>,
    private readonly opts: { everyMs: number; logger: Logger; name: string },
  ) {}

  start(): void {
    this.stopped = false;
    const tick = () => {
      if (this.stopped) return;
      this.timer = setTimeout(() => {
        this.running = this.round().catch((err: unknown) => this.opts.logger.warn({ err }, `${this.opts.name} round failed`));
        void this.running.finally(tick);
      }, this.opts.everyMs);
      this.timer.unref();
    };
    tick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }
}
