import type { BlobStore } from '@switchboard/blob';
import type { Subscription } from '@switchboard/bus';
import type { Platform } from '@switchboard/runtime';

/**
 * The connectors' share of deleting data: on `tenant.deleted` every blob and every connector
 * collection of the tenant goes; on `contact.erased` the erased messages' files go. Each service
 * deletes what it owns, from the same events, so nothing depends on one service knowing the
 * others' collections. Idempotent: a redelivered event deletes nothing more.
 */
export class ConnectorRetention {
  /** Collections with a tenantId that connectors own; channel plugins add theirs. */
  readonly collections = new Set<string>(['channel_accounts', 'connector_deliveries']);
  private subscription: Subscription | undefined;

  constructor(
    private readonly platform: Platform,
    private readonly blobs: BlobStore,
  ) {}

  async start(): Promise<void> {
    const { bus, store, logger } = this.platform;
    this.subscription = await bus.subscribeEvents('connectors-retention', ['tenant.deleted', 'contact.erased'], async (event) => {
      if (event.type === 'tenant.deleted') {
        const blobs = await this.blobs.deleteTenant(event.tenantId);
        let documents = 0;
        for (const name of this.collections) documents += await store.collection(name).deleteMany({ tenantId: event.tenantId });
        logger.info({ tenantId: event.tenantId, blobs, documents }, 'connector data of a deleted tenant removed');
        return;
      }
      const refs = Array.isArray(event.data.blobRefs) ? (event.data.blobRefs as unknown[]).filter((r): r is string => typeof r === 'string') : [];
      for (const ref of refs) await this.blobs.delete(event.tenantId, ref);
      if (refs.length) logger.info({ tenantId: event.tenantId, blobs: refs.length }, 'files of an erased contact removed');
    });
  }

  async stop(): Promise<void> {
    await this.subscription?.close();
  }
}
