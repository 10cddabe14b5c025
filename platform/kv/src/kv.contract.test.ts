import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll } from 'vitest';
import { createKeyValue } from './index.js';
import { kvContract } from './kv.contract.js';

kvContract('memory', () => createKeyValue({ driver: 'memory' }));

// Redis is part of the test environment (npm test starts it), so this suite always runs.
const url = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const run = `sbtest:kv:${randomBytes(6).toString('hex')}:`;
let n = 0;
kvContract('redis', () => createKeyValue({ driver: 'redis', url, prefix: `${run}${n++}:` }));

afterAll(async () => {
  const admin = new Redis(url, { lazyConnect: true });
  await admin.connect();
  for await (const keys of admin.scanStream({ match: `${run}*`, count: 500 })) {
    if ((keys as string[]).length > 0) await admin.del(...(keys as string[]));
  }
  await admin.quit();
});
