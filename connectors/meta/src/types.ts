import type { Attachment, DeliveryStatus, InboundEvent } from '@switchboard/contracts';

/** An inbound event as a normalizer sees it: everything but what the runtime adds (ids, tenant, account, receive time). */
export type NormalizedEvent = Omit<InboundEvent, 'id' | 'v' | 'tenantId' | 'channel' | 'channelAccountId' | 'receivedAt' | 'traceId'>;

/** Media an attachment still points at on Meta's side; fetched into the blob store before publishing. */
export interface PendingMedia {
  /** Index into event.attachments. */
  index: number;
  /** WhatsApp media id (resolved through GET /{media-id}). */
  mediaId?: string;
  /** Instagram attachments come with a CDN URL that expires. */
  url?: string;
}

export interface InboundItem {
  type: 'event';
  /** The Meta account the event arrived on: phone_number_id (WhatsApp) or the IG professional account id. */
  accountId: string;
  event: NormalizedEvent;
  media: PendingMedia[];
}

/** Delivery status of a message we sent, keyed by Meta's id for it. */
export interface StatusItem {
  type: 'status';
  accountId: string;
  providerMessageId: string;
  status: Exclude<DeliveryStatus, 'queued'>;
  error?: string;
  at: string;
  recipientId: string;
}

export type MetaItem = InboundItem | StatusItem;

export type AttachmentKind = Attachment['kind'];

export function isoFromSeconds(ts: string | number | undefined): string {
  const n = Number(ts);
  return Number.isFinite(n) && n > 0 ? new Date(n * 1000).toISOString() : new Date().toISOString();
}

export function isoFromMillis(ts: string | number | undefined): string {
  const n = Number(ts);
  return Number.isFinite(n) && n > 0 ? new Date(n).toISOString() : new Date().toISOString();
}
