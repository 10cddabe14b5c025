import { Type } from 'typebox';
import { ErrorBody, newId, Role } from '@switchboard/contracts';
import { errors, type HttpServer } from '@switchboard/http';
import { hashPassword, type Principal } from '@switchboard/auth';
import { DuplicateKeyError } from '@switchboard/store';
import { accessErrors, type AccessServices } from '../access/index.js';
import type { AgentRecord, TenantRepositories } from '../repositories/index.js';
import { NewPassword } from './auth.js';

const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) });
export const Name = Type.String({ minLength: 1, maxLength: 200, pattern: '\\S' });
/** An https address of the agent's photo; null removes it. */
export const AvatarUrl = Type.Union([Type.String({ minLength: 9, maxLength: 2000, pattern: '^https://\\S+$' }), Type.Null()]);
export const InboxIds = Type.Union([Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { maxItems: 500, uniqueItems: true }), Type.Null()], {
  description: 'Inboxes an agent with role "agent" may see; null = all.',
});

export const TeamMemberView = Type.Object({
  id: Type.String(),
  email: Type.String(),
  name: Type.String(),
  avatarUrl: Type.Optional(Type.String({ description: 'Photo website visitors see beside the agent’s replies; absent = their initials.' })),
  role: Role,
  active: Type.Boolean(),
  inboxIds: Type.Union([Type.Array(Type.String()), Type.Null()]),
  totpEnabled: Type.Boolean(),
  invitationPending: Type.Boolean({ description: 'Invited by email and not signed in yet (no password set).' }),
  createdAt: Type.String({ format: 'date-time' }),
});

export const memberView = (a: AgentRecord) => ({
  id: a._id,
  email: a.email,
  name: a.name,
  ...(a.avatarUrl ? { avatarUrl: a.avatarUrl } : {}),
  role: a.role,
  active: a.active !== false,
  inboxIds: a.inboxIds ?? null,
  totpEnabled: a.totp?.enabled === true,
  invitationPending: !a.passwordHash,
  createdAt: new Date(a.createdAt).toISOString(),
});

export async function checkInboxes(r: TenantRepositories, inboxIds: string[] | null | undefined): Promise<void> {
  if (!inboxIds?.length) return;
  const found = await r.inboxes.countDocuments({ _id: { $in: inboxIds } });
  if (found !== inboxIds.length) throw errors.validation('inboxIds names an inbox your team does not have.', { path: '/inboxIds' });
}

export async function agentRoutes(app: HttpServer, s: AccessServices): Promise<void> {
  const scope = (p: Principal) => s.repos.forPrincipal(p);
  const admin = { access: { roles: ['admin' as const] } };

  app.get(
    '/agents',
    {
      schema: {
        tags: ['agents'],
        summary: 'Your team’s agents',
        querystring: Type.Object({ includeInactive: Type.Boolean({ default: false }) }, { additionalProperties: false }),
        response: { 200: Type.Object({ items: Type.Array(TeamMemberView) }) },
      },
    },
    async (req) => {
      const items = await scope(req.principal).agents.find(req.query.includeInactive ? {} : { active: { $ne: false } }, { sort: { name: 1 } });
      return { items: items.map(memberView) };
    },
  );

  app.get(
    '/agents/:id',
    { schema: { tags: ['agents'], summary: 'One agent of your team', params: IdParams, response: { 200: TeamMemberView, 404: ErrorBody } } },
    async (req) => {
      const agent = await scope(req.principal).agents.findById(req.params.id);
      if (!agent) throw errors.notFound('The agent');
      return memberView(agent);
    },
  );

  app.post(
    '/agents',
    {
      config: admin,
      schema: {
        tags: ['agents'],
        summary: 'Add an agent (admin)',
        body: Type.Object(
          {
            email: Type.String({ minLength: 3, maxLength: 320, format: 'email' }),
            name: Name,
            role: Role,
            password: NewPassword,
            inboxIds: Type.Optional(InboxIds),
          },
          { additionalProperties: false },
        ),
        response: { 201: TeamMemberView, 400: ErrorBody, 409: ErrorBody },
      },
    },
    async (req, reply) => {
      const r = scope(req.principal);
      await checkInboxes(r, req.body.inboxIds);
      const email = req.body.email.trim().toLowerCase();
      let agent: AgentRecord;
      try {
        agent = await r.agents.insertOne({
          _id: newId(),
          email,
          name: req.body.name.trim(),
          role: req.body.role,
          passwordHash: await hashPassword(req.body.password),
          active: true,
          inboxIds: req.body.inboxIds ?? null,
          tokenVersion: 0,
          createdAt: new Date(),
        });
      } catch (err) {
        if (err instanceof DuplicateKeyError) throw accessErrors.emailTaken();
        throw err;
      }
      await s.audit.record(r.tenantId, req, { type: 'agent.created', agentId: req.principal.agentId ?? null, details: { target: agent._id, role: agent.role } });
      return reply.status(201).send(memberView(agent));
    },
  );

  app.patch(
    '/agents/:id',
    {
      config: admin,
      schema: {
        tags: ['agents'],
        summary: 'Change an agent’s name, photo, role or inbox access (admin)',
        params: IdParams,
        body: Type.Object(
          { name: Type.Optional(Name), avatarUrl: Type.Optional(AvatarUrl), role: Type.Optional(Role), inboxIds: Type.Optional(InboxIds) },
          { additionalProperties: false, minProperties: 1 },
        ),
        response: { 200: TeamMemberView, 400: ErrorBody, 404: ErrorBody, 409: ErrorBody },
      },
    },
    async (req) => {
      const r = scope(req.principal);
      const existing = await r.agents.findById(req.params.id);
      if (!existing) throw errors.notFound('The agent');
      if (existing._id === req.principal.agentId && req.body.role && req.body.role !== 'admin') {
        throw errors.conflict('You cannot take the admin role from yourself; ask another admin.');
      }
      await checkInboxes(r, req.body.inboxIds);
      const set: Partial<AgentRecord> = { updatedAt: new Date() };
      if (req.body.name) set.name = req.body.name.trim();
      if (req.body.avatarUrl) set.avatarUrl = req.body.avatarUrl;
      if (req.body.role) set.role = req.body.role;
      if (req.body.inboxIds !== undefined) set.inboxIds = req.body.inboxIds;
      const updated = await r.agents.findOneAndUpdate(
        { _id: existing._id },
        { $set: set, ...(req.body.avatarUrl === null ? { $unset: { avatarUrl: '' } } : {}) },
        { returnDocument: 'after' },
      );
      if (!updated) throw errors.notFound('The agent');
      await s.authenticator.forget(updated._id, r.tenantId);
      await s.audit.record(r.tenantId, req, { type: 'agent.updated', agentId: req.principal.agentId ?? null, details: { target: updated._id, fields: Object.keys(req.body) } });
      return memberView(updated);
    },
  );

  for (const [action, active] of [['deactivate', false], ['activate', true]] as const) {
    app.post(
      `/agents/:id/${action}`,
      {
        config: admin,
        schema: {
          tags: ['agents'],
          summary: active ? 'Let a deactivated agent sign in again (admin)' : 'Deactivate an agent: every session ends at once (admin)',
          params: IdParams,
          response: { 200: TeamMemberView, 404: ErrorBody, 409: ErrorBody },
        },
      },
      async (req) => {
        const r = scope(req.principal);
        const existing = await r.agents.findById(req.params.id);
        if (!existing) throw errors.notFound('The agent');
        if (!active && existing._id === req.principal.agentId) throw errors.conflict('You cannot deactivate yourself.');
        const updated = await r.agents.findOneAndUpdate({ _id: existing._id }, { $set: { active, updatedAt: new Date() } }, { returnDocument: 'after' });
        if (!updated) throw errors.notFound('The agent');
        if (!active) await s.sessions.endAll(r.tenantId, updated._id);
        await s.authenticator.forget(updated._id, r.tenantId);
        await s.audit.record(r.tenantId, req, {
          type: active ? 'agent.updated' : 'agent.deactivated',
          agentId: req.principal.agentId ?? null,
          details: { target: updated._id, active },
        });
        return memberView(updated);
      },
    );
  }
}
