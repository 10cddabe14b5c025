import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  ErrorBody,
  ReportAgents,
  ReportHeatmap,
  ReportQuery,
  ReportRebuildResult,
  ReportSummary,
  ReportVolume,
  ReportVolumeQuery,
} from '@switchboard/contracts';
import { errors, type HttpServer } from '@switchboard/http';
import type { Repositories } from '@switchboard/inbox-service';
import type { TicketStore } from '../tickets/repository.js';
import type { ReportBuilder } from './builder.js';
import { agentsCsv, heatmapCsv, summaryCsv, volumeCsv } from './csv.js';
import { ReportQueries, type Names } from './queries.js';
import type { ReportStore } from './repository.js';
import { daysBetween, isTimeZone } from './tz.js';

/** The longest period one report covers (two years, leap days included). */
export const MAX_REPORT_DAYS = 731;

export interface ReportRouteDeps {
  reports: ReportStore;
  builder: ReportBuilder;
  inbox: Repositories;
  tickets: TicketStore;
}

/**
 * /api/v1/reports: supervisors and admins (API keys with tickets:read), the caller's tenant only.
 * Agents limited to some inboxes are never supervisors, so there is no inbox narrowing.
 */
export async function reportRoutes(app: HttpServer, deps: ReportRouteDeps): Promise<void> {
  const read = { access: { roles: ['admin' as const, 'supervisor' as const], scope: 'tickets:read' } };
  const tags = ['reports'];
  const csvNote = ' — `format=csv` answers a CSV attachment instead';

  const queries = async (tenantId: string, q: ReportQuery) => {
    checkQuery(q);
    const inbox = deps.inbox.forTenant(tenantId);
    const [inboxes, teams, agents] = await Promise.all([
      inbox.inboxes.find({}),
      deps.tickets.forTenant(tenantId).teams.find({}),
      inbox.agents.find({}),
    ]);
    const map = (items: { _id: string; name: string }[]) => new Map(items.map((i) => [i._id, i.name]));
    const inboxNames = map(inboxes);
    const teamNames = map(teams);
    const agentNames = map(agents);
    const names: Names = {
      inbox: (id) => inboxNames.get(id),
      team: (id) => teamNames.get(id),
      agent: (id) => agentNames.get(id),
      agents: () => agents.map((a) => ({ id: a._id, name: a.name })),
    };
    return new ReportQueries(deps.reports.forTenant(tenantId), names);
  };

  // The CSV goes out as text (a non-JSON content type skips the JSON serializer); typed as the JSON answer.
  const answer = <T>(req: FastifyRequest, reply: FastifyReply, name: string, q: ReportQuery, body: T, csv: (b: T) => string): T => {
    req.log.info({ tenantId: req.principal.tenantId, report: name, from: q.from, to: q.to, tz: q.tz ?? 'UTC' }, 'report read');
    if (q.format !== 'csv') return body;
    reply.header('content-disposition', `attachment; filename="${name}-${q.from}-${q.to}.csv"`);
    reply.type('text/csv; charset=utf-8');
    return csv(body) as unknown as T;
  };

  app.get(
    '/reports/summary',
    {
      config: read,
      schema: {
        tags,
        summary: `Totals, first response and resolution times (median, p90), replies per conversation, SLA, CSAT, presence${csvNote}`,
        querystring: ReportQuery,
        response: { 200: ReportSummary, 400: ErrorBody, 403: ErrorBody },
      },
    },
    async (req, reply) => answer(req, reply, 'summary', req.query, await (await queries(req.principal.tenantId, req.query)).summary(req.query), summaryCsv),
  );

  app.get(
    '/reports/volume',
    {
      config: read,
      schema: {
        tags,
        summary: `Conversations, resolutions and messages by channel, inbox, team, agent, local day or local hour${csvNote}`,
        querystring: ReportVolumeQuery,
        response: { 200: ReportVolume, 400: ErrorBody, 403: ErrorBody },
      },
    },
    async (req, reply) => answer(req, reply, 'volume', req.query, await (await queries(req.principal.tenantId, req.query)).volume(req.query), volumeCsv),
  );

  app.get(
    '/reports/heatmap',
    {
      config: read,
      schema: {
        tags,
        summary: `Customer messages by local weekday and hour (7 × 24)${csvNote}`,
        querystring: ReportQuery,
        response: { 200: ReportHeatmap, 400: ErrorBody, 403: ErrorBody },
      },
    },
    async (req, reply) => answer(req, reply, 'heatmap', req.query, await (await queries(req.principal.tenantId, req.query)).heatmap(req.query), heatmapCsv),
  );

  app.get(
    '/reports/agents',
    {
      config: read,
      schema: {
        tags,
        summary: `Per agent: resolved, replies, first response and resolution times, SLA, CSAT, time online${csvNote}`,
        querystring: ReportQuery,
        response: { 200: ReportAgents, 400: ErrorBody, 403: ErrorBody },
      },
    },
    async (req, reply) => answer(req, reply, 'agents', req.query, await (await queries(req.principal.tenantId, req.query)).agents(req.query), agentsCsv),
  );

  app.post(
    '/reports/rebuild',
    {
      config: { access: { roles: ['admin'] } },
      schema: {
        tags,
        summary: 'Recompute every report figure of this team from the stored conversations, messages, tickets and surveys (admins)',
        response: { 200: ReportRebuildResult, 403: ErrorBody },
      },
    },
    async (req) => deps.builder.rebuild(req.principal.tenantId),
  );
}

function checkQuery(q: ReportQuery): void {
  const valid = (d: string) => {
    const ms = Date.parse(`${d}T00:00:00Z`);
    return Number.isFinite(ms) && new Date(ms).toISOString().slice(0, 10) === d;
  };
  if (!valid(q.from) || !valid(q.to)) throw errors.validation('from and to must be real calendar dates (YYYY-MM-DD).');
  const days = daysBetween(q.from, q.to);
  if (days < 0) throw errors.validation('to must not be before from.');
  if (days >= MAX_REPORT_DAYS) throw errors.validation(`A report covers at most ${MAX_REPORT_DAYS} days; choose a shorter period.`);
  if (q.tz !== undefined && !isTimeZone(q.tz)) throw errors.validation(`${q.tz} is not a time zone this server knows (use an IANA name such as Europe/Berlin).`);
}
