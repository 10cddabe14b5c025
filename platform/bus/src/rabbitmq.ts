/**
 * The RabbitMQ transport (rabbitmq-client). Declares the topology of docs/bus.md, publishes with
 * confirms on one connection, consumes on another, acks or requeues what core decided.
 */
import { randomUUID } from 'node:crypto';
import { Connection, ConsumerStatus, type AsyncMessage, type Consumer, type ConsumerProps, type Publisher } from 'rabbitmq-client';
import { busErrors, errorText } from './errors.js';
import {
  H,
  headersToText,
  topology,
  type ConsumeOptions,
  type ExchangeKind,
  type QueueSpec,
  type ReceivedMessage,
  type Settle,
  type Topology,
  type Transport,
  type TransportSubscription,
  type WireMessage,
} from './core.js';
import type { BusLogger } from './types.js';
import { amqpSocketOf, coalesceWrites } from './write-coalescing.js';

export interface RabbitMqOptions {
  url: string;
  prefix: string;
  partitions: number;
  logMaxAge: string;
  connectTimeoutMs: number;
  logger?: BusLogger;
}

/** A replay gives up when the stream sends nothing for this long before its end marker. */
const REPLAY_IDLE_MS = 15_000;

/**
 * How long a publish waits for a lost connection to come back before it fails with
 * SB_ERR_BUS_UNAVAILABLE (503): long enough to ride out a reconnect, short enough that a webhook
 * answers 503 (and its provider retries) instead of hanging while the broker is down.
 */
export const PUBLISH_HOLD_MS = 3_000;
/** Pause between publish attempts within the hold, so a failing channel is not hammered. */
const PUBLISH_RETRY_PAUSE_MS = 100;
/**
 * How long one attempt waits for the connection (rabbitmq-client's acquireTimeout, default 20 s):
 * short, so the attempts of one publish end within about PUBLISH_HOLD_MS plus this.
 */
const ACQUIRE_TIMEOUT_MS = 1_000;
/** A consumer not set up again this long after its connection came back is replaced (consume()). */
const CONSUMER_STALL_MS = 8_000;
/** Longest close() waits for the connections' clean close before cutting them. */
const CLOSE_WAIT_MS = 5_000;

type QueueArgs = Record<string, string | boolean | number>;

export class RabbitMqTransport implements Transport {
  readonly driver = 'rabbitmq' as const;
  private readonly names: Topology;
  private readonly publisher: Publisher;
  /** Queues this process declared or checked, for depths() and sendToQueue(). */
  private readonly known = new Set<string>();
  private readonly declaring = new Map<string, Promise<void>>();
  private readonly consumers = new Set<Consumer>();
  /** Called each time the consuming connection is (re)established. */
  private readonly reconnectWatchers = new Set<() => void>();
  private started = false;

  private constructor(
    private readonly options: RabbitMqOptions,
    /** Publishing and consuming on separate connections: flow control on one never blocks acks. */
    private readonly pubConn: Connection,
    private readonly subConn: Connection,
  ) {
    this.names = topology(options.prefix);
    // Attempts are counted by send(), against PUBLISH_HOLD_MS.
    this.publisher = pubConn.createPublisher({ confirm: true, maxAttempts: 1 });
  }

  static async open(options: RabbitMqOptions): Promise<RabbitMqTransport> {
    const connect = (role: string) =>
      new Connection({
        url: options.url,
        connectionName: `switchboard-bus-${role}`,
        connectionTimeout: options.connectTimeoutMs,
        acquireTimeout: ACQUIRE_TIMEOUT_MS,
        retryLow: 250,
        // Caps the reconnect back-off: work resumes within ~2 s of the broker's return.
        retryHigh: 2_000,
        // Nagle's algorithm otherwise holds small frames (a publish, a confirm, an ack) back for
        // up to ~40 ms while an earlier one waits for its TCP ACK: see bench/README.md, ingest.
        noDelay: true,
      });
    const pubConn = connect('publish');
    const subConn = connect('consume');
    const transport = new RabbitMqTransport(options, pubConn, subConn);
    subConn.on('connection', () => {
      for (const watch of transport.reconnectWatchers) watch();
    });
    for (const conn of [pubConn, subConn]) {
      // Each reconnect brings a new socket: a turn's frames leave together (write-coalescing.ts).
      conn.on('connection', () => {
        const socket = amqpSocketOf(conn);
        if (socket) coalesceWrites(socket);
      });
    }
    for (const conn of [pubConn, subConn]) {
      // Reconnects are automatic; errors before start-up completed surface from onConnect().
      conn.on('error', (err: unknown) => {
        if (transport.started) options.logger?.error({ err: errorText(err) }, 'bus: RabbitMQ connection error');
      });
    }
    try {
      // Bounded: a broker that is not there fails start-up instead of retrying for ever.
      await Promise.all([pubConn.onConnect(options.connectTimeoutMs), subConn.onConnect(options.connectTimeoutMs)]);
    } catch (err) {
      pubConn.unsafeDestroy();
      subConn.unsafeDestroy();
      throw busErrors.unreachable(options.url, options.connectTimeoutMs, err);
    }
    try {
      await transport.declareTopology();
    } catch (err) {
      await transport.close();
      throw err;
    }
    transport.started = true;
    return transport;
  }

  async publish(exchange: ExchangeKind, msg: WireMessage): Promise<void> {
    let name: string;
    switch (exchange) {
      case 'inbound':
        name = this.names.inbound;
        break;
      case 'outbound':
        // The channel's queue exists before the first publish, so nothing published is unroutable.
        await this.declareOutbound(msg.routingKey);
        name = this.names.outbound;
        break;
      case 'events':
        name = this.names.events;
        break;
      case 'dead':
        name = this.names.dead;
        break;
    }
    await this.send(name, msg.routingKey, msg);
  }

  async sendToQueue(queue: string, msg: WireMessage): Promise<void> {
    if (!this.known.has(queue)) {
      // The default exchange drops what it cannot route; make sure the queue is there first.
      await this.subConn.queueDeclare({ queue, passive: true });
      this.known.add(queue);
    }
    await this.send('', queue, msg);
  }

  async consume(
    spec: QueueSpec,
    opts: ConsumeOptions,
    onMessage: (msg: ReceivedMessage) => Promise<Settle>,
  ): Promise<TransportSubscription> {
    const props = this.consumerProps(spec);
    const queue = props.queue as string;
    if (spec.kind === 'outbound') await this.declareOutbound(spec.channel);
    const create = () =>
      this.subConn.createConsumer(
        { ...props, qos: { prefetchCount: opts.prefetch }, concurrency: opts.concurrency, requeue: true },
        async (msg) => ((await onMessage(toReceived(msg))) === 'ack' ? ConsumerStatus.ACK : ConsumerStatus.REQUEUE),
      );
    let consumer = create();
    await this.ready(consumer, queue);
    this.known.add(queue);
    this.consumers.add(consumer);

    // After a broker restart rabbitmq-client 5 can wait for ever on a consumer's basic.consume-ok
    // (seen with RabbitMQ 3.10, inbox-service/test/faults/broker-outage.test.ts): the queue would
    // silently stop being consumed. A consumer not set up again CONSUMER_STALL_MS after its
    // connection came back is replaced by a fresh one.
    let readyAt = Date.now();
    const onReady = () => (readyAt = Date.now());
    consumer.on('ready', onReady);
    let watchdog: NodeJS.Timeout | undefined;
    let closed = false;
    const check = (since: number) => {
      clearTimeout(watchdog);
      watchdog = setTimeout(() => {
        if (closed || readyAt >= since) return;
        this.options.logger?.warn({ queue, stalledMs: Date.now() - since }, 'bus: consumer did not resume after the broker came back; replacing it');
        const stuck = consumer;
        this.consumers.delete(stuck);
        void stuck.close().catch(() => undefined);
        consumer = create();
        consumer.on('ready', onReady);
        consumer.on('error', (err: unknown) => this.options.logger?.error({ queue, err: errorText(err) }, 'bus: consumer error'));
        this.consumers.add(consumer);
        check(Date.now());
      }, CONSUMER_STALL_MS);
      watchdog.unref();
    };
    let reconnectedAt = 0;
    const onReconnect = () => check((reconnectedAt = Date.now()));
    this.reconnectWatchers.add(onReconnect);
    return {
      close: async () => {
        closed = true;
        clearTimeout(watchdog);
        this.reconnectWatchers.delete(onReconnect);
        this.consumers.delete(consumer);
        // Not set up again since the connection came back: no handler of it can still settle
        // anything, and its close could wait on that stalled set-up for ever.
        if (reconnectedAt > readyAt) void consumer.close().catch(() => undefined);
        else await consumer.close();
      },
    };
  }

  async readLog(from: Date, onMessage: (msg: WireMessage) => Promise<void>): Promise<void> {
    // A stream has no "end" over AMQP 0.9.1: append a marker and read until it comes by.
    const marker = randomUUID();
    await this.send('', this.names.log, { messageId: marker, routingKey: this.names.log, headers: { [H.replayMarker]: marker }, body: Buffer.alloc(0) });
    // rabbitmq-client cannot encode the AMQP timestamp type, so the offset is an interval
    // ("<n>s" ago) with slack; core drops what is older than `from`.
    const seconds = Math.max(1, Math.ceil((Date.now() - from.getTime()) / 1000) + 5);
    let consumer: Consumer | undefined;
    let idle: NodeJS.Timeout | undefined;
    try {
      await new Promise<void>((resolve, reject) => {
        let finished = false;
        const finish = (err?: unknown) => {
          if (finished) return;
          finished = true;
          if (err) reject(err);
          else resolve();
        };
        const armIdle = () => {
          clearTimeout(idle);
          idle = setTimeout(
            () => finish(new Error(`replay of ${this.names.log} stalled: no message for ${REPLAY_IDLE_MS / 1000} s before its end`)),
            REPLAY_IDLE_MS,
          );
        };
        armIdle();
        consumer = this.subConn.createConsumer(
          {
            queue: this.names.log,
            queueOptions: { durable: true, arguments: this.logArgs() },
            // Streams require manual acks and a prefetch; one at a time keeps publish order.
            qos: { prefetchCount: 500 },
            concurrency: 1,
            arguments: { 'x-stream-offset': `${seconds}s` },
          },
          async (msg) => {
            if (finished) return;
            armIdle();
            const wire = toReceived(msg);
            const seen = wire.headers[H.replayMarker];
            if (seen === marker) return finish();
            if (seen) return; // another replay's marker
            try {
              await onMessage(wire);
            } catch (err) {
              finish(err);
            }
          },
        );
        consumer.on('error', (err: unknown) => this.options.logger?.warn({ err: errorText(err) }, 'bus: replay consumer error'));
      });
    } finally {
      clearTimeout(idle);
      await consumer?.close();
    }
  }

  async depths(): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const queue of [...this.known].sort()) {
      try {
        out[queue] = (await this.subConn.queueDeclare({ queue, passive: true })).messageCount;
      } catch (err) {
        this.options.logger?.warn({ queue, err: errorText(err) }, 'bus: queue depth unavailable');
      }
    }
    return out;
  }

  async close(): Promise<void> {
    this.started = false;
    await Promise.allSettled([...this.consumers].map((c) => c.close()));
    this.consumers.clear();
    await this.publisher.close().catch(() => undefined);
    // A connection whose channel waits on a reply that never comes (a consumer's stalled set-up,
    // see consume()) would hold its clean close for ever: past CLOSE_WAIT_MS it is cut.
    let timer: NodeJS.Timeout | undefined;
    const cut = new Promise<'cut'>((resolve) => (timer = setTimeout(() => resolve('cut'), CLOSE_WAIT_MS)));
    const closed = Promise.allSettled([this.subConn.close(), this.pubConn.close()]);
    if ((await Promise.race([closed, cut])) === 'cut') {
      this.options.logger?.warn({ waitedMs: CLOSE_WAIT_MS }, 'bus: RabbitMQ connections did not close cleanly; cutting them');
      this.subConn.unsafeDestroy();
      this.pubConn.unsafeDestroy();
    }
    clearTimeout(timer);
  }

  // -- topology --------------------------------------------------------------------------------

  private logArgs(): QueueArgs {
    return { 'x-queue-type': 'stream', 'x-max-age': this.options.logMaxAge };
  }

  /**
   * Quorum queues (replicated, they count deliveries). The dead-letter exchange is a safety net
   * for what the broker itself rejects; core dead-letters with a reason before that happens.
   */
  private quorumArgs(singleActive = false): QueueArgs {
    const args: QueueArgs = { 'x-queue-type': 'quorum', 'x-dead-letter-exchange': this.names.dead };
    if (singleActive) args['x-single-active-consumer'] = true;
    return args;
  }

  private async declareTopology(): Promise<void> {
    const c = this.pubConn;
    const n = this.names;
    await c.exchangeDeclare({ exchange: n.inbound, type: 'topic', durable: true });
    await c.exchangeDeclare({ exchange: n.outbound, type: 'direct', durable: true });
    await c.exchangeDeclare({ exchange: n.events, type: 'topic', durable: true });
    await c.exchangeDeclare({ exchange: n.dead, type: 'topic', durable: true });
    await c.queueDeclare({ queue: n.deadQueue, durable: true, arguments: { 'x-queue-type': 'quorum' } });
    await c.queueBind({ queue: n.deadQueue, exchange: n.dead, routingKey: '#' });
    await c.queueDeclare({ queue: n.log, durable: true, arguments: this.logArgs() });
    await c.queueBind({ queue: n.log, exchange: n.inbound, routingKey: '#' });
    for (let p = 0; p < this.options.partitions; p++) {
      await c.queueDeclare({ queue: n.work(p), durable: true, arguments: this.quorumArgs(true) });
      await c.queueBind({ queue: n.work(p), exchange: n.inbound, routingKey: `${p}.#` });
      this.known.add(n.work(p));
    }
    this.known.add(n.deadQueue);
  }

  private declareOutbound(channel: string): Promise<void> {
    const queue = this.names.outboundQueue(channel);
    let declared = this.declaring.get(queue);
    if (!declared) {
      declared = (async () => {
        await this.pubConn.queueDeclare({ queue, durable: true, arguments: this.quorumArgs() });
        await this.pubConn.queueBind({ queue, exchange: this.names.outbound, routingKey: channel });
        this.known.add(queue);
      })();
      declared.catch(() => this.declaring.delete(queue));
      this.declaring.set(queue, declared);
    }
    return declared;
  }

  /** Queue, exchange and bindings, re-declared by rabbitmq-client after every reconnect. */
  private consumerProps(spec: QueueSpec): ConsumerProps {
    const n = this.names;
    switch (spec.kind) {
      case 'work':
        return {
          queue: n.work(spec.partition),
          queueOptions: { durable: true, arguments: this.quorumArgs(true) },
          exchanges: [{ exchange: n.inbound, type: 'topic', durable: true }],
          queueBindings: [{ queue: n.work(spec.partition), exchange: n.inbound, routingKey: `${spec.partition}.#` }],
        };
      case 'outbound':
        return {
          queue: n.outboundQueue(spec.channel),
          queueOptions: { durable: true, arguments: this.quorumArgs() },
          exchanges: [{ exchange: n.outbound, type: 'direct', durable: true }],
          queueBindings: [{ queue: n.outboundQueue(spec.channel), exchange: n.outbound, routingKey: spec.channel }],
        };
      case 'events':
        return {
          queue: n.eventsQueue(spec.group),
          queueOptions: { durable: true, arguments: this.quorumArgs() },
          exchanges: [{ exchange: n.events, type: 'topic', durable: true }],
          queueBindings: spec.patterns.map((routingKey) => ({ queue: n.eventsQueue(spec.group), exchange: n.events, routingKey })),
        };
      case 'dead':
        return {
          queue: n.deadQueue,
          queueOptions: { durable: true, arguments: { 'x-queue-type': 'quorum' } },
          exchanges: [{ exchange: n.dead, type: 'topic', durable: true }],
          queueBindings: [{ queue: n.deadQueue, exchange: n.dead, routingKey: '#' }],
        };
    }
  }

  // -- wire ------------------------------------------------------------------------------------

  /**
   * Publishes and waits for the broker's confirm. A publish cut off by a lost connection is sent
   * again once the connection is back (a duplicate is harmless: consumers are idempotent), for up
   * to PUBLISH_HOLD_MS (the attempt under way may add ACQUIRE_TIMEOUT_MS); after that it fails
   * with SB_ERR_BUS_UNAVAILABLE.
   */
  private async send(exchange: string, routingKey: string, msg: WireMessage): Promise<void> {
    const deadline = Date.now() + PUBLISH_HOLD_MS;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.publisher.send(
          {
            exchange,
            routingKey,
            messageId: msg.messageId,
            headers: msg.headers,
            durable: true,
            timestamp: Math.floor(Date.now() / 1000),
          },
          msg.body,
        );
        if (attempt > 1) this.options.logger?.info({ messageId: msg.messageId, attempt }, 'bus: publish confirmed after a retry');
        return;
      } catch (err) {
        if (!this.started || Date.now() + PUBLISH_RETRY_PAUSE_MS >= deadline) {
          throw busErrors.unavailable(PUBLISH_HOLD_MS, err);
        }
        if (attempt === 1) this.options.logger?.warn({ err: errorText(err), messageId: msg.messageId }, 'bus: publish not confirmed; retrying until the connection is back');
        await new Promise((r) => setTimeout(r, PUBLISH_RETRY_PAUSE_MS));
      }
    }
  }

  /** Resolves when the consumer is set up; rejects with the broker's reason if setup failed. */
  private ready(consumer: Consumer, queue: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const onReady = () => {
        consumer.off('error', onError);
        consumer.on('error', (err: unknown) =>
          this.options.logger?.error({ queue, err: errorText(err) }, 'bus: consumer error'),
        );
        resolve();
      };
      const onError = (err: unknown) => {
        consumer.off('ready', onReady);
        void consumer.close();
        reject(err instanceof Error ? err : new Error(errorText(err)));
      };
      consumer.once('ready', onReady);
      consumer.once('error', onError);
    });
  }
}

/** Normalize a delivery: exact body bytes, text headers, 1-based delivery count. */
function toReceived(msg: AsyncMessage): ReceivedMessage {
  const headers = headersToText(msg.headers);
  // Quorum queues count returns in x-delivery-count (absent on the first delivery).
  const returned = Number(msg.headers?.['x-delivery-count'] ?? (msg.redelivered ? 1 : 0));
  let body: Buffer;
  if (Buffer.isBuffer(msg.body)) body = msg.body;
  else if (typeof msg.body === 'string') body = Buffer.from(msg.body, 'utf8');
  else body = Buffer.from(JSON.stringify(msg.body) ?? '', 'utf8'); // a foreign publisher's application/json
  return {
    messageId: msg.messageId ?? randomUUID(),
    routingKey: msg.routingKey,
    headers,
    body,
    deliveryCount: (Number.isFinite(returned) ? returned : 0) + 1,
  };
}
