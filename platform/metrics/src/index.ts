import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The stages of sb_stage_seconds, in path order (outbound is the reply's way out). */
export const STAGES = ['webhook', 'publish', 'consume', 'store', 'emit', 'end_to_end', 'outbound'] as const;
export type Stage = (typeof STAGES)[number];

/**
 * Prometheus metrics of one process. Each stage of the inbound path reports its latency, so the
 * slow stage is visible: webhook → publish → consume → store → emit.
 */
export class Metrics {
  readonly registry = new Registry();

  /** Seconds spent in one stage of the message path. */
  readonly stageSeconds = new Histogram({
    name: 'sb_stage_seconds',
    help:
      'Latency of one stage of the message path: webhook (request received → handed to the bus), publish (bus publish → confirm), ' +
      'consume (published → consumer starts), store, emit, end_to_end (received → emitted), outbound (reply consumed → channel API answered).',
    labelNames: ['stage', 'channel'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  readonly messagesStored = new Counter({
    name: 'sb_messages_stored_total',
    help: 'Messages stored, by channel and direction.',
    labelNames: ['channel', 'direction'] as const,
    registers: [this.registry],
  });

  readonly duplicates = new Counter({
    name: 'sb_inbound_duplicates_total',
    help: 'Inbound events that were already stored (redeliveries, provider retries).',
    labelNames: ['channel'] as const,
    registers: [this.registry],
  });

  readonly redeliveries = new Counter({
    name: 'sb_redeliveries_total',
    help: 'Inbound events handled on a second or later delivery.',
    registers: [this.registry],
  });

  readonly outbound = new Counter({
    name: 'sb_outbound_total',
    help: 'Outbound messages by channel and status: queued (inbox), sent, failed and retry (connector delivery).',
    labelNames: ['channel', 'status'] as const,
    registers: [this.registry],
  });

  readonly deadLetters = new Counter({
    name: 'sb_dead_letters_total',
    help: 'Messages this process moved to the dead-letter queue, by the queue they came from.',
    labelNames: ['source'] as const,
    registers: [this.registry],
  });

  /** The bus's onDeadLetter observer: counts the letter under the queue it came from. */
  readonly countDeadLetter = ({ source }: { source: string }): void => {
    this.deadLetters.inc({ source });
  };

  readonly deadLettersKept = new Counter({
    name: 'sb_dead_letters_kept_total',
    help: 'Dead letters stored for admins; owner "none" = the body names no tenant, so no team sees it (only logs show it).',
    labelNames: ['owner'] as const,
    registers: [this.registry],
  });

  readonly sockets = new Gauge({
    name: 'sb_sockets',
    help: 'Connected sockets by namespace.',
    labelNames: ['namespace'] as const,
    registers: [this.registry],
  });

  readonly webhooksInFlight = new Gauge({
    name: 'sb_webhooks_in_flight',
    help: 'Webhooks this process has received and not answered yet (bounded: above the limit they are answered 503).',
    registers: [this.registry],
  });

  readonly webhooksShed = new Counter({
    name: 'sb_webhooks_shed_total',
    help: 'Webhooks answered 503 to shed load, by reason: in_flight (this process is at its limit) or backlog (the work partition is backed up).',
    labelNames: ['channel', 'reason'] as const,
    registers: [this.registry],
  });

  readonly queueDepth = new Gauge({
    name: 'sb_queue_depth',
    help: 'Messages waiting in each bus queue (read at scrape time).',
    labelNames: ['queue'] as const,
    registers: [this.registry],
  });

  constructor(opts: { service: string; defaultMetrics?: boolean }) {
    this.registry.setDefaultLabels({ service: opts.service });
    if (opts.defaultMetrics !== false) collectDefaultMetrics({ register: this.registry });
  }

  /** Reads queue depths just before a scrape; a failing read leaves the last values. */
  watchQueues(read: () => Promise<Record<string, number>>): void {
    const gauge = this.queueDepth;
    const collect = async () => {
      try {
        for (const [queue, depth] of Object.entries(await read())) gauge.set({ queue }, depth);
      } catch {
        // the broker being down is reported by /readyz; keep the last known depths
      }
    };
    this.collectors.push(collect);
  }

  private readonly collectors: (() => Promise<void>)[] = [];

  async render(): Promise<{ contentType: string; body: string }> {
    await Promise.all(this.collectors.map((c) => c()));
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}

/** GET /metrics in Prometheus text format (public: scrape it from inside the network only). */
export function metricsRoute(
  app: { get: (path: string, opts: object, handler: (req: unknown, reply: MetricsReply) => Promise<unknown>) => unknown },
  metrics: Metrics,
): void {
  app.get('/metrics', { schema: { hide: true }, config: { public: true } }, async (_req, reply) => {
    const { contentType, body } = await metrics.render();
    return reply.type(contentType).send(body);
  });
}

interface MetricsReply {
  type(contentType: string): { send(body: string): unknown };
}
