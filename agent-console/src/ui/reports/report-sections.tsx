import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import type { ReportVolumeRow } from '@switchboard/contracts';
import { formatCount, formatDuration, formatPercent, formatRating } from '../../reports/format.js';
import { CHANNEL_LABELS } from '../../reports/query.js';
import { BREAKDOWNS, type Breakdown, type ReportsStore, type Section, type SectionName } from '../../reports/reports-store.js';
import { breakdown, timeSeries } from '../../reports/series.js';
import { ChartBox } from './chart-box.js';
import { HeatmapGrid } from './heatmap-grid.js';

/** The report's sections: each with its title, its CSV download, and loading, empty and error states. */

/** Saves a section's CSV export (the API's `format=csv`) under the server's file name. */
function CsvButton({ reports, name, title }: { reports: ReportsStore; name: SectionName; title: string }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const download = async () => {
    setBusy(true);
    setError(null);
    try {
      const { blob, fileName } = await reports.csv(name);
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = fileName;
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (err) {
      setError(err instanceof Error ? err.message : 'The file could not be downloaded.');
    } finally {
      setBusy(false);
    }
  };
  return (
    <span class="report-csv">
      {error && (
        <span class="report-error" role="alert">
          {error}
        </span>
      )}
      <button type="button" class="btn btn-small" data-testid={`reports-csv-${name}`} disabled={busy || !reports.request.value.ok} onClick={download}>
        {busy ? 'Downloading…' : 'Download CSV'}
        <span class="sr-only"> of {title}</span>
      </button>
    </span>
  );
}

function ReportSection<T>({
  reports,
  name,
  title,
  section,
  tools,
  children,
}: {
  reports: ReportsStore;
  name: SectionName;
  title: string;
  section: Section<T>;
  tools?: ComponentChildren;
  children: (data: T) => ComponentChildren;
}) {
  const id = `report-${name}-title`;
  return (
    <section class="report-section" aria-labelledby={id} aria-busy={section.loading} data-testid={`reports-${name}`} data-state={section.error ? 'error' : section.data ? 'ready' : 'loading'}>
      <header class="report-head">
        <h2 id={id}>{title}</h2>
        {tools}
        <CsvButton reports={reports} name={name} title={title.toLowerCase()} />
      </header>
      {section.error ? (
        <div class="inline-error" role="alert">
          <span>{section.error}</span>
          <button type="button" class="btn btn-small" onClick={() => void reports.load()}>
            Retry
          </button>
        </div>
      ) : section.data ? (
        <div class={section.loading ? 'report-stale' : undefined}>{children(section.data)}</div>
      ) : (
        <p class="muted" role="status">
          Loading…
        </p>
      )}
    </section>
  );
}

const Empty = ({ children }: { children: ComponentChildren }) => (
  <p class="muted report-empty" data-testid="reports-empty">
    {children}
  </p>
);

function Figure({ id, label, value, detail }: { id: string; label: string; value: string; detail?: string }) {
  return (
    <li class="report-card" data-testid="report-figure" data-figure={id}>
      <span class="report-card-label">{label}</span>
      <strong class="report-card-value" data-testid="report-figure-value">
        {value}
      </strong>
      {detail && <span class="muted">{detail}</span>}
    </li>
  );
}

const p90 = (v: number | null, fmt: (n: number | null) => string) => (v === null ? undefined : `90% within ${fmt(v)}`);

export function SummarySection({ reports }: { reports: ReportsStore }) {
  return (
    <ReportSection reports={reports} name="summary" title="Summary" section={reports.sections.summary.value}>
      {(s) => (
        <ul class="report-cards">
          <Figure id="conversations" label="Conversations" value={formatCount(s.conversations)} detail={`${formatCount(s.resolved)} resolved`} />
          <Figure id="first-response" label="First response (median)" value={formatDuration(s.firstResponse.median)} detail={p90(s.firstResponse.p90, formatDuration)} />
          <Figure id="resolution" label="Resolution (median)" value={formatDuration(s.resolution.median)} detail={p90(s.resolution.p90, formatDuration)} />
          <Figure id="replies" label="Replies per conversation (median)" value={formatCount(s.repliesPerConversation.median)} detail={p90(s.repliesPerConversation.p90, formatCount)} />
          <Figure id="sla" label="SLA compliance" value={formatPercent(s.sla.compliance)} detail={`${formatCount(s.sla.met)} met, ${formatCount(s.sla.breached)} breached`} />
          <Figure id="csat-score" label="CSAT score" value={formatPercent(s.csat.score)} detail={s.csat.average === null ? 'No answers yet' : `Average ${formatRating(s.csat.average)}`} />
          <Figure id="csat-response" label="CSAT response rate" value={formatPercent(s.csat.responseRate)} detail={`${formatCount(s.csat.answers)} of ${formatCount(s.csat.requests)} surveys answered`} />
          <Figure id="presence" label="Agents online" value={formatDuration(s.presenceSeconds)} detail="All agents together" />
        </ul>
      )}
    </ReportSection>
  );
}

export function TimelineSection({ reports }: { reports: ReportsStore }) {
  return (
    <ReportSection reports={reports} name="timeline" title="Conversations over time" section={reports.sections.timeline.value}>
      {(v) => {
        const step = v.groupBy === 'hour' ? 'hour' : 'day';
        const series = timeSeries(v.rows, v.period, step);
        return v.rows.some((r) => r.conversations) ? (
          <ChartBox series={series} kind="timeline" caption={`Conversations per ${step}`} column={step === 'hour' ? 'Hour' : 'Day'} />
        ) : (
          <Empty>No conversations in this period.</Empty>
        );
      }}
    </ReportSection>
  );
}

const BY_LABELS: Record<Breakdown, string> = { channel: 'Channel', inbox: 'Inbox', team: 'Team', agent: 'Agent' };
const NONE_LABELS: Record<Breakdown, string> = { channel: 'No channel', inbox: 'No inbox', team: 'No team', agent: 'Unassigned' };

const rowLabel = (by: Breakdown) => (r: ReportVolumeRow) =>
  r.key === 'none' ? NONE_LABELS[by] : by === 'channel' ? (CHANNEL_LABELS as Record<string, string>)[r.key] ?? r.label : r.label;

export function BreakdownSection({ reports }: { reports: ReportsStore }) {
  const by = reports.by.value;
  const tools = (
    <label class="report-field report-inline">
      <span>By</span>
      <select class="select" data-testid="reports-by" value={by} onChange={(e) => reports.setBreakdown(e.currentTarget.value as Breakdown)}>
        {BREAKDOWNS.map((b) => (
          <option key={b} value={b}>
            {BY_LABELS[b]}
          </option>
        ))}
      </select>
    </label>
  );
  return (
    <ReportSection reports={reports} name="breakdown" title="Conversations by channel, inbox, team or agent" section={reports.sections.breakdown.value} tools={tools}>
      {(v) => {
        const group = (v.groupBy in BY_LABELS ? v.groupBy : by) as Breakdown;
        const rows = v.rows.filter((r) => r.conversations > 0);
        return rows.length ? (
          <ChartBox series={breakdown(rows, rowLabel(group))} kind="breakdown" caption={`Conversations by ${BY_LABELS[group].toLowerCase()}`} column={BY_LABELS[group]} />
        ) : (
          <Empty>No conversations in this period.</Empty>
        );
      }}
    </ReportSection>
  );
}

export function HeatmapSection({ reports }: { reports: ReportsStore }) {
  return (
    <ReportSection reports={reports} name="heatmap" title="Busiest hours" section={reports.sections.heatmap.value}>
      {(h) => <HeatmapGrid heatmap={h} />}
    </ReportSection>
  );
}

export function AgentsSection({ reports }: { reports: ReportsStore }) {
  return (
    <ReportSection reports={reports} name="agents" title="Agents" section={reports.sections.agents.value}>
      {(a) =>
        a.rows.length ? (
          <div class="report-scroll">
            <table class="report-table report-agents">
              <thead>
                <tr>
                  <th scope="col">Agent</th>
                  <th scope="col">Time online</th>
                  <th scope="col">Resolved</th>
                  <th scope="col">Replies</th>
                  <th scope="col">First response (median)</th>
                  <th scope="col">Resolution (median)</th>
                  <th scope="col">SLA compliance</th>
                  <th scope="col">CSAT score</th>
                </tr>
              </thead>
              <tbody>
                {a.rows.map((r) => (
                  <tr key={r.agentId} data-testid="report-agent" data-id={r.agentId}>
                    <th scope="row">{r.name}</th>
                    <td>{formatDuration(r.presenceSeconds)}</td>
                    <td>{formatCount(r.resolved)}</td>
                    <td>{formatCount(r.replies)}</td>
                    <td>{formatDuration(r.firstResponse.median)}</td>
                    <td>{formatDuration(r.resolution.median)}</td>
                    <td>{formatPercent(r.sla.compliance)}</td>
                    <td>{formatPercent(r.csat.score)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : (
          <Empty>No agent was online or answered in this period.</Empty>
        )
      }
    </ReportSection>
  );
}
