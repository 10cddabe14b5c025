import { apiKeyId, hashApiKey, TokenError, type AgentClaims, type Authenticator, type Principal, type Role, type TokenService } from '@switchboard/auth';
import { safeEqual } from '@switchboard/crypto';
import { errors } from '@switchboard/http';
import type { KeyValue } from '@switchboard/kv';
import type { Repositories } from '../repositories/index.js';

/** What a request needs to know about an agent beyond the token; cached in KV, dropped on change. */
export interface AgentState {
  active: boolean;
  tokenVersion: number;
  role: Role;
  name: string;
  inboxIds: string[] | null;
}

/** The inboxes an agent may see; null = all (admins and supervisors always see all). */
export const visibleInboxes = (state: Pick<AgentState, 'role' | 'inboxIds'>): string[] | null => (state.role === 'agent' ? state.inboxIds : null);

const STATE_TTL_MS = 60_000;
const LAST_USED_EVERY_MS = 60_000;
const stateKey = (agentId: string) => `auth:agent:${agentId}`;

/**
 * Turns credentials into principals. Access tokens are checked against the agent's current state
 * (active, token version, role, inboxes), so deactivation and sign-out-everywhere take effect on
 * the next request, not when the token expires. API keys are looked up by their id and compared by hash.
 */
export class AccessAuthenticator implements Authenticator {
  constructor(
    private readonly repos: Repositories,
    private readonly tokens: TokenService,
    private readonly kv: KeyValue,
  ) {}

  async authenticate(credential: string): Promise<{ principal: Principal; agent: AgentClaims | null }> {
    if (credential.startsWith('sbk_')) return { principal: await this.apiKey(credential), agent: null };
    let claims: AgentClaims;
    try {
      claims = await this.tokens.verifyAccess(credential);
    } catch (err) {
      if (err instanceof TokenError && err.reason === 'expired') throw errors.tokenExpired();
      throw errors.unauthorized('The access token is not valid; sign in again.');
    }
    return { principal: await this.agentPrincipal(claims), agent: claims };
  }

  /** The principal for verified agent claims, or a coded 401 when the session no longer holds. */
  async agentPrincipal(claims: AgentClaims): Promise<Principal> {
    const state = await this.state(claims.tenantId, claims.agentId);
    if (!state?.active) throw errors.unauthorized('This account is deactivated or no longer exists.');
    if ((claims.tokenVersion ?? 0) !== state.tokenVersion) throw errors.unauthorized('This session was signed out; sign in again.');
    const principal: Principal = {
      kind: 'agent',
      tenantId: claims.tenantId,
      agentId: claims.agentId,
      role: state.role,
      name: state.name,
      inboxIds: visibleInboxes(state),
    };
    if (claims.sessionId) principal.sessionId = claims.sessionId;
    return principal;
  }

  async state(tenantId: string, agentId: string): Promise<AgentState | null> {
    // Only a cache: with Redis unreachable, sessions are checked against the store (never refused).
    const cached = await this.kv.get(stateKey(agentId)).catch(() => null);
    if (cached) return JSON.parse(cached) as AgentState;
    const agent = await this.repos.forTenant(tenantId).agents.findById(agentId);
    if (!agent) return null;
    const state: AgentState = {
      active: agent.active !== false,
      tokenVersion: agent.tokenVersion ?? 0,
      role: agent.role,
      name: agent.name,
      inboxIds: agent.inboxIds ?? null,
    };
    await this.kv.set(stateKey(agentId), JSON.stringify(state), { ttlMs: STATE_TTL_MS }).catch(() => undefined);
    return state;
  }

  /**
   * Call after changing an agent: the next request reads the store again. With the tenant, the
   * agent's open consoles are told too (listeners added with `onChanged`: their socket rooms
   * follow a changed role or inbox access at once).
   */
  async forget(agentId: string, tenantId?: string): Promise<void> {
    await this.kv.del(stateKey(agentId));
    if (tenantId) for (const listener of this.changeListeners) await listener(tenantId, agentId);
  }

  private readonly changeListeners: ((tenantId: string, agentId: string) => Promise<void>)[] = [];

  onChanged(listener: (tenantId: string, agentId: string) => Promise<void>): void {
    this.changeListeners.push(listener);
  }

  private async apiKey(key: string): Promise<Principal> {
    const refused = () => errors.unauthorized('The API key is not valid or was revoked.');
    const id = apiKeyId(key);
    if (!id) throw refused();
    const record = await this.repos.findApiKey(id);
    if (!record || record.revokedAt || !safeEqual(record.hash, hashApiKey(key))) throw refused();
    const now = new Date();
    if (!record.lastUsedAt || now.getTime() - new Date(record.lastUsedAt).getTime() > LAST_USED_EVERY_MS) {
      await this.repos.forTenant(record.tenantId).apiKeys.updateOne({ _id: record._id }, { $set: { lastUsedAt: now } });
    }
    return { kind: 'apiKey', tenantId: record.tenantId, keyId: record._id, name: record.name, scopes: record.scopes, inboxIds: null };
  }
}
