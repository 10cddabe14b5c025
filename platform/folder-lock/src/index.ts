import { readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Folders locked by this process (a second open in the same process is refused too). */
const openDirs = new Set<string>();

/** Start time of a process (from /proc), so a recycled pid is not taken for the lock's holder. */
function processStart(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

function holderAlive(holder: { pid: number; start?: string }): boolean {
  if (holder.pid === process.pid) return false; // this process: openDirs says whether it holds it
  try {
    process.kill(holder.pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ESRCH') return false;
  }
  const start = processStart(holder.pid);
  return holder.start === undefined || start === undefined || start === holder.start;
}

/**
 * One embedded engine per data folder: two processes (or two instances in one) keeping their own
 * copy in memory would overwrite each other's files. Takes `<dir>/LOCK` or throws the error
 * `locked` makes (`who` says by whom); a lock left by a killed process is taken over. Returns the
 * release function.
 */
export function lockFolder(dir: string, locked: (who: string, path: string) => Error): () => void {
  const real = realpathSync(dir);
  const lockFile = join(real, 'LOCK');
  if (openDirs.has(real)) throw locked('in this process', real);
  const me = JSON.stringify({ pid: process.pid, start: processStart(process.pid) });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(lockFile, me, { flag: 'wx' });
      openDirs.add(real);
      return () => {
        openDirs.delete(real);
        try {
          if (readFileSync(lockFile, 'utf8') === me) rmSync(lockFile);
        } catch {
          // already gone
        }
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    let holder: { pid: number; start?: string } | undefined;
    try {
      holder = JSON.parse(readFileSync(lockFile, 'utf8')) as { pid: number; start?: string };
    } catch {
      holder = undefined;
    }
    if (holder && typeof holder.pid === 'number' && holderAlive(holder)) throw locked(`by process ${holder.pid}`, real);
    rmSync(lockFile, { force: true });
  }
  throw locked('by another process', real);
}
