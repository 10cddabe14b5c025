import { newId } from '@switchboard/contracts';
import { Rounds } from '@switchboard/runtime';
import type { KeyValue } from '@switchboard/kv';
import type { Presence } from '@switchboard/inbox-service';
import type { Logger } from '@switchboard/logging';
import { shouldReassign } from '../assignment/strategies.js';
import { breachesDue, slaSummary } from './sla.js';
import type { TicketStore } from './repository.js';
import { OPEN_STATUSES, SYSTEM, type TicketService } from './service.js';

export interface SchedulerOptions {
  store: TicketStore;
  tickets: TicketService;
  presence: Presence;
  kv: KeyValue;
  logger: Logger;
  /** How often the clocks are checked (default 15 s). */
  everyMs?: number;
}

/**
 * The ticket clocks: SLA breaches (sla.breached on sb.events, once per timer), solved tickets
 * closing after the tenant's days, tickets of agents offline too long going back to their team,
 * and ticket events left unpublished by a crash. Every instance may run it: a KV lock per round
 * keeps one at work, and every change is a conditional write, so a second one changes nothing.
 */
export class TicketScheduler {
  private readonly rounds: Rounds;

  constructor(private readonly opts: SchedulerOptions) {
    this.rounds = new Rounds(() => this.runOnce(), { everyMs: opts.everyMs ?? 15_000, logger: opts.logger, name: 'ticket scheduler' });
  }

  start(): void {
    this.rounds.start();
  }

  stop(): Promise<void> {
    return this.rounds.stop();
  }

  async runOnce(now = new Date()): Promise<void> {
    const lock = 'sb:ticket-scheduler';
    const me = newId();
    if (!(await this.opts.kv.set(lock, me, { nx: true, ttlMs: 60_000 }).catch(() => true))) return;
    try {
      await this.breaches(now);
      await this.autoClose(now);
      await this.reassign(now);
      await this.sweepOutbox();
    } finally {
      if ((await this.opts.kv.get(lock).catch(() => null)) === me) await this.opts.kv.del(lock).catch(() => undefined);
    }
  }

  /**
   * Timers that ran out: marked breached in the ticket and announced once. The write is
   * conditional on the ticket as read; if anything changed it meanwhile, the next round looks again.
   */
  async breaches(now: Date): Promise<number> {
    let count = 0;
    for (const ticket of await this.opts.store.dueForBreach(now, 200)) {
      const r = this.opts.store.forTenant(ticket.tenantId);
      const { timers, breached } = breachesDue(ticket.sla, now);
      if (breached.length === 0) continue;
      const events = breached.map((t) => ({
        id: newId(),
        v: 1 as const,
        type: 'sla.breached',
        tenantId: ticket.tenantId,
        at: now.toISOString(),
        data: { ticketId: ticket._id, number: ticket.number, metric: t.metric, dueAt: t.dueAt ? new Date(t.dueAt).toISOString() : null, priority: ticket.priority, assigneeId: ticket.assigneeId },
      }));
      const written = await r.tickets.findOneAndUpdate(
        { _id: ticket._id, updatedAt: ticket.updatedAt },
        { $set: { sla: timers, ...slaSummary(timers), updatedAt: now, outboxPending: true }, $push: { outbox: { $each: events } } },
        { returnDocument: 'after' },
      );
      if (!written) continue;
      count += breached.length;
      this.opts.logger.info({ tenantId: ticket.tenantId, ticketId: ticket._id, metrics: breached.map((t) => t.metric) }, 'SLA breached');
      await this.opts.tickets.recordHistory(r, ticket._id, SYSTEM, 'sla_breached', breached.map((t) => ({ field: `sla.${t.metric}`, from: 'running', to: 'breached' })), now);
      await this.opts.tickets.drain(r, written);
      await this.opts.tickets.followConversations(r, written);
      this.opts.tickets.changed(written);
    }
    return count;
  }

  async autoClose(now: Date): Promise<number> {
    let count = 0;
    const settingsByTenant = new Map<string, number>();
    for (const ticket of await this.opts.store.solvedBefore(new Date(now.getTime() - 86_400_000), 200)) {
      const r = this.opts.store.forTenant(ticket.tenantId);
      let days = settingsByTenant.get(ticket.tenantId);
      if (days === undefined) {
        days = (await this.opts.tickets.settings(r)).autoCloseDays;
        settingsByTenant.set(ticket.tenantId, days);
      }
      if (days <= 0 || !ticket.solvedAt || now.getTime() - new Date(ticket.solvedAt).getTime() < days * 86_400_000) continue;
      await this.opts.tickets.apply(r, ticket, { status: 'closed' }, SYSTEM, 'auto_closed', { at: now });
      count++;
    }
    return count;
  }

  /** Open tickets of agents offline longer than their tenant allows go back to the team's strategy. */
  async reassign(now: Date): Promise<number> {
    let count = 0;
    for (const settings of await this.opts.store.allSettings()) {
      if (!settings.reassignOfflineMinutes) continue;
      const r = this.opts.store.forTenant(settings.tenantId);
      const presence = await this.opts.presence.all(settings.tenantId, now.getTime()).catch(() => null);
      if (!presence) continue; // presence unknown (Redis down): better to leave tickets where they are
      for (const [agentId, p] of presence) {
        if (p.online || !shouldReassign(p.offlineSince === null ? null : new Date(p.offlineSince), now, settings.reassignOfflineMinutes)) continue;
        const held = await r.tickets.find({ assigneeId: agentId, status: { $in: OPEN_STATUSES }, teamId: { $ne: null } }, { limit: 100 });
        for (const ticket of held) {
          const released = await this.opts.tickets.apply(r, ticket, { assigneeId: null }, SYSTEM, 'unassigned_offline', { at: now });
          await this.opts.tickets.autoAssign(r, released);
          count++;
        }
      }
    }
    return count;
  }

  async sweepOutbox(): Promise<void> {
    for (const ticket of await this.opts.store.withOutbox(200)) {
      await this.opts.tickets.drain(this.opts.store.forTenant(ticket.tenantId), ticket);
    }
  }
}
