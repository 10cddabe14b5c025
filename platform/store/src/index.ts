/** @switchboard/store: the DocumentStore seam (MongoDB in production, embedded on disk by default). */
import { openEmbeddedStore } from './embedded.js';
import { redactUrl } from './errors.js';
import { openMongoStore } from './mongodb.js';
import type { DocumentStore, StoreConfig } from './types.js';

export * from './types.js';
export { StoreError, type StoreErrorCode } from './errors.js';

/**
 * Opens the configured adapter. A MongoDB that cannot be reached fails here with
 * SB_ERR_STORE_UNAVAILABLE naming MONGODB_URL; there is never a fallback to the embedded store.
 */
export async function createStore(config: StoreConfig): Promise<DocumentStore> {
  switch (config.driver) {
    case 'mongodb':
      return openMongoStore(config);
    case 'embedded':
      return openEmbeddedStore(config);
  }
}

/** The start-up line saying which adapter runs, without secrets. */
export function describeStore(config: StoreConfig): string {
  return config.driver === 'mongodb'
    ? `store: mongodb at ${redactUrl(config.url)}`
    : `store: embedded under ${config.dir}`;
}
