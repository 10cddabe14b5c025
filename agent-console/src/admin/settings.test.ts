import { describe, expect, it } from 'vitest';
import type { TicketSettings } from './admin-api.js';
import { hoursBody, hoursForm, nextHours } from './settings.js';

const settings: TicketSettings = {
  mode: 'auto',
  autoCloseDays: 7,
  reassignOfflineMinutes: null,
  defaultTeamId: null,
  calendar: { timezone: 'Europe/Berlin', weekly: [{ day: 2, start: '09:00', end: '17:00' }, { day: 1, start: '09:00', end: '17:00' }], holidays: ['2026-12-25'] },
  sla: { urgent: { first_response: 30 }, high: { first_response: 60, resolution: 480 }, normal: {}, low: {} },
  crm: null,
};

describe('business hours and SLA tab', () => {
  it('shows SLA minutes as hours and minutes and saves them back unchanged', () => {
    const form = hoursForm(settings);
    expect(form.sla.high.resolution).toEqual({ hours: '8', minutes: '0' });
    expect(form.sla.normal.first_response).toEqual({ hours: '', minutes: '' });
    expect(form.weekly.map((w) => w.day)).toEqual([1, 2]);
    const back = hoursBody(form);
    expect(back).toEqual({
      ok: true,
      change: {
        calendar: { timezone: 'Europe/Berlin', weekly: [{ day: 1, start: '09:00', end: '17:00' }, { day: 2, start: '09:00', end: '17:00' }], holidays: ['2026-12-25'] },
        sla: settings.sla,
        autoCloseDays: 7,
        reassignOfflineMinutes: null,
      },
    });
  });

  it('takes an edited target, holidays a line each, and a reassign time', () => {
    const form = hoursForm(settings);
    form.sla.normal.first_response = { hours: '2', minutes: '30' };
    form.holidays = '2027-01-01\n2026-12-26\n\n2026-12-26';
    form.reassignOfflineMinutes = '15';
    const r = hoursBody(form);
    expect(r.ok && r.change.sla.normal).toEqual({ first_response: 150 });
    expect(r.ok && r.change.calendar.holidays).toEqual(['2026-12-26', '2027-01-01']);
    expect(r.ok && r.change.reassignOfflineMinutes).toBe(15);
  });

  it('says what to fix', () => {
    const bad = (patch: (f: ReturnType<typeof hoursForm>) => void) => {
      const f = hoursForm(settings);
      patch(f);
      const r = hoursBody(f);
      return r.ok ? '' : r.error;
    };
    expect(bad((f) => (f.timezone = 'Mars/Olympus'))).toContain('is not a time zone');
    expect(bad((f) => (f.weekly[0]!.end = '08:00'))).toBe('Monday: the hours must end after they start.');
    expect(bad((f) => (f.holidays = '2026-02-30'))).toContain('"2026-02-30" is not a date');
    expect(bad((f) => (f.sla.urgent.first_response = { hours: '1', minutes: '90' }))).toBe('Urgent, first response: Minutes go up to 59; put the rest in hours.');
    expect(bad((f) => (f.autoCloseDays = '-1'))).toContain('0 to 365 days');
    expect(bad((f) => (f.reassignOfflineMinutes = '0'))).toContain('1 to 10080 minutes');
  });

  it('adds the next day of the week', () => {
    expect(nextHours([])).toEqual({ day: 1, start: '09:00', end: '17:00' });
    expect(nextHours([{ day: 7, start: '10:00', end: '12:00' }]).day).toBe(1);
  });
});
