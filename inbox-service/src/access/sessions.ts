import { newOpaqueToken, type TokenService } from '@switchboard/auth';
import type { AgentRecord, Repositories } from '../repositories/index.js';
import type { AccessAuthenticator } from './authenticator.js';

/**
 * Agent sessions: a session is a refresh-token family. Signing out ends one family; signing out
 * everywhere ends them all and raises the agent's token version, which kills access tokens too.
 */
export class Sessions {
  constructor(
    private readonly repos: Repositories,
    private readonly tokens: TokenService,
    private readonly authenticator: AccessAuthenticator,
    private readonly refreshTtlSeconds: number,
  ) {}

  async issue(agent: AgentRecord, familyId: string): Promise<{ accessToken: string; refreshToken: string }> {
    const { token, hash } = newOpaqueToken();
    const now = new Date();
    await this.repos.forTenant(agent.tenantId).refreshTokens.insertOne({
      _id: hash,
      agentId: agent._id,
      familyId,
      expiresAt: new Date(now.getTime() + this.refreshTtlSeconds * 1000),
      usedAt: null,
      revokedAt: null,
      createdAt: now,
    });
    const accessToken = await this.tokens.signAccess({
      agentId: agent._id,
      tenantId: agent.tenantId,
      role: agent.role,
      name: agent.name,
      tokenVersion: agent.tokenVersion ?? 0,
      sessionId: familyId,
    });
    return { accessToken, refreshToken: token };
  }

  async endSession(tenantId: string, agentId: string, familyId: string): Promise<void> {
    await this.repos
      .forTenant(tenantId)
      .refreshTokens.updateMany({ agentId, familyId, revokedAt: null }, { $set: { revokedAt: new Date() } });
  }

  /** Every refresh token revoked and every access token already handed out refused from now on. */
  async endAll(tenantId: string, agentId: string): Promise<void> {
    const r = this.repos.forTenant(tenantId);
    await r.agents.updateOne({ _id: agentId }, { $inc: { tokenVersion: 1 } });
    await r.refreshTokens.updateMany({ agentId, revokedAt: null }, { $set: { revokedAt: new Date() } });
    await this.authenticator.forget(agentId, tenantId);
  }
}
