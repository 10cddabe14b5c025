import type { Calendar, Priority, SlaPolicy, SlaTarget, TicketSettings, WeeklyHours } from './admin-api.js';
import { fromHoursMinutes, toHoursMinutes, type HoursMinutes } from './durations.js';
import { t as tr } from '../i18n/admin.js';

/** The "Business hours & SLA" tab: the ticket settings' calendar, SLA targets and timers as forms. */

/** Day 1 (Monday) to 7 (Sunday) by name; '' for anything else. */
export const dayName = (day: number): string => (day >= 1 && day <= 7 ? tr('days').split(',')[day - 1]! : '');
export const PRIORITIES: Priority[] = ['urgent', 'high', 'normal', 'low'];
export const priorityName = (p: Priority): string => tr(`priority.${p}`);
export const TARGETS: SlaTarget[] = ['first_response', 'next_response', 'resolution'];
export const targetName = (s: SlaTarget): string => tr(`target.${s}`);

export interface HoursForm {
  timezone: string;
  weekly: WeeklyHours[];
  /** One date (YYYY-MM-DD) a line. */
  holidays: string;
  sla: Record<Priority, Record<SlaTarget, HoursMinutes>>;
  autoCloseDays: string;
  /** Empty = never reassign. */
  reassignOfflineMinutes: string;
}

export function hoursForm(s: TicketSettings): HoursForm {
  const sla = {} as HoursForm['sla'];
  for (const p of PRIORITIES) {
    sla[p] = {} as Record<SlaTarget, HoursMinutes>;
    for (const t of TARGETS) sla[p][t] = toHoursMinutes(s.sla[p]?.[t]);
  }
  return {
    timezone: s.calendar.timezone,
    weekly: s.calendar.weekly.map((w) => ({ ...w })).sort((a, b) => a.day - b.day || a.start.localeCompare(b.start)),
    holidays: s.calendar.holidays.join('\n'),
    sla,
    autoCloseDays: String(s.autoCloseDays),
    reassignOfflineMinutes: s.reassignOfflineMinutes === null ? '' : String(s.reassignOfflineMinutes),
  };
}

const HH_MM = /^(([01]\d|2[0-3]):[0-5]\d|24:00)$/;

function validZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

function validDate(d: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(d)) return false;
  const t = new Date(`${d}T00:00:00Z`);
  return !Number.isNaN(t.getTime()) && t.toISOString().startsWith(d);
}

type Change = Pick<TicketSettings, 'calendar' | 'sla' | 'autoCloseDays' | 'reassignOfflineMinutes'>;

/** The PATCH /ticket-settings body for the tab, or the first thing to fix. */
export function hoursBody(f: HoursForm): { ok: true; change: Change } | { ok: false; error: string } {
  const timezone = f.timezone.trim();
  if (!validZone(timezone)) return { ok: false, error: tr('hours.badZone', { zone: timezone }) };
  for (const w of f.weekly) {
    const day = dayName(w.day) || tr('hours.dayN', { n: w.day });
    if (!HH_MM.test(w.start) || !HH_MM.test(w.end)) return { ok: false, error: tr('hours.badTime', { day }) };
    if (w.start >= w.end) return { ok: false, error: tr('hours.endBeforeStart', { day }) };
  }
  const holidays = [...new Set(f.holidays.split(/[\s,]+/).filter(Boolean))].sort();
  const bad = holidays.find((d) => !validDate(d));
  if (bad) return { ok: false, error: tr('hours.badDate', { date: bad }) };
  const calendar: Calendar = { timezone, weekly: f.weekly.map((w) => ({ day: w.day, start: w.start, end: w.end })), holidays };

  const sla = {} as SlaPolicy;
  for (const p of PRIORITIES) {
    sla[p] = {};
    for (const t of TARGETS) {
      const r = fromHoursMinutes(f.sla[p][t]);
      if (!r.ok) return { ok: false, error: `${priorityName(p)}, ${targetName(t).toLowerCase()}: ${r.error}` };
      if (r.minutes !== null) {
        if (r.minutes > 525_600) return { ok: false, error: `${priorityName(p)}, ${targetName(t).toLowerCase()}: ${tr('hours.tooLong')}` };
        sla[p][t] = r.minutes;
      }
    }
  }

  const days = f.autoCloseDays.trim();
  if (!/^\d+$/.test(days) || Number(days) > 365) return { ok: false, error: tr('hours.badClose') };
  const reassign = f.reassignOfflineMinutes.trim();
  if (reassign && (!/^\d+$/.test(reassign) || Number(reassign) < 1 || Number(reassign) > 10_080)) {
    return { ok: false, error: tr('hours.badReassign') };
  }
  return { ok: true, change: { calendar, sla, autoCloseDays: Number(days), reassignOfflineMinutes: reassign ? Number(reassign) : null } };
}

/** A new row of working hours: the day after the last row's, 09:00–17:00. */
export function nextHours(weekly: WeeklyHours[]): WeeklyHours {
  const last = weekly.at(-1)?.day ?? 0;
  return { day: (last % 7) + 1, start: '09:00', end: '17:00' };
}
