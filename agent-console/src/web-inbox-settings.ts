import type { BusinessHours, OpeningInterval, PreChatField, WebInboxUpdate, WebInboxView } from '@switchboard/contracts';
import { t } from './i18n/web-settings.js';

/**
 * A website inbox's chat settings as the console edits them (platform/contracts/src/web-inboxes.ts):
 * the pre-chat form, business hours and the offline message. The editor holds a draft;
 * `settingsChange` checks it and turns it into the PATCH body, with the reason in words when it is
 * not one the server takes. Only the lazily loaded settings chunk imports this.
 */

/** Day 0 (Sunday) to 6 (Saturday) by name, in the console's language. */
export const dayName = (day: number): string => t('days').split(',')[day] ?? String(day);
/** Days in the order the editor lists them: Monday first. */
export const WEEK = [1, 2, 3, 4, 5, 6, 0];

export const MAX_FIELDS = 10;
export const PRESETS: readonly PreChatField[] = [
  { key: 'name', label: 'Name', type: 'text', required: true },
  { key: 'email', label: 'Email', type: 'email', required: true },
  { key: 'phone', label: 'Phone', type: 'tel', required: false },
];
const KEY = /^[a-z][a-z0-9_]{0,39}$/;

/** A key made from a label: "Order number" → "order_number" ("" when nothing of it is a–z or 0–9). */
export function keyFromLabel(label: string): string {
  const s = label
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^[_0-9]+|_+$/g, '');
  return s.slice(0, 40).replace(/_+$/, '');
}

/** The fields with field `i` changed; a new label renames a key that was still empty or made from the old label. */
export function setField(list: readonly PreChatField[], i: number, change: Partial<PreChatField>): PreChatField[] {
  return list.map((f, j) => {
    if (j !== i) return f;
    const next = { ...f, ...change };
    if (change.label !== undefined && change.key === undefined && (f.key === '' || f.key === keyFromLabel(f.label))) next.key = keyFromLabel(change.label);
    return next;
  });
}

/** The fields with field `i` moved one place up (-1) or down (+1); unchanged at the ends. */
export function moveField(list: readonly PreChatField[], i: number, by: -1 | 1): PreChatField[] {
  const j = i + by;
  const next = [...list];
  if (j < 0 || j >= list.length) return next;
  [next[i], next[j]] = [next[j]!, next[i]!];
  return next;
}

/** Why the pre-chat form cannot be saved, or null. */
export function preChatProblem(list: readonly PreChatField[]): string | null {
  if (list.length > MAX_FIELDS) return t('pre.tooMany', { max: MAX_FIELDS });
  const seen = new Set<string>();
  for (const [i, f] of list.entries()) {
    const name = f.label.trim() ? `“${f.label.trim()}”` : t('pre.fieldN', { n: i + 1 });
    if (!f.label.trim()) return t('pre.noLabel', { name });
    if (!f.key) return t('pre.noKey', { name });
    if (!KEY.test(f.key)) return t('pre.badKey', { name });
    if (seen.has(f.key)) return t('pre.dupKey', { key: f.key });
    seen.add(f.key);
  }
  return null;
}

export interface Range {
  from: string;
  to: string;
}

/**
 * Business hours as the editor holds them. `days[d]` (0 = Sunday) are that day's opening ranges in
 * `<input type="time">` values, [] = closed; a range ending at 00:00 ends at midnight (the API's
 * 24:00, which a time input cannot show). `always` keeps the days while "Always open" is on.
 */
export interface HoursDraft {
  always: boolean;
  timezone: string;
  days: Range[][];
}

/** The time zone this browser is in, preselected for new business hours. */
export const browserZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

/** The IANA zones to choose from, with `current` among them even when this browser does not list it. */
export function zoneOptions(current: string): string[] {
  const all = Intl.supportedValuesOf('timeZone');
  return all.includes(current) ? all : [current, ...all];
}

const NINE_TO_FIVE = (d: number): Range[] => (d > 0 && d < 6 ? [{ from: '09:00', to: '17:00' }] : []);

/** The draft of stored hours; null (always open) starts from Monday to Friday, 09:00–17:00 in `zone`. */
export function hoursDraft(hours: BusinessHours | null, zone: string): HoursDraft {
  if (!hours) return { always: true, timezone: zone, days: Array.from({ length: 7 }, (_, d) => NINE_TO_FIVE(d)) };
  const days = Array.from({ length: 7 }, (_, d) =>
    hours.intervals
      .filter((x) => x.day === d)
      .map((x) => ({ from: x.from, to: x.to === '24:00' ? '00:00' : x.to }))
      .sort((a, b) => a.from.localeCompare(b.from)),
  );
  return { always: false, timezone: hours.timezone, days };
}

const end = (to: string) => (to === '00:00' ? '24:00' : to);

/** Why the hours cannot be saved, or null. */
export function hoursProblem(h: HoursDraft): string | null {
  if (h.always) return null;
  if (!h.timezone) return t('open.noZone');
  let count = 0;
  for (const d of WEEK) {
    const ranges = h.days[d] ?? [];
    for (const r of ranges) {
      if (!r.from || !r.to) return t('open.both', { day: dayName(d) });
      if (end(r.to) <= r.from) return t('open.order', { day: dayName(d) });
    }
    const sorted = [...ranges].sort((a, b) => a.from.localeCompare(b.from));
    if (sorted.some((r, i) => i > 0 && r.from < end(sorted[i - 1]!.to))) return t('open.overlap', { day: dayName(d) });
    count += ranges.length;
  }
  if (count === 0) return t('open.none');
  if (count > 50) return t('open.tooMany');
  return null;
}

/** The API's business hours of a valid draft: null when always open, else intervals Sunday first. */
export function hoursValue(h: HoursDraft): BusinessHours | null {
  if (h.always) return null;
  const intervals: OpeningInterval[] = h.days.flatMap((ranges, day) =>
    [...ranges].sort((a, b) => a.from.localeCompare(b.from)).map((r) => ({ day, from: r.from, to: end(r.to) })),
  );
  return { timezone: h.timezone, intervals };
}

export interface SettingsDraft {
  preChatForm: PreChatField[];
  hours: HoursDraft;
  offlineMessage: string;
}

export const settingsDraft = (w: WebInboxView, zone: string): SettingsDraft => ({
  preChatForm: w.preChatForm.map((f) => ({ ...f })),
  hours: hoursDraft(w.businessHours, zone),
  offlineMessage: w.offlineMessage,
});

export type SettingsCheck = { ok: true; change: WebInboxUpdate } | { ok: false; error: string };

/** The PATCH body for a draft (labels and the message trimmed), or why it cannot be saved. */
export function settingsChange(d: SettingsDraft): SettingsCheck {
  const preChatForm = d.preChatForm.map((f) => ({ ...f, label: f.label.trim() }));
  const error = preChatProblem(preChatForm) ?? hoursProblem(d.hours);
  if (error) return { ok: false, error };
  return {
    ok: true,
    change: { preChatForm, businessHours: hoursValue(d.hours), offlineMessage: d.offlineMessage.trim() },
  };
}
