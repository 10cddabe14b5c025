/**
 * The reports screen's styles, Chartist's included (only the parts our charts use, in the
 * console's colours). They ship with the reports chunk instead of app.css, so agents who never
 * open #/reports do not download them (the hub's CSP allows inline styles). Injected once.
 */
const CSS = `
.reports-body { display: flex; flex-direction: column; gap: 16px; max-width: 1100px; padding: 20px }
.report-controls { display: flex; flex-direction: column; gap: 10px; margin: 0 }
.report-row { display: flex; flex-wrap: wrap; gap: 10px 14px; align-items: flex-end }
.report-field { display: flex; flex-direction: column; gap: 4px; font-size: 12.5px; font-weight: 600; color: var(--text-2) }
.report-field.report-inline { flex-direction: row; align-items: center; gap: 6px }
.report-field .select { max-width: 220px }
.report-period, .report-note { margin: 0 }
.report-error { color: var(--red); font-size: 13px }
.report-section { display: flex; flex-direction: column; gap: 10px; padding: 14px 16px; border: 1px solid var(--border); border-radius: 10px; background: var(--surface) }
.report-head { display: flex; flex-wrap: wrap; align-items: center; gap: 8px 12px }
.report-head h2 { flex: 1; margin: 0; font-size: 15px }
.report-csv { display: inline-flex; align-items: center; gap: 8px }
.report-stale { opacity: .55; transition: opacity .2s }
.report-empty { margin: 8px 0 }
.report-cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(180px, 1fr)); gap: 10px; margin: 0; padding: 0; list-style: none }
.report-card { display: flex; flex-direction: column; gap: 2px; padding: 10px 12px; border-radius: 8px; background: var(--surface-2) }
.report-card-label { color: var(--text-2); font-size: 12.5px; font-weight: 600 }
.report-card-value { font-size: 22px; font-weight: 700; font-variant-numeric: tabular-nums }
.report-chart { margin: 0 }
.report-figures summary { cursor: pointer; color: var(--brand); font-size: 13px }
.report-scroll { position: relative; overflow-x: auto }
.report-table { border-collapse: collapse; font-size: 13px; font-variant-numeric: tabular-nums }
.report-table th, .report-table td { padding: 5px 12px 5px 0; text-align: left; white-space: nowrap }
.report-table thead th { color: var(--muted); font-weight: 600 }
.report-table tbody tr + tr > * { border-top: 1px solid var(--border) }
.report-table th[scope=row] { font-weight: 600 }
.heatmap { border-collapse: separate; border-spacing: 2px; font-size: 11px; color: var(--muted) }
.heatmap th { font-weight: 500; text-align: left; padding: 0 4px 0 0 }
.heatmap thead th { padding: 0; min-width: 18px }
.heatmap td { width: 22px; height: 20px; border-radius: 3px }
.heat-0 { background: var(--slate-soft) }
.heat-1 { background: color-mix(in srgb, var(--brand) 22%, var(--surface)) }
.heat-2 { background: color-mix(in srgb, var(--brand) 45%, var(--surface)) }
.heat-3 { background: color-mix(in srgb, var(--brand) 70%, var(--surface)) }
.heat-4 { background: var(--brand) }
.heat-legend { display: flex; align-items: center; gap: 3px; margin: 0; font-size: 12px }
.heat-legend span { width: 14px; height: 12px; border-radius: 3px }
.ct-chart-bar, .ct-chart-line { display: block; overflow: visible }
.ct-label { display: flex; color: var(--muted); font-size: 11px; line-height: 1 }
.ct-label.ct-horizontal.ct-end { align-items: flex-start; justify-content: flex-start }
.ct-label.ct-vertical.ct-start { align-items: flex-end; justify-content: flex-end; text-align: right }
.ct-chart-bar .ct-label.ct-horizontal.ct-end { justify-content: center; text-align: center }
.ct-horizontal-bars .ct-label.ct-horizontal.ct-end { justify-content: flex-start; text-align: left }
.ct-horizontal-bars .ct-label.ct-vertical.ct-start { align-items: center; overflow: hidden; text-overflow: ellipsis; white-space: nowrap }
.ct-grid { stroke: var(--border); stroke-width: 1px; stroke-dasharray: 2px }
.ct-bar { stroke: var(--brand); stroke-width: 14px }
.ct-line { fill: none; stroke: var(--brand); stroke-width: 2px }
.ct-area { stroke: none; fill: var(--brand); fill-opacity: .12 }
`;

let added = false;
export function addReportsStyles(): void {
  if (added || typeof document === 'undefined') return;
  added = true;
  const style = document.createElement('style');
  style.textContent = CSS;
  document.head.append(style);
}
