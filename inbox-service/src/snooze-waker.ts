import type { Logger } from '@switchboard/logging';
import { Rounds } from '@switchboard/runtime';
import type { ConversationService } from './conversations.js';
import type { Repositories } from './repositories/index.js';

export interface SnoozeWakerOptions {
  repos: Repositories;
  conversations: ConversationService;
  logger: Logger;
  /** How often due snoozes are looked for (default 15 s). */
  everyMs?: number;
  /** The clock; tests pass their own. */
  now?: () => Date;
}

/**
 * Opens snoozed conversations whose time has come. Every instance may run it: each wake is a
 * conditional write on "still snoozed and due", so two instances sweeping together wake a
 * conversation once, and agents hear about it once.
 */
export class SnoozeWaker {
  private readonly rounds: Rounds;

  constructor(private readonly opts: SnoozeWakerOptions) {
    this.rounds = new Rounds(() => this.runOnce(), { everyMs: opts.everyMs ?? 15_000, logger: opts.logger, name: 'snooze waker' });
  }

  start(): void {
    this.rounds.start();
  }

  stop(): Promise<void> {
    return this.rounds.stop();
  }

  async runOnce(now = this.opts.now?.() ?? new Date()): Promise<number> {
    let woken = 0;
    for (;;) {
      const due = await this.opts.repos.dueSnoozes(now, 100);
      let progressed = 0;
      for (const { id, tenantId } of due) {
        try {
          if (await this.opts.conversations.wake(this.opts.repos.forTenant(tenantId), id, now)) woken++;
          progressed++;
        } catch (err) {
          this.opts.logger.warn({ err, tenantId, conversationId: id }, 'snoozed conversation not opened; next round tries again');
        }
      }
      // A full page may hide more; a page that made no progress would only repeat itself.
      if (due.length < 100 || progressed === 0) return woken;
    }
  }
}
