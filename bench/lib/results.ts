/**
 * bench/results.json: every benchmark merges its latest figures under its own name, so one file
 * holds the last run of each (with the date and the machine it ran on). Targets are recorded as
 * met / not met — reported, never asserted.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const RESULTS_FILE = path.join(path.dirname(fileURLToPath(import.meta.url)), '../results.json');

export interface Target {
  /** What is compared, e.g. "p99 at 1,000 msg/s ≤ 50 ms". */
  name: string;
  /** The measured value, in `unit`. */
  value: number;
  /** The limit it is held against. */
  limit: number;
  unit?: string;
  met: boolean;
}

export interface BenchRecord {
  name: string;
  date: string;
  machine: { cores: number; cpu: string; node: string; memoryMb: number; loadAverage: number };
  /** Arguments the run was given (counts, seconds …). */
  args?: Record<string, unknown>;
  /** Flat or nested figures: numbers in their natural unit (ms, bytes, per second), named so. */
  figures: Record<string, unknown>;
  targets: Target[];
}

/** A target held as "at most" (`value ≤ limit`) or "at least" (`value ≥ limit`). */
export function target(name: string, value: number, kind: 'atMost' | 'atLeast', limit: number, unit?: string): Target {
  const met = Number.isFinite(value) && (kind === 'atMost' ? value <= limit : value >= limit);
  return { name, value: round(value), limit, ...(unit ? { unit } : {}), met };
}

export const metText = (t: Target) => (t.met ? 'met' : 'NOT met');

const round = (n: number) => (Number.isFinite(n) ? Math.round(n * 1000) / 1000 : n);

/** Numbers rounded to 3 decimals (so the file stays readable); everything else as it is. */
function tidy(value: unknown): unknown {
  if (typeof value === 'number') return round(value);
  if (Array.isArray(value)) return value.map(tidy);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, tidy(v)]));
  return value;
}

/**
 * Merges this benchmark's figures into bench/results.json (replacing its previous entry) and
 * prints the targets. A file another run left unreadable is started afresh, not thrown over.
 */
export function recordResults(name: string, figures: Record<string, unknown>, targets: Target[] = [], args?: Record<string, unknown>): void {
  let all: Record<string, BenchRecord> = {};
  if (existsSync(RESULTS_FILE)) {
    try {
      all = JSON.parse(readFileSync(RESULTS_FILE, 'utf8')) as Record<string, BenchRecord>;
    } catch {
      all = {};
    }
  }
  all[name] = {
    name,
    date: new Date().toISOString(),
    machine: {
      cores: os.availableParallelism(),
      cpu: os.cpus()[0]?.model.trim() ?? 'unknown',
      node: process.version,
      memoryMb: Math.round(os.totalmem() / 1024 / 1024),
      loadAverage: round(os.loadavg()[0]!),
    },
    ...(args ? { args } : {}),
    figures: tidy(figures) as Record<string, unknown>,
    targets,
  };
  const sorted = Object.fromEntries(Object.keys(all).sort().map((k) => [k, all[k]]));
  // Written whole then renamed, so a reader never sees half a file.
  const tmp = `${RESULTS_FILE}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(sorted, null, 2)}\n`);
  renameSync(tmp, RESULTS_FILE);
  if (targets.length > 0) {
    console.log('\ntargets');
    const width = Math.max(...targets.map((t) => t.name.length));
    for (const t of targets) console.log(`  ${t.name.padEnd(width)}  ${t.value}${t.unit ? ` ${t.unit}` : ''} (limit ${t.limit}${t.unit ? ` ${t.unit}` : ''}) — ${metText(t)}`);
  }
  console.log(`\nfigures merged into ${path.relative(process.cwd(), RESULTS_FILE) || RESULTS_FILE} under "${name}"`);
}
