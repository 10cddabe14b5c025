/**
 * Starts a bench server (bench/lib/servers.ts) in its own child process and talks to it over IPC,
 * so the clients' CPU and memory are not the server's. Bounded: a child that is not ready within
 * 60 s is killed and the run fails.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import type { Role, ServerInfo, ServerOptions } from './servers.js';

/** Wall-clock milliseconds with sub-millisecond precision, comparable across processes. */
export const now = () => performance.timeOrigin + performance.now();

export interface ServerChild {
  info: ServerInfo;
  /** Server process RSS and heap after two full collections. */
  memory(): Promise<{ rss: number; heapUsed: number; sockets: number }>;
  /** Asks the server to emit `count` broadcasts to every socket of its namespace. */
  broadcast(count: number, event?: string): Promise<void>;
  stop(): Promise<void>;
}

const SERVERS = fileURLToPath(new URL('./servers.ts', import.meta.url));

export async function startServer(role: Role, options: ServerOptions = {}, env: Record<string, string> = {}): Promise<ServerChild> {
  const child: ChildProcess = fork(SERVERS, [role, JSON.stringify(options)], {
    // BENCH_CPU_PROF=<dir>: each server writes a V8 CPU profile there when it stops.
    execArgv: ['--expose-gc', '--import', 'tsx', ...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [])],
    env: { ...process.env, ...env },
    // The servers log as the hub would (their cost stays in the figures), but not onto the tables.
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  child.on('error', (err) => process.stderr.write(`bench server ${role}: ${err.message}\n`));
  const replies: ((msg: { type: string } & Record<string, unknown>) => boolean)[] = [];
  child.on('message', (msg: { type: string } & Record<string, unknown>) => {
    const i = replies.findIndex((r) => r(msg));
    if (i >= 0) replies.splice(i, 1);
  });
  const expect = <T>(type: string, timeoutMs: number) =>
    new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the ${role} server sent no "${type}" within ${timeoutMs / 1000} s`)), timeoutMs);
      const onExit = (code: number | null) => reject(new Error(`the ${role} server exited (${code}) before "${type}"`));
      child.once('exit', onExit);
      replies.push((msg) => {
        if (msg.type !== type) return false;
        clearTimeout(timer);
        child.off('exit', onExit);
        resolve(msg as T);
        return true;
      });
    });
  let info: ServerInfo;
  try {
    info = (await expect<{ info: ServerInfo }>('ready', 60_000)).info;
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
  return {
    info,
    async memory() {
      const reply = expect<{ rss: number; heapUsed: number; sockets: number }>('rss', 30_000);
      child.send({ type: 'rss' });
      return reply;
    },
    async broadcast(count, event = 'bench') {
      const reply = expect('broadcasted', 30_000);
      child.send({ type: 'broadcast', count, event });
      await reply;
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null || !child.connected) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.send({ type: 'stop' });
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
