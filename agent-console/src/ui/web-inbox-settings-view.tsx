import { useMemo, useState } from 'preact/hooks';
import type { PreChatField, WebInboxView } from '@switchboard/contracts';
import { webInboxApi } from '../web-inbox-api.js';
import { useApi } from './context.js';
import { IconCheck } from './icons.js';
import {
  browserZone,
  DAYS,
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
      setNote({ error: false, text: 'Saved.' });
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
        <legend>Offline message</legend>
        <textarea
          class="web-snippet"
          data-testid="web-offline-message"
          aria-label="Offline message"
          rows={2}
          maxLength={500}
          placeholder="Empty: the widget’s own sentence"
          value={draft.offlineMessage}
          onInput={(e) => edit({ offlineMessage: value(e) })}
        />
      </fieldset>
      <div class="channel-add-row">
        <button class="btn btn-primary" data-testid="web-settings-save" type="submit" disabled={busy}>
          {busy ? 'Saving…' : 'Save settings'}
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

const TYPES = { text: 'Text', email: 'Email', tel: 'Phone' };

function PreChatForm({ fields, set }: { fields: PreChatField[]; set: (f: PreChatField[]) => void }) {
  const add = (f: PreChatField) => set([...fields, { ...f }]);
  const full = fields.length >= MAX_FIELDS;
  return (
    <fieldset>
      <legend>Pre-chat form</legend>
      <p class="muted">Asked before the first message; none: no form. Name, email and phone fill the contact, other keys are kept as its attributes.</p>
      <ol class="web-rows">
        {fields.map((f, i) => {
          const change = (c: Partial<PreChatField>) => set(setField(fields, i, c));
          const n = f.label || `field ${i + 1}`;
          return (
            <li key={i} data-testid="web-prechat-field" data-key={f.key}>
              <input class="input" data-testid="web-prechat-label" aria-label={`Label of ${n}`} placeholder="Label" maxLength={80} value={f.label} onInput={(e) => change({ label: value(e) })} />
              <input class="input" data-testid="web-prechat-key" aria-label={`Key of ${n}`} placeholder="key" maxLength={40} value={f.key} onInput={(e) => change({ key: value(e) })} />
              <select data-testid="web-prechat-type" aria-label={`Type of ${n}`} value={f.type} onChange={(e) => change({ type: value(e) as PreChatField['type'] })}>
                {Object.entries(TYPES).map(([t, label]) => (
                  <option value={t}>{label}</option>
                ))}
              </select>
              <label>
                <input type="checkbox" data-testid="web-prechat-required" checked={f.required} onChange={(e) => change({ required: checked(e) })} /> Required
              </label>
              <button class="btn btn-small" type="button" aria-label={`Move ${n} up`} disabled={i === 0} onClick={() => set(moveField(fields, i, -1))}>
                ↑
              </button>
              <button class="btn btn-small" type="button" aria-label={`Move ${n} down`} disabled={i === fields.length - 1} onClick={() => set(moveField(fields, i, 1))}>
                ↓
              </button>
              <button class="btn btn-small" type="button" data-testid="web-prechat-remove" aria-label={`Remove ${n}`} onClick={() => set(fields.filter((_, j) => j !== i))}>
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
          + Other field
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
      <legend>Business hours</legend>
      <label>
        <input type="checkbox" role="switch" data-testid="web-hours-always" checked={h.always} onChange={(e) => set({ ...h, always: checked(e) })} /> Always open
      </label>
      {!h.always && (
        <>
          <label>
            Time zone{' '}
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
                    {DAYS[d]}
                  </label>
                  {ranges.length === 0 && <span class="muted">Closed</span>}
                  {ranges.map((r, k) => {
                    const put = (c: Partial<Range>) => day(d, ranges.map((x, j) => (j === k ? { ...x, ...c } : x)));
                    return (
                      <span key={k}>
                        <input type="time" data-testid="web-hours-from" aria-label={`${DAYS[d]} from`} value={r.from} onInput={(e) => put({ from: value(e) })} />
                        –
                        <input type="time" data-testid="web-hours-to" aria-label={`${DAYS[d]} to`} value={r.to} onInput={(e) => put({ to: value(e) })} />
                        {k > 0 && (
                          <button class="btn btn-small" type="button" aria-label={`Remove these ${DAYS[d]} hours`} onClick={() => day(d, ranges.filter((_, j) => j !== k))}>
                            ×
                          </button>
                        )}
                      </span>
                    );
                  })}
                  {ranges.length > 0 && (
                    <button class="btn btn-small" type="button" aria-label={`More ${DAYS[d]} hours`} onClick={() => day(d, [...ranges, { from: '', to: '' }])}>
                      +
                    </button>
                  )}
                </li>
              );
            })}
          </ul>
        </>
      )}
      <p class="muted">Outside these hours the widget shows the offline message and asks for an email.</p>
    </fieldset>
  );
}
