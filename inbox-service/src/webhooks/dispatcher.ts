import type { Bus, Subscription } from '@switchboard/bus';
import { newId, type DomainEvent } from '@switchboard/contracts';
import type { SecretBox } from '@switchboard/crypto';
import type { Logger } from '@switchboard/logging';
import { DuplicateKeyError } from '@switchboard/store';
import { isDeliverable, matches } from './events.js';
import type { WebhookDeliveryRecord, WebhookRecord, WebhookRepository } from './repository.js';
import { DELIVERY_HEADER, EVENT_HEADER, SIGNATURE_HEADER, signPayload } from './signature.js';

export interface DispatcherOptions {
  /** Time a receiver has to answer, ms. */
  timeoutMs: number;
  /** Attempts per delivery before it is given up. */
  maxAttempts: number;
  /** Wait before the first retry, ms; doubled per attempt, capped at 6 h. */
  retryBaseMs: number;
  /** Consecutive failed deliveries that disable the subscription. */
  disableAfter: number;
  /** How often the scheduler looks for due deliveries; default 1000. */
  pollMs?: number;
  /** Deliveries attempted at once per scheduler pass; default 20. */
  batch?: number;
}

const MAX_BACKOFF_MS = 6 * 3600_000;
/** The event type of an admin's test delivery (never a domain event). */
export const TEST_EVENT = 'webhook.test';

type Outcome =
  | { kind: 'delivered'; status: number }
  | { kind: 'retry'; status: number | null; error: string }
  | { kind: 'failed'; status: number | null; error: string };

/**
 * Outgoing webhooks. A durable bus group ("webhooks") turns each domain event into one stored
 * delivery per matching subscription; a scheduler loop sends due deliveries, retries with
 * exponential backoff, and disables a subscription that keeps failing. Deliveries live in the
 * store, so a restart resumes them; nothing here runs inside a request.
 */
export class WebhookDispatcher {
  private subscription: Subscription | undefined;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  /** Earliest retry this process scheduled, so a short backoff is not stretched to the poll interval. */
  private wakeAt: number | undefined;
  private stopped = true;
  private readonly pollMs: number;
  private readonly batch: number;

  constructor(
    private readonly deps: { repo: WebhookRepository; bus: Bus; secrets: SecretBox; logger: Logger; options: DispatcherOptions },
  ) {
    this.pollMs = deps.options.pollMs ?? 1000;
    this.batch = deps.options.batch ?? 20;
  }

  async start(): Promise<void> {
    this.stopped = false;
    this.subscription = await this.deps.bus.subscribeEvents('webhooks', ['#'], this.onEvent);
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.subscription?.close();
    await this.running;
  }

  /** Bus handler: store the deliveries, then wake the scheduler. Throwing makes the bus retry. */
  readonly onEvent = async (event: DomainEvent): Promise<void> => {
    if (!isDeliverable(event.type)) return;
    const r = this.deps.repo.forTenant(event.tenantId);
    const hooks = (await r.webhooks.find({ enabled: true })).filter((h) => matches(h.events, event.type));
    if (!hooks.length) return;
    const body = JSON.stringify({ id: event.id, type: event.type, createdAt: event.at, tenantId: event.tenantId, data: event.data });
    const now = new Date();
    for (const hook of hooks) {
      try {
        await r.deliveries.insertOne({
          _id: newId(),
          webhookId: hook._id,
          eventId: event.id,
          eventType: event.type,
          body,
          status: 'pending',
          attempts: 0,
          nextAttemptAt: now,
          lastAttemptAt: null,
          responseStatus: null,
          durationMs: null,
          error: null,
          createdAt: now,
          deliveredAt: null,
        });
      } catch (err) {
        if (!(err instanceof DuplicateKeyError)) throw err;
      }
    }
    this.kick();
  };

  /** Run a scheduler pass now (or right after the current one). */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.schedule(0);
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.running = this.pass()
        .catch((err: unknown) => this.deps.logger.error({ err }, 'webhook scheduler pass failed'))
        .finally(() => {
          this.running = undefined;
          const more = this.again;
          this.again = false;
          const untilRetry = this.wakeAt === undefined ? this.pollMs : Math.max(0, this.wakeAt - Date.now());
          this.wakeAt = undefined;
          this.schedule(more ? 0 : Math.min(this.pollMs, untilRetry));
        });
    }, ms);
    this.timer.unref();
  }

  private async pass(): Promise<void> {
    for (;;) {
      const now = new Date();
      const due = await this.deps.repo.due(now, this.batch);
      if (!due.length) return;
      const leaseMs = this.deps.options.timeoutMs + 30_000;
      const claimed = (await Promise.all(due.map((d) => this.deps.repo.claim(d, now, leaseMs)))).filter(
        (d): d is WebhookDeliveryRecord => d !== null,
      );
      await Promise.all(claimed.map((d) => this.deliver(d)));
      if (due.length < this.batch || this.stopped) return;
    }
  }

  private async deliver(d: WebhookDeliveryRecord): Promise<void> {
    const r = this.deps.repo.forTenant(d.tenantId);
    const log = this.deps.logger.child({ tenantId: d.tenantId, webhookId: d.webhookId, deliveryId: d._id, eventType: d.eventType });
    const hook = await r.webhooks.findById(d.webhookId);
    if (!hook || !hook.enabled) {
      await r.deliveries.updateOne(
        { _id: d._id },
        { $set: { status: 'failed', nextAttemptAt: null, error: hook ? 'the subscription is disabled' : 'the subscription was deleted' } },
      );
      return;
    }
    const started = performance.now();
    const outcome = await this.send(hook, d);
    const durationMs = Math.round(performance.now() - started);
    const attempts = d.attempts + 1;
    const now = new Date();
    const common = { attempts, lastAttemptAt: now, durationMs, responseStatus: outcome.status };
    if (outcome.kind === 'delivered') {
      await r.deliveries.updateOne({ _id: d._id }, { $set: { ...common, status: 'delivered', nextAttemptAt: null, error: null, deliveredAt: now } });
      if (hook.consecutiveFailures !== 0) await r.webhooks.updateOne({ _id: hook._id }, { $set: { consecutiveFailures: 0 } });
      log.debug({ attempts, durationMs }, 'webhook delivered');
      return;
    }
    if (outcome.kind === 'retry' && attempts < this.deps.options.maxAttempts) {
      const next = new Date(now.getTime() + this.backoff(attempts));
      this.wakeAt = Math.min(this.wakeAt ?? Infinity, next.getTime());
      await r.deliveries.updateOne({ _id: d._id }, { $set: { ...common, error: outcome.error, nextAttemptAt: next } });
      log.info({ attempts, error: outcome.error, nextAttemptAt: next }, 'webhook delivery failed; will retry');
      return;
    }
    await r.deliveries.updateOne({ _id: d._id }, { $set: { ...common, status: 'failed', error: outcome.error, nextAttemptAt: null } });
    log.warn({ attempts, error: outcome.error }, 'webhook delivery given up');
    await this.countFailure(hook, log);
  }

  /**
   * An admin's "Send test event": one signed `webhook.test` POST to the subscription's address,
   * now, whether it is enabled or not. Not stored in the delivery log, never retried, and a failure
   * does not count toward disabling the subscription.
   */
  async sendTest(hook: WebhookRecord): Promise<{ ok: boolean; status: number | null; durationMs: number; error: string | null; deliveryId: string }> {
    const id = newId();
    const body = JSON.stringify({
      id,
      type: TEST_EVENT,
      createdAt: new Date().toISOString(),
      tenantId: hook.tenantId,
      data: { webhookId: hook._id, message: 'A test event sent from the Switchboard administration.' },
    });
    const started = Date.now();
    const outcome = await this.send(hook, { _id: id, body, eventType: TEST_EVENT });
    const durationMs = Date.now() - started;
    return outcome.kind === 'delivered'
      ? { ok: true, status: outcome.status, durationMs, error: null, deliveryId: id }
      : { ok: false, status: outcome.status, durationMs, error: outcome.error, deliveryId: id };
  }

  private async send(hook: WebhookRecord, d: Pick<WebhookDeliveryRecord, '_id' | 'body' | 'eventType'>): Promise<Outcome> {
    let secret: string;
    try {
      secret = this.deps.secrets.open(hook.secretSealed);
    } catch {
      return { kind: 'failed', status: null, error: 'the signing secret cannot be opened with the current SECRETS_KEY' };
    }
    const t = Math.floor(Date.now() / 1000);
    try {
      const res = await fetch(hook.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Switchboard-Webhooks/1',
          [SIGNATURE_HEADER]: signPayload(secret, d.body, t),
          [EVENT_HEADER]: d.eventType,
          [DELIVERY_HEADER]: d._id,
        },
        body: d.body,
        redirect: 'manual',
        signal: AbortSignal.timeout(this.deps.options.timeoutMs),
      });
      await res.body?.cancel().catch(() => undefined);
      if (res.status >= 200 && res.status < 300) return { kind: 'delivered', status: res.status };
      const error = `the receiver answered HTTP ${res.status}`;
      const retryable = res.status >= 500 || res.status === 408 || res.status === 429;
      return retryable ? { kind: 'retry', status: res.status, error } : { kind: 'failed', status: res.status, error };
    } catch (err) {
      const e = err as Error & { cause?: { code?: string; message?: string } };
      const error =
        e.name === 'TimeoutError' || e.name === 'AbortError'
          ? `no answer within ${this.deps.options.timeoutMs} ms`
          : `network error: ${e.cause?.code ?? e.cause?.message ?? e.message}`;
      return { kind: 'retry', status: null, error };
    }
  }

  /** Exponential, with ±20 % jitter so many failed deliveries do not retry in lockstep. */
  private backoff(attempts: number): number {
    const base = Math.min(MAX_BACKOFF_MS, this.deps.options.retryBaseMs * 2 ** (attempts - 1));
    return Math.round(base * (0.8 + Math.random() * 0.4));
  }

  private async countFailure(hook: WebhookRecord, log: Logger): Promise<void> {
    const r = this.deps.repo.forTenant(hook.tenantId);
    const limit = this.deps.options.disableAfter;
    const counted = await r.webhooks.findOneAndUpdate({ _id: hook._id }, { $inc: { consecutiveFailures: 1 } });
    if (!counted || counted.consecutiveFailures < limit) return;
    const reason = `Disabled automatically after ${counted.consecutiveFailures} deliveries in a row failed.`;
    // Only the update that flips `enabled` announces it, so several processes send one notice.
    const disabled = await r.webhooks.findOneAndUpdate(
      { _id: hook._id, enabled: true },
      { $set: { enabled: false, disabledReason: reason, updatedAt: new Date() } },
    );
    if (!disabled) return;
    await r.deliveries.updateMany(
      { webhookId: hook._id, status: 'pending' },
      { $set: { status: 'failed', nextAttemptAt: null, error: 'the subscription is disabled' } },
    );
    log.warn({ url: hook.url, failures: counted.consecutiveFailures }, 'webhook subscription disabled');
    await this.deps.bus.publishEvent({
      id: newId(),
      v: 1,
      type: 'webhook.disabled',
      tenantId: hook.tenantId,
      at: new Date().toISOString(),
      data: { webhookId: hook._id, url: hook.url, reason },
    });
  }
}
