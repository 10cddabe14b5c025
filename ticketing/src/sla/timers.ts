/**
 * SLA clocks as pure functions: each takes a timer and an instant and returns the timer as it is
 * after that instant. A function that changes nothing returns the very same object, so callers
 * can tell `next !== timer` apart and store or report only what changed.
 *
 * A running timer whose `dueAt` has passed is breached even if nobody called checkBreach yet:
 * pause, stop and retarget look at that first, so an event arriving late cannot hide a breach.
 * A breached timer keeps running (runningSince and dueAt stay) so remaining() can show how far
 * overdue it is; pause and resume leave it alone and stop freezes it with metAt.
 */
import { addBusinessMinutes, businessMinutesBetween } from './calendar.js';
import type { BusinessCalendar, Priority, SlaMetric, SlaPolicy, SlaTimer } from './types.js';

/** Ticket statuses as the SLA clocks see them. */
export type SlaTicketStatus = 'new' | 'open' | 'pending' | 'on-hold' | 'solved' | 'closed';

/** What happened to a ticket, as far as its SLA clocks care. */
export type SlaTicketEvent =
  | { type: 'created' }
  | { type: 'agent_replied' }
  | { type: 'customer_replied' }
  | { type: 'status_changed'; from: SlaTicketStatus; to: SlaTicketStatus }
  /** The new priority is the `priority` argument of applyTicketEvent. */
  | { type: 'priority_changed' };

/** The order timers are kept in, whatever order events created them. */
const METRIC_ORDER: readonly SlaMetric[] = ['first_response', 'next_response', 'resolution'];
const WAITING: ReadonlySet<SlaTicketStatus> = new Set(['pending', 'on-hold']);
const WORKING: ReadonlySet<SlaTicketStatus> = new Set(['new', 'open']);
const DONE: ReadonlySet<SlaTicketStatus> = new Set(['solved', 'closed']);

/** A running clock of `targetMinutes` business minutes starting at `at`. */
export function startTimer(cal: BusinessCalendar, metric: SlaMetric, targetMinutes: number, at: Date): SlaTimer {
  return {
    metric,
    targetMinutes,
    usedMinutes: 0,
    runningSince: at,
    dueAt: addBusinessMinutes(cal, at, Math.max(0, targetMinutes)),
    status: 'running',
  };
}

/** Running → paused, keeping the business minutes used so far. Other states: unchanged. */
export function pause(cal: BusinessCalendar, timer: SlaTimer, at: Date): SlaTimer {
  const t = checkBreach(timer, at);
  if (t.status !== 'running' || t.runningSince === null) return t;
  return {
    ...t,
    usedMinutes: t.usedMinutes + businessMinutesBetween(cal, t.runningSince, at),
    runningSince: null,
    dueAt: null,
    status: 'paused',
  };
}

/**
 * Paused → running from `at`, due when the rest of the target is used up. A timer whose target is
 * already used up (the target was lowered while paused) is due at `at`. Other states: unchanged.
 */
export function resume(cal: BusinessCalendar, timer: SlaTimer, at: Date): SlaTimer {
  if (timer.status !== 'paused') return timer;
  return {
    ...timer,
    runningSince: at,
    dueAt: addBusinessMinutes(cal, at, Math.max(0, timer.targetMinutes - timer.usedMinutes)),
    status: 'running',
  };
}

/**
 * The response or resolution came at `at`: running or paused → met. A breached timer stays
 * breached and gets metAt (once); a met one is unchanged. Running past dueAt counts as breached.
 */
export function stop(cal: BusinessCalendar, timer: SlaTimer, at: Date): SlaTimer {
  const t = checkBreach(timer, at);
  if (t.status === 'met' || t.metAt !== undefined) return t;
  const used = t.runningSince === null ? t.usedMinutes : t.usedMinutes + businessMinutesBetween(cal, t.runningSince, at);
  return {
    ...t,
    usedMinutes: used,
    runningSince: null,
    dueAt: null,
    status: t.status === 'breached' ? 'breached' : 'met',
    metAt: at,
  };
}

/**
 * A new target (the priority changed), keeping the minutes used. A running timer gets the dueAt
 * it would have had with this target from the start of its current stretch; if the new target
 * was already used up before that stretch, it is due at the stretch's start (the closest instant
 * known). A paused timer only takes the target; met and breached timers are history: unchanged.
 */
export function retarget(cal: BusinessCalendar, timer: SlaTimer, newTarget: number, at: Date): SlaTimer {
  const t = checkBreach(timer, at);
  if (t.status === 'paused') return t.targetMinutes === newTarget ? t : { ...t, targetMinutes: newTarget };
  if (t.status !== 'running' || t.runningSince === null) return t;
  return {
    ...t,
    targetMinutes: newTarget,
    dueAt: addBusinessMinutes(cal, t.runningSince, Math.max(0, newTarget - t.usedMinutes)),
  };
}

/**
 * Running and `now` at or past dueAt → breached at dueAt. Anything else, including a timer
 * already breached, comes back as the same object: a breach is reported once.
 */
export function checkBreach(timer: SlaTimer, now: Date): SlaTimer {
  if (timer.status !== 'running' || timer.dueAt === null) return timer;
  if (now.getTime() < timer.dueAt.getTime()) return timer;
  return { ...timer, status: 'breached', breachedAt: timer.dueAt };
}

/**
 * Business minutes left at `now`, negative when overdue: for a running (or breached, still
 * counting) timer the target minus everything used up to now; for a paused or finished one,
 * frozen at the target minus what was used (a met timer shows the margin it was met with).
 */
export function remaining(cal: BusinessCalendar, timer: SlaTimer, now: Date): number {
  const running = timer.runningSince === null ? 0 : businessMinutesBetween(cal, timer.runningSince, now);
  return timer.targetMinutes - timer.usedMinutes - running;
}

/**
 * The ticket's timers after `event` at `at`, under the targets `policy` sets for `priority` (the
 * new priority for priority_changed). Timers come back one per metric, in the order
 * first_response, next_response, resolution; unchanged timers are the same objects.
 *  - created: starts first_response and resolution (those the policy has targets for and that
 *    do not exist yet, so a replayed event changes nothing).
 *  - agent_replied: first_response and next_response, if still open, are answered (stop).
 *  - customer_replied: once first_response is answered, starts next_response unless one is
 *    still open; an answered next_response is replaced by a fresh one.
 *  - status_changed: to pending/on-hold pauses running timers; to new/open resumes paused ones;
 *    to solved/closed stops every open timer (resolution and responses alike); from
 *    solved/closed to anything else replaces resolution with a fresh one (paused straight away
 *    when reopened into pending/on-hold). A metric without a target keeps whatever timer it had.
 *  - priority_changed: retargets every timer; an open timer whose metric has no target under
 *    the new priority is dropped. It never starts timers: whether a response is still owed is
 *    not known from here.
 */
export function applyTicketEvent(
  cal: BusinessCalendar,
  policy: SlaPolicy,
  priority: Priority,
  timers: SlaTimer[],
  event: SlaTicketEvent,
  at: Date,
): SlaTimer[] {
  const targets = policy[priority];
  const byMetric = new Map<SlaMetric, SlaTimer>(timers.map((t) => [t.metric, t]));
  const startIfTargeted = (metric: SlaMetric): void => {
    const target = targets[metric];
    if (target !== undefined) byMetric.set(metric, startTimer(cal, metric, target, at));
  };
  const update = (fn: (t: SlaTimer) => SlaTimer | null): void => {
    for (const [metric, t] of byMetric) {
      const next = fn(t);
      if (next === null) byMetric.delete(metric);
      else byMetric.set(metric, next);
    }
  };

  switch (event.type) {
    case 'created':
      for (const metric of ['first_response', 'resolution'] as const) {
        if (!byMetric.has(metric)) startIfTargeted(metric);
      }
      break;
    case 'agent_replied':
      update((t) => (t.metric === 'resolution' ? t : stop(cal, t, at)));
      break;
    case 'customer_replied': {
      const first = byMetric.get('first_response');
      const next = byMetric.get('next_response');
      if (first !== undefined && isAnswered(first) && (next === undefined || isAnswered(next))) {
        startIfTargeted('next_response');
      }
      break;
    }
    case 'status_changed': {
      const { from, to } = event;
      if (DONE.has(to)) {
        update((t) => stop(cal, t, at));
      } else if (DONE.has(from)) {
        startIfTargeted('resolution');
        if (WAITING.has(to)) update((t) => pause(cal, t, at));
      } else if (WAITING.has(to)) {
        update((t) => pause(cal, t, at));
      } else if (WORKING.has(to)) {
        update((t) => resume(cal, t, at));
      }
      break;
    }
    case 'priority_changed':
      update((t) => {
        const target = targets[t.metric];
        if (target !== undefined) return retarget(cal, t, target, at);
        return isOwed(t) ? null : t;
      });
      break;
  }
  return METRIC_ORDER.flatMap((metric) => {
    const t = byMetric.get(metric);
    return t === undefined ? [] : [t];
  });
}

/** The response or resolution it waits for has come (met, or breached and then answered). */
function isAnswered(t: SlaTimer): boolean {
  return t.status === 'met' || t.metAt !== undefined;
}

/** Still waiting for its response or resolution (running, paused, or breached and unanswered). */
function isOwed(t: SlaTimer): boolean {
  return !isAnswered(t);
}
