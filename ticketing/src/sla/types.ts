/**
 * Business time and SLA timers: pure functions over plain data, no I/O, so the arithmetic is
 * tested on its own (time zones, weekends, holidays, pauses) and the service only stores results.
 */

/** When a team works, in its own time zone. */
export interface BusinessCalendar {
  /** IANA zone, e.g. "Europe/Moscow". */
  timezone: string;
  /**
   * Working intervals per weekday (1 = Monday … 7 = Sunday, ISO like luxon), local "HH:mm"
   * times, end after start; several per day allowed (lunch breaks). Empty = around the clock.
   */
  weekly: { day: 1 | 2 | 3 | 4 | 5 | 6 | 7; start: string; end: string }[];
  /** Local dates with no working hours at all, "YYYY-MM-DD". */
  holidays: string[];
}

export type SlaMetric = 'first_response' | 'next_response' | 'resolution';

export type SlaStatus = 'running' | 'paused' | 'met' | 'breached';

/**
 * One SLA clock of a ticket. Business minutes already used are kept across pauses; `dueAt` is
 * when the clock runs out if nothing pauses it (null while paused or finished).
 */
export interface SlaTimer {
  metric: SlaMetric;
  targetMinutes: number;
  /** Business minutes used before the current running stretch. */
  usedMinutes: number;
  /** Start of the current running stretch; null when paused or finished. */
  runningSince: Date | null;
  dueAt: Date | null;
  status: SlaStatus;
  /** When it ran out (set once: a breach is reported once). */
  breachedAt?: Date;
  /** When the response or resolution came. */
  metAt?: Date;
}

export type Priority = 'low' | 'normal' | 'high' | 'urgent';

/** Targets in business minutes per priority; a missing metric has no SLA. */
export type SlaPolicy = Record<Priority, Partial<Record<SlaMetric, number>>>;
