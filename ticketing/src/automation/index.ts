import type { FastifyInstance } from 'fastify';
import type { Subscription } from '@switchboard/bus';
import type { HttpServer } from '@switchboard/http';
import { WebhookRepository, type Repositories } from '@switchboard/inbox-service';
import type { Logger } from '@switchboard/logging';
import type { Platform } from '@switchboard/runtime';
import type { TicketStore } from '../tickets/repository.js';
import type { TicketService } from '../tickets/service.js';
import { AutomationExecutor, type ConversationActions } from './executor.js';
import { IdleSweeper } from './idle-sweeper.js';
import { busConversationActions } from './remote.js';
import { AUTOMATION_COLLECTIONS, AutomationStore } from './repository.js';
import { automationRoutes } from './routes.js';
import { AUTOMATION_EVENTS, AutomationRunner } from './runner.js';

export interface AutomationOptions {
  platform: Platform;
  inbox: Repositories;
  tickets: TicketService;
  ticketStore: TicketStore;
  logger: Logger;
  /** Consume sb.events and sweep idle conversations here (default true). */
  background?: boolean;
  idleEveryMs?: number;
  capRuns?: number;
  capWindowMs?: number;
}

export interface Automation {
  store: AutomationStore;
  runner: AutomationRunner;
  sweeper: IdleSweeper;
}

/**
 * Automation rules and macros (docs/automation.md): REST under /api/v1, rules run from sb.events
 * in the durable group "automation", the idle trigger from a sweeper.
 */
export async function mountAutomation(app: FastifyInstance, opts: AutomationOptions): Promise<Automation> {
  const { platform, logger } = opts;
  const log = logger.child({ component: 'automation' });
  const store = new AutomationStore(platform.store);
  await store.ensureIndexes();
  const webhooks = new WebhookRepository(platform.store);
  // In the hub, straight through the inbox's ConversationService; ticketing alone asks an inbox
  // instance over the bus (conversation commands, inbox-service/src/commands.ts).
  const conversations = app.hasDecorator('inbox') ? (app as unknown as { inbox: { conversations: ConversationActions } }).inbox.conversations : busConversationActions(platform.bus);
  const facts = { inbox: opts.inbox, ticketStore: opts.ticketStore, tickets: opts.tickets };
  const executor = new AutomationExecutor({ ...facts, conversations, webhooks, logger: log });
  const runner = new AutomationRunner({
    store,
    facts,
    executor,
    logger: log,
    ...(opts.capRuns ? { capRuns: opts.capRuns } : {}),
    ...(opts.capWindowMs ? { capWindowMs: opts.capWindowMs } : {}),
    ensureTicket: (e) => opts.tickets.onMessageCreated(e),
  });
  const sweeper = new IdleSweeper({ store, inbox: opts.inbox, runner, kv: platform.kv, logger: log, ...(opts.idleEveryMs ? { everyMs: opts.idleEveryMs } : {}) });

  await app.register(async (api) => automationRoutes(api as unknown as HttpServer, { store, inbox: opts.inbox, ticketStore: opts.ticketStore, facts, executor, webhooks }), { prefix: '/api/v1' });

  let subscription: Subscription | undefined;
  app.addHook('onReady', async () => {
    if (opts.background === false) return;
    subscription = await platform.bus.subscribeEvents('automation', AUTOMATION_EVENTS, async (e) => {
      if (e.type === 'tenant.deleted') {
        for (const name of AUTOMATION_COLLECTIONS) await platform.store.collection(name).deleteMany({ tenantId: e.tenantId });
        return;
      }
      await runner.onEvent(e);
    });
    sweeper.start();
  });
  app.addHook('preClose', async () => {
    await subscription?.close();
    await sweeper.stop();
  });
  return { store, runner, sweeper };
}
