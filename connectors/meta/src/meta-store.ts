import type { DocumentStore } from '@switchboard/store';
import { TenantCollection, type TenantDoc } from '@switchboard/tenancy';
import type { TemplateRef } from './whatsapp/outbound.js';

type MetaChannel = 'whatsapp' | 'instagram';

/** The customer's last message in one thread: the 24-hour window starts there. */
export interface ThreadRecord extends TenantDoc {
  channel: MetaChannel;
  accountId: string;
  threadKey: string;
  lastInboundAt: Date;
}

/** One provider message we sent, so statuses (by Meta's id) find our message again. */
export interface SentRecord extends TenantDoc {
  channel: MetaChannel;
  accountId: string;
  providerMessageId: string;
  messageId: string;
  idempotencyKey: string;
  /** Position within the reply (a caption-less album is several WhatsApp messages). */
  part: number;
  sentAt: Date;
}

/** A template an agent chose for a reply; the outbound command with this idempotencyKey sends it. */
export interface TemplateIntentRecord extends TenantDoc {
  idempotencyKey: string;
  conversationId: string;
  template: TemplateRef;
  createdAt: Date;
}

/**
 * What the Meta connectors keep beside the SDK's accounts and deliveries. Every collection is
 * pinned to a tenant; ids are deterministic so a retried write is an upsert, not a duplicate.
 */
export class MetaStore {
  constructor(private readonly store: DocumentStore) {}

  async ensureIndexes(): Promise<void> {
    await this.store.collection('meta_sent').createIndex({ keys: { tenantId: 1, channel: 1, providerMessageId: 1 } });
    await this.store.collection('meta_sent').createIndex({ keys: { tenantId: 1, idempotencyKey: 1 } });
  }

  forTenant(tenantId: string) {
    const s = this.store;
    const threads = new TenantCollection(s.collection<ThreadRecord>('meta_threads'), tenantId);
    const sent = new TenantCollection(s.collection<SentRecord>('meta_sent'), tenantId);
    const templates = new TenantCollection(s.collection<TemplateIntentRecord>('meta_template_intents'), tenantId);
    return {
      async touchThread(channel: MetaChannel, accountId: string, threadKey: string, at: Date): Promise<void> {
        const _id = `${channel}:${accountId}:${threadKey}`;
        // Only ever forward: a late redelivery of an old message must not shorten the window.
        const current = await threads.findById(_id);
        if (current && current.lastInboundAt >= at) return;
        await threads.updateOne({ _id }, { $set: { channel, accountId, threadKey, lastInboundAt: at } }, { upsert: true });
      },
      async lastInbound(channel: MetaChannel, accountId: string, threadKey: string): Promise<Date | null> {
        return (await threads.findById(`${channel}:${accountId}:${threadKey}`))?.lastInboundAt ?? null;
      },
      async recordSent(r: Omit<SentRecord, '_id' | 'tenantId' | 'sentAt'>): Promise<void> {
        await sent.updateOne({ _id: `${r.channel}:${r.providerMessageId}` }, { $set: { ...r, sentAt: new Date() } }, { upsert: true });
      },
      findSent(channel: MetaChannel, providerMessageId: string): Promise<SentRecord | null> {
        return sent.findById(`${channel}:${providerMessageId}`);
      },
      /** Parts of one reply already accepted by Meta: a retry sends only the rest. */
      partsSent(channel: MetaChannel, idempotencyKey: string): Promise<SentRecord[]> {
        return sent.find({ channel, idempotencyKey });
      },
      /** Our outbound message, by the externalId the inbox keeps for it ("out:<idempotencyKey>"). */
      findSentByKey(idempotencyKey: string): Promise<SentRecord | null> {
        return sent.findOne({ idempotencyKey }, { sort: { sentAt: 1 } });
      },
      async saveTemplate(idempotencyKey: string, conversationId: string, template: TemplateRef): Promise<void> {
        await templates.updateOne({ _id: idempotencyKey }, { $set: { idempotencyKey, conversationId, template, createdAt: new Date() } }, { upsert: true });
      },
      findTemplate(idempotencyKey: string): Promise<TemplateIntentRecord | null> {
        return templates.findById(idempotencyKey);
      },
    };
  }
}
export type TenantMetaStore = ReturnType<MetaStore['forTenant']>;
