import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import type { Server } from 'socket.io';
import { sharedBlobStore } from '@switchboard/blob';
import type { Subscription } from '@switchboard/bus';
import { requirePrincipal } from '@switchboard/auth';
import { RateLimiter, rateLimitHook, type HttpServer } from '@switchboard/http';
import { newId, type AgentPresenceView } from '@switchboard/contracts';
import type { Platform } from '@switchboard/runtime';
import { AccessAuthenticator, AuditLog, createMailer, LoginGuard, Sessions, type AccessServices } from './access/index.js';
import { refuseUndeclaredBodies } from './access/no-body.js';
import { ConversationService } from './conversations.js';
import { csatPageRoutes } from './csat/routes.js';
import { DeadLetterKeeper } from './dead-letters/keeper.js';
import { DeadLetterRepository } from './dead-letters/repository.js';
import { deadLetterRoutes } from './dead-letters/routes.js';
import { CsatService } from './csat/service.js';
import { Fanout, rooms } from './fanout.js';
import { WebOfflineMail } from './web-offline-mail.js';
import { Ingest } from './ingest.js';
import { Presence, PresenceSweeper } from './presence.js';
import { followInboxSearchEvents } from './search/follow.js';
import { InboxSearch } from './search/inbox-search.js';
import { searchRoutes, type TicketFinder } from './search/routes.js';
import { presenceRoutes } from './routes/presence.js';
import { SnoozeWaker } from './snooze-waker.js';
import { Repositories } from './repositories/index.js';
import { agentRoutes } from './routes/agents.js';
import { apiKeyRoutes } from './routes/api-keys.js';
import { auditRoutes } from './routes/audit.js';
import { authRoutes } from './routes/auth.js';
import { invitationRoutes } from './routes/invitations.js';
import { tenantRoutes } from './routes/tenants.js';
import { conversationRoutes } from './routes/conversations.js';
import { bulkConversationRoutes } from './routes/conversations-bulk.js';
import { webInboxRoutes } from './routes/web-inboxes.js';
import { cannedResponseRoutes } from './routes/canned-responses.js';
import { agentNamespace } from './sockets/agent.js';
import { widgetNamespace } from './sockets/widget.js';
import { countSockets } from './sockets/count.js';
import { rateLimitIdentity } from './caller.js';
import { privacyRoutes } from './privacy/routes.js';
import { TenantDeletion, tenantDeletionRoutes } from './tenant-deletion.js';
import { consumeConversationCommands } from './commands.js';
import { WebhookDispatcher } from './webhooks/dispatcher.js';
import { WebhookRepository } from './webhooks/repository.js';
import { webhookRoutes } from './webhooks/routes.js';
import { WidgetFiles, widgetUploadRoutes } from './widget-uploads.js';

export interface InboxServiceOptions {
  platform: Platform;
  io: Server;
  /** Consume sb.inbound work in this process (default true). */
  consume?: boolean;
  /** The time CSAT answers are stamped and their 24-hour edit window measured with; tests step it. Default: the system clock. */
  clock?: () => Date;
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
  // Files in what the widget gets carry links signed for the visitor's browser.
  const widgetFiles = new WidgetFiles(platform.tokens, platform.config.publicUrl);
  const fanout = new Fanout(io, (tenantId, msg) => widgetFiles.forVisitor(tenantId, msg));
  // Replies carry files agents uploaded: the process's one blob store, shared with the connectors.
  const blobs = await sharedBlobStore(app, platform);
  const offlineMail = new WebOfflineMail({ io, bus: platform.bus, logger });
  const conversations = new ConversationService(platform.bus, fanout, logger, platform.metrics, blobs, offlineMail);
  const csat = new CsatService({
    repos,
    conversations,
    fanout,
    bus: platform.bus,
    logger: logger.child({ component: 'csat' }),
    publicUrl: platform.config.publicUrl,
    ...(opts.clock ? { now: opts.clock } : {}),
  });
  conversations.onResolved = (r, id) => csat.resolved(r, id);
  const ingest = new Ingest(repos, platform.bus, fanout, logger, platform.metrics);
  const limiter = new RateLimiter(platform.kv, { onStoreError: (err) => logger.warn({ err }, 'rate limit store failed; request allowed') });
  const deadLetters = new DeadLetterRepository(platform.store);
  await deadLetters.ensureIndexes();
  const webhookRepo = new WebhookRepository(platform.store);
  await webhookRepo.ensureIndexes();
  const dispatcher = new WebhookDispatcher({ repo: webhookRepo, bus: platform.bus, secrets: platform.secrets, logger: logger.child({ component: 'webhooks' }), options: platform.config.webhooks });
  const authenticator = new AccessAuthenticator(repos, platform.tokens, platform.kv);
  const deletion = new TenantDeletion(platform.store, platform.bus, logger.child({ component: 'tenant-deletion' }), {
    forgetAgent: (agentId) => authenticator.forget(agentId),
  });

  const access: AccessServices = {
    repos,
    tokens: platform.tokens,
    authenticator,
    sessions: new Sessions(repos, platform.tokens, authenticator, platform.config.auth.refreshTokenTtl),
    audit: new AuditLog(repos, logger),
    guard: new LoginGuard(platform.kv),
    mailer: createMailer(platform.config.mail, logger),
    kv: platform.kv,
    secrets: platform.secrets,
    publicUrl: platform.config.publicUrl,
    logger,
  };
  // At the root, so every /api route of every plugin mounted beside this one is guarded too.
  if (!app.hasRequestDecorator('principal')) {
    requirePrincipal(app, authenticator);
    refuseUndeclaredBodies(app);
  }

  const presence = new Presence(platform.kv, platform.config.presenceTtlMs);
  // Reports add up the time agents are online from these (ticketing's group `reports`).
  const publishPresence = (tenantId: string, view: AgentPresenceView) =>
    void platform.bus
      .publishEvent({ id: newId(), v: 1, type: 'agent.presence', tenantId, at: new Date().toISOString(), data: { ...view } })
      .catch((err: unknown) => logger.warn({ err, tenantId, agentId: view.agentId }, 'agent.presence event not published'));
  // A console whose instance died says no goodbye: the sweeper turns the agent offline after the TTL.
  const presenceSweeper = new PresenceSweeper({
    presence,
    logger,
    onGone: (tenantId, view) => {
      io.of('/agent').to(rooms.agents(tenantId)).emit('presence', view);
      publishPresence(tenantId, view);
    },
  });
  const search = new InboxSearch(platform.search, repos, logger.child({ component: 'inbox-search' }));
  await search.ensure();
  let ticketFinder: TicketFinder | null = null;
  const snoozeWaker = new SnoozeWaker({ repos, conversations, logger: logger.child({ component: 'snooze-waker' }) });
  agentNamespace(io, {
    tokens: platform.tokens,
    authenticator,
    repos,
    fanout,
    logger,
    presence,
    onPresence: publishPresence,
  });
  widgetNamespace(io, {
    tokens: platform.tokens,
    repos,
    bus: platform.bus,
    fanout,
    logger,
    blobs,
    files: widgetFiles,
    maxUploadBytes: platform.config.widgetMaxUploadBytes,
    limiter,
    visitorPerMin: platform.config.rateLimits.visitorPerMin,
    csat,
  });
  countSockets(io, platform.metrics);
  // The survey page for customers outside the website, in its own scope (its form parser stays there).
  await app.register(async (scope) => csatPageRoutes(scope, { csat, repos, limiter }));

  await app.register(
    async (api) => {
      const typed = api as unknown as HttpServer;
      api.addHook('preHandler', rateLimitHook(limiter, rateLimitIdentity(platform.config.rateLimits)));
      await authRoutes(typed, access);
      await tenantRoutes(typed, access);
      await agentRoutes(typed, access);
      await invitationRoutes(typed, access);
      await apiKeyRoutes(typed, access);
      await auditRoutes(typed, access);
      await webInboxRoutes(typed, access);
      await cannedResponseRoutes(typed, access);
      await conversationRoutes(typed, { repos, conversations, fanout });
      await presenceRoutes(typed, { repos, presence });
      await bulkConversationRoutes(typed, { repos, conversations, fanout, logger });
      await widgetUploadRoutes(typed, {
        repos,
        tokens: platform.tokens,
        blobs,
        files: widgetFiles,
        limiter,
        perMinute: platform.config.rateLimits.visitorPerMin,
        maxBytes: platform.config.widgetMaxUploadBytes,
        logger,
      });
      await webhookRoutes(typed, { repo: webhookRepo, secrets: platform.secrets, dispatcher, audit: access.audit });
      await privacyRoutes(typed, { repos, bus: platform.bus, logger });
      await tenantDeletionRoutes(typed, { deletion });
      await searchRoutes(typed, { repos, search, tickets: () => ticketFinder });
      await deadLetterRoutes(typed, { letters: deadLetters, bus: platform.bus, audit: access.audit, logger });
    },
    { prefix: '/api/v1' },
  );

  let subscription: Subscription | undefined;
  let searchFollower: Subscription | undefined;
  let commands: Subscription | undefined;
  // The processes that consume inbound work also keep dead letters for admins (they compete for them).
  const keeper = opts.consume !== false ? new DeadLetterKeeper({ bus: platform.bus, letters: deadLetters, logger: logger.child({ component: 'dead-letters' }), metrics: platform.metrics }) : null;
  if (opts.consume !== false) {
    app.addHook('onReady', async () => {
      await keeper?.start();
      subscription = await platform.bus.consumeInbound(ingest.handle);
      logger.info({ partitions: platform.bus.partitions }, 'consuming inbound events');
    });
  }
  // Background consumers of sb.events: durable groups, so any one process may run them.
  app.addHook('onReady', async () => {
    await dispatcher.start();
    await deletion.start();
    searchFollower = await followInboxSearchEvents({ bus: platform.bus, search, logger });
    // What ticketing running in its own process asks of conversations (docs/automation.md).
    commands = await consumeConversationCommands({ bus: platform.bus, repos, conversations, logger });
    const rebuilt = await search.reconcile();
    if (rebuilt) logger.info({ tenants: rebuilt }, 'message and contact search index caught up with the store at start');
    snoozeWaker.start();
    presenceSweeper.start();
  });
  app.addHook('preClose', async () => {
    await dispatcher.stop();
    await deletion.stop();
    await searchFollower?.close();
    await commands?.close();
    await snoozeWaker.stop();
    await presenceSweeper.stop();
    await subscription?.close();
    await keeper?.stop();
  });
  app.decorate('inbox', { repos, conversations, access, deadLetters, search: { provideTickets: (finder: TicketFinder) => void (ticketFinder = finder) } });
}

declare module 'fastify' {
  interface FastifyInstance {
    inbox: {
      repos: Repositories;
      conversations: ConversationService;
      access: AccessServices;
      /** Dead letters kept for admins (GET /api/v1/dead-letters). */
      deadLetters: DeadLetterRepository;
      /** GET /api/v1/search: ticketing, mounted beside the inbox, hands over how it finds tickets. */
      search: { provideTickets(finder: TicketFinder): void };
    };
  }
}

export default fp(inboxService, { name: 'inbox-service', fastify: '5.x' });
