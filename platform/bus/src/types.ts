import type { Channel, DomainEvent, InboundEvent, OutboundCommand } from '@switchboard/contracts';

/** How a seam is chosen: the server adapter only when its URL is configured. */
interface BusCommon {
  /** Number of inbound work partitions; every publisher and consumer must agree. Default 8. */
  partitions: number;
  /** Deliveries before a failing message is dead-lettered. Default 5. */
  deliveryLimit?: number;
  /** Name prefix of exchanges/queues (default "sb"); tests use a unique one each. */
  prefix?: string;
  /**
   * Wait before the first in-process retry of a failed handler; doubled per attempt, capped at
   * 10 s. The partition stays blocked meanwhile, which is what keeps per-thread order. Default 250.
   */
  retryDelayMs?: number;
  /** Called after a message was moved to the dead-letter queue (the sb_dead_letters_total counter). */
  onDeadLetter?: (letter: { source: string; reason: string }) => void;
  /**
   * Load shedding: `publishInbound` refuses (SB_ERR_BUS_BUSY, 503) while the event's work
   * partition holds this many messages or more, so a webhook answers 503 and its provider retries
   * later instead of the backlog growing unseen. Depths are read at most once a second, off the
   * publish path. Default 1000; 0 turns it off.
   */
  maxInboundBacklog?: number;
}
export type BusConfig =
  | (BusCommon & {
      driver: 'rabbitmq';
      url: string;
      /** Stream retention of the inbound log, e.g. "7D". Default "7D". */
      logMaxAge?: string;
      /** How long createBus waits for the broker before failing (no endless retry). Default 10000. */
      connectTimeoutMs?: number;
    })
  | (BusCommon & {
      driver: 'embedded';
      /** Folder of the journal, e.g. ./data/bus. */
      dir: string;
      /**
       * fsync every journal append and ack. Off by default: a write() already survives kill -9 of
       * the process (the OS holds it); fsync adds safety against power loss at ~1 ms per publish.
       */
      fsync?: boolean;
    });

/** Any pino-compatible logger. */
export interface BusLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** One message handed to a handler. */
export interface Delivery {
  messageId: string;
  routingKey: string;
  headers: Record<string, string>;
  /** 1 on the first delivery, 2 on the first redelivery … */
  deliveryCount: number;
  publishedAt: Date;
}

export interface Subscription {
  /** Stop receiving; in-flight handlers finish first. */
  close(): Promise<void>;
}

/** A message that could not be processed, kept with its reason (queue sb.dead). */
export interface DeadLetter {
  messageId: string;
  /** Where it came from, e.g. "sb.inbound.work.3" or "sb.outbound.telegram". */
  source: string;
  routingKey: string;
  reason: string;
  /** The original body exactly as published (UTF-8 text, normally JSON). */
  raw: string;
  headers: Record<string, string>;
  deadAt: Date;
}

/**
 * Throw from a handler to dead-letter a message at once with a reason (it will never succeed).
 * Any other error is retried until the delivery limit, then dead-lettered with its message.
 */
export class PermanentFailure extends Error {
  override readonly name = 'PermanentFailure';
}

export type InboundHandler = (event: InboundEvent, delivery: Delivery) => Promise<void>;
export type OutboundHandler = (command: OutboundCommand, delivery: Delivery) => Promise<void>;
export type EventHandler = (event: DomainEvent, delivery: Delivery) => Promise<void>;

/**
 * The message bus of design.md. Every publish resolves only once the broker (or the embedded
 * journal) has the message durably: a caller may acknowledge its channel after `await publish…`.
 */
export interface Bus {
  readonly driver: BusConfig['driver'];
  readonly partitions: number;

  /**
   * Publish an inbound event to sb.inbound (stream log + work partition chosen by
   * hash(tenantId, threadKey) mod partitions). Not validated here on purpose: a malformed event
   * must reach the dead-letter queue with its reason, so consumers validate.
   */
  publishInbound(event: unknown, opts?: { traceId?: string }): Promise<void>;
  /**
   * Publish a body exactly as received (e.g. a channel payload that could not be normalized or
   * parsed) onto sb.inbound so it ends up as a dead letter with its raw text instead of being
   * dropped. `partitionKey` picks the partition like a real event would; default partition of "".
   */
  publishInboundRaw(
    body: string | Uint8Array,
    opts?: { traceId?: string; channel?: string; partitionKey?: { tenantId: string; threadKey: string } },
  ): Promise<void>;
  /**
   * Consume inbound work. Events are validated against InboundEvent first (invalid → dead letter
   * with the validation issues as reason). Per partition, events are handled one at a time in
   * publish order; partitions run concurrently. With several consumers (processes), each
   * partition is active on exactly one of them.
   */
  consumeInbound(handler: InboundHandler, opts?: { prefetch?: number }): Promise<Subscription>;

  /** Publish an agent reply for the channel's connector (routing key = channel). */
  publishOutbound(command: OutboundCommand): Promise<void>;
  /** Consume outbound commands of one channel; competing consumers share the work. */
  consumeOutbound(channel: Channel, handler: OutboundHandler, opts?: { prefetch?: number }): Promise<Subscription>;

  /** Publish a domain event to sb.events (routing key = event type). */
  publishEvent(event: DomainEvent): Promise<void>;
  /**
   * Durable subscription `group` (one queue per group) to event types matching `patterns`
   * (AMQP topic syntax: "message.*", "#"). Each group receives every matching event once.
   */
  subscribeEvents(group: string, patterns: string[], handler: EventHandler): Promise<Subscription>;

  /** Receive dead letters (each once, acknowledged when the handler resolves). */
  consumeDeadLetters(handler: (letter: DeadLetter) => Promise<void>): Promise<Subscription>;
  /** Re-publish a dead letter's raw body to where it came from (admin "retry"). */
  retryDeadLetter(letter: DeadLetter): Promise<void>;

  /**
   * Re-feed the inbound log into the work partitions from a point in time up to `to` (default:
   * now). Processing is idempotent, so replaying what was already stored changes nothing.
   */
  replayInbound(opts: { from: Date; to?: Date }): Promise<{ replayed: number }>;

  /** Depth of every queue the bus owns (for /metrics and /readyz). */
  depths(): Promise<Record<string, number>>;
  close(): Promise<void>;
}
