import type { SlaTimerView } from '@switchboard/contracts';
import { t as tr } from './i18n/core.js';

/**
 * How the ticket panel shows SLA timers: one line per timer with the wall-clock time left until
 * `dueAt` ("in 2 h 15 min") or how far past it ("overdue by 12 min"), "paused", "met", and
 * which breaches are new since the last look (to announce them). Pure; the view passes `now`,
 * which the console ticks every 30 s.
 */

export type SlaMetric = SlaTimerView['metric'];

/** ok: running in time; soon: 15 minutes or less left; breached: overdue or missed. */
export type SlaTone = 'ok' | 'soon' | 'paused' | 'met' | 'breached';

export interface SlaLine {
  metric: SlaMetric;
  /** "First response", "Next response", "Resolution". */
  label: string;
  /** "in 2 h 15 min", "overdue by 12 min", "paused", "met", "missed by 5 min". */
  text: string;
  tone: SlaTone;
  /** A breach still counting: the response or resolution is still owed. */
  overdue: boolean;
  /** When a running timer runs out (for a tooltip); null otherwise. */
  dueAt: string | null;
}

const METRICS = new Set<SlaMetric>(['first_response', 'next_response', 'resolution']);

/** Time left at or under which a running timer turns amber. */
export const SOON_MS = 15 * 60_000;

const MINUTE = 60_000;
const ORDER: readonly SlaMetric[] = ['first_response', 'next_response', 'resolution'];

/** A duration as an agent reads it: "less than 1 min", "12 min", "2 h 15 min", "3 h", "2 d 4 h". Whole minutes, rounded down. */
export function durationText(ms: number): string {
  const minutes = Math.floor(Math.abs(ms) / MINUTE);
  if (minutes < 1) return tr('dur.lessMin');
  if (minutes < 60) return tr('dur.min', { m: minutes });
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 ? tr('dur.hMin', { h: hours, m: minutes % 60 }) : tr('dur.h', { h: hours });
  return hours % 24 ? tr('dur.dH', { d: Math.floor(hours / 24), h: hours % 24 }) : tr('dur.d', { d: hours / 24 });
}

/**
 * One timer at `now`. A running timer past its `dueAt` is shown overdue at once, before the
 * server's scheduler (every 15 s) marks it breached; a breached timer that was answered since
 * (`metAt`) says by how much it was missed.
 */
export function slaLine(t: SlaTimerView, now: number): SlaLine {
  const line = (text: string, tone: SlaTone, overdue = false): SlaLine => ({ metric: t.metric, label: METRICS.has(t.metric) ? tr(`sla.${t.metric}`) : t.metric, text, tone, overdue, dueAt: t.status === 'running' ? t.dueAt : null });
  const due = t.dueAt === null ? NaN : Date.parse(t.dueAt);
  if (t.status === 'paused') return line(tr('sla.paused'), 'paused');
  if (t.status === 'met') return line(tr('sla.met'), 'met');
  if (t.status === 'breached' && t.metAt) {
    const missedFrom = Date.parse(t.breachedAt ?? '');
    return line(Number.isNaN(missedFrom) ? tr('sla.missed') : tr('sla.missedBy', { time: durationText(Date.parse(t.metAt) - missedFrom) }), 'breached');
  }
  if (t.status === 'breached') {
    const from = Number.isNaN(due) ? Date.parse(t.breachedAt ?? '') : due;
    return line(Number.isNaN(from) ? tr('sla.overdue') : tr('sla.overdueBy', { time: durationText(now - from) }), 'breached', true);
  }
  if (Number.isNaN(due)) return line(tr('sla.running'), 'ok');
  const left = due - now;
  if (left <= 0) return line(tr('sla.overdueBy', { time: durationText(left) }), 'breached', true);
  return line(tr('sla.in', { time: durationText(left) }), left <= SOON_MS ? 'soon' : 'ok');
}

/** The ticket's timers at `now`, in the order first response, next response, resolution. */
export function slaLines(timers: readonly SlaTimerView[], now: number): SlaLine[] {
  return [...timers].sort((a, b) => ORDER.indexOf(a.metric) - ORDER.indexOf(b.metric)).map((t) => slaLine(t, now));
}

/** The metrics overdue right now (the breaches worth an announcement). */
export function overdueMetrics(lines: readonly SlaLine[]): Set<SlaMetric> {
  return new Set(lines.filter((l) => l.overdue).map((l) => l.metric));
}

/**
 * The sentence to announce when timers became overdue since the last look (`before`), or null.
 * `before` = null means this ticket was just shown: what is already overdue is seen, not announced.
 */
export function breachAnnouncement(before: ReadonlySet<SlaMetric> | null, lines: readonly SlaLine[], ticketNumber: number): string | null {
  if (before === null) return null;
  const fresh = lines.filter((l) => l.overdue && !before.has(l.metric)).map((l) => l.label);
  if (fresh.length === 0) return null;
  const what = fresh.length === 1 ? fresh[0]! : tr('list.and', { list: fresh.slice(0, -1).join(', '), last: fresh[fresh.length - 1]! });
  return tr('sla.breachedAnnounce', { n: ticketNumber, what });
}
