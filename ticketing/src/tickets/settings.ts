import type { BusinessCalendar, SlaPolicy } from '../sla/types.js';
import type { TicketRepositories } from './repository.js';
import type { TicketSettingsRecord } from './records.js';

/**
 * Targets in business minutes when a tenant has set none: the common help-desk defaults,
 * tighter for higher priorities.
 */
export const DEFAULT_SLA: SlaPolicy = {
  urgent: { first_response: 30, next_response: 60, resolution: 240 },
  high: { first_response: 120, next_response: 240, resolution: 960 },
  normal: { first_response: 480, next_response: 480, resolution: 2400 },
  low: { first_response: 960, next_response: 960, resolution: 4800 },
};

/** Monday to Friday, 9 to 18, in the tenant's zone. */
export function defaultCalendar(timezone = 'UTC'): BusinessCalendar {
  return { timezone, weekly: ([1, 2, 3, 4, 5] as const).map((day) => ({ day, start: '09:00', end: '18:00' })), holidays: [] };
}

export const SETTINGS_ID = 'settings';

export function defaultSettings(timezone?: string): Omit<TicketSettingsRecord, '_id' | 'tenantId'> {
  return {
    mode: 'auto',
    autoCloseDays: 4,
    reassignOfflineMinutes: null,
    defaultTeamId: null,
    calendar: defaultCalendar(timezone),
    sla: DEFAULT_SLA,
    crm: null,
    updatedAt: new Date(0),
  };
}

/** The tenant's settings, or the defaults when it never saved any. */
export async function loadSettings(r: TicketRepositories, timezone?: string): Promise<TicketSettingsRecord> {
  const saved = await r.settings.findById(`${r.tenantId}:${SETTINGS_ID}`);
  return saved ?? { _id: `${r.tenantId}:${SETTINGS_ID}`, tenantId: r.tenantId, ...defaultSettings(timezone) };
}
