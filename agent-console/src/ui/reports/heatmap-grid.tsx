import type { ReportHeatmap } from '@switchboard/contracts';
import { t } from '../../i18n/reports.js';
import { heatGrid, hourRange, LEVELS } from '../../reports/heatmap.js';

/**
 * Busiest hours: customers' messages by weekday and hour, in the report's zone, as a table whose
 * cells are shaded by count. Being a table, it is its own text alternative: a screen reader
 * reads each cell's day, hour and count; the busiest hour is said in a sentence above it.
 */
export function HeatmapGrid({ heatmap }: { heatmap: ReportHeatmap }) {
  const grid = heatGrid(heatmap);
  const short = t('weekdaysShort').split(',');
  if (!grid.total) return <p class="muted report-empty" data-testid="reports-empty">{t('noCustomerMessages')}</p>;
  return (
    <>
      <p class="report-note" data-testid="reports-busiest">
        {grid.summary}
      </p>
      <div class="report-scroll">
        <table class="heatmap">
          <caption class="sr-only">{t('heatCaption', { tz: heatmap.period.tz })}</caption>
          <thead>
            <tr>
              <td />
              {grid.rows[0]!.cells.map((c) => (
                <th key={c.hour} scope="col">
                  <span aria-hidden="true">{c.hour % 3 === 0 ? c.hour : ''}</span>
                  <span class="sr-only">{hourRange(c.hour)}</span>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {grid.rows.map((row, d) => (
              <tr key={row.day}>
                <th scope="row">
                  <span aria-hidden="true">{short[d]}</span>
                  <span class="sr-only">{row.day}</span>
                </th>
                {row.cells.map((c) => (
                  <td key={c.hour} class={`heat-${c.level}`} title={c.text} data-count={c.count}>
                    <span class="sr-only">{c.count}</span>
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p class="heat-legend muted" aria-hidden="true">
        {t('fewer')}
        {Array.from({ length: LEVELS + 1 }, (_, l) => (
          <span key={l} class={`heat-${l}`} />
        ))}
        {t('more', { n: grid.max })}
      </p>
    </>
  );
}
