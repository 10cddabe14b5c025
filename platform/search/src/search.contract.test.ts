import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@elastic/elasticsearch';
import { afterAll, describe, it } from 'vitest';
import { createSearchIndex } from './index.js';
import { searchContract } from './search.contract.js';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

searchContract('embedded', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sb-search-'));
  dirs.push(dir);
  return createSearchIndex({ driver: 'embedded', dir });
});

// The one documented conditional skip: the Elasticsearch run needs a server (ELASTICSEARCH_URL).
const esUrl = process.env.ELASTICSEARCH_URL;
if (esUrl) {
  // Every index of this run lives under one prefix, removed afterwards.
  const run = `sbtest-${randomBytes(5).toString('hex')}-`;
  let n = 0;
  searchContract('elasticsearch', () => createSearchIndex({ driver: 'elasticsearch', url: esUrl, prefix: `${run}${n++}-` }));
  afterAll(async () => {
    const admin = new Client({ node: esUrl });
    try {
      // Wildcard deletes are refused by default (action.destructive_requires_name): name each index.
      const names = Object.keys(await admin.indices.get({ index: `${run}*`, expand_wildcards: 'all' }));
      if (names.length > 0) await admin.indices.delete({ index: names });
    } finally {
      await admin.close();
    }
  });
} else {
  describe.skip('SearchIndex contract — elasticsearch (skipped: ELASTICSEARCH_URL not set)', () => {
    it('runs the same suite against Elasticsearch when ELASTICSEARCH_URL is set', () => {});
  });
}
