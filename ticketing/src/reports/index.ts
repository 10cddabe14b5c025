import type { FastifyInstance } from 'fastify';
import type { Subscription } from '@switchboard/bus';
import type { HttpServer } from '@switchboard/http';
import type { Repositories } from '@switchboard/inbox-service';
import type { Logger } from '@switchboard/logging';
import type { Platform } from '@switchboard/runtime';
import type { TicketStore } from '../tickets/repository.js';
import { ReportBuilder } from './builder.js';
import { ReportStore } from './repository.js';
import { reportRoutes } from './routes.js';

export { ReportBuilder } from './builder.js';
export { ReportStore, REPORT_COLLECTIONS } from './repository.js';
export { ReportQueries } from './queries.js';

/** The sb.events the hourly report rows follow (group `reports`). */
export const REPORT_EVENTS = [
  'message.created',
  'conversation.updated',
  'ticket.created',
  'ticket.updated',
  'ticket.merged',
  'sla.breached',
  'csat.*',
  'agent.presence',
  'tenant.deleted',
];

export interface ReportsOptions {
  platform: Platform;
  inbox: Repositories;
  ticketStore: TicketStore;
  logger: Logger;
  /** Follow sb.events here (default true). */
  background?: boolean;
}

export interface Reports {
  store: ReportStore;
  builder: ReportBuilder;
}

/** Reports (docs/reports.md): REST under /api/v1/reports, hourly rows kept from sb.events in the group "reports". */
export async function mountReports(app: FastifyInstance, opts: ReportsOptions): Promise<Reports> {
  const { platform } = opts;
  const logger = opts.logger.child({ component: 'reports' });
  const store = new ReportStore(platform.store);
  await store.ensureIndexes();
  const builder = new ReportBuilder({ reports: store, inbox: opts.inbox, tickets: opts.ticketStore, kv: platform.kv, logger });
  await app.register(async (api) => reportRoutes(api as unknown as HttpServer, { reports: store, builder, inbox: opts.inbox, tickets: opts.ticketStore }), { prefix: '/api/v1' });

  let subscription: Subscription | undefined;
  app.addHook('onReady', async () => {
    if (opts.background === false) return;
    // Data from before month rows existed gets them once, before the follower writes any.
    for (const tenantId of await opts.inbox.tenantIds()) await builder.foldMissingMonths(tenantId);
    subscription = await platform.bus.subscribeEvents('reports', REPORT_EVENTS, (e) => builder.onEvent(e));
  });
  app.addHook('preClose', async () => {
    await subscription?.close();
  });
  return { store, builder };
}
