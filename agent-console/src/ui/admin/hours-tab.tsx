import { useState } from 'preact/hooks';
import type { TicketSettings } from '../../admin/admin-api.js';
import { DAY_NAMES, hoursBody, hoursForm, nextHours, PRIORITIES, PRIORITY_NAMES, TARGET_NAMES, TARGETS, type HoursForm } from '../../admin/settings.js';
import { IconClock } from '../icons.js';
import { Done, Problem, useAction, useAdminApi, useLoad } from './parts.js';

/**
 * Business hours & SLA: the ticket settings' calendar (time zone, weekly hours, holidays), the SLA
 * targets per priority in business time, auto-close and reassigning offline agents' tickets.
 */
export function HoursTab() {
  const api = useAdminApi();
  const settings = useLoad(() => api.settings());
  if (settings.error) return <Problem text={settings.error} />;
  if (!settings.data) return <p class="muted">Loading…</p>;
  return <HoursEditor settings={settings.data} onSaved={settings.setData} />;
}

function HoursEditor({ settings, onSaved }: { settings: TicketSettings; onSaved: (s: TicketSettings) => void }) {
  const api = useAdminApi();
  const [f, setF] = useState<HoursForm>(() => hoursForm(settings));
  const [done, setDone] = useState<string | null>(null);
  const act = useAction();
  const patch = (change: Partial<HoursForm>) => (setF({ ...f, ...change }), setDone(null));
  const setRow = (i: number, change: Partial<HoursForm['weekly'][number]>) => patch({ weekly: f.weekly.map((w, j) => (j === i ? { ...w, ...change } : w)) });
  const setTarget = (p: (typeof PRIORITIES)[number], t: (typeof TARGETS)[number], part: 'hours' | 'minutes', v: string) =>
    patch({ sla: { ...f.sla, [p]: { ...f.sla[p], [t]: { ...f.sla[p][t], [part]: v } } } });

  const submit = async (e: Event) => {
    e.preventDefault();
    const r = hoursBody(f);
    if (!r.ok) return act.setError(r.error);
    if (await act.run(async () => onSaved(await api.updateSettings(r.change)))) setDone('Business hours and SLA targets saved.');
  };

  return (
    <form class="admin-form" onSubmit={submit} aria-label="Business hours and SLA" data-testid="hours-form">
      <h2>
        <IconClock size={16} /> Business hours
      </h2>
      <p class="muted">SLA timers count only these hours.</p>
      <label class="admin-field">
        <span>Time zone</span>
        <input class="input" value={f.timezone} onInput={(e) => patch({ timezone: e.currentTarget.value })} placeholder="Europe/Berlin" />
      </label>
      <ul class="web-rows" aria-label="Weekly hours">
        {f.weekly.map((w, i) => (
          <li key={i}>
            <select class="select web-day" aria-label="Day" value={w.day} onChange={(e) => setRow(i, { day: Number(e.currentTarget.value) })}>
              {DAY_NAMES.slice(1).map((d, j) => (
                <option key={d} value={j + 1}>
                  {d}
                </option>
              ))}
            </select>
            <input class="input" type="time" aria-label={`${DAY_NAMES[w.day]} from`} value={w.start} onInput={(e) => setRow(i, { start: e.currentTarget.value })} />
            <span>to</span>
            <input class="input" type="time" aria-label={`${DAY_NAMES[w.day]} until`} value={w.end} onInput={(e) => setRow(i, { end: e.currentTarget.value })} />
            <button type="button" class="btn btn-small" aria-label={`Remove ${DAY_NAMES[w.day]} ${w.start}–${w.end}`} onClick={() => patch({ weekly: f.weekly.filter((_, j) => j !== i) })}>
              Remove
            </button>
          </li>
        ))}
      </ul>
      {f.weekly.length === 0 && <p class="muted">No working hours: timers count around the clock.</p>}
      <button type="button" class="btn btn-small admin-start" onClick={() => patch({ weekly: [...f.weekly, nextHours(f.weekly)] })}>
        Add hours
      </button>
      <label class="admin-field">
        <span>Holidays (one date a line, like 2026-12-25)</span>
        <textarea class="input admin-text" rows={3} value={f.holidays} onInput={(e) => patch({ holidays: e.currentTarget.value })} />
      </label>

      <h2>SLA targets</h2>
      <p class="muted">Business time per priority; leave both fields empty for no target.</p>
      <table class="admin-sla">
        <thead>
          <tr>
            <th scope="col">Priority</th>
            {TARGETS.map((t) => (
              <th key={t} scope="col">
                {TARGET_NAMES[t]}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {PRIORITIES.map((p) => (
            <tr key={p}>
              <th scope="row">{PRIORITY_NAMES[p]}</th>
              {TARGETS.map((t) => (
                <td key={t}>
                  {(['hours', 'minutes'] as const).map((part) => (
                    <label key={part}>
                      <input
                        class="input admin-narrow"
                        inputMode="numeric"
                        aria-label={`${PRIORITY_NAMES[p]} ${TARGET_NAMES[t].toLowerCase()}, ${part}`}
                        value={f.sla[p][t][part]}
                        onInput={(e) => setTarget(p, t, part, e.currentTarget.value)}
                      />
                      {part === 'hours' ? ' h ' : ' min'}
                    </label>
                  ))}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>

      <h2>Timers</h2>
      <div class="admin-row">
        <label class="admin-field">
          <span>Close solved tickets after (days, 0 = never)</span>
          <input class="input admin-narrow" inputMode="numeric" value={f.autoCloseDays} onInput={(e) => patch({ autoCloseDays: e.currentTarget.value })} />
        </label>
        <label class="admin-field">
          <span>Reassign when the assignee is offline for (minutes; empty = never)</span>
          <input class="input admin-narrow" inputMode="numeric" value={f.reassignOfflineMinutes} onInput={(e) => patch({ reassignOfflineMinutes: e.currentTarget.value })} />
        </label>
      </div>
      <Problem text={act.error} />
      <Done text={done} />
      <button class="btn btn-primary admin-start" type="submit" disabled={act.busy}>
        {act.busy ? 'Saving…' : 'Save'}
      </button>
    </form>
  );
}
