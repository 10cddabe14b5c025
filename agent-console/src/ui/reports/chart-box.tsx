import { useEffect, useRef, useState } from 'preact/hooks';
import { t } from '../../i18n/reports.js';
import { describeSeries, type Series } from '../../reports/series.js';
import type { DrawnChart } from './report-charts.js';

/**
 * A chart (drawn by the `report-charts` chunk, fetched on first use) with its text alternatives:
 * the figures in one sentence as the chart's label, and in a table under *Show the figures*.
 * Should the chunk not load, the table is opened instead.
 */

type Charts = typeof import('./report-charts.js');
let charts: Promise<Charts> | null = null;
const loadCharts = () => (charts ??= import('./report-charts.js').catch((err: unknown) => ((charts = null), Promise.reject(err))));

export function ChartBox({ series, kind, caption, column }: { series: Series; kind: 'timeline' | 'breakdown'; caption: string; column: string }) {
  const el = useRef<HTMLDivElement>(null);
  const drawn = useRef<DrawnChart | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let current = true;
    const data = { labels: series.labels, values: series.values };
    if (drawn.current) drawn.current.update(data);
    else
      loadCharts().then(
        (m) => {
          if (current && el.current && !drawn.current) drawn.current = (kind === 'timeline' ? m.drawTimeline : m.drawBreakdown)(el.current, data);
        },
        () => current && setFailed(true),
      );
    return () => {
      current = false;
    };
    // Keyed on the figures, not the object: a section re-rendering with the same figures does not redraw.
  }, [series.labels.join('\n'), series.values.join()]);
  useEffect(() => () => drawn.current?.destroy(), []);
  return (
    <figure class="report-chart">
      <div ref={el} class={`report-plot report-plot-${kind}`} role="img" aria-label={`${caption}. ${describeSeries(series)}`} />
      <details class="report-figures" open={failed}>
        <summary>{failed ? t('chartFailed') : t('showFigures')}</summary>
        <table class="report-table">
          <caption class="sr-only">{caption}</caption>
          <thead>
            <tr>
              <th scope="col">{column}</th>
              <th scope="col">{t('conversations')}</th>
            </tr>
          </thead>
          <tbody>
            {series.names.map((name, i) => (
              <tr key={name}>
                <th scope="row">{name}</th>
                <td>{series.values[i]}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
