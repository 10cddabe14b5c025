import type { TObject } from 'typebox';
import type { BlobMeta } from '@switchboard/blob';
import type { Channel, InboundEvent, OutboundCommand } from '@switchboard/contracts';
import type { Logger } from '@switchboard/logging';
import type { IndexSpec } from '@switchboard/store';
import type { TenantCollection, TenantDoc } from '@switchboard/tenancy';

/** A channel account as a connector sees it: credentials already opened, never logged. */
export interface ChannelAccount {
  tenantId: string;
  channel: Channel;
  /** Switchboard's id of the account: the webhook path segment and every event's channelAccountId. */
  accountId: string;
  inboxId: string;
  name: string;
  /** The provider's own id of the account (bot id, Slack team/bot user, phone number id), once known. */
  externalAccountId?: string;
  /** Secrets (tokens, signing secrets), opened from their sealed form for this call only. */
  credentials: Record<string, string>;
  /** Non-secret options (mode, Slack channel …). */
  settings: Record<string, string>;
}

/** An inbound HTTP request exactly as the provider sent it. */
export interface WebhookRequest {
  method: 'GET' | 'POST';
  /** Lower-case header names. */
  headers: Record<string, string | undefined>;
  query: Record<string, string | undefined>;
  /** The body bytes as received: signatures are computed over these, never over re-serialized JSON. */
  rawBody: Buffer;
}

/** An InboundEvent before the runtime stamps the fields it owns (id, v, tenant, channel, account, receivedAt). */
export type InboundDraft = Omit<InboundEvent, 'id' | 'v' | 'tenantId' | 'channel' | 'channelAccountId' | 'receivedAt'> & {
  receivedAt?: string;
};

/** What the runtime answers the provider with once every event is published (default 200 "ok"). */
export interface WebhookReply {
  status?: number;
  contentType?: string;
  body?: string | Record<string, unknown>;
}

export interface ParseResult {
  events: InboundDraft[];
  reply?: WebhookReply;
}

/** Services a connector may use while handling inbound traffic or sending. */
export interface ConnectorContext {
  logger: Logger;
  /** Store media the channel offers; returns the blob meta whose `ref` goes into an attachment. */
  saveBlob(data: Buffer | NodeJS.ReadableStream, meta: { mime: string; name: string }): Promise<BlobMeta>;
  /** Read a blob of this account's tenant (outbound attachments). */
  readBlob(ref: string): Promise<{ data: Buffer; meta: BlobMeta } | null>;
  /** Base URL the hub is reached at from the internet (PUBLIC_URL). */
  publicUrl: string;
  /** Absolute URL of this account's webhook. */
  webhookUrl: string;
  /**
   * One of the connector's own collections (declared in `Connector.collections`), pinned to this
   * account's tenant: a connector keeps state (thread maps, mailbox cursors) without ever
   * reaching another tenant's records.
   */
  collection<T extends TenantDoc>(name: string): TenantCollection<T>;
}

/** For pull-mode channels (Telegram long polling, Slack Socket Mode): hand events to the runtime. */
export interface PullContext extends ConnectorContext {
  /** Publishes with the same stamping as webhooks; resolves once the broker confirmed every event. */
  publish(events: InboundDraft[]): Promise<void>;
  /** Reports a broken account (shown as status "error" with lastError). */
  reportError(reason: string): Promise<void>;
}

export interface CheckResult {
  ok: boolean;
  /** Why not, in a sentence from the provider. */
  reason?: string;
  /** Provider id of the account, stored as externalAccountId. */
  externalAccountId?: string;
  /** Human label, e.g. "@acme_support_bot". */
  label?: string;
}

/**
 * One messaging channel. Small on purpose: the runtime does routing, accounts, publishing,
 * idempotency, retries and statuses; a connector only speaks its provider's protocol.
 */
export interface Connector {
  readonly channel: Channel;
  /** Secret fields an admin pastes (tokens, signing secrets); stored sealed, never returned. */
  readonly credentialsSchema: TObject;
  /** Non-secret settings; returned by the API. */
  readonly settingsSchema: TObject;
  /**
   * Collections the connector keeps its own records in (with their indexes): created at start-up,
   * reachable through `ctx.collection`, deleted with the tenant.
   */
  readonly collections?: readonly { name: string; indexes?: IndexSpec[] }[];
  /** Secrets the connector makes up itself for a new account (e.g. a webhook secret token). */
  generateSecrets?(): Record<string, string>;
  /** Is this request really from the provider for this account? false answers 401. */
  verify(req: WebhookRequest, account: ChannelAccount): boolean | Promise<boolean>;
  /**
   * A verified request → events (often one, sometimes none: a bot's own echo, a delivery report
   * we do not track). Throw `malformed(...)` for a body that cannot be read (answers 400).
   */
  parse(req: WebhookRequest, account: ChannelAccount, ctx: ConnectorContext): Promise<ParseResult>;
  /**
   * Deliver one agent reply; returns the provider's message id. Throw `transient(...)` or
   * `permanent(...)` (see errors.ts) — or anything else, which counts as transient.
   */
  send(command: OutboundCommand, account: ChannelAccount, ctx: ConnectorContext): Promise<{ externalId: string }>;
  /** Are the credentials accepted by the provider? Used on create and by "test connection". */
  checkCredentials(account: ChannelAccount, ctx: ConnectorContext): Promise<CheckResult>;
  /**
   * Start whatever keeps the account receiving (register a webhook, start long polling, open a
   * socket); returns how to stop it. Called on start-up and when an account is created or changed.
   */
  start?(account: ChannelAccount, ctx: PullContext): Promise<(() => Promise<void>) | void>;
}
