/** @switchboard/search: the SearchIndex seam (Elasticsearch in production, embedded on disk by default). */
import { openElasticsearchIndex } from './elasticsearch.js';
import { openEmbeddedSearchIndex } from './embedded.js';
import { redactUrl } from './errors.js';
import type { SearchConfig, SearchIndex } from './types.js';

export * from './types.js';
export { SearchError, type SearchErrorCode } from './errors.js';
export { LANGUAGE_CODES, languageOf } from './core.js';

/**
 * Opens the configured adapter. An Elasticsearch that cannot be reached fails here with
 * SB_ERR_SEARCH_UNAVAILABLE naming ELASTICSEARCH_URL; there is never a fallback to the embedded index.
 */
export async function createSearchIndex(config: SearchConfig): Promise<SearchIndex> {
  switch (config.driver) {
    case 'elasticsearch':
      return openElasticsearchIndex(config);
    case 'embedded':
      return openEmbeddedSearchIndex(config);
  }
}

/** The start-up line saying which adapter runs, without secrets. */
export function describeSearch(config: SearchConfig): string {
  return config.driver === 'elasticsearch'
    ? `search: elasticsearch at ${redactUrl(config.url)} (indices ${config.prefix ?? 'sb-'}*)`
    : `search: embedded under ${config.dir}`;
}
