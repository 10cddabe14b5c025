import { Type } from 'typebox';
import { AgentView, ErrorBody, newId, Role } from '@switchboard/contracts';
import { errors, type HttpServer } from '@switchboard/http';
import { hashOpaqueToken, hashPassword, newOpaqueToken, type Principal } from '@switchboard/auth';
import { DuplicateKeyError } from '@switchboard/store';
import type { FastifyRequest } from 'fastify';
import { accessErrors, type AccessServices } from '../access/index.js';
import type { AgentRecord, TenantRepositories } from '../repositories/index.js';
import { agentView } from '../views.js';
import { checkInboxes, InboxIds, memberView, Name, TeamMemberView } from './agents.js';
import { NewPassword } from './auth.js';

/** How long an invitation link works. */
export const INVITATION_TTL_MS = 7 * 24 * 60 * 60_000;

const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) });
const Invited = Type.Object({ ...TeamMemberView.properties, invitationSent: Type.Boolean({ description: 'false when the email could not be handed to the mail server.' }) });

/**
 * Invitations by email: an admin adds an agent without a password and Switchboard mails a
 * one-time link (`<PUBLIC_URL>/#/invite/<token>`, valid 7 days, stored hashed); the invitee sets
 * a password with it and is signed in. Mail goes the way password-reset mail goes.
 */
export async function invitationRoutes(app: HttpServer, s: AccessServices): Promise<void> {
  const scope = (p: Principal) => s.repos.forPrincipal(p);
  const admin = { access: { roles: ['admin' as const] } };

  /** Voids the agent's earlier links, stores a fresh one and mails it; false when the mail failed. */
  async function sendInvitation(r: TenantRepositories, req: FastifyRequest, agent: AgentRecord): Promise<boolean> {
    const now = new Date();
    await r.invitations.updateMany({ agentId: agent._id, usedAt: null }, { $set: { usedAt: now } });
    const { token, hash } = newOpaqueToken();
    await r.invitations.insertOne({ _id: hash, agentId: agent._id, expiresAt: new Date(now.getTime() + INVITATION_TTL_MS), usedAt: null, createdAt: now });
    const link = `${s.publicUrl}/#/invite/${encodeURIComponent(token)}`;
    const inviter = req.principal.name ?? 'An admin of your team';
    try {
      await s.mailer.send({
        to: agent.email,
        subject: 'You are invited to Switchboard',
        text: `${inviter} invited you (${agent.email}) to answer customers in Switchboard.\n\nTo choose your password and sign in, open this link within 7 days:\n${link}\n\nIf you did not expect this, ignore this email.\n`,
      });
      return true;
    } catch (err) {
      req.log.error({ err, tenantId: r.tenantId, agentId: agent._id }, 'invitation email not sent');
      return false;
    }
  }

  app.post(
    '/agents/invitations',
    {
      config: admin,
      schema: {
        tags: ['agents'],
        summary: 'Invite an agent by email: added without a password, a one-time link is mailed (admin)',
        body: Type.Object(
          { email: Type.String({ minLength: 3, maxLength: 320, format: 'email' }), name: Name, role: Role, inboxIds: Type.Optional(InboxIds) },
          { additionalProperties: false },
        ),
        response: { 201: Invited, 400: ErrorBody, 409: ErrorBody },
      },
    },
    async (req, reply) => {
      const r = scope(req.principal);
      await checkInboxes(r, req.body.inboxIds);
      let agent: AgentRecord;
      try {
        agent = await r.agents.insertOne({
          _id: newId(),
          email: req.body.email.trim().toLowerCase(),
          name: req.body.name.trim(),
          role: req.body.role,
          passwordHash: '',
          active: true,
          inboxIds: req.body.inboxIds ?? null,
          tokenVersion: 0,
          createdAt: new Date(),
        });
      } catch (err) {
        if (err instanceof DuplicateKeyError) throw accessErrors.emailTaken();
        throw err;
      }
      const invitationSent = await sendInvitation(r, req, agent);
      await s.audit.record(r.tenantId, req, { type: 'agent.invited', agentId: req.principal.agentId ?? null, email: agent.email, details: { target: agent._id, role: agent.role } });
      req.log.info({ tenantId: r.tenantId, agentId: agent._id }, 'agent invited');
      return reply.status(201).send({ ...memberView(agent), invitationSent });
    },
  );

  app.post(
    '/agents/:id/invitation',
    {
      config: admin,
      schema: {
        tags: ['agents'],
        summary: 'Send a pending invitation again: a fresh link, the old one stops working (admin)',
        params: IdParams,
        response: { 200: Invited, 404: ErrorBody, 409: ErrorBody },
      },
    },
    async (req) => {
      const r = scope(req.principal);
      const agent = await r.agents.findById(req.params.id);
      if (!agent) throw errors.notFound('The agent');
      if (agent.passwordHash) throw accessErrors.invitationNotPending();
      if (agent.active === false) throw errors.conflict('This agent is deactivated; activate them before inviting them again.');
      const invitationSent = await sendInvitation(r, req, agent);
      await s.audit.record(r.tenantId, req, { type: 'agent.invited', agentId: req.principal.agentId ?? null, email: agent.email, details: { target: agent._id, resent: true } });
      return { ...memberView(agent), invitationSent };
    },
  );

  app.post(
    '/auth/invitations/accept',
    {
      config: { public: true },
      schema: {
        tags: ['auth'],
        summary: 'Accept an invitation: set your password with the token from the email and sign in',
        security: [],
        body: Type.Object({ token: Type.String({ minLength: 10, maxLength: 200 }), password: NewPassword }, { additionalProperties: false }),
        response: { 200: Type.Object({ accessToken: Type.String(), refreshToken: Type.String(), agent: AgentView }), 400: ErrorBody, 410: ErrorBody },
      },
    },
    async (req) => {
      const record = await s.repos.findInvitation(hashOpaqueToken(req.body.token));
      if (!record || record.usedAt) throw accessErrors.invitationInvalid();
      if (record.expiresAt.getTime() < Date.now()) throw accessErrors.invitationExpired();
      const r = s.repos.forTenant(record.tenantId);
      const agent = await r.agents.findById(record.agentId);
      if (!agent || agent.active === false || agent.passwordHash) throw accessErrors.invitationInvalid();
      const claimed = await r.invitations.updateOne({ _id: record._id, usedAt: null }, { $set: { usedAt: new Date() } });
      if (claimed.modified !== 1) throw accessErrors.invitationInvalid();
      const passwordHash = await hashPassword(req.body.password);
      await r.agents.updateOne({ _id: agent._id }, { $set: { passwordHash, updatedAt: new Date() } });
      await s.audit.record(r.tenantId, req, { type: 'invitation.accepted', agentId: agent._id, email: agent.email });
      req.log.info({ tenantId: r.tenantId, agentId: agent._id }, 'invitation accepted');
      const signedIn = { ...agent, passwordHash };
      return { ...(await s.sessions.issue(signedIn, newId())), agent: agentView(signedIn) };
    },
  );
}
