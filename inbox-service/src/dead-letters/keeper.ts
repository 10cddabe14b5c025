import type { Bus, DeadLetter, Subscription } from '@switchboard/bus';
import type { Logger } from '@switchboard/logging';
import type { Metrics } from '@switchboard/metrics';
import { recordOf, type DeadLetterRepository } from './repository.js';

/**
 * Moves dead letters from the bus (sb.dead) into the store, where admins see and retry them.
 * Every consuming process runs one; they compete for the letters, each letter is kept once.
 * A letter whose body names no tenant is kept too, but no team sees it: it is logged at error
 * level and counted (sb_dead_letters_kept_total{owner="none"}) for the operator.
 */
export class DeadLetterKeeper {
  private subscription: Subscription | null = null;

  constructor(
    private readonly deps: { bus: Bus; letters: DeadLetterRepository; logger: Logger; metrics: Metrics },
  ) {}

  async start(): Promise<void> {
    this.subscription = await this.deps.bus.consumeDeadLetters(this.keep);
  }

  async stop(): Promise<void> {
    await this.subscription?.close();
    this.subscription = null;
  }

  /** A store failure throws: the bus keeps the letter and hands it over again later. */
  readonly keep = async (letter: DeadLetter): Promise<void> => {
    const record = recordOf(letter);
    if (!(await this.deps.letters.keep(record))) return;
    this.deps.metrics.deadLettersKept.inc({ owner: record.tenantId ? 'team' : 'none' });
    const fields = { deadLetterId: record._id, tenantId: record.tenantId, source: record.source, reason: record.reason, traceId: record.traceId };
    if (record.tenantId) this.deps.logger.warn(fields, 'dead letter kept for the team’s admins');
    else this.deps.logger.error({ ...fields, routingKey: record.routingKey, body: record.body.slice(0, 500) }, 'dead letter names no tenant: kept, but no team can see it');
  };
}
