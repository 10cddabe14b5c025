import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import type { ReportVolumeRow } from '@switchboard/contracts';
import { formatCount, formatDuration, formatPercent, formatRating } from '../../reports/format.js';
import { t } from '../../i18n/reports.js';
import { channelName } from '../../reports/query.js';
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
      setError(err instanceof Error ? err.message : t('err.csv'));
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
        {busy ? t('downloading') : t('csv')}
        <span class="sr-only">{t('csvOf', { title })}</span>
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
            {t('retry')}
          </button>
        </div>
      ) : section.data ? (
        <div class={section.loading ? 'report-stale' : undefined}>{children(section.data)}</div>
      ) : (
        <p class="muted" role="status">
          {t('loading')}
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

const p90 = (v: number | null, fmt: (n: number | null) => string) => (v === null ? undefined : t('p90', { v: fmt(v) }));

export function SummarySection({ reports }: { reports: ReportsStore }) {
  return (
    <ReportSection reports={reports} name="summary" title={t('summary')} section={reports.sections.summary.value}>
      {(s) => (
        <ul class="report-cards">
          <Figure id="conversations" label={t('conversations')} value={formatCount(s.conversations)} detail={t('resolvedN', { n: formatCount(s.resolved) })} />
          <Figure id="first-response" label={t('firstResponse')} value={formatDuration(s.firstResponse.median)} detail={p90(s.firstResponse.p90, formatDuration)} />
          <Figure id="resolution" label={t('resolution')} value={formatDuration(s.resolution.median)} detail={p90(s.resolution.p90, formatDuration)} />
          <Figure id="replies" label={t('replies')} value={formatCount(s.repliesPerConversation.median)} detail={p90(s.repliesPerConversation.p90, formatCount)} />
          <Figure id="sla" label={t('sla')} value={formatPercent(s.sla.compliance)} detail={t('slaDetail', { met: formatCount(s.sla.met), breached: formatCount(s.sla.breached) })} />
          <Figure id="csat-score" label={t('csat')} value={formatPercent(s.csat.score)} detail={s.csat.average === null ? t('noAnswers') : t('average', { v: formatRating(s.csat.average) })} />
          <Figure id="csat-response" label={t('csatRate')} value={formatPercent(s.csat.responseRate)} detail={t('csatDetail', { answers: formatCount(s.csat.answers), requests: formatCount(s.csat.requests) })} />
          <Figure id="presence" label={t('online')} value={formatDuration(s.presenceSeconds)} detail={t('allAgents')} />
        </ul>
      )}
    </ReportSection>
  );
}

export function TimelineSection({ reports }: { reports: ReportsStore }) {
  return (
    <ReportSection reports={reports} name="timeline" title={t('timeline')} section={reports.sections.timeline.value}>
      {(v) => {
        const step = v.groupBy === 'hour' ? 'hour' : 'day';
        const series = timeSeries(v.rows, v.period, step);
        return v.rows.some((r) => r.conversations) ? (
          <ChartBox series={series} kind="timeline" caption={step === 'hour' ? t('perHour') : t('perDay')} column={step === 'hour' ? t('hour') : t('day')} />
        ) : (
          <Empty>{t('noConversations')}</Empty>
        );
      }}
    </ReportSection>
  );
}

const byLabel = (b: Breakdown) => t(b);

const rowLabel = (by: Breakdown) => (r: ReportVolumeRow) =>
  r.key === 'none' ? t(`none.${by}`) : by === 'channel' ? channelName(r.key as Parameters<typeof channelName>[0]) ?? r.label : r.label;

export function BreakdownSection({ reports }: { reports: ReportsStore }) {
  const by = reports.by.value;
  const tools = (
    <label class="report-field report-inline">
      <span>{t('by')}</span>
      <select class="select" data-testid="reports-by" value={by} onChange={(e) => reports.setBreakdown(e.currentTarget.value as Breakdown)}>
        {BREAKDOWNS.map((b) => (
          <option key={b} value={b}>
            {byLabel(b)}
          </option>
        ))}
      </select>
    </label>
  );
  return (
    <ReportSection reports={reports} name="breakdown" title={t('breakdown')} section={reports.sections.breakdown.value} tools={tools}>
      {(v) => {
        const group = ((BREAKDOWNS as readonly string[]).includes(v.groupBy) ? v.groupBy : by) as Breakdown;
        const rows = v.rows.filter((r) => r.conversations > 0);
        return rows.length ? (
          <ChartBox series={breakdown(rows, rowLabel(group))} kind="breakdown" caption={t(`by.${group}`)} column={byLabel(group)} />
        ) : (
          <Empty>{t('noConversations')}</Empty>
        );
      }}
    </ReportSection>
  );
}

export function HeatmapSection({ reports }: { reports: ReportsStore }) {
  return (
    <ReportSection reports={reports} name="heatmap" title={t('heatmap')} section={reports.sections.heatmap.value}>
      {(h) => <HeatmapGrid heatmap={h} />}
    </ReportSection>
  );
}

export function AgentsSection({ reports }: { reports: ReportsStore }) {
  return (
    <ReportSection reports={reports} name="agents" title={t('agents')} section={reports.sections.agents.value}>
      {(a) =>
        a.rows.length ? (
          <div class="report-scroll">
            <table class="report-table report-agents">
              <thead>
                <tr>
                  <th scope="col">{t('agent')}</th>
                  <th scope="col">{t('timeOnline')}</th>
                  <th scope="col">{t('resolved')}</th>
                  <th scope="col">{t('repliesCol')}</th>
                  <th scope="col">{t('firstResponse')}</th>
                  <th scope="col">{t('resolution')}</th>
                  <th scope="col">{t('sla')}</th>
                  <th scope="col">{t('csat')}</th>
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
          <Empty>{t('noAgents')}</Empty>
        )
      }
    </ReportSection>
  );
}
