import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { eventually, tempDir } from '@switchboard/testkit';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface HubProcess {
  url: string;
  dataDir: string;
  output: () => string;
  /** Sends `signal` (default SIGTERM) unless it has exited; resolves with its exit code once it has. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** Runs the hub exactly as `npm start` does (after the build), on embedded defaults unless env says otherwise. */
export async function startHubProcess(env: Record<string, string> = {}, dataDir?: string): Promise<HubProcess> {
  const data = dataDir ? { dir: dataDir, remove: () => undefined } : tempDir('sb-hub');
  const port = env.PORT ? Number(env.PORT) : await freePort();
  let out = '';
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'hub/src/main.ts'], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root', PORT: String(port), HOST: '127.0.0.1', DATA_DIR: data.dir, LOG_LEVEL: 'warn', SMTP_INBOUND_PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const url = `http://127.0.0.1:${port}`;
  try {
    await eventually(async () => (await fetch(`${url}/healthz`)).ok, 60_000, `hub on ${url} healthy`);
  } catch (err) {
    child.kill('SIGKILL');
    throw new Error(`${(err as Error).message}\n--- hub output ---\n${out}`);
  }
  return {
    url,
    dataDir: data.dir,
    output: () => out,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null) child.kill(signal);
      const code = await exited;
      if (!dataDir) data.remove();
      return code;
    },
  };
}
