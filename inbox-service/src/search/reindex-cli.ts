/**
 * `npm run reindex -w @switchboard/inbox-service`: empties the message and contact search indexes
 * and rebuilds them from the store for every tenant (after an index was lost, or drifted).
 */
import { loadConfig } from '@switchboard/config';
import { createPlatform } from '@switchboard/runtime';
import { Repositories } from '../repositories/index.js';
import { InboxSearch } from './inbox-search.js';

const config = loadConfig();
const platform = await createPlatform(config, 'inbox-reindex');
let exitCode = 0;
try {
  const search = new InboxSearch(platform.search, new Repositories(platform.store), platform.logger);
  await search.ensure();
  const started = Date.now();
  const { tenants, messages, contacts } = await search.reindexAll();
  process.stdout.write(`messages and contacts reindexed: ${messages} messages and ${contacts} contacts of ${tenants} tenants in ${Date.now() - started} ms\n`);
} catch (err) {
  platform.logger.error({ err }, 'message and contact reindex failed');
  process.stderr.write(`message and contact reindex failed: ${(err as Error).message}\n`);
  exitCode = 1;
} finally {
  await platform.close();
}
process.exit(exitCode);
