import type { TicketPriority, TicketStatus } from '@switchboard/contracts';
import { applyTicketEvent, checkBreach, type SlaTicketStatus } from '../sla/timers.js';
import type { SlaTimer } from '../sla/types.js';
import type { TicketRecord, TicketSettingsRecord } from './records.js';

/** What happened to a ticket, in ticketing's words (its statuses spell on_hold with an underscore). */
export type SlaEvent =
  | { kind: 'created' }
  | { kind: 'agent_replied' }
  | { kind: 'customer_replied' }
  | { kind: 'status_changed'; from: TicketStatus; to: TicketStatus }
  | { kind: 'priority_changed' };

const status = (s: TicketStatus): SlaTicketStatus => (s === 'on_hold' ? 'on-hold' : s);

/** Dates read back from a store may be strings (JSON paths); the clocks need Dates. */
function hydrate(t: SlaTimer): SlaTimer {
  const d = (v: Date | string | null | undefined) => (v == null ? v : v instanceof Date ? v : new Date(v));
  return {
    ...t,
    runningSince: d(t.runningSince) ?? null,
    dueAt: d(t.dueAt) ?? null,
    ...(t.breachedAt ? { breachedAt: d(t.breachedAt)! } : {}),
    ...(t.metAt ? { metAt: d(t.metAt)! } : {}),
  };
}

/** The ticket's SLA clocks after an event, under the tenant's calendar and targets. */
export function slaAfter(settings: Pick<TicketSettingsRecord, 'calendar' | 'sla'>, priority: TicketPriority, timers: SlaTimer[], e: SlaEvent, at: Date): SlaTimer[] {
  const event =
    e.kind === 'status_changed' ? { type: 'status_changed' as const, from: status(e.from), to: status(e.to) } : { type: e.kind };
  return applyTicketEvent(settings.calendar, settings.sla, priority, timers.map(hydrate), event, at);
}

/** What the store keeps beside the timers for querying: the next due time, and the state for filters. */
export function slaSummary(timers: SlaTimer[]): Pick<TicketRecord, 'slaDueAt' | 'slaBreached' | 'slaState'> {
  const running = timers.filter((t) => t.status === 'running' && t.dueAt);
  const due = running.map((t) => new Date(t.dueAt!).getTime());
  const breached = timers.some((t) => t.status === 'breached' && !t.metAt);
  return {
    slaDueAt: due.length ? new Date(Math.min(...due)) : null,
    slaBreached: timers.some((t) => t.status === 'breached'),
    slaState: breached ? 'breached' : running.length ? 'ok' : timers.some((t) => t.status === 'paused') ? 'paused' : 'none',
  };
}

/**
 * The due time the agents' conversation list sorts by ("SLA due"): the earliest of the running
 * timers' and, while the ticket waits on the team (new, open), the overdue ones' — a timer that
 * ran out and is still unanswered is the most urgent of all. null when nothing is due.
 */
export function conversationSlaDue(status: TicketStatus, timers: SlaTimer[]): Date | null {
  const waitsOnTeam = status === 'new' || status === 'open';
  const times = timers.flatMap((t) => {
    const at = t.status === 'running' ? t.dueAt : t.status === 'breached' && !t.metAt && waitsOnTeam ? (t.breachedAt ?? t.dueAt) : null;
    return at ? [new Date(at).getTime()] : [];
  });
  return times.length ? new Date(Math.min(...times)) : null;
}

/** Timers that ran out by `now`: the new timers, and which of them just breached (reported once). */
export function breachesDue(timers: SlaTimer[], now: Date): { timers: SlaTimer[]; breached: SlaTimer[] } {
  const next = timers.map(hydrate).map((t) => checkBreach(t, now));
  const breached = next.filter((t, i) => t.status === 'breached' && timers[i]!.status !== 'breached');
  return { timers: next, breached };
}
