/**
 * The monitoring files in deploy/ cannot rot: every metric the Grafana dashboard and the alert
 * rules query is one our processes export (platform/metrics, with prom-client's process metrics),
 * every stage they name is a stage of sb_stage_seconds, and Prometheus scrapes every service of
 * docker-compose.yml that runs our code.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Metrics, STAGES } from '@switchboard/metrics';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');

interface Panel {
  title: string;
  type: string;
  targets?: { expr: string }[];
  panels?: Panel[];
}
const dashboard = JSON.parse(read('deploy/grafana/dashboards/switchboard.json')) as {
  uid: string;
  panels: Panel[];
  templating: { list: { name: string; query: string }[] };
};
const panels = dashboard.panels.flatMap((p) => [p, ...(p.panels ?? [])]);
const dashboardExprs = panels.flatMap((p) => (p.targets ?? []).map((t) => ({ where: `panel "${p.title}"`, expr: t.expr })));
const alertExprs = [...read('deploy/prometheus/alerts.yml').matchAll(/^\s*- alert: (\S+)\n(?:\s*#.*\n)*\s*expr: (.+)$/gm)].map((m) => ({ where: `alert ${m[1]}`, expr: m[2]! }));

/** Names our processes export, histograms with their _bucket/_count/_sum series. */
async function exported(): Promise<Set<string>> {
  const metrics = new Metrics({ service: 'monitoring-test' });
  const names = new Set<string>();
  for (const m of await metrics.registry.getMetricsAsJSON()) {
    names.add(m.name);
    if (String(m.type) === 'histogram') for (const suffix of ['_bucket', '_count', '_sum']) names.add(`${m.name}${suffix}`);
  }
  return names;
}

/** Metric names in a PromQL expression: identifiers followed by a selector or a range, minus functions and label names. */
function metricNames(expr: string): string[] {
  const withoutStrings = expr.replace(/"(?:[^"\\]|\\.)*"/g, '""');
  const withoutLabels = withoutStrings.replace(/\{[^}]*\}/g, '{}').replace(/\b(by|without)\s*\([^)]*\)/g, '');
  return [...withoutLabels.matchAll(/\b([a-z_][a-z0-9_]*)\b(?!\s*\()/g)]
    .map((m) => m[1]!)
    .filter((name) => /^(sb|process|nodejs)_/.test(name));
}

describe('monitoring files (deploy/)', () => {
  it('the dashboard and the alerts query only metrics the services export', async () => {
    const names = await exported();
    const queries = [...dashboardExprs, ...alertExprs];
    expect(dashboardExprs.length).toBeGreaterThan(15);
    expect(alertExprs.length).toBe([...read('deploy/prometheus/alerts.yml').matchAll(/- alert: /g)].length);
    const unknown = queries.flatMap((q) => metricNames(q.expr).filter((n) => !names.has(n)).map((n) => `${q.where}: ${n}`));
    expect(unknown).toEqual([]);
    // And every Switchboard metric is shown somewhere.
    const shown = new Set(queries.flatMap((q) => metricNames(q.expr)).map((n) => n.replace(/_(bucket|count|sum)$/, '')));
    expect([...names].filter((n) => n.startsWith('sb_') && !/_(bucket|count|sum)$/.test(n) && !shown.has(n))).toEqual([]);
  });

  it('names only stages that sb_stage_seconds has, and offers all of them in path order', () => {
    const named = [...dashboardExprs, ...alertExprs].flatMap((q) => [...q.expr.matchAll(/stage="(\w+)"/g)].map((m) => m[1]!)).filter((s) => s !== '$stage');
    expect(named.filter((s) => !(STAGES as readonly string[]).includes(s))).toEqual([]);
    const variable = dashboard.templating.list.find((v) => v.name === 'stage');
    expect(variable?.query.split(',')).toEqual([...STAGES]);
  });

  it('Prometheus scrapes every service of docker-compose.yml that runs our code', () => {
    const compose = read('docker-compose.yml');
    const ours = [...compose.matchAll(/^ {2}([a-z-]+):\n(?:(?! {2}\S).*\n)*? {4}command: \["node", "--import", "tsx", "[^"]+"\]/gm)].map((m) => m[1]!);
    expect(ours).toEqual(expect.arrayContaining(['inbox-service', 'ticketing', 'knowledge-base', 'frontends', 'connector-telegram']));
    const scraped = [...read('deploy/prometheus.yml').matchAll(/^ {10}- ([a-z-]+)$/gm)].map((m) => m[1]!);
    expect(scraped.sort()).toEqual([...ours].sort());
  });
});
