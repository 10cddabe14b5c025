import { useEffect } from 'preact/hooks';
import type { ExtraApi } from '../../api.js';
import { t } from '../../i18n/reports.js';
import { ReportsStore } from '../../reports/reports-store.js';
import { useApi, useStore } from '../context.js';
import { IconBack } from '../icons.js';
import { ReportControls } from './report-controls.js';
import { AgentsSection, BreakdownSection, HeatmapSection, SummarySection, TimelineSection } from './report-sections.js';
import { addReportsStyles } from './reports-styles.js';

/**
 * Reports (#/reports), for supervisors and admins: figures over a period in a time zone, by
 * channel, inbox, team and agent, each section with its CSV export. A chunk of its own
 * (`reports-view`); the charts are another (`report-charts`, Chartist) it fetches itself. The
 * state and requests are reports/reports-store.ts.
 */

const stores = new WeakMap<ExtraApi, { agentId: string | undefined; reports: ReportsStore }>();

/** One store per signed-in agent, kept while the page lives: coming back keeps the last choice. */
function useReports(api: ExtraApi, agentId: string | undefined): ReportsStore {
  let held = stores.get(api);
  if (!held || held.agentId !== agentId) {
    held = { agentId, reports: new ReportsStore({ http: api }) };
    stores.set(api, held);
  }
  return held.reports;
}

export const canSeeReports = (role: string | undefined): boolean => role === 'admin' || role === 'supervisor';

export function ReportsView() {
  addReportsStyles();
  const allowed = canSeeReports(useStore().agent.value?.role);
  return (
    <section class="channels reports" aria-labelledby="reports-title">
      <header class="thread-head channels-head">
        <a class="icon-btn back" href="#" aria-label={t('back')}>
          <IconBack size={20} />
        </a>
        <h1 id="reports-title">{t('title')}</h1>
      </header>
      {allowed ? (
        <ReportsBody />
      ) : (
        <p class="channels-body" data-testid="reports-denied">
          {t('denied')}
        </p>
      )}
    </section>
  );
}

function ReportsBody() {
  const api = useApi();
  const reports = useReports(api, useStore().agent.value?.id);
  // Asked again each time the screen opens, so coming back shows fresh figures.
  useEffect(() => void reports.load(), [reports]);
  return (
    <div class="reports-body">
      <ReportControls reports={reports} api={api} />
      <SummarySection reports={reports} />
      <TimelineSection reports={reports} />
      <BreakdownSection reports={reports} />
      <HeatmapSection reports={reports} />
      <AgentsSection reports={reports} />
    </div>
  );
}
