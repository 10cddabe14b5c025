import type { ComponentChildren } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { ExtraApi } from '../../api.js';
import { t } from '../../i18n/reports.js';
import { formatPeriod, periodLabel, PERIOD_PRESETS, timeZones, todayIn, type PeriodPreset } from '../../reports/period.js';
import { CHANNEL_LABELS, channelName, type ReportFilters } from '../../reports/query.js';
import type { ReportsStore } from '../../reports/reports-store.js';

/** The period, the time zone and the filters (channel, inbox, team, agent) of the reports. */

interface Option {
  id: string;
  name: string;
}
interface FilterOptions {
  inboxes: Option[];
  teams: Option[];
  agents: Option[];
}

/** The inboxes, teams and agents to filter by; each list stays empty if its request fails. */
function useFilterOptions(api: ExtraApi): FilterOptions {
  const [options, setOptions] = useState<FilterOptions>({ inboxes: [], teams: [], agents: [] });
  useEffect(() => {
    let current = true;
    const list = <T,>(path: string, pick: (body: T) => Option[]) => api.call<T>('GET', path).then(pick, () => []);
    void Promise.all([
      list<{ inboxes: { inboxId: string; name: string }[] }>('/api/v1/conversations/counts', (b) => b.inboxes.map((i) => ({ id: i.inboxId, name: i.name }))),
      list<{ items: Option[] }>('/api/v1/teams', (b) => b.items),
      list<{ items: Option[] }>('/api/v1/agents', (b) => b.items),
    ]).then(([inboxes, teams, agents]) => {
      const byName = (a: Option, b: Option) => a.name.localeCompare(b.name);
      if (current) setOptions({ inboxes: inboxes.sort(byName), teams: teams.sort(byName), agents: agents.sort(byName) });
    });
    return () => {
      current = false;
    };
  }, [api]);
  return options;
}

function Field({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    <label class="report-field">
      <span>{label}</span>
      {children}
    </label>
  );
}

function FilterSelect({ label, testId, value, any, options, onChange }: { label: string; testId: string; value: string; any: string; options: Option[]; onChange: (v: string) => void }) {
  return (
    <Field label={label}>
      <select class="select" data-testid={testId} value={value} onChange={(e) => onChange(e.currentTarget.value)}>
        <option value="">{any}</option>
        {options.map((o) => (
          <option key={o.id} value={o.id}>
            {o.name}
          </option>
        ))}
      </select>
    </Field>
  );
}

const channels = (): Option[] => (Object.keys(CHANNEL_LABELS) as (keyof typeof CHANNEL_LABELS)[]).map((id) => ({ id, name: channelName(id) }));

export function ReportControls({ reports, api }: { reports: ReportsStore; api: ExtraApi }) {
  const options = useFilterOptions(api);
  const tz = reports.tz.value;
  const zones = useMemo(() => timeZones(tz), [tz]);
  const filters = reports.filters.value;
  const request = reports.request.value;
  const preset = reports.preset.value;
  const today = todayIn(tz, new Date());
  const set = (change: Partial<ReportFilters>) => reports.setFilters(change);
  return (
    <form class="report-controls" aria-label={t('controls')} data-testid="reports-controls" onSubmit={(e) => e.preventDefault()}>
      <div class="report-row">
        <Field label={t('period')}>
          <select class="select" data-testid="reports-period" value={preset} onChange={(e) => reports.choosePreset(e.currentTarget.value as PeriodPreset)}>
            {PERIOD_PRESETS.map((p) => (
              <option key={p} value={p}>
                {periodLabel(p)}
              </option>
            ))}
          </select>
        </Field>
        {preset === 'custom' && (
          <>
            <Field label={t('from')}>
              <input class="select" type="date" data-testid="reports-from" value={reports.customFrom.value} max={today} onChange={(e) => reports.setCustom(e.currentTarget.value, reports.customTo.value)} />
            </Field>
            <Field label={t('to')}>
              <input class="select" type="date" data-testid="reports-to" value={reports.customTo.value} max={today} onChange={(e) => reports.setCustom(reports.customFrom.value, e.currentTarget.value)} />
            </Field>
          </>
        )}
        <Field label={t('tz')}>
          <select class="select" data-testid="reports-tz" value={tz} onChange={(e) => reports.setTimeZone(e.currentTarget.value)}>
            {zones.map((z) => (
              <option key={z} value={z}>
                {z.replace(/_/g, ' ')}
              </option>
            ))}
          </select>
        </Field>
      </div>
      <div class="report-row">
        <FilterSelect label={t('channel')} testId="reports-channel" value={filters.channel} any={t('anyChannel')} options={channels()} onChange={(v) => set({ channel: v as ReportFilters['channel'] })} />
        <FilterSelect label={t('inbox')} testId="reports-inbox" value={filters.inboxId} any={t('anyInbox')} options={options.inboxes} onChange={(v) => set({ inboxId: v })} />
        <FilterSelect label={t('team')} testId="reports-team" value={filters.teamId} any={t('anyTeam')} options={options.teams} onChange={(v) => set({ teamId: v })} />
        <FilterSelect label={t('agent')} testId="reports-agent" value={filters.agentId} any={t('anyAgent')} options={options.agents} onChange={(v) => set({ agentId: v })} />
      </div>
      {request.ok ? (
        <p class="muted report-period" data-testid="reports-period-shown" aria-live="polite">
          {formatPeriod(request.req.period)} · {tz.replace(/_/g, ' ')}
        </p>
      ) : (
        <p class="report-error" role="alert" data-testid="reports-period-error">
          {request.error}
        </p>
      )}
    </form>
  );
}
