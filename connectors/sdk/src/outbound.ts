import { PermanentFailure, type Bus, type Delivery } from '@switchboard/bus';
import { newId, type DeliveryStatus, type OutboundCommand } from '@switchboard/contracts';
import type { KeyValue } from '@switchboard/kv';
import type { Logger } from '@switchboard/logging';
import type { Platform } from '@switchboard/runtime';
import { DuplicateKeyError } from '@switchboard/store';
import type { ChannelAccounts } from './accounts.js';
import { DeliveryError } from './errors.js';
import type { ChannelAccount, Connector, ConnectorContext } from './types.js';

export interface DelivererDeps {
  connector: Connector;
  accounts: ChannelAccounts;
  bus: Bus;
  kv: KeyValue;
  logger: Logger;
  /** sb_stage_seconds{stage="outbound"} and sb_outbound_total{status} (sent, failed, retry). */
  metrics?: Platform['metrics'];
  /** Deliveries the bus makes before dead-lettering (BUS_DELIVERY_LIMIT); the last failure becomes a visible "failed". */
  deliveryLimit: number;
  context(account: ChannelAccount): ConnectorContext;
}

/** How long one send may hold the per-key lock before another worker may try. */
const LOCK_MS = 120_000;

/**
 * Delivers agent replies for one channel. Never twice for one idempotencyKey: a delivery record is
 * looked up before sending and written after, and a KV lock keeps two workers from sending the
 * same key at the same time. The one gap left is a crash between the provider's answer and the
 * record — then the redelivered command is sent again (at-least-once on the wire).
 */
export class Deliverer {
  constructor(private readonly deps: DelivererDeps) {}

  readonly handle = async (given: OutboundCommand, delivery: Delivery): Promise<void> => {
    const { connector, accounts, kv, metrics } = this.deps;
    const started = performance.now();
    // The reply's traceId (set by the inbox, else the one the bus put on the message) goes on every line and on its status event.
    const traceId = given.traceId ?? delivery.headers['x-sb-trace-id'];
    const command: OutboundCommand = traceId ? { ...given, traceId } : given;
    const count = (status: 'sent' | 'failed' | 'retry') => {
      metrics?.outbound.inc({ channel: command.channel, status });
      metrics?.stageSeconds.observe({ stage: 'outbound', channel: command.channel }, (performance.now() - started) / 1000);
    };
    const log = this.deps.logger.child({
      tenantId: command.tenantId,
      channel: command.channel,
      conversationId: command.conversationId,
      messageId: command.messageId,
      traceId,
    });
    log.debug({ attempt: delivery.deliveryCount }, 'reply consumed');
    const scoped = accounts.forTenant(command.tenantId);
    const sent = await scoped.deliveries.findOne({ channel: command.channel, idempotencyKey: command.idempotencyKey });
    if (sent) {
      log.debug({ externalId: sent.externalId }, 'already delivered; reporting sent again');
      await this.status(command, 'sent');
      return;
    }
    const record = await scoped.accounts.findOne({ _id: command.channelAccountId, channel: command.channel });
    if (!record || record.status === 'disabled') {
      const reason = record ? 'The channel account is disabled.' : 'The channel account is no longer connected.';
      await this.status(command, 'failed', reason);
      count('failed');
      throw new PermanentFailure(reason);
    }
    const lockKey = `sb:outbound-lock:${command.tenantId}:${command.channel}:${command.idempotencyKey}`;
    if (!(await kv.set(lockKey, delivery.messageId, { nx: true, ttlMs: LOCK_MS }))) {
      throw new Error('another worker is sending this reply right now');
    }
    try {
      const account = accounts.open(record);
      let externalId: string;
      try {
        ({ externalId } = await connector.send(command, account, this.deps.context(account)));
        count('sent');
      } catch (err) {
        const permanent = err instanceof DeliveryError && err.permanent;
        const reason = errorReason(err);
        await scoped.accounts.updateOne({ _id: record._id }, { $set: { lastError: reason, updatedAt: new Date() } }).catch(() => undefined);
        if (permanent || delivery.deliveryCount >= this.deps.deliveryLimit) {
          log.warn({ reason, attempt: delivery.deliveryCount }, 'reply could not be delivered');
          count('failed');
          await this.status(command, 'failed', reason);
          throw new PermanentFailure(reason);
        }
        log.warn({ reason, attempt: delivery.deliveryCount }, 'reply delivery failed; the bus will retry');
        count('retry');
        throw err;
      }
      try {
        await scoped.deliveries.insertOne({
          _id: newId(),
          channel: command.channel,
          accountId: record._id,
          idempotencyKey: command.idempotencyKey,
          messageId: command.messageId,
          conversationId: command.conversationId,
          externalId,
          sentAt: new Date(),
        });
      } catch (err) {
        if (!(err instanceof DuplicateKeyError)) throw err;
      }
      await scoped.accounts
        .updateOne({ _id: record._id }, { $set: { lastOutboundAt: new Date(), lastError: null, status: 'active', updatedAt: new Date() } })
        .catch((err: unknown) => log.warn({ err }, 'account not updated'));
      log.info({ externalId }, 'reply delivered');
    } finally {
      await kv.del(lockKey).catch(() => undefined);
    }
    await this.status(command, 'sent');
  };

  /** A delivery status travels back as an inbound event so the inbox applies it in conversation order. */
  private status(command: OutboundCommand, status: DeliveryStatus, reason?: string): Promise<void> {
    const now = new Date().toISOString();
    return this.deps.bus.publishInbound({
      id: newId(),
      v: 1,
      tenantId: command.tenantId,
      channel: command.channel,
      channelAccountId: command.channelAccountId,
      kind: 'status',
      externalId: `status:${command.messageId}:${status}`,
      threadKey: command.threadKey,
      sender: { externalId: command.channelAccountId },
      replyTo: command.messageId,
      status,
      ...(reason ? { text: reason.slice(0, 2000) } : {}),
      sentAt: now,
      receivedAt: now,
      ...(command.traceId ? { traceId: command.traceId } : {}),
    });
  }
}

function errorReason(err: unknown): string {
  return err instanceof Error ? err.message || err.name : String(err);
}
