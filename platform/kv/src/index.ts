/** @switchboard/kv: the KeyValue seam (Redis in production, process memory by default). */
import { redactUrl } from './errors.js';
import { openMemoryKeyValue } from './memory.js';
import { openRedisKeyValue } from './redis.js';
import type { KeyValue, KeyValueConfig } from './types.js';

export * from './types.js';
export { KvError, type KvErrorCode } from './errors.js';

/**
 * Opens the configured adapter. A Redis that cannot be reached fails here with
 * SB_ERR_KV_UNAVAILABLE naming REDIS_URL; there is never a fallback to memory.
 */
export async function createKeyValue(config: KeyValueConfig): Promise<KeyValue> {
  switch (config.driver) {
    case 'redis':
      return openRedisKeyValue(config);
    case 'memory':
      return openMemoryKeyValue(config);
  }
}

/** The start-up line saying which adapter runs, without secrets. */
export function describeKeyValue(config: KeyValueConfig): string {
  return config.driver === 'redis'
    ? `kv: redis at ${redactUrl(config.url)}${config.prefix ? ` (prefix ${config.prefix})` : ''}`
    : 'kv: memory (this process only)';
}
