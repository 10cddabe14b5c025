import fp from 'fastify-plugin';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { requirePrincipal } from '@switchboard/auth';
import type { Subscription } from '@switchboard/bus';
import { ErrorBody, TicketView } from '@switchboard/contracts';
import { errors, type HttpServer } from '@switchboard/http';
import { AccessAuthenticator, Presence, Repositories, rooms } from '@switchboard/inbox-service';
import type { Platform } from '@switchboard/runtime';
import type { Server } from 'socket.io';
import { DIRECTORY_COLLECTIONS, directoryApiKey, directoryService } from './directory/index.js';
import { CrmLinker } from './tickets/crm-link.js';
import { ticketAdminRoutes } from './tickets/admin-routes.js';
import { TicketStore, TICKETING_COLLECTIONS } from './tickets/repository.js';
import { ticketRoutes } from './tickets/routes.js';
import { TicketScheduler } from './tickets/scheduler.js';
import { ticketFinder } from './tickets/console-search.js';
import { TicketSearch } from './tickets/search.js';
import { TicketService } from './tickets/service.js';
import { noteView, ticketView } from './tickets/views.js';
import { crmContactRoutes } from './crm/routes.js';
import { mentionRoutes } from './mentions/routes.js';
import { mountAutomation, type Automation } from './automation/index.js';
import { mountReports, type Reports } from './reports/index.js';
import { MentionService } from './mentions/service.js';
import type { CrmProvider } from './crm/types.js';
import type { TicketSettingsRecord } from './tickets/records.js';

export interface TicketingOptions {
  platform: Platform;
  /** socket.io server: agents with a ticket's conversation open get 'ticket:updated' live. */
  io?: Server;
  /** Run the clocks (SLA breaches, auto-close, reassignment) and the CRM link outbox here (default true). */
  background?: boolean;
  /** Scheduler round and CRM retry timings (tests shorten them). */
  schedulerEveryMs?: number;
  crmPollMs?: number;
  crmRetryBaseMs?: number;
  /** Base URL of the built-in directory; default this server's own address. */
  directoryUrl?: string;
  /** A CRM per tenant instead of the configured one (tests). */
  crmProvider?(settings: NonNullable<TicketSettingsRecord['crm']>, tenantId: string): CrmProvider;
  /** Automation timings (tests shorten the idle sweep and the loop backstop). */
  automation?: { idleEveryMs?: number; capRuns?: number; capWindowMs?: number };
}

/**
 * Ticketing: tickets from conversations, their lifecycle, assignment, SLA clocks and CRM links,
 * plus the built-in contact directory. REST under /api/v1 (tickets, teams, ticket-fields,
 * ticket-settings, directory/contacts); consumes sb.events (message.created, contact.merged,
 * tenant.deleted). Mounted by the hub or run alone by main.ts.
 */
async function ticketing(app: FastifyInstance, opts: TicketingOptions): Promise<void> {
  const { platform } = opts;
  const logger = platform.logger.child({ component: 'ticketing' });
  const inbox = new Repositories(platform.store);
  const store = new TicketStore(platform.store);
  await store.ensureIndexes();
  const presence = new Presence(platform.kv);
  if (!app.hasRequestDecorator('principal')) requirePrincipal(app, new AccessAuthenticator(inbox, platform.tokens, platform.kv));

  const search = new TicketSearch(platform.search, store, logger);
  await search.ensure();
  // The inbox's GET /api/v1/search shows tickets too when ticketing runs in the same process.
  if (app.hasDecorator('inbox')) app.inbox.search.provideTickets(ticketFinder(search, store));
  let linker: CrmLinker | undefined;
  const agentNs = () => opts.io?.of('/agent');
  const mentions = new MentionService({ inbox, logger, toAgent: (tenantId, agentId, m) => agentNs()?.to(rooms.agent(tenantId, agentId)).emit('mention', m) });
  const tickets = new TicketService({
    store,
    inbox,
    bus: platform.bus,
    presence,
    logger,
    onCrmPending: (t) => linker?.nudge(t),
    onAssigned: (t) => assignConversations(t),
    ...(app.hasDecorator('inbox') ? { setConversationFields: (tenantId: string, id: string, fields: { teamId: string | null; slaDueAt: Date | null }) => app.inbox.conversations.setTicketFields(inbox.forTenant(tenantId), id, fields) } : {}),
    onNoteAdded: async (t, note) => {
      await mentions.noteAdded(t.tenantId, t, note);
      // Notes are live: agents with one of the ticket's conversations open see it at once.
      const ns = agentNs();
      if (ns) for (const conversationId of t.conversationIds) ns.to(rooms.conversation(t.tenantId, conversationId)).emit('ticket:note', noteView(note));
    },
    onChanged: (t) => {
      search.put(t);
      // Only to the rooms of its conversations: agents there passed the conversation's access check.
      if (opts.io) {
        const view = ticketView(t);
        const ns = opts.io.of('/agent');
        for (const conversationId of t.conversationIds) ns.to(rooms.conversation(t.tenantId, conversationId)).emit('ticket:updated', view);
      }
    },
  });
  // The inbox's own service when it runs in this process (it also tells agents live); else the records directly.
  const inboxService = app.hasDecorator('inbox') ? (app as unknown as { inbox: { conversations: { assign(r: unknown, id: string, agentId: string | null): Promise<unknown> } } }).inbox : null;
  async function assignConversations(t: { tenantId: string; conversationIds: string[]; assigneeId: string | null; _id: string }): Promise<void> {
    const conversations = inbox.forTenant(t.tenantId).conversations;
    for (const conversationId of t.conversationIds) {
      const conv = await conversations.findById(conversationId);
      if (!conv || conv.assigneeId === t.assigneeId) continue;
      if (inboxService) await inboxService.conversations.assign(inbox.forTenant(t.tenantId), conversationId, t.assigneeId);
      else await conversations.updateOne({ _id: conversationId }, { $set: { assigneeId: t.assigneeId, updatedAt: new Date() } });
    }
  }
  const ownUrl = () => {
    const address = app.server.address() as AddressInfo | null;
    return address ? `http://127.0.0.1:${address.port}` : platform.config.publicUrl;
  };
  linker = new CrmLinker({
    store,
    inbox,
    tickets,
    secrets: platform.secrets,
    logger: logger.child({ component: 'crm-link' }),
    directoryUrl: () => opts.directoryUrl ?? ownUrl(),
    ticketUrl: (t) => `${platform.config.publicUrl}/#/tickets/${t._id}`,
    ...(opts.crmPollMs ? { pollMs: opts.crmPollMs } : {}),
    ...(opts.crmRetryBaseMs ? { retryBaseMs: opts.crmRetryBaseMs } : {}),
    ...(opts.crmProvider ? { provider: opts.crmProvider } : {}),
  });
  const scheduler = new TicketScheduler({ store, tickets, presence, kv: platform.kv, logger, ...(opts.schedulerEveryMs ? { everyMs: opts.schedulerEveryMs } : {}) });
  const automation = await mountAutomation(app, { platform, inbox, tickets, ticketStore: store, logger, background: opts.background !== false, ...opts.automation });
  const reports = await mountReports(app, { platform, inbox, ticketStore: store, logger, background: opts.background !== false });

  await app.register(directoryService, { platform });
  await app.register(
    async (api) => {
      const typed = api as unknown as HttpServer;
      await ticketRoutes(typed, { store, inbox, tickets, search, mentions });
      await mentionRoutes(typed, { mentions, inbox });
      await crmContactRoutes(typed, { store, tickets, logger, provider: (settings, tenantId) => linker!.providerFor(settings, tenantId) });
      await ticketAdminRoutes(typed, {
        store,
        inbox,
        tickets,
        secrets: platform.secrets,
        provisionDirectoryKey: (tenantId) => directoryApiKey(inbox, tenantId),
        checkCrm: (settings, tenantId) => linker!.providerFor(settings, tenantId, false).check(),
      });
      typed.get(
        '/crm-contacts/:contactId/tickets',
        {
          config: { access: { scope: 'tickets:read' } },
          schema: {
            tags: ['tickets'],
            summary: "One person's tickets across every channel (their CRM contact), newest first",
            params: Type.Object({ contactId: Type.String({ minLength: 1, maxLength: 200 }) }),
            response: { 200: Type.Object({ items: Type.Array(TicketView) }), 404: ErrorBody },
          },
        },
        async (req) => {
          const r = store.forPrincipal(req.principal);
          const items = await r.tickets.find({ 'crm.contactId': req.params.contactId }, { sort: { createdAt: -1 }, limit: 200 });
          if (items.length === 0) throw errors.notFound('A ticket of that contact');
          return { items: items.map(ticketView) };
        },
      );
      typed.post(
        '/tickets/reindex',
        { config: { access: { roles: ['admin'], scope: 'tickets:write' } }, schema: { tags: ['tickets'], summary: 'Rebuild the search index of this team’s tickets', response: { 200: Type.Object({ indexed: Type.Integer() }) } } },
        async (req) => {
          if (!req.principal.tenantId) throw errors.unauthorized();
          return { indexed: await search.reindex(req.principal.tenantId) };
        },
      );
    },
    { prefix: '/api/v1' },
  );

  let subscription: Subscription | undefined;
  app.addHook('onReady', async () => {
    subscription = await platform.bus.subscribeEvents('ticketing', ['message.created', 'conversation.updated', 'contact.merged', 'tenant.deleted'], async (e) => {
      if (e.type === 'message.created') return tickets.onMessageCreated(e);
      if (e.type === 'conversation.updated') {
        // An agent took or passed on the conversation: its open ticket follows (a same-value change stops the echo).
        const changes = Array.isArray(e.data.changes) ? e.data.changes : [];
        const conversationId = typeof e.data.conversationId === 'string' ? e.data.conversationId : null;
        if (!conversationId || !changes.includes('assigneeId')) return;
        const r = store.forTenant(e.tenantId);
        const conv = await inbox.forTenant(e.tenantId).conversations.findById(conversationId);
        const link = conv && (await r.links.findById(conversationId));
        const ticket = link && (await r.tickets.findById(link.ticketId));
        if (!conv || !ticket || ticket.mergedInto || ticket.status === 'closed' || ticket.assigneeId === conv.assigneeId) return;
        await tickets.apply(r, ticket, { assigneeId: conv.assigneeId }, { kind: 'system', name: 'Conversation assignment' }, 'conversation_assigned', {});
        return;
      }
      if (e.type === 'contact.merged') {
        // The directory joined two people: their tickets now share one contact, so one history.
        const from = typeof e.data.mergedId === 'string' ? e.data.mergedId : null;
        const into = typeof e.data.contactId === 'string' ? e.data.contactId : null;
        if (from && into) {
          await store.forTenant(e.tenantId).tickets.updateMany({ 'crm.contactId': from }, { $set: { 'crm.contactId': into } });
          await inbox.forTenant(e.tenantId).conversations.updateMany({ crmContactId: from }, { $set: { crmContactId: into } });
        }
        return;
      }
      if (e.type === 'tenant.deleted') {
        let documents = 0;
        for (const name of TICKETING_COLLECTIONS) documents += await platform.store.collection(name).deleteMany({ tenantId: e.tenantId });
        for (const name of DIRECTORY_COLLECTIONS) documents += await platform.store.collection(name).deleteMany({ tenantId: e.tenantId });
        await search.deleteTenant(e.tenantId);
        logger.info({ tenantId: e.tenantId, documents }, 'ticketing data of a deleted tenant removed');
      }
    });
    if (opts.background !== false) {
      scheduler.start();
      linker!.start();
    }
  });
  app.addHook('preClose', async () => {
    await subscription?.close();
    await scheduler.stop();
    await linker?.stop();
  });
  app.decorate('ticketing', { tickets, store, scheduler, linker: linker!, search, automation, reports });
}

declare module 'fastify' {
  interface FastifyInstance {
    ticketing: { tickets: TicketService; store: TicketStore; scheduler: TicketScheduler; linker: CrmLinker; search: TicketSearch; automation: Automation; reports: Reports };
  }
}

export default fp(ticketing, { name: 'ticketing', fastify: '5.x' });
