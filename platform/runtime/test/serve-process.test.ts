/**
 * `serve` in a real process, with real signals: a request in flight at SIGTERM is answered and
 * the process exits 0; a shutdown that outlasts SHUTDOWN_TIMEOUT_MS, or a second signal, exits 1
 * without waiting.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { freeTcpPort, sleep } from '@switchboard/testkit';

const SERVICE = fileURLToPath(new URL('./held-service.ts', import.meta.url));

async function startService(shutdownTimeoutMs: number) {
  const port = await freeTcpPort();
  const child = spawn(process.execPath, ['--import', 'tsx', SERVICE], {
    env: { PATH: process.env.PATH ?? '', PORT: String(port), SHUTDOWN_TIMEOUT_MS: String(shutdownTimeoutMs) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const ready = await Promise.race([
    new Promise<boolean>((resolve) => child.stdout.on('data', () => out.includes('ready\n') && resolve(true))),
    exited.then(() => false),
    sleep(20_000).then(() => false),
  ]);
  if (!ready) {
    child.kill('SIGKILL');
    throw new Error(`the service did not start:\n${out}`);
  }
  const url = `http://127.0.0.1:${port}`;
  return {
    slow: (ms: number) => fetch(`${url}/slow?ms=${ms}`),
    signal: (signal: NodeJS.Signals) => child.kill(signal),
    exited,
    output: () => out,
  };
}

describe('serve: a service process and its signals', () => {
  it('answers the request in flight at SIGTERM, refuses new connections, then exits 0', async () => {
    const service = await startService(5_000);
    const inFlight = service.slow(800);
    await sleep(200);
    const signalled = Date.now();
    service.signal('SIGTERM');
    await sleep(100);
    expect(await service.slow(0).then((r) => r.status, () => 'refused')).toMatch(/^(refused|503)$/);
    const res = await inFlight;
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ slept: 800 });
    expect(await service.exited).toBe(0);
    expect(Date.now() - signalled).toBeLessThan(5_000);
    expect(service.output()).toMatch(/"msg":"shutting down: finishing work in flight"[\s\S]*"msg":"shut down"/);
  });

  it('exits 1 when the shutdown outlasts SHUTDOWN_TIMEOUT_MS', async () => {
    const service = await startService(500);
    void service.slow(60_000).catch(() => undefined);
    await sleep(200);
    const signalled = Date.now();
    service.signal('SIGTERM');
    expect(await service.exited).toBe(1);
    const took = Date.now() - signalled;
    expect(took).toBeGreaterThanOrEqual(450);
    expect(took).toBeLessThan(3_000);
    expect(service.output()).toContain('shutdown took too long');
  });

  it('exits 1 at once on a second signal', async () => {
    const service = await startService(30_000);
    void service.slow(60_000).catch(() => undefined);
    await sleep(200);
    service.signal('SIGTERM');
    await sleep(200);
    const signalled = Date.now();
    service.signal('SIGINT');
    expect(await service.exited).toBe(1);
    expect(Date.now() - signalled).toBeLessThan(2_000);
    expect(service.output()).toContain('second signal');
  });
});
