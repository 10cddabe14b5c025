import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, describe, it } from 'vitest';
import { createStore } from './index.js';
import { storeContract } from './store.contract.js';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

storeContract('embedded', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sb-store-'));
  dirs.push(dir);
  return createStore({ driver: 'embedded', dir });
});

// The one documented conditional skip: the MongoDB run needs a server (MONGODB_URL).
const mongoUrl = process.env.MONGODB_URL;
if (mongoUrl) {
  storeContract('mongodb', () =>
    createStore({ driver: 'mongodb', url: mongoUrl, database: `sbtest_${randomBytes(6).toString('hex')}` }),
  );
} else {
  describe.skip('DocumentStore contract — mongodb (skipped: MONGODB_URL not set)', () => {
    it('runs the same suite against MongoDB when MONGODB_URL is set', () => {});
  });
}
