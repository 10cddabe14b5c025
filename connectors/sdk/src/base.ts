import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { sharedBlobStore, type BlobStore } from '@switchboard/blob';
import type { Platform } from '@switchboard/runtime';
import { accountView, ChannelAccounts } from './accounts.js';
import { adminRead, callerTenant, ensureCaller } from './access.js';
import { blobRoutes } from './blob-routes.js';
import { ConnectorRetention } from './retention.js';

export interface ConnectorsBaseOptions {
  platform: Platform;
  /**
   * Webhooks this process handles at once, all channels together (default 256; 0: no limit).
   * Past it a webhook is answered 503 SB_ERR_WEBHOOK_BUSY at once: a saturated process then
   * sheds load visibly instead of answering everyone later and later.
   */
  maxWebhooksInFlight?: number;
}

/** Webhooks being handled in this process, and how many may be. */
export interface WebhookGate {
  inFlight: number;
  readonly max: number;
}

const DEFAULT_MAX_WEBHOOKS_IN_FLIGHT = 256;

/**
 * What all channels of a process share, mounted once before the channels: the process's blob
 * store with its upload and download routes, and GET /api/v1/channels (every connected account
 * of the tenant, for the console's settings). Decorates `app.channels`.
 */
async function connectorsBase(app: FastifyInstance, opts: ConnectorsBaseOptions): Promise<void> {
  const { platform } = opts;
  const accounts = new ChannelAccounts(platform.store, platform.secrets);
  await accounts.ensureIndexes();
  const blobs = await sharedBlobStore(app, platform);
  const retention = new ConnectorRetention(platform, blobs);
  const webhooks: WebhookGate = { inFlight: 0, max: opts.maxWebhooksInFlight ?? DEFAULT_MAX_WEBHOOKS_IN_FLIGHT };
  app.decorate('channels', { accounts, blobs, retention, webhooks });
  app.addHook('onReady', () => retention.start());
  app.addHook('preClose', () => retention.stop());
  await blobRoutes(app, { platform, blobs });
  await app.register(
    async (api) => {
      ensureCaller(api, platform.tokens);
      api.get(
        '',
        {
          config: adminRead,
          schema: { tags: ['channels'], summary: 'List every connected channel account of the team', querystring: Type.Object({}, { additionalProperties: false }) },
        },
        async (req) => {
          const tenantId = callerTenant(req);
          const list = await accounts.forTenant(tenantId).accounts.find({}, { sort: { createdAt: 1 } });
          return { items: list.map((r) => accountView(r, platform.config.publicUrl)) };
        },
      );
    },
    { prefix: '/api/v1/channels' },
  );
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Channel accounts and the blob store of this process (set by connectorsBase). */
    channels: { accounts: ChannelAccounts; blobs: BlobStore; retention: ConnectorRetention; webhooks: WebhookGate };
  }
}

export default fp(connectorsBase, { name: 'connectors-base', fastify: '5.x' });
