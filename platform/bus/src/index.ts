/**
 * @switchboard/bus — the Bus seam: one interface, the RabbitMQ adapter when an AMQP URL is
 * configured, the embedded journal otherwise. See docs/bus.md.
 */
import { CoreBus, coreOptions } from './core.js';
import { EmbeddedTransport } from './embedded.js';
import { busErrors, redactUrl } from './errors.js';
import { RabbitMqTransport } from './rabbitmq.js';
import type { Bus, BusConfig, BusLogger } from './types.js';

export * from './types.js';
export { BusError, busErrors, type BusErrorCode } from './errors.js';
export { partitionOf, topology, type Topology } from './core.js';
export { PUBLISH_HOLD_MS } from './rabbitmq.js';

/** The start-up line naming the adapter in use (password hidden). */
export function describeBus(config: BusConfig): string {
  const where = config.driver === 'rabbitmq' ? `RabbitMQ at ${redactUrl(config.url)}` : `embedded journal in ${config.dir}`;
  return `bus: ${where}, ${config.partitions ?? 8} partitions, prefix "${config.prefix ?? 'sb'}"`;
}

/**
 * Open the bus the config names. Fails loudly (SB_ERR_BUS_UNREACHABLE) when a configured broker
 * cannot be reached; never falls back to the embedded journal.
 */
export async function createBus(config: BusConfig, logger?: BusLogger): Promise<Bus> {
  const options = coreOptions(config);
  if (config.driver === 'rabbitmq') {
    if (!config.url) throw busErrors.config('driver "rabbitmq" needs a url (AMQP_URL)');
    const connectTimeoutMs = config.connectTimeoutMs ?? 10_000;
    const transport = await RabbitMqTransport.open({
      url: config.url,
      prefix: options.prefix,
      partitions: options.partitions,
      logMaxAge: config.logMaxAge ?? '7D',
      connectTimeoutMs,
      logger,
    });
    logger?.info({ driver: 'rabbitmq', partitions: options.partitions }, describeBus(config));
    return new CoreBus(options, transport, logger);
  }
  if (config.driver === 'embedded') {
    if (!config.dir) throw busErrors.config('driver "embedded" needs a dir (e.g. ./data/bus)');
    const transport = await EmbeddedTransport.open({
      dir: config.dir,
      prefix: options.prefix,
      partitions: options.partitions,
      fsync: config.fsync ?? false,
      logger,
    });
    logger?.info({ driver: 'embedded', partitions: options.partitions }, describeBus(config));
    return new CoreBus(options, transport, logger);
  }
  throw busErrors.config(`unknown driver "${(config as { driver?: unknown }).driver as string}"`);
}
