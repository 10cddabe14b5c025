import { Type } from 'typebox';
import { AgentView, ErrorBody, newId } from '@switchboard/contracts';
import { errors, type HttpServer } from '@switchboard/http';
import { randomUUID } from 'node:crypto';
import { hashOpaqueToken, hashPassword, newOpaqueToken, verifyPassword, type TokenService } from '@switchboard/auth';
import type { AgentRecord, Repositories } from '../repositories/index.js';
import { agentView } from '../views.js';

const Tokens = Type.Object({ accessToken: Type.String(), refreshToken: Type.String() });

export interface AuthRouteDeps {
  repos: Repositories;
  tokens: TokenService;
  refreshTtlSeconds: number;
}

export async function authRoutes(app: HttpServer, deps: AuthRouteDeps): Promise<void> {
  const { repos, tokens } = deps;

  async function issue(agent: AgentRecord, familyId: string) {
    const { token, hash } = newOpaqueToken();
    const now = new Date();
    await repos.forTenant(agent.tenantId).refreshTokens.insertOne({
      _id: hash,
      agentId: agent._id,
      familyId,
      expiresAt: new Date(now.getTime() + deps.refreshTtlSeconds * 1000),
      usedAt: null,
      revokedAt: null,
      createdAt: now,
    });
    const accessToken = await tokens.signAccess({ agentId: agent._id, tenantId: agent.tenantId, role: agent.role, name: agent.name });
    return { accessToken, refreshToken: token };
  }

  app.post(
    '/auth/login',
    {
      config: { public: true },
      schema: {
        tags: ['auth'],
        summary: 'Sign in with email and password',
        security: [],
        body: Type.Object(
          { email: Type.String({ minLength: 3, maxLength: 320 }), password: Type.String({ minLength: 1, maxLength: 1000 }) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ accessToken: Type.String(), refreshToken: Type.String(), agent: AgentView }), 401: ErrorBody },
      },
    },
    async (req) => {
      const agent = await repos.findAgentByEmail(req.body.email);
      // Verify against a dummy hash when the agent is unknown, so timing does not reveal emails.
      const ok = await verifyPassword(agent?.passwordHash ?? (await dummyHash()), req.body.password);
      if (!agent || !ok) throw errors.badCredentials();
      req.log.info({ tenantId: agent.tenantId, agentId: agent._id }, 'agent signed in');
      return { ...(await issue(agent, newId())), agent: agentView(agent) };
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
      return issue(agent, record.familyId);
    },
  );

  app.get(
    '/me',
    { schema: { tags: ['auth'], summary: 'The signed-in agent', response: { 200: AgentView, 401: ErrorBody } } },
    async (req) => {
      const agent = await repos.forTenant(req.agent.tenantId).agents.findById(req.agent.agentId);
      if (!agent) throw errors.unauthorized('The agent no longer exists.');
      return agentView(agent);
    },
  );
}

// A real hash of a random secret, made once: verifying against it costs what a real check costs.
let dummy: Promise<string> | undefined;
const dummyHash = () => (dummy ??= hashPassword(randomUUID()));
