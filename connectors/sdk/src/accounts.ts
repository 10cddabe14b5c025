import type { Channel } from '@switchboard/contracts';
import type { SecretBox } from '@switchboard/crypto';
import type { DocumentStore } from '@switchboard/store';
import { TenantCollection, type TenantDoc } from '@switchboard/tenancy';
import type { ChannelAccount } from './types.js';

export type AccountStatus = 'active' | 'error' | 'disabled';

/** A connected channel account as stored in `channel_accounts`. `_id` is the accountId. */
export interface ChannelAccountRecord extends TenantDoc {
  channel: Channel;
  /** Same as _id; kept as a field so it reads plainly in queries and exports. */
  accountId: string;
  inboxId: string;
  name: string;
  externalAccountId?: string;
  /** Every value sealed with SECRETS_KEY (SecretBox); never leaves the server. */
  credentials: Record<string, string>;
  settings: Record<string, string>;
  status: AccountStatus;
  lastError: string | null;
  lastInboundAt: Date | null;
  lastOutboundAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/** What one agent's tenant can see of an account: everything but the secrets. */
export interface ChannelAccountView {
  accountId: string;
  channel: Channel;
  inboxId: string;
  name: string;
  externalAccountId: string | null;
  settings: Record<string, string>;
  /** Names of the credentials that are set (never their values). */
  credentialsSet: string[];
  status: AccountStatus;
  lastError: string | null;
  lastInboundAt: string | null;
  lastOutboundAt: string | null;
  webhookUrl: string;
  createdAt: string;
}

/** A record of one delivered OutboundCommand: the never-twice guarantee. */
export interface DeliveryRecord extends TenantDoc {
  channel: Channel;
  accountId: string;
  idempotencyKey: string;
  messageId: string;
  conversationId: string;
  externalId: string;
  sentAt: Date;
}

/** How many accounts' opened credentials one process keeps (ChannelAccounts.open). */
const OPENED_CREDENTIALS_KEPT = 1_000;

/**
 * Channel accounts and delivery records. Handlers get tenant-pinned collections from `forTenant`;
 * the one look-up without a tenant — a webhook naming only channel and account — is a named method.
 */
export class ChannelAccounts {
  /**
   * Opened credentials by sealed form: a webhook opens its account's credentials on every call,
   * and decrypting them cost a few per cent of a busy hub's CPU. Keyed by the ciphertext itself,
   * so new credentials are never served stale; bounded, the oldest entry leaves first.
   */
  private readonly opened = new Map<string, Record<string, string>>();

  constructor(
    private readonly store: DocumentStore,
    private readonly secrets: SecretBox,
  ) {}

  forTenant(tenantId: string) {
    return {
      accounts: new TenantCollection(this.store.collection<ChannelAccountRecord>('channel_accounts'), tenantId),
      deliveries: new TenantCollection(this.store.collection<DeliveryRecord>('connector_deliveries'), tenantId),
    };
  }

  async ensureIndexes(): Promise<void> {
    await this.store.collection('channel_accounts').createIndex({ keys: { tenantId: 1, channel: 1 } });
    await this.store.collection('connector_deliveries').createIndex({ keys: { tenantId: 1, channel: 1, idempotencyKey: 1 }, unique: true });
    // A customer's reply to one of ours names the provider's id (plugin.ts withOurReplyId).
    await this.store.collection('connector_deliveries').createIndex({ keys: { tenantId: 1, channel: 1, externalId: 1 } });
  }

  /** Webhooks carry only channel and account id; the record then says which tenant it is. */
  findForWebhook(channel: Channel, accountId: string): Promise<ChannelAccountRecord | null> {
    return this.store.collection<ChannelAccountRecord>('channel_accounts').findOne({ _id: accountId, channel });
  }

  /** Every active account of a channel, for starting pull-mode receivers at boot. */
  listActive(channel: Channel): Promise<ChannelAccountRecord[]> {
    return this.store.collection<ChannelAccountRecord>('channel_accounts').find({ channel, status: { $in: ['active', 'error'] } });
  }

  /** The connector's view: credentials opened for this call only. */
  open(record: ChannelAccountRecord): ChannelAccount {
    return {
      tenantId: record.tenantId,
      channel: record.channel,
      accountId: record._id,
      inboxId: record.inboxId,
      name: record.name,
      ...(record.externalAccountId ? { externalAccountId: record.externalAccountId } : {}),
      credentials: this.credentialsOf(record),
      settings: record.settings,
    };
  }

  private credentialsOf(record: ChannelAccountRecord): Record<string, string> {
    const key = JSON.stringify(record.credentials);
    let credentials = this.opened.get(key);
    if (!credentials) {
      credentials = this.secrets.openAll(record.credentials);
      if (this.opened.size >= OPENED_CREDENTIALS_KEPT) this.opened.delete(this.opened.keys().next().value!);
      this.opened.set(key, credentials);
    }
    // A copy: connectors may not change what the next call gets.
    return { ...credentials };
  }

  seal(credentials: Record<string, string>): Record<string, string> {
    return this.secrets.sealAll(credentials);
  }
}

export function webhookPath(channel: Channel, accountId: string): string {
  return `/webhooks/${channel}/${encodeURIComponent(accountId)}`;
}

export function accountView(r: ChannelAccountRecord, publicUrl: string): ChannelAccountView {
  return {
    accountId: r._id,
    channel: r.channel,
    inboxId: r.inboxId,
    name: r.name,
    externalAccountId: r.externalAccountId ?? null,
    settings: r.settings,
    credentialsSet: Object.keys(r.credentials).sort(),
    status: r.status,
    lastError: r.lastError,
    lastInboundAt: r.lastInboundAt ? new Date(r.lastInboundAt).toISOString() : null,
    lastOutboundAt: r.lastOutboundAt ? new Date(r.lastOutboundAt).toISOString() : null,
    webhookUrl: `${publicUrl}${webhookPath(r.channel, r._id)}`,
    createdAt: new Date(r.createdAt).toISOString(),
  };
}
