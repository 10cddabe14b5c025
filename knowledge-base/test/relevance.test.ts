import { randomBytes } from 'node:crypto';
import { afterAll, describe } from 'vitest';
import { createSearchIndex } from '@switchboard/search';
import { tempDir } from '@switchboard/testkit';
import { describeRelevance } from './relevance.contract.js';

const dirs: { remove(): void }[] = [];
afterAll(() => {
  for (const d of dirs) d.remove();
});

describeRelevance('embedded', async () => {
  const d = tempDir('sb-kb-search');
  dirs.push(d);
  return createSearchIndex({ driver: 'embedded', dir: d.dir });
});

// The one conditional skip: the Elasticsearch run needs a server. Without ELASTICSEARCH_URL the
// same cases are listed as skipped under a name that says how to run them.
const esUrl = process.env.ELASTICSEARCH_URL;
describe.skipIf(!esUrl)('Elasticsearch (set ELASTICSEARCH_URL to run)', () => {
  // Every index of this run lives under one prefix, removed afterwards.
  const run = `sbkbtest-${randomBytes(5).toString('hex')}-`;
  describeRelevance('elasticsearch', () => createSearchIndex({ driver: 'elasticsearch', url: esUrl!, prefix: run }));
  afterAll(() => deleteIndices(esUrl!, `${run}*`));
});

/** Removes the run's indices over Elasticsearch's REST API (wildcard deletes are refused by default, so each is named). */
async function deleteIndices(url: string, pattern: string): Promise<void> {
  const server = new URL(url);
  const headers: Record<string, string> = {};
  if (server.username) {
    const user = `${decodeURIComponent(server.username)}:${decodeURIComponent(server.password)}`;
    headers['authorization'] = `Basic ${Buffer.from(user).toString('base64')}`;
    server.username = '';
    server.password = '';
  }
  const base = server.href.replace(/\/$/, '');
  const res = await fetch(`${base}/${pattern}?expand_wildcards=all`, { headers });
  if (!res.ok) throw new Error(`listing ${pattern} answered ${res.status}`);
  const names = Object.keys((await res.json()) as Record<string, unknown>);
  if (names.length > 0) {
    const del = await fetch(`${base}/${names.join(',')}`, { method: 'DELETE', headers });
    if (!del.ok) throw new Error(`deleting ${names.join(',')} answered ${del.status}`);
  }
}
