import { t } from '../i18n/admin.js';

/** Minutes as an admin reads and types them: hours and minutes ("2 h 30 min"). */

export interface HoursMinutes {
  hours: string;
  minutes: string;
}

/** 150 → { hours: '2', minutes: '30' }; undefined/null → empty fields. */
export function toHoursMinutes(total: number | null | undefined): HoursMinutes {
  if (total === null || total === undefined) return { hours: '', minutes: '' };
  return { hours: String(Math.floor(total / 60)), minutes: String(total % 60) };
}

/**
 * The minutes two fields mean: both empty → null (no target); whole non-negative numbers, the
 * minutes below 60 unless the hours are empty. A sentence for what is not.
 */
export function fromHoursMinutes(v: HoursMinutes): { ok: true; minutes: number | null } | { ok: false; error: string } {
  const h = v.hours.trim();
  const m = v.minutes.trim();
  if (!h && !m) return { ok: true, minutes: null };
  if ((h && !/^\d+$/.test(h)) || (m && !/^\d+$/.test(m))) return { ok: false, error: t('dur.whole') };
  const hours = h ? Number(h) : 0;
  const minutes = m ? Number(m) : 0;
  if (h && minutes >= 60) return { ok: false, error: t('dur.minutes59') };
  const total = hours * 60 + minutes;
  if (total === 0) return { ok: false, error: t('dur.atLeast') };
  return { ok: true, minutes: total };
}

/** 150 → "2 h 30 min", 60 → "1 h", 45 → "45 min", null → "—". */
export function formatMinutes(total: number | null | undefined): string {
  if (total === null || total === undefined) return '—';
  const h = Math.floor(total / 60);
  const m = total % 60;
  if (h && m) return `${h} h ${m} min`;
  return h ? `${h} h` : `${m} min`;
}
