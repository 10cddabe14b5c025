/**
 * Private RabbitMQ and Redis servers for fault tests: a test may stop and restart them without
 * touching the machine's shared broker and Redis that every other test uses. Each server runs as
 * a child process in its own process group, on free ports, with its data under a temp folder.
 * A restart reuses the same ports and data, so durable queues (quorum queues, streams) survive.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, openSync, closeSync, writeFileSync, rmSync, mkdtempSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';

export interface PrivateServer {
  /** TCP port clients connect to; stays the same across restarts. */
  readonly port: number;
  /** Connection URL (amqp://guest:guest@127.0.0.1:P or redis://127.0.0.1:P). */
  readonly url: string;
  /** True between a completed start() and stop(). */
  readonly running: boolean;
  /** Starts the server again on the same port and data; resolves once it serves clients. */
  start(): Promise<void>;
  /** Stops the server: SIGTERM (a clean shutdown) by default, SIGKILL to crash it. Resolves once the process is gone. */
  stop(signal?: 'SIGTERM' | 'SIGKILL'): Promise<void>;
  /** Stops it and removes its data folder. Safe to call twice and after a failed start. */
  dispose(): Promise<void>;
}

export interface PrivateRabbitMq extends PrivateServer {
  /** The Erlang node name, e.g. sbfault1a2b3c@localhost. */
  readonly nodeName: string;
  /** Milliseconds the last start() took until the broker answered AMQP. */
  readonly lastStartMs: number;
}

/** A free TCP port on 127.0.0.1 (asked from the OS, then released). */
export function freeTcpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Children still running when the test process exits are killed with it, even after a failed test. */
const live = new Set<ChildProcess>();
let exitHookInstalled = false;
function track(child: ChildProcess): void {
  live.add(child);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => {
      for (const c of live) killGroup(c, 'SIGKILL');
    });
  }
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    // detached children lead their own process group: this reaches beam.smp and its helpers too.
    process.kill(-child.pid, signal);
  } catch {
    // no process of the group is left
  }
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

function groupAlive(child: ChildProcess): boolean {
  if (child.pid === undefined) return false;
  try {
    process.kill(-child.pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Signals the process group and waits until every process of it is gone (beam.smp may outlive
 * the wrapper shell); SIGKILL for what is still there after `graceMs`.
 */
async function stopChild(child: ChildProcess, signal: NodeJS.Signals, graceMs: number): Promise<void> {
  killGroup(child, signal);
  const deadline = Date.now() + graceMs;
  while ((child.exitCode === null && child.signalCode === null) || groupAlive(child)) {
    if (Date.now() > deadline) {
      killGroup(child, 'SIGKILL');
      await Promise.race([exited(child), new Promise((r) => setTimeout(r, 2000))]);
      return;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Opens a TCP connection, writes `hello`, resolves true when the answer passes `accept`.
 * Any error, close or timeout resolves false.
 */
function probe(port: number, hello: Buffer | string, accept: (data: Buffer) => boolean, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    let received = Buffer.alloc(0);
    const done = (ok: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    socket.once('connect', () => socket.write(hello));
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (accept(received)) done(true);
    });
    socket.once('error', () => done(false));
    socket.once('close', () => done(false));
  });
}

/** Polls `probe` until it succeeds; fails early if the child exits, or after `ms`. */
async function waitServing(child: ChildProcess, what: string, logFile: string, ms: number, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`${what} exited during start-up (code ${child.exitCode ?? child.signalCode}); see ${logFile}`);
    }
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what} did not serve within ${ms} ms; see ${logFile}`);
}

abstract class ChildServer {
  protected child: ChildProcess | undefined;
  protected readonly base: string;
  private disposed = false;

  constructor(label: string) {
    this.base = mkdtempSync(path.join(tmpdir(), `${label}-`));
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  protected abstract launch(): Promise<void>;
  protected abstract readonly graceMs: number;

  async start(): Promise<void> {
    if (this.disposed) throw new Error('server was disposed');
    if (this.running) return;
    try {
      await this.launch();
    } catch (err) {
      await this.stop('SIGKILL');
      throw err;
    }
  }

  async stop(signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM'): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child) return;
    await stopChild(child, signal, this.graceMs);
    live.delete(child);
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await this.stop('SIGKILL');
    rmSync(this.base, { recursive: true, force: true });
  }

  /** Spawns in a new process group with output going to a log file in the data folder. */
  protected spawnLogged(command: string, args: string[], env: NodeJS.ProcessEnv, logName: string): { child: ChildProcess; logFile: string } {
    const logFile = path.join(this.base, logName);
    const fd = openSync(logFile, 'a');
    try {
      const child = spawn(command, args, { env, cwd: this.base, detached: true, stdio: ['ignore', fd, fd] });
      child.once('error', () => undefined); // reported by waitServing as an early exit
      if (child.pid === undefined) throw new Error(`${command} could not be started; is it installed?`);
      track(child);
      this.child = child;
      return { child, logFile };
    } finally {
      closeSync(fd);
    }
  }
}

class RedisChild extends ChildServer implements PrivateServer {
  protected readonly graceMs = 5_000;
  constructor(readonly port: number) {
    super('sb-redis');
  }
  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }
  protected async launch(): Promise<void> {
    const bin = process.env.REDIS_SERVER_BIN ?? 'redis-server';
    const args = ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no', '--dir', this.base];
    const { child, logFile } = this.spawnLogged(bin, args, process.env, 'redis.log');
    await waitServing(child, `redis-server on port ${this.port}`, logFile, 10_000, () =>
      probe(this.port, 'PING\r\n', (data) => data.toString('latin1').startsWith('+PONG')),
    );
  }
}

/** The AMQP 0-9-1 protocol header; a broker answers with a Connection.Start method frame (type 1). */
const AMQP_HEADER = Buffer.from([0x41, 0x4d, 0x51, 0x50, 0, 0, 9, 1]);

class RabbitChild extends ChildServer implements PrivateRabbitMq {
  protected readonly graceMs = 20_000;
  readonly nodeName: string;
  lastStartMs = 0;

  constructor(
    readonly port: number,
    private readonly distPort: number,
  ) {
    super('sb-rabbit');
    this.nodeName = `sbfault${randomUUID().replace(/-/g, '').slice(0, 10)}@localhost`;
    // No plugins: the management plugin would fight the shared node for port 15672.
    writeFileSync(path.join(this.base, 'enabled_plugins'), '[].\n');
    // Our own config file, so the machine's (which names the shared listener port) is not read.
    writeFileSync(path.join(this.base, 'rabbitmq.conf'), `listeners.tcp.local = 127.0.0.1:${this.port}\n`);
    mkdirSync(path.join(this.base, 'home'), { recursive: true });
  }

  get url(): string {
    return `amqp://guest:guest@127.0.0.1:${this.port}`;
  }

  protected async launch(): Promise<void> {
    const started = Date.now();
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      // The Erlang cookie is created in HOME: a private one keeps this node apart from the shared one.
      HOME: path.join(this.base, 'home'),
      RABBITMQ_NODENAME: this.nodeName,
      RABBITMQ_NODE_IP_ADDRESS: '127.0.0.1',
      RABBITMQ_NODE_PORT: String(this.port),
      RABBITMQ_DIST_PORT: String(this.distPort),
      RABBITMQ_MNESIA_BASE: path.join(this.base, 'mnesia'),
      RABBITMQ_LOG_BASE: path.join(this.base, 'log'),
      RABBITMQ_ENABLED_PLUGINS_FILE: path.join(this.base, 'enabled_plugins'),
      RABBITMQ_CONFIG_FILE: path.join(this.base, 'rabbitmq.conf'),
      RABBITMQ_PID_FILE: path.join(this.base, 'rabbit.pid'),
    };
    const { child, logFile } = this.spawnLogged(rabbitServerBin(), [], env, 'server.log');
    await waitServing(child, `RabbitMQ node ${this.nodeName}`, logFile, 60_000, () =>
      probe(this.port, AMQP_HEADER, (data) => data.length >= 1 && data[0] === 1),
    );
    this.lastStartMs = Date.now() - started;
  }
}

/**
 * The server script itself: on Debian, /usr/sbin/rabbitmq-server is a wrapper that switches to
 * the rabbitmq user (dropping our data folder's permissions) and fixes the log location.
 */
function rabbitServerBin(): string {
  if (process.env.RABBITMQ_SERVER_BIN) return process.env.RABBITMQ_SERVER_BIN;
  const debian = '/usr/lib/rabbitmq/bin/rabbitmq-server';
  return existsSync(debian) ? debian : 'rabbitmq-server';
}

/** A private redis-server (no persistence) on a free port, started. */
export async function startPrivateRedis(): Promise<PrivateServer> {
  return started(new RedisChild(await freeTcpPort()));
}

/**
 * A private RabbitMQ node (own node name, AMQP and distribution ports, data folder, no plugins),
 * started. Takes several seconds: start it in beforeAll with a generous hook timeout.
 */
export async function startPrivateRabbitMq(): Promise<PrivateRabbitMq> {
  const port = await freeTcpPort();
  let distPort = await freeTcpPort();
  while (distPort === port) distPort = await freeTcpPort();
  return started(new RabbitChild(port, distPort));
}

/** Starts `server`, cleaning up what a failed start left. */
async function started<T extends { start(): Promise<unknown>; dispose(): Promise<void> }>(server: T): Promise<T> {
  try {
    await server.start();
  } catch (err) {
    await server.dispose();
    throw err;
  }
  return server;
}
