import type { FastifyInstance } from 'fastify';
import type { Server } from 'socket.io';
import { Type } from 'typebox';
import { adminOnly, callerTenant, connectorPlugin, ensureCaller } from '@switchboard/connectors-sdk';
import { errors } from '@switchboard/http';
import { rooms } from '@switchboard/inbox-service';
import type { Platform } from '@switchboard/runtime';
import { whatsappWebConnector } from './connector.js';
import type { WaClientFactory } from './seam.js';
import { snapshotOf, type SessionSnapshot, type WaWebSession } from './session.js';
import { SessionStore } from './session-store.js';
import { wwebjsFactory } from './wwebjs-client.js';

export interface WhatsappWebOptions {
  platform: Platform;
  /** socket.io server whose /agent namespace gets 'channel:session' pushes (admins only). */
  io?: Server;
  /** Default: whatsapp-web.js with LocalAuth under DATA_DIR and WHATSAPP_WEB_CHROMIUM. Tests pass a double. */
  factory?: WaClientFactory;
  deliver?: boolean;
  reconnectDelayMs?: number;
}

/** The socket event admins receive when a session changes (state, QR code, health). */
export const SESSION_EVENT = 'channel:session';

/**
 * WhatsApp Web on the connectors SDK: accounts under /api/v1/channels/whatsapp-web, one linked
 * session per account (run in this process — one replica only, a phone links one browser), and
 * GET /api/v1/channels/whatsapp-web/:accountId/session for the QR code and health.
 */
export async function whatsappWebConnectors(app: FastifyInstance, opts: WhatsappWebOptions): Promise<void> {
  const { platform } = opts;
  const store = new SessionStore(platform.store);
  await store.ensureIndexes();
  for (const name of ['whatsapp_web_sessions', 'whatsapp_web_sent']) app.channels?.retention.collections.add(name);
  const factory = opts.factory ?? wwebjsFactory({ dataDir: platform.config.dataDir, chromiumPath: platform.config.whatsappWeb.chromiumPath });
  const notify = (tenantId: string, snapshot: SessionSnapshot) => {
    const io = opts.io;
    if (!io) return;
    // A QR code links a phone to the channel: only admins get it.
    void io
      .of('/agent')
      .in(rooms.agents(tenantId))
      .fetchSockets()
      .then((sockets) => {
        for (const s of sockets) {
          const data = s.data as { agent?: { role?: string }; principal?: { role?: string } };
          if ((data.principal?.role ?? data.agent?.role) === 'admin') s.emit(SESSION_EVENT, snapshot);
        }
      })
      .catch((err: unknown) => platform.logger.warn({ err, tenantId }, 'session push failed'));
  };
  const sessions = new Map<string, WaWebSession>();
  const connector = whatsappWebConnector({ factory, store, notify, sessions, ...(opts.reconnectDelayMs ? { reconnectDelayMs: opts.reconnectDelayMs } : {}) });
  await app.register(connectorPlugin, { platform, connector, ...(opts.deliver !== undefined ? { deliver: opts.deliver } : {}) });

  await app.register(
    async (api) => {
      ensureCaller(api, platform.tokens);
      api.get(
        '/:accountId/session',
        {
          config: adminOnly,
          schema: { tags: ['channels'], summary: 'WhatsApp Web session: state, QR code to scan, health', params: Type.Object({ accountId: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false }) },
        },
        async (req) => {
          const tenantId = callerTenant(req);
          const record = await store.forTenant(tenantId).sessions.findById((req.params as { accountId: string }).accountId);
          if (!record) throw errors.notFound('The WhatsApp Web session');
          return snapshotOf(record);
        },
      );
    },
    { prefix: '/api/v1/channels/whatsapp-web' },
  );
}
