import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { requirePrincipal, type Principal } from '@switchboard/auth';
import { createHttpServer, errors, type HttpServer } from '@switchboard/http';
import { Repositories } from '@switchboard/inbox-service';
import { createKeyValue, type KeyValue } from '@switchboard/kv';
import { createLogger } from '@switchboard/logging';
import { createStore, type DocumentStore } from '@switchboard/store';
import { tempDir } from '@switchboard/testkit';
import { TicketStore } from '../tickets/repository.js';
import { ReportBuilder } from './builder.js';
import { ReportStore } from './repository.js';
import { reportRoutes } from './routes.js';

const T1 = 'tenant-routes-1';
const T2 = 'tenant-routes-2';
const principals: Record<string, Principal> = {
  admin1: { kind: 'agent', tenantId: T1, agentId: 'ann', role: 'admin', name: 'Ann' },
  super1: { kind: 'agent', tenantId: T1, agentId: 'sue', role: 'supervisor', name: 'Sue' },
  agent1: { kind: 'agent', tenantId: T1, agentId: 'al', role: 'agent', name: 'Al' },
  reader1: { kind: 'apiKey', tenantId: T1, keyId: 'k1', scopes: ['tickets:read'] },
  convs1: { kind: 'apiKey', tenantId: T1, keyId: 'k2', scopes: ['conversations:read'] },
  super2: { kind: 'agent', tenantId: T2, agentId: 'bob', role: 'supervisor', name: 'Bob' },
};

const data = tempDir('sb-report-routes');
let app: FastifyInstance;
let store: DocumentStore;
let kv: KeyValue;
const WEEK = '?from=2026-03-02&to=2026-03-08&tz=Europe/Berlin';

beforeAll(async () => {
  const logger = createLogger({ level: 'silent', format: 'json' });
  store = await createStore({ driver: 'embedded', dir: data.dir });
  kv = await createKeyValue({ driver: 'memory' });
  const inbox = new Repositories(store);
  const tickets = new TicketStore(store);
  const reports = new ReportStore(store);
  await reports.ensureIndexes();
  const builder = new ReportBuilder({ reports, inbox, tickets, kv, logger });
  app = createHttpServer({ logger, bodyLimit: 1_048_576 }) as unknown as FastifyInstance;
  requirePrincipal(app, {
    authenticate: async (credential) => {
      const principal = principals[credential];
      if (!principal) throw errors.unauthorized();
      return { principal, agent: null };
    },
  });
  await app.register(async (api) => reportRoutes(api as unknown as HttpServer, { reports, builder, inbox, tickets }), { prefix: '/api/v1' });
  await app.ready();

  // One conversation in T1 on Tuesday 3 March, 09:00 UTC (10:00 in Berlin), answered after 2 minutes.
  const at = Date.UTC(2026, 2, 3, 9, 0, 0);
  const raw = (name: string) => store.collection<{ _id: string }>(name);
  await raw('agents').insertOne({ _id: 'al', tenantId: T1, name: '=Al, "the" agent', email: 'al@example.test', role: 'agent' } as never);
  await raw('inboxes').insertOne({ _id: 'web1', tenantId: T1, name: 'Website', channel: 'web' } as never);
  await raw('conversations').insertOne({ _id: 'c1', tenantId: T1, inboxId: 'web1', channel: 'web', assigneeId: 'al', teamId: null, status: 'resolved', createdAt: new Date(at), updatedAt: new Date(at + 600_000) } as never);
  await raw('messages').insertOne({ _id: 'm1', tenantId: T1, conversationId: 'c1', direction: 'in', author: { kind: 'contact' }, createdAt: new Date(at) } as never);
  await raw('messages').insertOne({ _id: 'm2', tenantId: T1, conversationId: 'c1', direction: 'out', author: { kind: 'agent', id: 'al' }, createdAt: new Date(at + 120_000) } as never);
});

afterAll(async () => {
  await app.close();
  await store.close();
  await kv.close();
  data.remove();
});

const get = (who: string, url: string) => app.inject({ method: 'GET', url: `/api/v1/reports/${url}`, headers: { authorization: `Bearer ${who}` } });

describe('report routes', () => {
  it('the rebuild is for admins; it covers history the follower never saw', async () => {
    const denied = await app.inject({ method: 'POST', url: '/api/v1/reports/rebuild', headers: { authorization: 'Bearer super1' } });
    expect(denied.statusCode).toBe(403);
    const res = await app.inject({ method: 'POST', url: '/api/v1/reports/rebuild', headers: { authorization: 'Bearer admin1' } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ conversations: 1 });
    expect(res.json().rows).toBeGreaterThan(0);
  });

  it('supervisors, admins and API keys with tickets:read read reports; agents and other keys get 403', async () => {
    for (const who of ['super1', 'admin1', 'reader1']) {
      const res = await get(who, `summary${WEEK}`);
      expect(res.statusCode, `${who}: ${res.body}`).toBe(200);
      expect(res.json()).toMatchObject({
        conversations: 1,
        resolved: 1,
        inboundMessages: 1,
        outboundMessages: 1,
        firstResponse: { count: 1, average: 120 },
        period: { from: '2026-03-02', to: '2026-03-08', tz: 'Europe/Berlin', start: '2026-03-01T23:00:00.000Z', end: '2026-03-08T23:00:00.000Z' },
      });
    }
    for (const who of ['agent1', 'convs1']) {
      for (const report of ['summary', 'volume', 'heatmap', 'agents']) {
        const res = await get(who, `${report}${WEEK}&groupBy=day`);
        expect(res.statusCode, `${who} ${report}`).toBe(403);
        expect(res.json().error.code).toBe('SB_ERR_FORBIDDEN');
      }
    }
  });

  it("another tenant's supervisor sees none of it", async () => {
    const res = await get('super2', `summary${WEEK}`);
    expect(res.json()).toMatchObject({ conversations: 0, inboundMessages: 0, firstResponse: { count: 0, median: null } });
    expect((await get('super2', `agents${WEEK}`)).json().rows).toEqual([]);
  });

  it('refuses impossible periods and unknown time zones with 400', async () => {
    for (const q of ['from=2026-03-10&to=2026-03-01', 'from=2026-02-30&to=2026-03-01', 'from=2024-01-01&to=2026-01-02', 'from=2026-03-01&to=2026-03-02&tz=Mars/Olympus', 'from=2026-03-01']) {
      const res = await get('super1', `summary?${q}`);
      expect(res.statusCode, q).toBe(400);
      expect(res.json().error.code).toBe('SB_ERR_VALIDATION');
    }
  });

  it('answers CSV attachments: a header row, one row per item, text safe for spreadsheets', async () => {
    const agents = await get('super1', `agents${WEEK}&format=csv`);
    expect(agents.statusCode).toBe(200);
    expect(agents.headers['content-type']).toMatch(/^text\/csv/);
    expect(agents.headers['content-disposition']).toBe('attachment; filename="agents-2026-03-02-2026-03-08.csv"');
    const lines = agents.body.trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      'agent_id,name,resolved,replies,first_response_count,first_response_median_seconds,first_response_p90_seconds,resolution_count,resolution_median_seconds,resolution_p90_seconds,sla_met,sla_breached,sla_compliance,csat_answers,csat_average,csat_score,csat_response_rate,presence_seconds',
    );
    expect(lines).toHaveLength(2);
    expect(lines[1]!.startsWith(`al,"'=Al, ""the"" agent",1,1,1,`)).toBe(true);

    const volume = await get('super1', `volume${WEEK}&groupBy=day&format=csv`);
    expect(volume.body).toBe('day,label,conversations,resolved,inbound_messages,outbound_messages\r\n2026-03-03,2026-03-03,1,1,1,1\r\n');

    const heatmap = await get('super1', `heatmap${WEEK}&format=csv`);
    const rows = heatmap.body.trimEnd().split('\r\n');
    expect(rows).toHaveLength(1 + 7 * 24);
    expect(rows).toContain('Tuesday,10,1');

    const summary = await get('super1', `summary${WEEK}&format=csv`);
    expect(summary.body.split('\r\n')).toContain('first_response_average_seconds,120');
  });

  it('the heat-map puts the message at its local weekday and hour', async () => {
    const res = await get('super1', `heatmap${WEEK}`);
    expect(res.json().cells[1][10]).toBe(1);
    const tokyo = await get('super1', 'heatmap?from=2026-03-02&to=2026-03-08&tz=Asia/Tokyo');
    expect(tokyo.json().cells[1][18]).toBe(1);
  });
});
