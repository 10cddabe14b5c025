import { Type } from 'typebox';
import { randomUUID } from 'node:crypto';
import { AgentView, ErrorBody, newId } from '@switchboard/contracts';
import { errors, type HttpServer } from '@switchboard/http';
import { hashOpaqueToken, hashPassword, newOpaqueToken, verifyPassword } from '@switchboard/auth';
import { accessErrors, sendError, type AccessServices } from '../access/index.js';
import { newTotpSecret, verifyTotp } from '../access/totp.js';
import type { AgentRecord } from '../repositories/index.js';
import { agentView } from '../views.js';

const Tokens = Type.Object({ accessToken: Type.String(), refreshToken: Type.String() });
export const NewPassword = Type.String({ minLength: 10, maxLength: 200, description: 'At least 10 characters.' });
const Email = Type.String({ minLength: 3, maxLength: 320, format: 'email' });
const TotpCode = Type.String({ minLength: 6, maxLength: 6, pattern: '^[0-9]{6}$' });
const Ok = Type.Object({ ok: Type.Literal(true) });
const RESET_TTL_MS = 60 * 60_000;
const RESETS_PER_HOUR = 5;

export async function authRoutes(app: HttpServer, s: AccessServices): Promise<void> {
  const { repos } = s;
  const agentOnly = (principal: { kind: string; agentId?: string }) => {
    if (principal.kind !== 'agent' || !principal.agentId) throw errors.forbidden('Only a signed-in agent can do this.');
    return principal.agentId;
  };
  const me = async (tenantId: string, agentId: string) => {
    const agent = await repos.forTenant(tenantId).agents.findById(agentId);
    if (!agent) throw errors.unauthorized('The agent no longer exists.');
    return agent;
  };

  app.post(
    '/auth/login',
    {
      config: { public: true },
      schema: {
        tags: ['auth'],
        summary: 'Sign in with email and password (and the authenticator code when two-step sign-in is on)',
        security: [],
        body: Type.Object(
          {
            email: Type.String({ minLength: 3, maxLength: 320 }),
            password: Type.String({ minLength: 1, maxLength: 1000 }),
            totpCode: Type.Optional(Type.String({ maxLength: 10 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ accessToken: Type.String(), refreshToken: Type.String(), agent: AgentView }), 401: ErrorBody, 429: ErrorBody },
      },
    },
    async (req, reply) => {
      const email = req.body.email.trim().toLowerCase();
      const lockedFor = await s.guard.lockedFor(email, req.ip);
      if (lockedFor > 0) return sendError(reply, accessErrors.locked(lockedFor), { 'retry-after': String(lockedFor) });
      const agent = await s.repos.findAgentByEmail(email);
      // Verify against a dummy hash when the agent is unknown, so timing does not reveal emails.
      const ok = await verifyPassword(agent?.passwordHash || (await dummyHash()), req.body.password);

      const fail = async (reason: string, err: ReturnType<typeof errors.badCredentials>) => {
        const lockout = await s.guard.failed(email, req.ip);
        if (agent) {
          await s.audit.record(agent.tenantId, req, { type: 'login.failure', agentId: agent._id, email, details: { reason } });
          if (lockout) await s.audit.record(agent.tenantId, req, { type: 'login.lockout', agentId: agent._id, email, details: { seconds: lockout } });
        }
        req.log.info({ tenantId: agent?.tenantId, agentId: agent?._id, reason }, 'sign-in refused');
        if (lockout) return sendError(reply, accessErrors.locked(lockout), { 'retry-after': String(lockout) });
        throw err;
      };

      if (!agent || !ok) return fail('password', errors.badCredentials());
      if (agent.active === false) return fail('deactivated', accessErrors.deactivated());
      if (agent.totp?.enabled && agent.totp.secret) {
        if (!req.body.totpCode) throw accessErrors.totpRequired();
        const valid = await verifyTotp(s.kv, agent._id, s.secrets.open(agent.totp.secret), req.body.totpCode);
        if (!valid) return fail('totp', accessErrors.totpInvalid());
      }
      await s.guard.succeeded(email, req.ip);
      await s.audit.record(agent.tenantId, req, { type: 'login.success', agentId: agent._id, email });
      req.log.info({ tenantId: agent.tenantId, agentId: agent._id }, 'agent signed in');
      return { ...(await s.sessions.issue(agent, newId())), agent: agentView(agent) };
    },
  );

  app.post(
    '/auth/refresh',
    {
      config: { public: true },
      schema: {
        tags: ['auth'],
        summary: 'Exchange a refresh token for new tokens (rotation; reuse revokes the family)',
        security: [],
        body: Type.Object({ refreshToken: Type.String({ minLength: 10, maxLength: 200 }) }, { additionalProperties: false }),
        response: { 200: Tokens, 401: ErrorBody },
      },
    },
    async (req) => {
      const record = await repos.findRefreshToken(hashOpaqueToken(req.body.refreshToken));
      if (!record || record.revokedAt || record.expiresAt.getTime() < Date.now()) {
        throw errors.unauthorized('The refresh token is not valid; sign in again.');
      }
      const r = repos.forTenant(record.tenantId);
      if (record.usedAt) {
        // A used token presented again means it leaked: end every session of that family.
        await r.refreshTokens.updateMany({ familyId: record.familyId }, { $set: { revokedAt: new Date() } });
        req.log.warn({ tenantId: record.tenantId, agentId: record.agentId }, 'refresh token reused; family revoked');
        throw errors.unauthorized('This refresh token was already used; all sessions of it were signed out.');
      }
      const claimed = await r.refreshTokens.updateOne({ _id: record._id, usedAt: null }, { $set: { usedAt: new Date() } });
      if (claimed.modified !== 1) throw errors.unauthorized('This refresh token was already used.');
      const agent = await r.agents.findById(record.agentId);
      if (!agent) throw errors.unauthorized('The agent no longer exists.');
      if (agent.active === false) throw accessErrors.deactivated();
      return s.sessions.issue(agent, record.familyId);
    },
  );

  app.get(
    '/me',
    { schema: { tags: ['auth'], summary: 'The signed-in agent', response: { 200: AgentView, 401: ErrorBody } } },
    async (req) => agentView(await me(req.principal.tenantId, agentOnly(req.principal))),
  );

  app.post(
    '/auth/logout',
    { schema: { tags: ['auth'], summary: 'Sign out this session (its refresh tokens stop working)', response: { 200: Ok, 401: ErrorBody } } },
    async (req) => {
      const agentId = agentOnly(req.principal);
      if (req.principal.sessionId) await s.sessions.endSession(req.principal.tenantId, agentId, req.principal.sessionId);
      await s.audit.record(req.principal.tenantId, req, { type: 'logout', agentId });
      return { ok: true as const };
    },
  );

  app.post(
    '/auth/logout-all',
    {
      schema: {
        tags: ['auth'],
        summary: 'Sign out everywhere: every refresh token and every access token of this agent stops working',
        response: { 200: Ok, 401: ErrorBody },
      },
    },
    async (req) => {
      const agentId = agentOnly(req.principal);
      await s.sessions.endAll(req.principal.tenantId, agentId);
      await s.audit.record(req.principal.tenantId, req, { type: 'logout.all', agentId });
      return { ok: true as const };
    },
  );

  app.post(
    '/auth/password',
    {
      schema: {
        tags: ['auth'],
        summary: 'Change your password; other sessions are signed out and new tokens returned',
        body: Type.Object({ currentPassword: Type.String({ minLength: 1, maxLength: 1000 }), newPassword: NewPassword }, { additionalProperties: false }),
        response: { 200: Tokens, 401: ErrorBody },
      },
    },
    async (req) => {
      const agentId = agentOnly(req.principal);
      const agent = await me(req.principal.tenantId, agentId);
      if (!(await verifyPassword(agent.passwordHash, req.body.currentPassword))) throw errors.badCredentials();
      const r = repos.forTenant(agent.tenantId);
      await r.agents.updateOne({ _id: agentId }, { $set: { passwordHash: await hashPassword(req.body.newPassword), updatedAt: new Date() } });
      await s.sessions.endAll(agent.tenantId, agentId);
      await s.audit.record(agent.tenantId, req, { type: 'password.changed', agentId });
      return s.sessions.issue((await r.agents.findById(agentId)) ?? agent, newId());
    },
  );

  app.post(
    '/auth/password-reset/request',
    {
      config: { public: true },
      schema: {
        tags: ['auth'],
        summary: 'Email a single-use password-reset link (answers the same whether or not the email is known)',
        security: [],
        body: Type.Object({ email: Email }, { additionalProperties: false }),
        response: { 202: Ok },
      },
    },
    async (req, reply) => {
      const email = req.body.email.trim().toLowerCase();
      const agent = await repos.findAgentByEmail(email);
      const sent = await s.kv.incr(`auth:reset:${hashOpaqueToken(email)}`, { ttlMs: 60 * 60_000 });
      if (agent && agent.active !== false && sent <= RESETS_PER_HOUR) {
        const { token, hash } = newOpaqueToken();
        const now = new Date();
        await repos
          .forTenant(agent.tenantId)
          .passwordResets.insertOne({ _id: hash, agentId: agent._id, expiresAt: new Date(now.getTime() + RESET_TTL_MS), usedAt: null, createdAt: now });
        const link = `${s.publicUrl}/reset-password?token=${encodeURIComponent(token)}`;
        await s.audit.record(agent.tenantId, req, { type: 'password.reset.requested', agentId: agent._id, email });
        try {
          await s.mailer.send({
            to: agent.email,
            subject: 'Reset your Switchboard password',
            text: `Someone asked to reset the password of ${agent.email}.\n\nTo choose a new password, open this link within one hour:\n${link}\n\nIf it was not you, ignore this email; your password stays as it is.\n`,
          });
        } catch (err) {
          req.log.error({ err, tenantId: agent.tenantId, agentId: agent._id }, 'password-reset email not sent');
        }
      }
      return reply.status(202).send({ ok: true as const });
    },
  );

  app.post(
    '/auth/password-reset/confirm',
    {
      config: { public: true },
      schema: {
        tags: ['auth'],
        summary: 'Set a new password with the token from the reset email; every session is signed out',
        security: [],
        body: Type.Object({ token: Type.String({ minLength: 10, maxLength: 200 }), password: NewPassword }, { additionalProperties: false }),
        response: { 200: Ok, 400: ErrorBody },
      },
    },
    async (req) => {
      const record = await repos.findPasswordReset(hashOpaqueToken(req.body.token));
      if (!record || record.usedAt || record.expiresAt.getTime() < Date.now()) throw accessErrors.resetTokenInvalid();
      const r = repos.forTenant(record.tenantId);
      const claimed = await r.passwordResets.updateOne({ _id: record._id, usedAt: null }, { $set: { usedAt: new Date() } });
      if (claimed.modified !== 1) throw accessErrors.resetTokenInvalid();
      await r.agents.updateOne({ _id: record.agentId }, { $set: { passwordHash: await hashPassword(req.body.password), updatedAt: new Date() } });
      await s.sessions.endAll(record.tenantId, record.agentId);
      await s.audit.record(record.tenantId, req, { type: 'password.reset.completed', agentId: record.agentId });
      return { ok: true as const };
    },
  );

  app.post(
    '/auth/2fa/enroll',
    {
      schema: {
        tags: ['auth'],
        summary: 'Start two-step sign-in: a secret and an otpauth:// URL for an authenticator app',
        response: { 200: Type.Object({ secret: Type.String(), otpauthUrl: Type.String() }), 409: ErrorBody },
      },
    },
    async (req) => {
      const agentId = agentOnly(req.principal);
      const agent = await me(req.principal.tenantId, agentId);
      if (agent.totp?.enabled) throw errors.conflict('Two-step sign-in is already on; turn it off first to enroll again.');
      const { secret, url } = newTotpSecret(agent.email);
      await repos
        .forTenant(agent.tenantId)
        .agents.updateOne({ _id: agentId }, { $set: { totp: { enabled: false, secret: null, pendingSecret: s.secrets.seal(secret) } } });
      await s.audit.record(agent.tenantId, req, { type: 'totp.enrolled', agentId });
      return { secret, otpauthUrl: url };
    },
  );

  app.post(
    '/auth/2fa/confirm',
    {
      schema: {
        tags: ['auth'],
        summary: 'Turn two-step sign-in on with a code from the authenticator app',
        body: Type.Object({ code: TotpCode }, { additionalProperties: false }),
        response: { 200: Ok, 401: ErrorBody, 409: ErrorBody },
      },
    },
    async (req) => {
      const agentId = agentOnly(req.principal);
      const agent = await me(req.principal.tenantId, agentId);
      const pending = agent.totp?.pendingSecret;
      if (!pending) throw errors.conflict('Start with POST /auth/2fa/enroll.');
      if (!(await verifyTotp(s.kv, agentId, s.secrets.open(pending), req.body.code))) throw accessErrors.totpInvalid();
      await repos.forTenant(agent.tenantId).agents.updateOne({ _id: agentId }, { $set: { totp: { enabled: true, secret: pending, pendingSecret: null } } });
      await s.audit.record(agent.tenantId, req, { type: 'totp.enabled', agentId });
      return { ok: true as const };
    },
  );

  app.post(
    '/auth/2fa/disable',
    {
      schema: {
        tags: ['auth'],
        summary: 'Turn two-step sign-in off (needs the password and a current code)',
        body: Type.Object({ password: Type.String({ minLength: 1, maxLength: 1000 }), code: TotpCode }, { additionalProperties: false }),
        response: { 200: Ok, 401: ErrorBody, 409: ErrorBody },
      },
    },
    async (req) => {
      const agentId = agentOnly(req.principal);
      const agent: AgentRecord = await me(req.principal.tenantId, agentId);
      if (!agent.totp?.enabled || !agent.totp.secret) throw errors.conflict('Two-step sign-in is not on.');
      if (!(await verifyPassword(agent.passwordHash, req.body.password))) throw errors.badCredentials();
      if (!(await verifyTotp(s.kv, agentId, s.secrets.open(agent.totp.secret), req.body.code))) throw accessErrors.totpInvalid();
      await repos.forTenant(agent.tenantId).agents.updateOne({ _id: agentId }, { $set: { totp: { enabled: false, secret: null, pendingSecret: null } } });
      await s.audit.record(agent.tenantId, req, { type: 'totp.disabled', agentId });
      return { ok: true as const };
    },
  );
}

// A real hash of a random secret, made once: verifying against it costs what a real check costs.
let dummy: Promise<string> | undefined;
const dummyHash = () => (dummy ??= hashPassword(randomUUID()));
