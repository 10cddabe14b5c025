/**
 * Re-feeds the inbound log (sb.inbound.log) into the inbound work queues through
 * `bus.replayInbound`, for example after the store was restored from a backup or work queues were
 * lost. Ingest is idempotent: events already stored are recognised and change nothing.
 *
 *   npm run replay -- --from 2026-12-01T08:00:00Z [--to 2026-12-01T12:00:00Z]
 *
 * The bus comes from the usual environment (AMQP_URL, BUS_PREFIX, BUS_PARTITIONS; without
 * AMQP_URL the embedded journal under DATA_DIR/bus, which only one process may hold: stop the
 * service first). Exit codes: 0 done, 1 the replay failed, 2 bad arguments. See docs/bus.md.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { BusConfig } from '@switchboard/bus';

const USAGE = `Usage: npm run replay -- --from <ISO time> [--to <ISO time>]

Re-feeds the inbound log into the inbound work queues, from --from up to --to (default: now).
Times are ISO 8601, e.g. 2026-12-01T08:00:00Z (without a zone: local time).
The bus is the configured one: AMQP_URL (RabbitMQ), else the embedded journal under DATA_DIR.`;

class UsageError extends Error {}

const ISO = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}(:?\d{2})?)?)?$/i;

function isoTime(name: string, value: string): Date {
  const ms = ISO.test(value.trim()) ? Date.parse(value.trim()) : NaN;
  if (!Number.isFinite(ms)) throw new UsageError(`--${name} must be an ISO 8601 time such as 2026-12-01T08:00:00Z, got "${value}".`);
  return new Date(ms);
}

function parse(argv: string[]): { from: Date; to: Date | undefined } | 'help' {
  let values: { from?: string | undefined; to?: string | undefined; help?: boolean | undefined };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { from: { type: 'string' }, to: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (values.help) return 'help';
  if (values.from === undefined) throw new UsageError('--from is required: the time from which to replay the inbound log.');
  const from = isoTime('from', values.from);
  const to = values.to === undefined ? undefined : isoTime('to', values.to);
  if (to && to.getTime() < from.getTime()) throw new UsageError(`--to (${to.toISOString()}) is before --from (${from.toISOString()}).`);
  if (from.getTime() > Date.now()) throw new UsageError(`--from (${from.toISOString()}) is in the future: there is nothing to replay.`);
  return { from, to };
}

async function main(): Promise<number> {
  let args: ReturnType<typeof parse>;
  try {
    args = parse(process.argv.slice(2));
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`replay: ${err.message}\n\n${USAGE}\n`);
    return 2;
  }
  if (args === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  // Loaded only now, so that a mistyped command line is answered at once.
  const [{ createBus, describeBus }, { loadConfig }, { createLogger }] = await Promise.all([
    import('@switchboard/bus'),
    import('@switchboard/config'),
    import('@switchboard/logging'),
  ]);
  const config = loadConfig();
  const common = { partitions: config.bus.partitions, deliveryLimit: config.bus.deliveryLimit, prefix: config.bus.prefix };
  const busConfig: BusConfig = config.bus.amqpUrl
    ? { driver: 'rabbitmq', url: config.bus.amqpUrl, ...common }
    : { driver: 'embedded', dir: path.join(config.dataDir, 'bus'), ...common };
  // Warnings of the bus go to stderr as JSON lines; stdout carries the summary only.
  const logger = createLogger({ level: 'warn', format: 'json', service: 'replay', destination: process.stderr });
  const started = performance.now();
  const bus = await createBus(busConfig, logger);
  try {
    process.stdout.write(`${describeBus(busConfig)}\n`);
    const to = args.to ?? new Date();
    process.stdout.write(`replaying inbound events published from ${args.from.toISOString()} to ${to.toISOString()} …\n`);
    const { replayed } = await bus.replayInbound({ from: args.from, to });
    const seconds = (performance.now() - started) / 1000;
    process.stdout.write(`replayed ${replayed} inbound event${replayed === 1 ? '' : 's'} into the work queues in ${seconds.toFixed(1)} s\n`);
  } finally {
    await bus.close();
  }
  return 0;
}

try {
  process.exitCode = await main();
} catch (err) {
  const e = err as Error & { code?: string };
  process.stderr.write(`replay failed: ${e.code ? `${e.code}: ` : ''}${e.message}\n`);
  process.exitCode = 1;
}
