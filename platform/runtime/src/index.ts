import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { Config } from '@switchboard/config';
import { createLogger, type Logger } from '@switchboard/logging';
import { createBus, type Bus } from '@switchboard/bus';
import { createStore, type DocumentStore } from '@switchboard/store';
import { createKeyValue, type KeyValue } from '@switchboard/kv';
import { createSearchIndex, type SearchIndex } from '@switchboard/search';
import { TokenService } from '@switchboard/auth';
import { SecretBox } from '@switchboard/crypto';
import { Metrics } from '@switchboard/metrics';
import type { RealtimeConfig } from '@switchboard/realtime';

/** The seams and services one process runs on, chosen from Config (style rule 4: explicit, loud). */
export interface Platform {
  config: Config;
  logger: Logger;
  bus: Bus;
  store: DocumentStore;
  kv: KeyValue;
  /** Full-text search (ELASTICSEARCH_URL, else embedded under DATA_DIR/search). */
  search: SearchIndex;
  tokens: TokenService;
  /** Encrypts secrets at rest (SECRETS_KEY). */
  secrets: SecretBox;
  /** Prometheus metrics of this process (GET /metrics). */
  metrics: Metrics;
  realtime: RealtimeConfig;
  close(): Promise<void>;
}

export interface PlatformOverrides {
  logger?: Logger;
  bus?: Bus;
  store?: DocumentStore;
  kv?: KeyValue;
  search?: SearchIndex;
  /** Metrics made before the platform, e.g. for a bus built outside it (its onDeadLetter: metrics.countDeadLetter). */
  metrics?: Metrics;
}

export async function createPlatform(config: Config, service: string, overrides: PlatformOverrides = {}): Promise<Platform> {
  const logger = overrides.logger ?? createLogger({ ...config.log, service });
  mkdirSync(config.dataDir, { recursive: true });
  const owned: { close(): Promise<void> }[] = [];
  try {
    const store =
      overrides.store ??
      (await createStore(
        config.mongo.url
          ? { driver: 'mongodb', url: config.mongo.url, database: config.mongo.database }
          : { driver: 'embedded', dir: path.join(config.dataDir, 'store') },
      ));
    if (!overrides.store) owned.push(store);
    const metrics = overrides.metrics ?? new Metrics({ service });
    const onDeadLetter = metrics.countDeadLetter;
    const bus =
      overrides.bus ??
      (await createBus(
        config.bus.amqpUrl
          ? { driver: 'rabbitmq', url: config.bus.amqpUrl, partitions: config.bus.partitions, deliveryLimit: config.bus.deliveryLimit, prefix: config.bus.prefix, onDeadLetter }
          : { driver: 'embedded', dir: path.join(config.dataDir, 'bus'), partitions: config.bus.partitions, deliveryLimit: config.bus.deliveryLimit, prefix: config.bus.prefix, onDeadLetter },
        logger,
      ));
    if (!overrides.bus) owned.push(bus);
    const kv = overrides.kv ?? (await createKeyValue(config.redisUrl ? { driver: 'redis', url: config.redisUrl } : { driver: 'memory' }));
    if (!overrides.kv) owned.push(kv);
    const search =
      overrides.search ??
      (await createSearchIndex(
        config.elasticsearchUrl
          ? { driver: 'elasticsearch', url: config.elasticsearchUrl }
          : { driver: 'embedded', dir: path.join(config.dataDir, 'search') },
      ));
    if (!overrides.search) owned.push(search);
    const realtime: RealtimeConfig = config.redisUrl ? { driver: 'redis', url: config.redisUrl } : { driver: 'memory' };
    logger.info(
      { bus: bus.driver, store: store.driver, kv: kv.driver, search: search.driver, realtime: realtime.driver },
      `seams: bus=${bus.driver} store=${store.driver} kv=${kv.driver} search=${search.driver} realtime=${realtime.driver}`,
    );
    const tokens = new TokenService(config.auth.jwtSecret ?? localSecret(config.dataDir, 'jwtSecret', logger), config.auth.accessTokenTtl);
    metrics.watchQueues(() => bus.depths());
    const secrets = new SecretBox(config.secretsKey ?? localSecret(config.dataDir, 'secretsKey', logger));
    return {
      config,
      logger,
      bus,
      store,
      kv,
      search,
      tokens,
      secrets,
      metrics,
      realtime,
      async close() {
        for (const c of owned.reverse()) await c.close().catch((err: unknown) => logger.warn({ err }, 'close failed'));
      },
    };
  } catch (err) {
    for (const c of owned.reverse()) await c.close().catch(() => undefined);
    throw err;
  }
}

/**
 * Without JWT_SECRET / SECRETS_KEY, each is generated on first start and kept (mode 0600) in the
 * data folder, so tokens and sealed secrets survive restarts of the one-process hub.
 */
function localSecret(dataDir: string, name: 'jwtSecret' | 'secretsKey', logger: Logger): string {
  const file = path.join(dataDir, 'secrets.json');
  const saved = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>) : {};
  const existing = saved[name];
  if (existing) return existing;
  const value = randomBytes(48).toString('base64url');
  writeFileSync(file, JSON.stringify({ ...saved, [name]: value }), { mode: 0o600 });
  logger.info({ file, name }, 'secret not configured: generated one and kept it in the data folder');
  return value;
}
export { Rounds } from './rounds.js';
export { serve, shutDown, type Servable, type ServeOptions } from './serve.js';
