import type { BlobStore } from '@switchboard/blob';
import { newId, type InboundEvent } from '@switchboard/contracts';
import type { Logger } from '@switchboard/logging';
import type { DocumentStore } from '@switchboard/store';
import { TenantCollection } from '@switchboard/tenancy';
import { webhookPath } from './accounts.js';
import type { ChannelAccount, ConnectorContext, InboundDraft } from './types.js';

/** Largest media file a connector downloads into the blob store. */
export const MAX_MEDIA_BYTES = 50 * 1024 * 1024;

export interface ContextDeps {
  blobs: BlobStore;
  store: DocumentStore;
  logger: Logger;
  publicUrl: string;
  /** The connector's declared collections; any other name is refused. */
  collections: ReadonlySet<string>;
}

export function connectorContext(account: ChannelAccount, deps: ContextDeps): ConnectorContext {
  return {
    logger: deps.logger,
    collection(name) {
      if (!deps.collections.has(name)) throw new Error(`collection "${name}" is not declared in the ${account.channel} connector's collections`);
      return new TenantCollection(deps.store.collection(name), account.tenantId);
    },
    publicUrl: deps.publicUrl,
    webhookUrl: `${deps.publicUrl}${webhookPath(account.channel, account.accountId)}`,
    saveBlob: (data, meta) => deps.blobs.put(data, { tenantId: account.tenantId, mime: meta.mime, name: meta.name, maxBytes: MAX_MEDIA_BYTES }),
    async readBlob(ref) {
      const got = await deps.blobs.get(account.tenantId, ref);
      if (!got) return null;
      const chunks: Buffer[] = [];
      for await (const c of got.stream) chunks.push(Buffer.from(c as Buffer));
      return { data: Buffer.concat(chunks), meta: got.meta };
    },
  };
}

/** A draft becomes a full InboundEvent: the runtime, not the connector, owns tenant and account. */
export function stamp(account: ChannelAccount, draft: InboundDraft, traceId?: string): InboundEvent {
  const now = new Date().toISOString();
  return {
    ...draft,
    id: newId(),
    v: 1,
    tenantId: account.tenantId,
    channel: account.channel,
    channelAccountId: account.accountId,
    receivedAt: draft.receivedAt ?? now,
    ...(draft.traceId || traceId ? { traceId: draft.traceId ?? traceId } : {}),
  };
}
