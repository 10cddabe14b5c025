import type { FastifyInstance } from 'fastify';
import { connectorPlugin } from '@switchboard/connectors-sdk';
import type { Platform } from '@switchboard/runtime';
import type { MetaDeps } from './deps.js';
import { instagramConnector } from './instagram/connector.js';
import { MetaStore } from './meta-store.js';
import { metaRoutes } from './routes.js';
import { whatsappConnector } from './whatsapp/connector.js';

export interface MetaConnectorsOptions {
  platform: Platform;
  /** Which Meta channels to mount (default both). */
  channels?: ('whatsapp' | 'instagram')[];
  /** Consume sb.outbound.<channel> and deliver in this process (default true). */
  deliver?: boolean;
}

/**
 * WhatsApp Cloud API and Instagram Messaging on the connectors SDK: webhooks under
 * /webhooks/<channel>/<accountId>, accounts under /api/v1/channels/<channel>, plus the reply
 * window and template routes. Needs connectorsBase registered first. Mounted by the hub or run alone by main.ts.
 */
export async function metaConnectors(app: FastifyInstance, opts: MetaConnectorsOptions): Promise<void> {
  const { platform } = opts;
  const store = new MetaStore(platform.store);
  await store.ensureIndexes();
  if (!app.hasDecorator('channels')) throw new Error('register connectorsBase before the Meta connectors');
  for (const name of ['meta_sent', 'meta_threads', 'meta_template_intents']) app.channels.retention.collections.add(name);
  const { blobs } = app.channels;
  const deps: MetaDeps = {
    store,
    secrets: platform.secrets,
    graphUrl: platform.config.meta.graphUrl,
    graphVersion: platform.config.meta.graphVersion,
    instagramGraphUrl: platform.config.meta.instagramGraphUrl,
  };
  const channels = opts.channels ?? ['whatsapp', 'instagram'];
  const common = { platform, ...(opts.deliver !== undefined ? { deliver: opts.deliver } : {}) };
  if (channels.includes('whatsapp')) await app.register(connectorPlugin, { ...common, connector: whatsappConnector(deps) });
  if (channels.includes('instagram')) await app.register(connectorPlugin, { ...common, connector: instagramConnector(deps) });
  await metaRoutes(app, { platform, store, blobs });
}
