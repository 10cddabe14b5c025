import { describe, expect, it } from 'vitest';
import { createLogger } from '@switchboard/logging';
import { shutDown, type Servable } from './serve.js';

const logger = createLogger({ level: 'silent', format: 'json' });
const app = (close: () => Promise<void>): Servable => ({ listen: async () => 'http://127.0.0.1:0', close });

describe('shutDown', () => {
  it('waits for the close (work in flight) and answers 0', async () => {
    let closed = false;
    const code = await shutDown(app(() => new Promise((resolve) => setTimeout(() => resolve(void (closed = true)), 50))), logger, 1_000);
    expect(code).toBe(0);
    expect(closed).toBe(true);
  });

  it('gives up after the timeout with 1, not waiting for a close that hangs', async () => {
    const started = Date.now();
    expect(await shutDown(app(() => new Promise(() => undefined)), logger, 100)).toBe(1);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('answers 1 when the close fails', async () => {
    expect(await shutDown(app(() => Promise.reject(new Error('store would not close'))), logger, 1_000)).toBe(1);
  });
});
