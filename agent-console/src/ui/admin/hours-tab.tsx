import { useState } from 'preact/hooks';
import type { TicketSettings } from '../../admin/admin-api.js';
import { dayName, hoursBody, hoursForm, nextHours, PRIORITIES, priorityName, targetName, TARGETS, type HoursForm } from '../../admin/settings.js';
import { t as tr } from '../../i18n/admin.js';
import { IconClock } from '../icons.js';
import { Done, Problem, useAction, useAdminApi, useLoad } from './parts.js';

/**
 * Business hours & SLA: the ticket settings' calendar (time zone, weekly hours, holidays), the SLA
 * targets per priority in business time, auto-close and reassigning offline agents' tickets.
 */
export default function HoursTab() {
  const api = useAdminApi();
  const settings = useLoad(() => api.settings());
  if (settings.error) return <Problem text={settings.error} />;
  if (!settings.data) return <p class="muted">{tr('loading')}</p>;
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
    if (await act.run(async () => onSaved(await api.updateSettings(r.change)))) setDone(tr('hours.saved'));
  };

  return (
    <form class="admin-form" onSubmit={submit} aria-label={tr('tab.hours')} data-testid="hours-form">
      <h2>
        <IconClock size={16} /> {tr('hours.title')}
      </h2>
      <p class="muted">{tr('hours.hint')}</p>
      <label class="admin-field">
        <span>{tr('hours.zone')}</span>
        <input class="input" value={f.timezone} onInput={(e) => patch({ timezone: e.currentTarget.value })} placeholder="Europe/Berlin" />
      </label>
      <ul class="web-rows" aria-label={tr('hours.weekly')}>
        {f.weekly.map((w, i) => (
          <li key={i}>
            <select class="select web-day" aria-label={tr('hours.day')} value={w.day} onChange={(e) => setRow(i, { day: Number(e.currentTarget.value) })}>
              {[1, 2, 3, 4, 5, 6, 7].map((d) => (
                <option key={d} value={d}>
                  {dayName(d)}
                </option>
              ))}
            </select>
            <input class="input" type="time" aria-label={tr('hours.from', { day: dayName(w.day) })} value={w.start} onInput={(e) => setRow(i, { start: e.currentTarget.value })} />
            <span>{tr('hours.to')}</span>
            <input class="input" type="time" aria-label={tr('hours.until', { day: dayName(w.day) })} value={w.end} onInput={(e) => setRow(i, { end: e.currentTarget.value })} />
            <button type="button" class="btn btn-small" aria-label={tr('hours.removeRow', { day: dayName(w.day), start: w.start, end: w.end })} onClick={() => patch({ weekly: f.weekly.filter((_, j) => j !== i) })}>
              {tr('hours.remove')}
            </button>
          </li>
        ))}
      </ul>
      {f.weekly.length === 0 && <p class="muted">{tr('hours.none')}</p>}
      <button type="button" class="btn btn-small admin-start" onClick={() => patch({ weekly: [...f.weekly, nextHours(f.weekly)] })}>
        {tr('hours.add')}
      </button>
      <label class="admin-field">
        <span>{tr('hours.holidays')}</span>
        <textarea class="input admin-text" rows={3} value={f.holidays} onInput={(e) => patch({ holidays: e.currentTarget.value })} />
      </label>

      <h2>{tr('hours.slaTitle')}</h2>
      <p class="muted">{tr('hours.slaHint')}</p>
      <table class="admin-sla">
        <thead>
          <tr>
            <th scope="col">{tr('hours.priority')}</th>
            {TARGETS.map((t) => (
              <th key={t} scope="col">
                {targetName(t)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {PRIORITIES.map((p) => (
            <tr key={p}>
              <th scope="row">{priorityName(p)}</th>
              {TARGETS.map((t) => (
                <td key={t}>
                  {(['hours', 'minutes'] as const).map((part) => (
                    <label key={part}>
                      <input
                        class="input admin-narrow"
                        inputMode="numeric"
                        aria-label={`${priorityName(p)} ${targetName(t).toLowerCase()}, ${tr(`hours.${part}`)}`}
                        value={f.sla[p][t][part]}
                        onInput={(e) => setTarget(p, t, part, e.currentTarget.value)}
                      />
                      {part === 'hours' ? ` ${tr('hours.h')} ` : ` ${tr('hours.min')}`}
                    </label>
                  ))}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>

      <h2>{tr('hours.timers')}</h2>
      <div class="admin-row">
        <label class="admin-field">
          <span>{tr('hours.closeAfter')}</span>
          <input class="input admin-narrow" inputMode="numeric" value={f.autoCloseDays} onInput={(e) => patch({ autoCloseDays: e.currentTarget.value })} />
        </label>
        <label class="admin-field">
          <span>{tr('hours.reassign')}</span>
          <input class="input admin-narrow" inputMode="numeric" value={f.reassignOfflineMinutes} onInput={(e) => patch({ reassignOfflineMinutes: e.currentTarget.value })} />
        </label>
      </div>
      <Problem text={act.error} />
      <Done text={done} />
      <button class="btn btn-primary admin-start" type="submit" disabled={act.busy}>
        {act.busy ? tr('saving') : tr('save')}
      </button>
    </form>
  );
}
