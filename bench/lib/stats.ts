/** Small helpers the benchmarks share: percentiles, number formatting, heap figures. */

/** The p-th percentile (0–100) of the samples, nearest-rank. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

export const ms = (n: number, digits = 2) => `${n.toFixed(digits)} ms`;
export const int = (n: number) => Math.round(n).toLocaleString('en-US');
export const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
export const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;

/** Heap in use after a full collection when the process runs with --expose-gc (else as it is). */
export function heapUsed(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) {
    gc();
    gc();
  }
  return process.memoryUsage().heapUsed;
}

export const gcExposed = () => typeof (globalThis as { gc?: unknown }).gc === 'function';

/** Prints rows of [label, value] aligned in two columns. */
export function table(title: string, rows: [string, string][]): void {
  const width = Math.max(...rows.map(([label]) => label.length));
  console.log(`\n${title}`);
  for (const [label, value] of rows) console.log(`  ${label.padEnd(width)}  ${value}`);
}

/** The machine the figures come from. */
export async function machine(): Promise<string> {
  const os = await import('node:os');
  const cpu = os.cpus()[0]?.model.trim() ?? 'unknown CPU';
  // The load average shows whether other work shared the cores during the run.
  const load = os.loadavg()[0]!.toFixed(1);
  return `${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${os.availableParallelism()} cores (${cpu}), ${mb(os.totalmem())} RAM, load average ${load} at start`;
}
