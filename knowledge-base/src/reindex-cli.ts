/**
 * `npm run reindex -w @switchboard/knowledge-base`: empties the knowledge base's search index and
 * rebuilds it from the store for every tenant (after an index was lost, or drifted).
 */
import { loadConfig } from '@switchboard/config';
import { createPlatform } from '@switchboard/runtime';
import { KbStore } from './articles/repository.js';
import { KbSearch } from './search/kb-search.js';

const config = loadConfig();
const platform = await createPlatform(config, 'kb-reindex');
let exitCode = 0;
try {
  const search = new KbSearch(platform.search, new KbStore(platform.store), platform.logger);
  await search.ensure();
  const started = Date.now();
  const { tenants, indexed } = await search.reindexAll();
  process.stdout.write(`knowledge base reindexed: ${indexed} published translations of ${tenants} tenants in ${Date.now() - started} ms\n`);
} catch (err) {
  platform.logger.error({ err }, 'knowledge base reindex failed');
  process.stderr.write(`knowledge base reindex failed: ${(err as Error).message}\n`);
  exitCode = 1;
} finally {
  await platform.close();
}
process.exit(exitCode);
