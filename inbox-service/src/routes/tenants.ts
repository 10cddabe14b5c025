import { Type } from 'typebox';
import { AgentView, ErrorBody, newId } from '@switchboard/contracts';
import { errors, type HttpServer } from '@switchboard/http';
import { hashPassword } from '@switchboard/auth';
import { DuplicateKeyError } from '@switchboard/store';
import { accessErrors, type AccessServices } from '../access/index.js';
import type { TenantRecord } from '../repositories/index.js';
import { agentView } from '../views.js';
import { NewPassword } from './auth.js';

const Name = Type.String({ minLength: 1, maxLength: 200, pattern: '\\S' });
const TimeZone = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z_]+(/[A-Za-z0-9_+-]+)*$', description: 'IANA time zone, e.g. Europe/Berlin.' });
const Locale = Type.String({ minLength: 2, maxLength: 20, pattern: '^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$', description: 'BCP 47 language tag, e.g. en or pt-BR.' });

export const TenantView = Type.Object({
  id: Type.String(),
  name: Type.String(),
  timezone: Type.String(),
  locale: Type.String(),
  /** Customers are asked to rate resolved conversations (docs/csat.md). */
  csatEnabled: Type.Boolean(),
  createdAt: Type.String({ format: 'date-time' }),
});

const tenantView = (t: TenantRecord) => ({
  id: t._id,
  name: t.name,
  timezone: t.timezone ?? 'UTC',
  locale: t.locale ?? 'en',
  csatEnabled: t.csatEnabled !== false,
  createdAt: new Date(t.createdAt).toISOString(),
});

function validTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export async function tenantRoutes(app: HttpServer, s: AccessServices): Promise<void> {
  const { repos } = s;

  app.post(
    '/signup',
    {
      config: { public: true },
      schema: {
        tags: ['tenants'],
        summary: 'Create a team (tenant) and its first admin; answers with tokens for that admin',
        security: [],
        body: Type.Object(
          { company: Name, name: Name, email: Type.String({ minLength: 3, maxLength: 320, format: 'email' }), password: NewPassword },
          { additionalProperties: false },
        ),
        response: {
          201: Type.Object({ accessToken: Type.String(), refreshToken: Type.String(), agent: AgentView, tenant: TenantView }),
          409: ErrorBody,
        },
      },
    },
    async (req, reply) => {
      const email = req.body.email.trim().toLowerCase();
      if (await repos.findAgentByEmail(email)) throw accessErrors.emailTaken();
      const now = new Date();
      const tenant = await repos.createTenant({ _id: newId(), name: req.body.company.trim(), timezone: 'UTC', locale: 'en', createdAt: now });
      const r = repos.forTenant(tenant._id);
      let agent;
      try {
        agent = await r.agents.insertOne({
          _id: newId(),
          email,
          name: req.body.name.trim(),
          role: 'admin',
          passwordHash: await hashPassword(req.body.password),
          active: true,
          inboxIds: null,
          tokenVersion: 0,
          createdAt: now,
        });
      } catch (err) {
        await repos.deleteTenantRecord(tenant._id);
        if (err instanceof DuplicateKeyError) throw accessErrors.emailTaken();
        throw err;
      }
      await s.audit.record(tenant._id, req, { type: 'tenant.created', agentId: agent._id, email });
      req.log.info({ tenantId: tenant._id, agentId: agent._id }, 'tenant signed up');
      const tokens = await s.sessions.issue(agent, newId());
      return reply.status(201).send({ ...tokens, agent: agentView(agent), tenant: tenantView(tenant) });
    },
  );

  app.get(
    '/tenant',
    { schema: { tags: ['tenants'], summary: 'Your team’s settings', response: { 200: TenantView } } },
    async (req) => {
      const tenant = await repos.getTenant(req.principal.tenantId);
      if (!tenant) throw errors.notFound('The team');
      return tenantView(tenant);
    },
  );

  app.patch(
    '/tenant',
    {
      config: { access: { roles: ['admin'] } },
      schema: {
        tags: ['tenants'],
        summary: 'Change your team’s settings (admin)',
        body: Type.Object(
          { name: Type.Optional(Name), timezone: Type.Optional(TimeZone), locale: Type.Optional(Locale), csatEnabled: Type.Optional(Type.Boolean({ description: 'Ask customers to rate resolved conversations (default true).' })) },
          { additionalProperties: false, minProperties: 1 },
        ),
        response: { 200: TenantView, 400: ErrorBody },
      },
    },
    async (req) => {
      if (req.body.timezone && !validTimeZone(req.body.timezone)) {
        throw errors.validation('timezone is not a known IANA time zone.', { path: '/timezone' });
      }
      const set: Partial<TenantRecord> = { updatedAt: new Date() };
      if (req.body.name) set.name = req.body.name.trim();
      if (req.body.timezone) set.timezone = req.body.timezone;
      if (req.body.locale) set.locale = req.body.locale;
      if (req.body.csatEnabled !== undefined) set.csatEnabled = req.body.csatEnabled;
      const updated = await repos.updateTenant(req.principal.tenantId, set);
      if (!updated) throw errors.notFound('The team');
      await s.audit.record(req.principal.tenantId, req, { type: 'tenant.updated', agentId: req.principal.agentId ?? null, details: { fields: Object.keys(req.body) } });
      return tenantView(updated);
    },
  );
}
