/**
 * The bus logic, written once: envelopes, partitioning, validation of consumed payloads, retry
 * policy, dead letters, replay. Adapters (rabbitmq.ts, embedded.ts) implement `Transport` — they
 * only declare, publish, consume, ack/requeue and close.
 */
import { randomUUID } from 'node:crypto';
import {
  describeIssues,
  domainEventValidator,
  inboundEventValidator,
  outboundCommandValidator,
  type Channel,
  type DomainEvent,
  type OutboundCommand,
  type Validator,
} from '@switchboard/contracts';
import { busErrors, errorText } from './errors.js';
import { timeSlicer } from './time-slice.js';
import type {
  Bus,
  BusConfig,
  BusLogger,
  DeadLetter,
  Delivery,
  EventHandler,
  InboundHandler,
  OutboundHandler,
  Subscription,
} from './types.js';

// ---------------------------------------------------------------------------------------------
// Names and headers

/** Every exchange and queue name the bus uses, derived from the prefix ("sb"). */
export interface Topology {
  prefix: string;
  inbound: string;
  log: string;
  work(partition: number): string;
  outbound: string;
  outboundQueue(channel: string): string;
  events: string;
  eventsQueue(group: string): string;
  dead: string;
  deadQueue: string;
}

export function topology(prefix = 'sb'): Topology {
  return {
    prefix,
    inbound: `${prefix}.inbound`,
    log: `${prefix}.inbound.log`,
    work: (p) => `${prefix}.inbound.work.${p}`,
    outbound: `${prefix}.outbound`,
    outboundQueue: (channel) => `${prefix}.outbound.${channel}`,
    events: `${prefix}.events`,
    eventsQueue: (group) => `${prefix}.events.${group}`,
    dead: `${prefix}.dead`,
    deadQueue: `${prefix}.dead`,
  };
}

/** Headers the bus sets; everything else a broker adds (x-delivery-count …) is not passed on. */
export const H = {
  traceId: 'x-sb-trace-id',
  publishedAt: 'x-sb-published-at',
  /** The routing key a message was first published with (kept when re-sent to one queue). */
  routingKey: 'x-sb-routing-key',
  source: 'x-sb-source',
  reason: 'x-sb-reason',
  deadAt: 'x-sb-dead-at',
  replayedAt: 'x-sb-replayed-at',
  retriedAt: 'x-sb-retried-at',
  /** On a dead letter: how many times it was handed to a handler before it was given up. */
  attempts: 'x-sb-attempts',
  /** Marks the end of a replay read on the RabbitMQ stream; never handed to a handler. */
  replayMarker: 'x-sb-replay-marker',
} as const;

// ---------------------------------------------------------------------------------------------
// The transport primitives an adapter provides

/** One message on the wire: the body is the exact bytes published. */
export interface WireMessage {
  messageId: string;
  routingKey: string;
  headers: Record<string, string>;
  body: Buffer;
}

export interface ReceivedMessage extends WireMessage {
  /** 1 on the first delivery by the transport, +1 for every return to the queue. */
  deliveryCount: number;
}

/** What the transport does with a message after core handled it (dead letters are acked). */
export type Settle = 'ack' | 'requeue';

export type ExchangeKind = 'inbound' | 'outbound' | 'events' | 'dead';

export type QueueSpec =
  | { kind: 'work'; partition: number }
  | { kind: 'outbound'; channel: string }
  | { kind: 'events'; group: string; patterns: string[] }
  | { kind: 'dead' };

export interface ConsumeOptions {
  /** Messages held unacknowledged by this consumer. */
  prefetch: number;
  /** Messages handled at once; 1 means strictly in queue order. */
  concurrency: number;
}

export interface TransportSubscription {
  /** Stop consuming; resolves once running handlers settled; unsettled messages go back. */
  close(): Promise<void>;
}

export interface Transport {
  readonly driver: BusConfig['driver'];
  /**
   * Resolves once the message is durably routed: broker confirm or journal append.
   * exchange "inbound" routes to the log and to work queue `<p>` of routing key `<p>.<channel>`;
   * "outbound" to the queue of the channel (declared first); "events" by topic pattern to
   * every group queue; "dead" to the dead-letter queue.
   */
  publish(exchange: ExchangeKind, msg: WireMessage): Promise<void>;
  /** Put a message into one queue only (replay, retry of a dead letter). */
  sendToQueue(queue: string, msg: WireMessage): Promise<void>;
  /**
   * Consume a queue (declaring it and its bindings). Work queues have a single active consumer
   * across all processes. `onMessage` never throws.
   */
  consume(
    queue: QueueSpec,
    opts: ConsumeOptions,
    onMessage: (msg: ReceivedMessage) => Promise<Settle>,
  ): Promise<TransportSubscription>;
  /**
   * Read the inbound log in publish order from about `from` (earlier messages may be included,
   * core filters) up to what was in it when the call started.
   */
  readLog(from: Date, onMessage: (msg: WireMessage) => Promise<void>): Promise<void>;
  /** Messages waiting to be delivered (not counting those being handled) per queue this process knows. */
  depths(): Promise<Record<string, number>>;
  close(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// Pure helpers (exported for unit tests)

/** 32-bit FNV-1a over the UTF-8 bytes: stable across processes, versions and languages. */
export function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(text, 'utf8')) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/** p = fnv1a(tenantId + NUL + threadKey) mod partitions; missing fields hash as "". */
export function partitionOf(tenantId: unknown, threadKey: unknown, partitions: number): number {
  return fnv1a(`${asText(tenantId)}\u0000${asText(threadKey)}`) % partitions;
}

/** A value usable as one routing-key word, or "unknown" (so odd input still routes). */
export function routingWord(value: unknown): string {
  return typeof value === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(value) ? value : 'unknown';
}

/**
 * AMQP topic matching: words split on ".", "*" matches exactly one word, "#" zero or more.
 * Used by the embedded adapter; RabbitMQ does the same on the server.
 */
export function topicMatches(pattern: string, routingKey: string): boolean {
  const p = pattern.split('.');
  const k = routingKey === '' ? [] : routingKey.split('.');
  const memo = new Map<string, boolean>();
  const match = (i: number, j: number): boolean => {
    const key = `${i},${j}`;
    const known = memo.get(key);
    if (known !== undefined) return known;
    let result: boolean;
    if (i === p.length) result = j === k.length;
    else if (p[i] === '#') result = match(i + 1, j) || (j < k.length && match(i, j + 1));
    else result = j < k.length && (p[i] === '*' || p[i] === k[j]) && match(i + 1, j + 1);
    memo.set(key, result);
    return result;
  };
  return match(0, 0);
}

/** Delay before retry n (1-based): base·2^(n-1), at most 10 s. */
export function backoffMs(base: number, attempt: number): number {
  return Math.min(10_000, base * 2 ** Math.max(0, attempt - 1));
}

/** Header values of any broker type as text (tables as JSON), so handlers see strings only. */
export function headersToText(headers: Record<string, unknown> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(headers ?? {})) {
    if (value === undefined || value === null) continue;
    if (typeof value === 'string') out[key] = value;
    else if (Buffer.isBuffer(value)) out[key] = value.toString('utf8');
    else if (typeof value === 'object') out[key] = JSON.stringify(value);
    else out[key] = String(value);
  }
  return out;
}

function asText(value: unknown): string {
  return typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value);
}

function nonEmpty(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Only our own headers reach handlers; broker bookkeeping (x-delivery-count, x-death) does not. */
function publicHeaders(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(headers)) {
    if (!key.startsWith('x-') || key.startsWith('x-sb-')) out[key] = value;
  }
  return out;
}

function isPermanent(err: unknown): boolean {
  return err instanceof Error && err.name === 'PermanentFailure';
}

/** The handler failed because the broker could not confirm its own publish: not the message's fault. */
function isBrokerOutage(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    if ((e as { code?: unknown }).code === 'SB_ERR_BUS_UNAVAILABLE') return true;
  }
  return false;
}

type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

function parseAs<T>(body: Buffer, what: string, validator: Validator<T>): Parsed<T> {
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch (err) {
    return { ok: false, reason: `unparsable JSON: ${errorText(err)}` };
  }
  const result = validator.validate(value);
  if (!result.ok) return { ok: false, reason: `invalid ${what}: ${describeIssues(result.issues)}` };
  return { ok: true, value: result.value };
}

// ---------------------------------------------------------------------------------------------
// Subscriptions

/** Lets close() interrupt a retry back-off and stop handing out new messages. */
/** Inbound messages a partition's consumer holds and handles at once (different threads only). */
const INBOUND_PREFETCH = 32;

/** Runs tasks of one key one after another, in the order `run` was called; other keys overlap. */
export class SerialPerKey<T> {
  private readonly tails = new Map<string, Promise<unknown>>();

  run(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key);
    const result = previous ? previous.then(task) : task();
    const tail = result.catch(() => undefined);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }

  /** Keys with a task running or waiting. */
  get size(): number {
    return this.tails.size;
  }
}

/**
 * Consumed messages are handled in turns of at most this many milliseconds of the event loop
 * (time-slice.ts): one per process, as the loop is. Long enough that a turn costs nothing
 * measurable, short enough that webhooks and sockets are served between turns.
 */
const CONSUMER_SLICE_MS = 10;
const takeTurn = timeSlicer(CONSUMER_SLICE_MS);

class Runner {
  closing = false;
  private readonly wakers = new Set<() => void>();

  sleep(ms: number): Promise<void> {
    if (this.closing) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.wakers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.wakers.add(wake);
    });
  }

  stop(): void {
    this.closing = true;
    for (const wake of [...this.wakers]) wake();
  }
}

// ---------------------------------------------------------------------------------------------
// The Bus

export interface CoreOptions {
  partitions: number;
  deliveryLimit: number;
  retryDelayMs: number;
  prefix: string;
  onDeadLetter?: (letter: { source: string; reason: string }) => void;
  /** publishInbound refuses while the partition holds this many messages (0 = never). */
  maxInboundBacklog?: number;
}

/** How often, at most, publishInbound reads the work queues' depths for load shedding. */
const BACKLOG_READ_MS = 1000;

export function coreOptions(config: BusConfig): CoreOptions {
  const partitions = config.partitions ?? 8;
  if (!Number.isInteger(partitions) || partitions < 1 || partitions > 1024) {
    throw busErrors.config(`partitions must be an integer from 1 to 1024, got ${String(config.partitions)}`);
  }
  const deliveryLimit = config.deliveryLimit ?? 5;
  if (!Number.isInteger(deliveryLimit) || deliveryLimit < 1) {
    throw busErrors.config(`deliveryLimit must be a positive integer, got ${String(config.deliveryLimit)}`);
  }
  const prefix = config.prefix ?? 'sb';
  if (!/^[A-Za-z0-9_-]+$/.test(prefix)) {
    throw busErrors.config(`prefix may hold letters, digits, "_" and "-" only, got "${prefix}"`);
  }
  const retryDelayMs = config.retryDelayMs ?? 250;
  if (!(retryDelayMs >= 0)) throw busErrors.config(`retryDelayMs must be ≥ 0, got ${String(retryDelayMs)}`);
  const maxInboundBacklog = config.maxInboundBacklog ?? 1_000;
  if (!Number.isInteger(maxInboundBacklog) || maxInboundBacklog < 0) {
    throw busErrors.config(`maxInboundBacklog must be an integer ≥ 0, got ${String(config.maxInboundBacklog)}`);
  }
  return { partitions, deliveryLimit, retryDelayMs, prefix, maxInboundBacklog, ...(config.onDeadLetter ? { onDeadLetter: config.onDeadLetter } : {}) };
}

export class CoreBus implements Bus {
  readonly driver: BusConfig['driver'];
  readonly partitions: number;
  private readonly names: Topology;
  private readonly subscriptions = new Set<Subscription>();
  private closed = false;

  constructor(
    private readonly options: CoreOptions,
    private readonly transport: Transport,
    private readonly logger?: BusLogger,
  ) {
    this.driver = transport.driver;
    this.partitions = options.partitions;
    this.names = topology(options.prefix);
  }

  // -- publishing ------------------------------------------------------------------------------

  async publishInbound(event: unknown, opts?: { traceId?: string }): Promise<void> {
    this.assertOpen();
    const fields = isRecord(event) ? event : {};
    const p = partitionOf(fields.tenantId, fields.threadKey, this.partitions);
    this.assertNotBackedUp(p);
    const body = Buffer.from(JSON.stringify(event) ?? 'null', 'utf8');
    await this.transport.publish(
      'inbound',
      this.envelope(`${p}.${routingWord(fields.channel)}`, body, nonEmpty(fields.id), opts?.traceId ?? nonEmpty(fields.traceId)),
    );
  }

  async publishInboundRaw(
    body: string | Uint8Array,
    opts?: { traceId?: string; channel?: string; partitionKey?: { tenantId: string; threadKey: string } },
  ): Promise<void> {
    this.assertOpen();
    const key = opts?.partitionKey;
    const p = partitionOf(key?.tenantId, key?.threadKey, this.partitions);
    const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : Buffer.from(body);
    await this.transport.publish('inbound', this.envelope(`${p}.${routingWord(opts?.channel)}`, bytes, undefined, opts?.traceId));
  }

  async publishOutbound(command: OutboundCommand): Promise<void> {
    this.assertOpen();
    this.assertValid('OutboundCommand', outboundCommandValidator, command);
    const body = Buffer.from(JSON.stringify(command), 'utf8');
    await this.transport.publish('outbound', this.envelope(command.channel, body, command.id, command.traceId));
  }

  async publishEvent(event: DomainEvent): Promise<void> {
    this.assertOpen();
    this.assertValid('DomainEvent', domainEventValidator, event);
    const body = Buffer.from(JSON.stringify(event), 'utf8');
    await this.transport.publish('events', this.envelope(event.type, body, event.id, event.traceId));
  }

  // -- consuming -------------------------------------------------------------------------------

  async consumeInbound(handler: InboundHandler, opts?: { prefetch?: number }): Promise<Subscription> {
    const prefetch = opts?.prefetch ?? INBOUND_PREFETCH;
    // One consumer per partition handling up to `prefetch` messages at once, but one at a time
    // per thread: the transport hands messages over in queue order and each waits for the
    // thread's previous one, so a conversation's events keep their order while others overlap.
    return this.subscribe(
      Array.from({ length: this.partitions }, (_, p) => ({ kind: 'work', partition: p }) as const),
      { prefetch, concurrency: prefetch },
      (runner, spec) => {
        const source = this.names.work((spec as { partition: number }).partition);
        const threads = new SerialPerKey<Settle>();
        return (msg) => {
          const parsed = parseAs(msg.body, 'InboundEvent', inboundEventValidator);
          const key = parsed.ok ? `${parsed.value.tenantId}\u0000${parsed.value.threadKey}` : '';
          return threads.run(key, () => this.handle(runner, source, msg, parsed, handler));
        };
      },
    );
  }

  async consumeOutbound(channel: Channel, handler: OutboundHandler, opts?: { prefetch?: number }): Promise<Subscription> {
    const prefetch = opts?.prefetch ?? 4;
    const source = this.names.outboundQueue(routingWord(channel));
    return this.subscribe([{ kind: 'outbound', channel: routingWord(channel) }], { prefetch, concurrency: prefetch }, (runner) => (msg) =>
      this.handle(runner, source, msg, parseAs(msg.body, 'OutboundCommand', outboundCommandValidator), handler),
    );
  }

  async subscribeEvents(group: string, patterns: string[], handler: EventHandler): Promise<Subscription> {
    if (!/^[A-Za-z0-9_-]{1,100}$/.test(group)) {
      throw busErrors.config(`event group may hold letters, digits, "_" and "-" only, got "${group}"`);
    }
    if (patterns.length === 0) throw busErrors.config(`event group "${group}" needs at least one pattern`);
    const source = this.names.eventsQueue(group);
    // One at a time per group instance: an indexer sees ticket.updated #1 before #2.
    return this.subscribe([{ kind: 'events', group, patterns }], { prefetch: 10, concurrency: 1 }, (runner) => (msg) =>
      this.handle(runner, source, msg, parseAs(msg.body, 'DomainEvent', domainEventValidator), handler),
    );
  }

  async consumeDeadLetters(handler: (letter: DeadLetter) => Promise<void>): Promise<Subscription> {
    return this.subscribe([{ kind: 'dead' }], { prefetch: 10, concurrency: 1 }, (runner) => async (msg) => {
      if (runner.closing) return 'requeue';
      try {
        await handler(this.toDeadLetter(msg));
        return 'ack';
      } catch (err) {
        // A dead letter has nowhere further to go: keep it, try again later.
        this.logger?.error({ err, messageId: msg.messageId }, 'bus: dead-letter handler failed; kept for later');
        await runner.sleep(backoffMs(this.options.retryDelayMs, msg.deliveryCount));
        return 'requeue';
      }
    });
  }

  async retryDeadLetter(letter: DeadLetter): Promise<void> {
    this.assertOpen();
    const { prefix } = this.options;
    if (!letter.source.startsWith(`${prefix}.`) || letter.source === this.names.deadQueue || letter.source === this.names.log) {
      throw busErrors.deadLetter(`its source "${letter.source}" is not a work, outbound or events queue of this bus`);
    }
    const headers: Record<string, string> = { ...letter.headers, [H.routingKey]: letter.routingKey, [H.retriedAt]: new Date().toISOString() };
    // A retried message starts its attempts afresh; the count belonged to the letter.
    delete headers[H.attempts];
    await this.transport.sendToQueue(letter.source, {
      messageId: letter.messageId,
      routingKey: letter.routingKey,
      headers,
      body: Buffer.from(letter.raw, 'utf8'),
    });
  }

  async replayInbound(opts: { from: Date; to?: Date }): Promise<{ replayed: number }> {
    this.assertOpen();
    const from = opts.from.getTime();
    const now = Date.now();
    const until = opts.to ? Math.min(opts.to.getTime(), now) : now;
    let replayed = 0;
    await this.transport.readLog(opts.from, async (msg) => {
      const at = Date.parse(msg.headers[H.publishedAt] ?? '');
      if (!Number.isFinite(at) || at < from || at > until) return;
      const p = this.partitionOfMessage(msg);
      // Straight into the work queue: the log must not record the same event twice.
      await this.transport.sendToQueue(this.names.work(p), {
        ...msg,
        headers: { ...msg.headers, [H.routingKey]: msg.headers[H.routingKey] ?? msg.routingKey, [H.replayedAt]: new Date(now).toISOString() },
      });
      replayed++;
    });
    this.logger?.info({ from: opts.from.toISOString(), to: new Date(until).toISOString(), replayed }, 'bus: inbound log replayed');
    return { replayed };
  }

  depths(): Promise<Record<string, number>> {
    return this.transport.depths();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.allSettled([...this.subscriptions].map((s) => s.close()));
    await this.transport.close();
  }

  // -- internals -------------------------------------------------------------------------------

  private envelope(routingKey: string, body: Buffer, messageId?: string, traceId?: string): WireMessage {
    return {
      messageId: messageId ?? randomUUID(),
      routingKey,
      headers: {
        [H.traceId]: traceId ?? randomUUID().replaceAll('-', ''),
        [H.publishedAt]: new Date().toISOString(),
      },
      body,
    };
  }

  private assertOpen(): void {
    if (this.closed) throw busErrors.closed();
  }

  /** Last read depth of each work queue, and when it was read (load shedding, docs/bus.md). */
  private backlog: Record<string, number> = {};
  private backlogReadAt = 0;
  private backlogReading = false;

  /**
   * Refuses an inbound publish while its partition is backed up. Depths come from the last read
   * (at most one a second, started here and not awaited), so the check costs no round trip.
   */
  private assertNotBackedUp(p: number): void {
    const limit = this.options.maxInboundBacklog ?? 0;
    if (limit <= 0) return;
    const now = Date.now();
    if (!this.backlogReading && now - this.backlogReadAt >= BACKLOG_READ_MS) {
      this.backlogReading = true;
      this.backlogReadAt = now;
      this.transport
        .depths()
        .then((d) => (this.backlog = d))
        .catch(() => undefined) // the broker being down is reported by /readyz and by the publish itself
        .finally(() => (this.backlogReading = false));
    }
    const queue = this.names.work(p);
    const depth = this.backlog[queue] ?? 0;
    if (depth >= limit) throw busErrors.busy(queue, depth, limit);
  }

  private assertValid<T>(what: string, validator: Validator<T>, value: unknown): void {
    const result = validator.validate(value);
    if (!result.ok) throw busErrors.invalidMessage(what, describeIssues(result.issues));
  }

  private partitionOfMessage(msg: WireMessage): number {
    try {
      const value: unknown = JSON.parse(msg.body.toString('utf8'));
      if (isRecord(value)) return partitionOf(value.tenantId, value.threadKey, this.partitions);
    } catch {
      // not JSON: fall back to the partition it was published to
    }
    const routingKey = msg.headers[H.routingKey] ?? msg.routingKey;
    const published = Number.parseInt(routingKey.split('.')[0] ?? '', 10);
    return Number.isInteger(published) && published >= 0 ? published % this.partitions : 0;
  }

  private async subscribe(
    specs: QueueSpec[],
    opts: ConsumeOptions,
    makeHandler: (runner: Runner, spec: QueueSpec) => (msg: ReceivedMessage) => Promise<Settle>,
  ): Promise<Subscription> {
    this.assertOpen();
    const runner = new Runner();
    const opened: TransportSubscription[] = [];
    try {
      for (const spec of specs) opened.push(await this.transport.consume(spec, opts, makeHandler(runner, spec)));
    } catch (err) {
      runner.stop();
      await Promise.allSettled(opened.map((s) => s.close()));
      throw err;
    }
    let closing: Promise<void> | undefined;
    const subscription: Subscription = {
      close: () => {
        closing ??= (async () => {
          runner.stop();
          await Promise.allSettled(opened.map((s) => s.close()));
          this.subscriptions.delete(subscription);
        })();
        return closing;
      },
    };
    this.subscriptions.add(subscription);
    return subscription;
  }

  /** The retry policy: in-process retries with back-off, then a dead letter with the reason. */
  private async handle<T>(
    runner: Runner,
    source: string,
    msg: ReceivedMessage,
    parsed: Parsed<T>,
    handler: (value: T, delivery: Delivery) => Promise<void>,
  ): Promise<Settle> {
    await takeTurn();
    if (runner.closing) return 'requeue';
    if (!parsed.ok) return this.deadLetter(runner, source, msg, parsed.reason, msg.deliveryCount);
    const limit = this.options.deliveryLimit;
    if (msg.deliveryCount > limit) {
      return this.deadLetter(runner, source, msg, `delivery limit ${limit} exceeded: consumers stopped while handling it`, msg.deliveryCount);
    }
    // Retrying here rather than by requeue keeps the partition's order (the message stays at
    // the head) and gives a back-off; the transport's count still covers crashes in between.
    let outage = false;
    for (let attempt = msg.deliveryCount; ; attempt++) {
      try {
        await handler(parsed.value, this.delivery(msg, attempt));
        return 'ack';
      } catch (err) {
        if (isBrokerOutage(err)) {
          // A broker restart must not use up the message's attempts and end it as a dead letter:
          // wait the outage out (each publish already held PUBLISH_HOLD_MS), then try again.
          if (!outage) this.logger?.warn({ source, messageId: msg.messageId, traceId: msg.headers[H.traceId] }, 'bus: handler waits for the broker');
          outage = true;
          await runner.sleep(Math.max(this.options.retryDelayMs, 250));
          if (runner.closing) return 'requeue';
          attempt--;
          continue;
        }
        if (isPermanent(err) || attempt >= limit) return this.deadLetter(runner, source, msg, errorText(err), attempt);
        this.logger?.warn(
          { err, source, messageId: msg.messageId, attempt, traceId: msg.headers[H.traceId] },
          'bus: handler failed; retrying',
        );
        await runner.sleep(backoffMs(this.options.retryDelayMs, attempt));
        if (runner.closing) return 'requeue';
      }
    }
  }

  private delivery(msg: ReceivedMessage, attempt: number): Delivery {
    const published = Date.parse(msg.headers[H.publishedAt] ?? '');
    return {
      messageId: msg.messageId,
      routingKey: msg.headers[H.routingKey] ?? msg.routingKey,
      headers: publicHeaders(msg.headers),
      deliveryCount: attempt,
      publishedAt: new Date(Number.isFinite(published) ? published : Date.now()),
    };
  }

  private async deadLetter(runner: Runner, source: string, msg: ReceivedMessage, reason: string, attempts: number): Promise<Settle> {
    const headers: Record<string, string> = {
      ...publicHeaders(msg.headers),
      [H.source]: source,
      [H.reason]: reason.slice(0, 2000),
      [H.deadAt]: new Date().toISOString(),
      [H.routingKey]: msg.headers[H.routingKey] ?? msg.routingKey,
      [H.attempts]: String(attempts),
    };
    try {
      await this.transport.publish('dead', { messageId: msg.messageId, routingKey: source, headers, body: msg.body });
    } catch (err) {
      this.logger?.error({ err, source, messageId: msg.messageId }, 'bus: could not dead-letter; message kept');
      await runner.sleep(this.options.retryDelayMs);
      return 'requeue';
    }
    this.logger?.warn(
      { source, messageId: msg.messageId, reason, traceId: msg.headers[H.traceId] },
      'bus: message dead-lettered',
    );
    try {
      this.options.onDeadLetter?.({ source, reason });
    } catch {
      // an observer's failure never holds up the bus
    }
    return 'ack';
  }

  private toDeadLetter(msg: ReceivedMessage): DeadLetter {
    const h = msg.headers;
    // Letters the broker dead-lettered by itself (x-death) have no x-sb-* reason.
    const source = h[H.source] ?? h['x-first-death-queue'] ?? 'unknown';
    const reason = h[H.reason] ?? `dead-lettered by the broker (${h['x-first-death-reason'] ?? 'unknown reason'})`;
    const deadAt = Date.parse(h[H.deadAt] ?? '');
    const headers = publicHeaders(h);
    delete headers[H.source];
    delete headers[H.reason];
    delete headers[H.deadAt];
    return {
      messageId: msg.messageId,
      source,
      routingKey: h[H.routingKey] ?? msg.routingKey,
      reason,
      raw: msg.body.toString('utf8'),
      headers,
      deadAt: new Date(Number.isFinite(deadAt) ? deadAt : Date.now()),
    };
  }
}
