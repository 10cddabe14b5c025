import { BarChart, LineChart, type BarDrawEvent, type DrawEvent } from 'chartist';

/**
 * The reports' charts, drawn with Chartist (SVG; its own chunk, `report-charts`, fetched by the
 * reports screen only). Plain DOM: no Preact here, so this chunk holds Chartist and nothing the
 * page already has. Colours and type come from the console's CSS variables (reports-styles.ts),
 * so the dark scheme needs no redraw. Labels are set as text by Chartist, never as HTML.
 */

export interface ChartData {
  labels: string[];
  values: number[];
}

export interface DrawnChart {
  update(data: ChartData): void;
  destroy(): void;
}

/** Show at most about `max` labels along the time axis (every n-th). */
const thin = (count: number, max: number) => {
  const every = Math.max(1, Math.ceil(count / max));
  return (label: string | number | Date, i: number) => (i % every === 0 ? label : null);
};

/** Bars as wide as 60% of their slot (Chartist draws bars as strokes of a fixed width). */
const fitBars = (count: number, horizontal = false) => (e: DrawEvent) => {
  if (e.type !== 'bar') return;
  const slot = (horizontal ? e.chartRect.height() : e.chartRect.width()) / Math.max(1, count);
  (e as BarDrawEvent).element.attr({ style: `stroke-width:${Math.round(Math.max(2, Math.min(horizontal ? 22 : 40, slot * 0.6)))}px` });
};

/** Conversations over time: bars for a few points, a line with an area beyond. */
export function drawTimeline(el: HTMLElement, data: ChartData): DrawnChart {
  let chart: BarChart | LineChart | null = null;
  const draw = (d: ChartData) => {
    chart?.detach();
    el.replaceChildren();
    const chartData = { labels: d.labels, series: [d.values] };
    // About one label per 70 px, at most 12: 90 days or a phone's width do not pile them up.
    const axisX = { showGrid: false, labelInterpolationFnc: thin(d.labels.length, Math.min(12, Math.max(2, Math.floor(el.clientWidth / 70)))) };
    const axisY = { onlyInteger: true, low: 0 };
    chart =
      d.values.length <= 31
        ? new BarChart(el, chartData, { height: 220, axisX, axisY, chartPadding: { top: 12, right: 8, bottom: 0, left: 0 } }).on('draw', fitBars(d.values.length))
        : new LineChart(el, chartData, { height: 220, axisX, axisY, low: 0, showPoint: false, showArea: true, chartPadding: { top: 12, right: 8, bottom: 0, left: 0 } });
  };
  draw(data);
  return {
    update: draw,
    destroy: () => {
      chart?.detach();
      el.replaceChildren();
    },
  };
}

/** Conversations by channel, inbox, team or agent: one horizontal bar each, largest on top. */
export function drawBreakdown(el: HTMLElement, data: ChartData): DrawnChart {
  let chart: BarChart | null = null;
  const draw = (d: ChartData) => {
    chart?.detach();
    el.replaceChildren();
    // Chartist draws the first label at the bottom of horizontal bars; reversed, the largest is on top.
    chart = new BarChart(
      el,
      { labels: [...d.labels].reverse(), series: [[...d.values].reverse()] },
      {
        horizontalBars: true,
        height: Math.max(90, d.values.length * 30 + 30),
        axisX: { onlyInteger: true, low: 0 },
        axisY: { offset: 120, showGrid: false },
        chartPadding: { top: 8, right: 16, bottom: 0, left: 0 },
      },
    ).on('draw', fitBars(d.values.length, true));
  };
  draw(data);
  return {
    update: draw,
    destroy: () => {
      chart?.detach();
      el.replaceChildren();
    },
  };
}
