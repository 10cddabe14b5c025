/**
 * Reports on the embedded store: a year of hourly report rows for 100 agents (each working a
 * five-day week of eight-hour shifts on two of three channels, plus presence rows) and their day
 * rows, written to an embedded store, then every report over the whole year through ReportQueries — the aggregation
 * pipelines the REST routes run. Next to each: a plain JavaScript loop computing the same
 * summary over the same rows already in memory (read once), to show what the store and the
 * pipeline evaluator add.
 *
 *   node --import tsx bench/reports.ts [agents=100] [runs=10]
 *
 * Prints figures and whether the "< 1 s" holds; asserts nothing about time.
 */
import { performance } from 'node:perf_hooks';
import type { ReportQuery } from '@switchboard/contracts';
import { createStore } from '@switchboard/store';
import { tempDir } from '@switchboard/testkit';
import { bucketQuantile, bucketValue, durationBucket, type BucketCount } from '../ticketing/src/reports/buckets.js';
import { addTagged, emptyRow, foldDays, foldMonths, type HourRow } from '../ticketing/src/reports/facts.js';
import { ReportQueries, type Names } from '../ticketing/src/reports/queries.js';
import { ReportStore } from '../ticketing/src/reports/repository.js';
import { recordResults, target } from './lib/results.js';
import { int, machine, ms, percentile, ratio, table } from './lib/stats.js';

const AGENTS = Number(process.argv[2] ?? 100);
const RUNS = Number(process.argv[3] ?? 10);
/** No query loop runs longer than this, whatever the machine. */
const QUERY_BUDGET_MS = 60_000;
const TARGET_MS = 1_000;
const TENANT = 'bench-tenant';
const HOUR = 3_600_000;
const YEAR_START = Date.UTC(2025, 0, 1);
const HOURS = 365 * 24;
const CHANNELS = ['web', 'telegram', 'email'];

function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The rows: an agent's working hour gives a row on each of two channels and a presence row. */
function generateRows(): HourRow[] {
  const rand = mulberry32(42);
  const rows: HourRow[] = [];
  for (let a = 0; a < AGENTS; a++) {
    const agentId = `agent-${a}`;
    const teamId = `team-${a % 10}`;
    const shiftStart = 5 + (a % 12); // UTC hour the shift starts: teams across time zones
    const channels = [CHANNELS[a % 3]!, CHANNELS[(a + 1) % 3]!];
    for (let h = 0; h < HOURS; h++) {
      const at = YEAR_START + h * HOUR;
      const d = new Date(at);
      const weekday = (d.getUTCDay() + 6) % 7;
      const hourOfDay = d.getUTCHours();
      if (weekday > 4 || hourOfDay < shiftStart || hourOfDay >= shiftStart + 8) continue;
      const hour = new Date(at);
      for (const channel of channels) {
        const row = emptyRow(TENANT, hour, { channel, inboxId: `inbox-${channel}`, teamId, agentId });
        row.created = Math.floor(rand() * 4);
        row.inbound = row.created + Math.floor(rand() * 8);
        row.outbound = Math.floor(rand() * 8);
        for (let k = 0; k < row.created; k++) {
          const frt = 5 + rand() ** 2 * 3_600;
          row.frtCount++;
          row.frtSum += frt;
          addTagged(row.hist, 'frt', durationBucket(frt));
        }
        const resolved = Math.floor(rand() * 3);
        for (let k = 0; k < resolved; k++) {
          const res = 60 + rand() ** 2 * 3 * 86_400;
          const replies = 1 + Math.floor(rand() * 6);
          row.resolved++;
          row.resCount++;
          row.resSum += res;
          addTagged(row.hist, 'res', durationBucket(res));
          row.repSum += replies;
          addTagged(row.hist, 'rep', replies);
        }
        row.slaMet = Math.floor(rand() * 3);
        row.slaBreached = rand() < 0.1 ? 1 : 0;
        row.csatRequests = resolved;
        row.csatAnswers = Math.floor(rand() * (resolved + 1));
        for (let k = 0; k < row.csatAnswers; k++) {
          const rating = 1 + Math.floor(rand() * 5);
          row.csatSum += rating;
          if (rating >= 4) row.csatSatisfied++;
        }
        rows.push(row);
      }
      const presence = emptyRow(TENANT, hour, { channel: null, inboxId: null, teamId: null, agentId });
      presence.presenceSeconds = 3_000 + Math.floor(rand() * 600);
      rows.push(presence);
    }
  }
  return rows;
}

/** The plain loop: the summary's totals and medians over rows in memory. */
function plainSummary(rows: HourRow[], start: number, end: number) {
  const t = { created: 0, resolved: 0, inbound: 0, outbound: 0, frtCount: 0, frtSum: 0, resSum: 0, presence: 0 };
  const frt = new Map<number, number>();
  const res = new Map<number, number>();
  for (const row of rows) {
    const h = +row.hour;
    if (h < start || h >= end) continue;
    t.created += row.created;
    t.resolved += row.resolved;
    t.inbound += row.inbound;
    t.outbound += row.outbound;
    t.frtCount += row.frtCount;
    t.frtSum += row.frtSum;
    t.resSum += row.resSum;
    t.presence += row.presenceSeconds;
    for (const c of row.hist) {
      if (c.m === 'frt') frt.set(c.b, (frt.get(c.b) ?? 0) + c.n);
      else if (c.m === 'res') res.set(c.b, (res.get(c.b) ?? 0) + c.n);
    }
  }
  const list = (m: Map<number, number>): BucketCount[] => [...m].map(([b, n]) => ({ b, n }));
  return { ...t, frtMedian: bucketQuantile(list(frt), 0.5, bucketValue), resMedian: bucketQuantile(list(res), 0.5, bucketValue) };
}

async function time(fn: () => Promise<unknown> | unknown): Promise<number[]> {
  await fn(); // warm-up
  const samples: number[] = [];
  const deadline = performance.now() + QUERY_BUDGET_MS;
  for (let i = 0; i < RUNS && performance.now() < deadline; i++) {
    const started = performance.now();
    await fn();
    samples.push(performance.now() - started);
  }
  return samples;
}

async function main(): Promise<void> {
  console.log(`reports: a year of hourly rows for ${int(AGENTS)} agents, ${RUNS} timed runs per report — ${await machine()}`);
  const data = tempDir('sb-bench-reports');
  const store = await createStore({ driver: 'embedded', dir: data.dir });
  try {
    const reports = new ReportStore(store);
    await reports.ensureIndexes();
    let started = performance.now();
    let rows: HourRow[] | null = generateRows();
    const generatedMs = performance.now() - started;
    const total = rows.length;
    const presenceRows = rows.filter((r) => r.presenceSeconds > 0).length;
    started = performance.now();
    const hours = store.collection<HourRow>('report_hours');
    for (const row of rows) await hours.insertOne(row);
    const dayRows = foldDays(rows);
    const days = store.collection<HourRow>('report_days');
    for (const row of dayRows) await days.insertOne(row);
    const monthRows = foldMonths(dayRows);
    const months = store.collection<HourRow>('report_months');
    for (const row of monthRows) await months.insertOne(row);
    // The store keeps its own copy; holding this one too would double the heap the queries run in.
    rows = null;
    const writtenMs = performance.now() - started;
    table('data', [
      ['hourly rows', `${int(total)} (${int(presenceRows)} of them presence)`],
      ['day rows (the hourly rows summed per UTC day)', int(dayRows.length)],
      ['month rows (the day rows summed per UTC month)', int(monthRows.length)],
      ['generated in', ms(generatedMs, 0)],
      ['written to the embedded store in', `${ms(writtenMs, 0)} (not part of the figures below)`],
    ]);

    const names: Names = { inbox: (id) => id, team: (id) => id, agent: (id) => id, agents: () => [] };
    const queries = new ReportQueries(reports.forTenant(TENANT), names);
    const year: ReportQuery = { from: '2025-01-01', to: '2025-12-31', tz: 'Europe/Berlin' };

    const cases: [string, () => Promise<unknown>][] = [
      ['summary (year, Europe/Berlin)', () => queries.summary(year)],
      ['summary, one team', () => queries.summary({ ...year, teamId: 'team-3' })],
      ['summary, one agent', () => queries.summary({ ...year, agentId: 'agent-7' })],
      ['volume by day', () => queries.volume({ ...year, groupBy: 'day' })],
      ['volume by agent', () => queries.volume({ ...year, groupBy: 'agent' })],
      ['heat-map', () => queries.heatmap(year)],
      ['agents (100 rows)', () => queries.agents(year)],
    ];
    const timings: [string, number[]][] = [];
    for (const [name, fn] of cases) timings.push([name, await time(fn)]);

    // The baseline last: its copy of every row would otherwise share the heap with the queries.
    started = performance.now();
    const inMemory = await hours.find({ tenantId: TENANT });
    const readOnceMs = performance.now() - started;
    const start = Date.UTC(2024, 11, 31, 23);
    const end = Date.UTC(2025, 11, 31, 23);
    const plain = await time(() => plainSummary(inMemory, start, end));
    const plainP50 = percentile(plain, 50);

    const results: [string, string][] = timings.map(([name, samples]) => {
      const p50 = percentile(samples, 50);
      const p95 = percentile(samples, 95);
      return [name, `p50 ${ms(p50, 0)}, p95 ${ms(p95, 0)} — ${ratio(p50, plainP50)} the plain loop — target < 1 s ${p95 < TARGET_MS ? 'met' : 'NOT met'}`];
    });
    table('each report over the whole year through ReportQueries (aggregation pipelines on the embedded store)', results);
    table('baseline: a plain loop over the same rows in memory', [
      ['reading every row once (find)', ms(readOnceMs, 0)],
      ['summary totals + two medians, p50 / p95', `${ms(plainP50)} / ${ms(percentile(plain, 95))}`],
    ]);
    const mem = process.memoryUsage();
    table('process', [
      ['heap used at the end', `${(mem.heapUsed / 1024 / 1024).toFixed(1)} MB`],
      ['rss', `${(mem.rss / 1024 / 1024).toFixed(1)} MB`],
    ]);
    recordResults(
      'reports',
      {
        reports: Object.fromEntries(timings.map(([name, samples]) => [name, { p50Ms: percentile(samples, 50), p95Ms: percentile(samples, 95), vsPlainLoop: percentile(samples, 50) / plainP50 }])),
        plainLoop: { readOnceMs, p50Ms: plainP50, p95Ms: percentile(plain, 95) },
      },
      timings.map(([name, samples]) => target(`${name}: p95 < 1 s`, percentile(samples, 95), 'atMost', TARGET_MS, 'ms')),
    );
  } finally {
    await store.close();
    data.remove();
  }
}

await main();
