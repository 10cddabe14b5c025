import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import type { Server } from 'socket.io';
import type { Subscription } from '@switchboard/bus';
import { requireAgent } from '@switchboard/auth';
import type { HttpServer } from '@switchboard/http';
import type { Platform } from '@switchboard/runtime';
import { ConversationService } from './conversations.js';
import { Fanout } from './fanout.js';
import { Ingest } from './ingest.js';
import { Repositories } from './repositories/index.js';
import { authRoutes } from './routes/auth.js';
import { conversationRoutes } from './routes/conversations.js';
import { agentNamespace } from './sockets/agent.js';
import { widgetNamespace } from './sockets/widget.js';

export interface InboxServiceOptions {
  platform: Platform;
  io: Server;
  /** Consume sb.inbound work in this process (default true). */
  consume?: boolean;
}

/**
 * The inbox service: REST under /api/v1, the /agent and /widget socket.io namespaces, and the
 * consumer that stores inbound events. Mounted by the hub or run alone by main.ts.
 */
async function inboxService(app: FastifyInstance, opts: InboxServiceOptions): Promise<void> {
  const { platform, io } = opts;
  const logger = platform.logger.child({ component: 'inbox' });
  const repos = new Repositories(platform.store);
  await repos.ensureIndexes();
  const fanout = new Fanout(io);
  const conversations = new ConversationService(platform.bus, fanout, logger);
  const ingest = new Ingest(repos, platform.bus, fanout, logger);

  agentNamespace(io, { tokens: platform.tokens, repos, fanout, logger });
  widgetNamespace(io, { tokens: platform.tokens, repos, bus: platform.bus, fanout, logger });

  await app.register(
    async (api) => {
      const typed = api as unknown as HttpServer;
      requireAgent(api, platform.tokens);
      await authRoutes(typed, { repos, tokens: platform.tokens, refreshTtlSeconds: platform.config.auth.refreshTokenTtl });
      await conversationRoutes(typed, { repos, conversations });
    },
    { prefix: '/api/v1' },
  );

  let subscription: Subscription | undefined;
  if (opts.consume !== false) {
    app.addHook('onReady', async () => {
      subscription = await platform.bus.consumeInbound(ingest.handle);
      logger.info({ partitions: platform.bus.partitions }, 'consuming inbound events');
    });
  }
  app.addHook('preClose', async () => {
    await subscription?.close();
  });
  app.decorate('inbox', { repos, conversations });
}

declare module 'fastify' {
  interface FastifyInstance {
    inbox: { repos: Repositories; conversations: ConversationService };
  }
}

export default fp(inboxService, { name: 'inbox-service', fastify: '5.x' });
