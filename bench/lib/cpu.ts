/**
 * CPU time of a process on this machine, read from /proc (Linux), so a benchmark can say where
 * the cores went during a phase: the server under test, and the RabbitMQ node it talks to.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** Kernel clock ticks per second for /proc/<pid>/stat (USER_HZ; 100 on every Linux we run). */
const TICKS_PER_SECOND = 100;

/** User + system CPU milliseconds the process has used so far; undefined when /proc cannot tell. */
export function cpuMs(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    return Number.isFinite(utime + stime) ? ((utime + stime) * 1000) / TICKS_PER_SECOND : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The local RabbitMQ node's Erlang VM (beam.smp running rabbit), leaving out the private nodes
 * the fault tests start (their home is under the temp folder); undefined when the broker is elsewhere.
 */
export function localBrokerPid(): number | undefined {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let cmdline: string;
    try {
      cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').join(' ');
    } catch {
      continue;
    }
    if (cmdline.includes('beam.smp') && cmdline.includes('-s rabbit') && !cmdline.includes('/sb-rabbit-')) return Number(entry);
  }
  return undefined;
}

/** CPU milliseconds the given processes use between start() and the returned stop(). */
export function cpuMeter(pids: Record<string, number | undefined>): () => Record<string, number | undefined> {
  const before = Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, pid === undefined ? undefined : cpuMs(pid)]));
  return () =>
    Object.fromEntries(
      Object.entries(pids).map(([name, pid]) => {
        const start = before[name];
        const end = pid === undefined ? undefined : cpuMs(pid);
        return [name, start === undefined || end === undefined ? undefined : end - start];
      }),
    );
}
