import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';

/** Servers the integration tests use; `npm test` makes sure they are up. */
export const testAmqpUrl = process.env.TEST_AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
export const testRedisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** A fresh folder, removed by the returned function. */
export function tempDir(label = 'sb'): { dir: string; remove: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), `${label}-`));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A short unique name for queues, prefixes and keys of one test run. */
export function uniqueName(label = 'sbt'): string {
  return `${label}${randomUUID().replace(/-/g, '').slice(0, 10)}`;
}

/** Polls until `check` returns a value other than undefined/false/null, or fails after `ms`. */
export async function eventually<T>(check: () => T | Promise<T>, ms = 5000, what = 'condition'): Promise<Exclude<T, undefined | false | null>> {
  const deadline = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false && value !== null) return value as Exclude<T, undefined | false | null>;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) {
      throw new Error(`${what} not met within ${ms} ms${last ? `: ${(last as Error).message}` : ''}`);
    }
    await new Promise((r) => setTimeout(r, 25));
  }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export { freeTcpPort, startPrivateRabbitMq, startPrivateRedis, type PrivateRabbitMq, type PrivateServer } from './servers.js';
