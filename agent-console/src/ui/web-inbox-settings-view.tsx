import { useMemo, useState } from 'preact/hooks';
import type { PreChatField, WebInboxView } from '@switchboard/contracts';
import { webInboxApi } from '../web-inbox-api.js';
import { useApi } from './context.js';
import { IconCheck } from './icons.js';
import { t } from '../i18n/web-settings.js';
import {
  browserZone,
  dayName,
  MAX_FIELDS,
  moveField,
  PRESETS,
  setField,
  settingsChange,
  settingsDraft,
  WEEK,
  zoneOptions,
  type HoursDraft,
  type Range,
  type SettingsDraft,
} from '../web-inbox-settings.js';

export interface WebInboxSettingsProps {
  inbox: WebInboxView;
  onSaved: (w: WebInboxView) => void;
}

const value = (e: Event) => (e.target as HTMLInputElement).value;
const checked = (e: Event) => (e.target as HTMLInputElement).checked;

/**
 * A website inbox's chat settings (admins, in channel settings' Website section): the pre-chat
 * form, business hours and the offline message. A chunk of its own, loaded by web-inboxes-view.tsx
 * when an inbox's settings are opened; it saves the draft with one PATCH and shows a refusal, the
 * console's or the server's, in words.
 */
export function WebInboxSettings({ inbox, onSaved }: WebInboxSettingsProps) {
  const http = useApi();
  const api = useMemo(() => webInboxApi(http), [http]);
  const zone = useMemo(browserZone, []);
  const [draft, setDraft] = useState(() => settingsDraft(inbox, zone));
  const [busy, setBusy] = useState(false);
  const [note, setNote] = useState<{ error: boolean; text: string } | null>(null);
  const edit = (change: Partial<SettingsDraft>) => {
    setDraft((d) => ({ ...d, ...change }));
    setNote(null);
  };

  const save = async (e: Event) => {
    e.preventDefault();
    const r = settingsChange(draft);
    if (!r.ok) return setNote({ error: true, text: r.error });
    if (busy) return;
    setBusy(true);
    setNote(null);
    try {
      const w = await api.update(inbox.id, r.change);
      onSaved(w);
      setDraft(settingsDraft(w, zone));
      setNote({ error: false, text: t('set.saved') });
    } catch (err) {
      setNote({ error: true, text: (err as Error).message });
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="web-settings" data-testid="web-settings" onSubmit={save}>
      <PreChatForm fields={draft.preChatForm} set={(preChatForm) => edit({ preChatForm })} />
      <Hours h={draft.hours} set={(hours) => edit({ hours })} />
      <fieldset>
        <legend>{t('set.offline')}</legend>
        <textarea
          class="web-snippet"
          data-testid="web-offline-message"
          aria-label={t('set.offline')}
          rows={2}
          maxLength={500}
          placeholder={t('set.offlinePlaceholder')}
          value={draft.offlineMessage}
          onInput={(e) => edit({ offlineMessage: value(e) })}
        />
      </fieldset>
      <div class="channel-add-row">
        <button class="btn btn-primary" data-testid="web-settings-save" type="submit" disabled={busy}>
          {busy ? t('set.saving') : t('set.save')}
        </button>
        {note && (
          <span class={note.error ? 'inline-error' : 'muted'} data-testid={note.error ? 'web-settings-error' : 'web-settings-saved'} role={note.error ? 'alert' : 'status'}>
            {!note.error && <IconCheck size={14} />} {note.text}
          </span>
        )}
      </div>
    </form>
  );
}

const TYPES = ['text', 'email', 'tel'] as const;

function PreChatForm({ fields, set }: { fields: PreChatField[]; set: (f: PreChatField[]) => void }) {
  const add = (f: PreChatField) => set([...fields, { ...f }]);
  const full = fields.length >= MAX_FIELDS;
  return (
    <fieldset>
      <legend>{t('pre.title')}</legend>
      <p class="muted">{t('pre.hint')}</p>
      <ol class="web-rows">
        {fields.map((f, i) => {
          const change = (c: Partial<PreChatField>) => set(setField(fields, i, c));
          const n = f.label || t('pre.fieldN', { n: i + 1 });
          return (
            <li key={i} data-testid="web-prechat-field" data-key={f.key}>
              <input class="input" data-testid="web-prechat-label" aria-label={t('pre.labelOf', { n })} placeholder={t('pre.label')} maxLength={80} value={f.label} onInput={(e) => change({ label: value(e) })} />
              <input class="input" data-testid="web-prechat-key" aria-label={t('pre.keyOf', { n })} placeholder={t('pre.key')} maxLength={40} value={f.key} onInput={(e) => change({ key: value(e) })} />
              <select data-testid="web-prechat-type" aria-label={t('pre.typeOf', { n })} value={f.type} onChange={(e) => change({ type: value(e) as PreChatField['type'] })}>
                {TYPES.map((type) => (
                  <option value={type}>{t(`pre.type.${type}`)}</option>
                ))}
              </select>
              <label>
                <input type="checkbox" data-testid="web-prechat-required" checked={f.required} onChange={(e) => change({ required: checked(e) })} /> {t('pre.required')}
              </label>
              <button class="btn btn-small" type="button" aria-label={t('pre.up', { n })} disabled={i === 0} onClick={() => set(moveField(fields, i, -1))}>
                ↑
              </button>
              <button class="btn btn-small" type="button" aria-label={t('pre.down', { n })} disabled={i === fields.length - 1} onClick={() => set(moveField(fields, i, 1))}>
                ↓
              </button>
              <button class="btn btn-small" type="button" data-testid="web-prechat-remove" aria-label={t('pre.remove', { n })} onClick={() => set(fields.filter((_, j) => j !== i))}>
                ×
              </button>
            </li>
          );
        })}
      </ol>
      <div class="channel-add-row">
        {PRESETS.map((p) => (
          <button class="btn btn-small" type="button" data-testid="web-prechat-add" data-preset={p.key} disabled={full || fields.some((f) => f.key === p.key)} onClick={() => add(p)}>
            + {p.label}
          </button>
        ))}
        <button class="btn btn-small" type="button" data-testid="web-prechat-add" data-preset="" disabled={full} onClick={() => add({ key: '', label: '', type: 'text', required: false })}>
          + {t('pre.other')}
        </button>
      </div>
    </fieldset>
  );
}

function Hours({ h, set }: { h: HoursDraft; set: (h: HoursDraft) => void }) {
  const day = (d: number, ranges: Range[]) => set({ ...h, days: h.days.map((r, i) => (i === d ? ranges : r)) });
  const zones = useMemo(() => zoneOptions(h.timezone), [h.timezone]);
  return (
    <fieldset>
      <legend>{t('open.title')}</legend>
      <label>
        <input type="checkbox" role="switch" data-testid="web-hours-always" checked={h.always} onChange={(e) => set({ ...h, always: checked(e) })} /> {t('open.always')}
      </label>
      {!h.always && (
        <>
          <label>
            {t('open.zone')}{' '}
            <select data-testid="web-hours-zone" value={h.timezone} onChange={(e) => set({ ...h, timezone: value(e) })}>
              {zones.map((z) => (
                <option>{z}</option>
              ))}
            </select>
          </label>
          <ul class="web-rows">
            {WEEK.map((d) => {
              const ranges = h.days[d] ?? [];
              return (
                <li key={d} data-testid="web-hours-day" data-day={d}>
                  <label class="web-day">
                    <input
                      type="checkbox"
                      data-testid="web-hours-open"
                      checked={ranges.length > 0}
                      onChange={(e) => day(d, checked(e) ? [{ from: '09:00', to: '17:00' }] : [])}
                    />{' '}
                    {dayName(d)}
                  </label>
                  {ranges.length === 0 && <span class="muted">{t('open.closed')}</span>}
                  {ranges.map((r, k) => {
                    const put = (c: Partial<Range>) => day(d, ranges.map((x, j) => (j === k ? { ...x, ...c } : x)));
                    return (
                      <span key={k}>
                        <input type="time" data-testid="web-hours-from" aria-label={t('open.from', { day: dayName(d) })} value={r.from} onInput={(e) => put({ from: value(e) })} />
                        –
                        <input type="time" data-testid="web-hours-to" aria-label={t('open.to', { day: dayName(d) })} value={r.to} onInput={(e) => put({ to: value(e) })} />
                        {k > 0 && (
                          <button class="btn btn-small" type="button" aria-label={t('open.removeRange', { day: dayName(d) })} onClick={() => day(d, ranges.filter((_, j) => j !== k))}>
                            ×
                          </button>
                        )}
                      </span>
                    );
                  })}
                  {ranges.length > 0 && (
                    <button class="btn btn-small" type="button" aria-label={t('open.more', { day: dayName(d) })} onClick={() => day(d, [...ranges, { from: '', to: '' }])}>
                      +
                    </button>
                  )}
                </li>
              );
            })}
          </ul>
        </>
      )}
      <p class="muted">{t('open.hint')}</p>
    </fieldset>
  );
}
