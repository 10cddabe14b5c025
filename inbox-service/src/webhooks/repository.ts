import type { DocumentStore } from '@switchboard/store';
import { TenantCollection, type TenantDoc } from '@switchboard/tenancy';

export interface WebhookRecord extends TenantDoc {
  url: string;
  /** Event types, or ['*'] for all. */
  events: string[];
  description?: string;
  /** The signing secret sealed with SECRETS_KEY; the plaintext is shown once, at creation. */
  secretSealed: string;
  enabled: boolean;
  /** Why it was disabled automatically; null while enabled or when disabled by a person. */
  disabledReason: string | null;
  /** Deliveries in a row that ended failed; a delivered one resets it. */
  consecutiveFailures: number;
  createdAt: Date;
  updatedAt: Date;
}

export type DeliveryStatus = 'pending' | 'delivered' | 'failed';

export interface WebhookDeliveryRecord extends TenantDoc {
  webhookId: string;
  eventId: string;
  eventType: string;
  /** The exact bytes sent on every attempt (the signature covers them). */
  body: string;
  status: DeliveryStatus;
  attempts: number;
  /** When the scheduler should try next; while an attempt runs, the end of its lease. Null when done. */
  nextAttemptAt: Date | null;
  lastAttemptAt: Date | null;
  responseStatus: number | null;
  durationMs: number | null;
  error: string | null;
  createdAt: Date;
  deliveredAt: Date | null;
}

export interface TenantWebhooks {
  webhooks: TenantCollection<WebhookRecord>;
  deliveries: TenantCollection<WebhookDeliveryRecord>;
}

export const WEBHOOK_COLLECTIONS = ['webhooks', 'webhook_deliveries'] as const;

/** Webhook subscriptions and their delivery log; handlers get tenant-pinned collections only. */
export class WebhookRepository {
  constructor(private readonly store: DocumentStore) {}

  private get allDeliveries() {
    return this.store.collection<WebhookDeliveryRecord>('webhook_deliveries');
  }

  forTenant(tenantId: string): TenantWebhooks {
    return {
      webhooks: new TenantCollection(this.store.collection<WebhookRecord>('webhooks'), tenantId),
      deliveries: new TenantCollection(this.allDeliveries, tenantId),
    };
  }

  async ensureIndexes(): Promise<void> {
    await this.store.collection('webhooks').createIndex({ keys: { tenantId: 1, enabled: 1 } });
    // One delivery per (subscription, event): a redelivered bus event adds nothing.
    await this.allDeliveries.createIndex({ keys: { webhookId: 1, eventId: 1 }, unique: true });
    await this.allDeliveries.createIndex({ keys: { status: 1, nextAttemptAt: 1 } });
    await this.allDeliveries.createIndex({ keys: { tenantId: 1, webhookId: 1, createdAt: -1 } });
  }

  /** The scheduler's look-up across tenants: pending deliveries whose time has come. */
  due(now: Date, limit: number): Promise<WebhookDeliveryRecord[]> {
    return this.allDeliveries.find({ status: 'pending', nextAttemptAt: { $lte: now } }, { sort: { nextAttemptAt: 1 }, limit });
  }

  /**
   * Take one due delivery for `leaseMs`: only one process wins, and if it dies mid-attempt the
   * lease runs out and the delivery is due again (restart-safe, at-least-once).
   */
  claim(delivery: WebhookDeliveryRecord, now: Date, leaseMs: number): Promise<WebhookDeliveryRecord | null> {
    return this.allDeliveries.findOneAndUpdate(
      { _id: delivery._id, tenantId: delivery.tenantId, status: 'pending', nextAttemptAt: { $lte: now } },
      { $set: { nextAttemptAt: new Date(now.getTime() + leaseMs) } },
    );
  }
}
