import type { FastifyContextConfig, FastifyInstance, FastifyRequest } from 'fastify';
import { authorize, TokenError, type Access, type Principal, type TokenService } from '@switchboard/auth';
import { errors } from '@switchboard/http';

/** Route config of the channel admin API: admins, or API keys holding channels:write. */
export const adminOnly: FastifyContextConfig = { access: { roles: ['admin'], scope: 'channels:write' } };

/** Route config of the channel admin API's reads: admins, or API keys holding channels:read. */
export const adminRead: FastifyContextConfig = { access: { roles: ['admin'], scope: 'channels:read' } };

/** Route config for reading files customers sent: every agent of the tenant, API keys with conversations:read. */
export const agentsRead: FastifyContextConfig = { access: { scope: 'conversations:read' } };

/** Route config for storing files agents send: every agent of the tenant, API keys with conversations:write. */
export const agentsWrite: FastifyContextConfig = { access: { scope: 'conversations:write' } };

/** Provider webhooks authenticate by signature, not by token. */
export const publicRoute: FastifyContextConfig = { public: true };

/**
 * The tenant a request acts for, after the route's access policy. The shared principal hook
 * normally ran already; checking again here keeps the route closed if it did not.
 */
export function callerTenant(req: FastifyRequest): string {
  const principal = (req as { principal?: Principal | null }).principal;
  const agent = (req as { agent?: { tenantId: string; agentId: string; role: Principal['role']; name: string } | null }).agent;
  const caller: Principal | null =
    principal ?? (agent ? { kind: 'agent', tenantId: agent.tenantId, agentId: agent.agentId, ...(agent.role ? { role: agent.role } : {}), name: agent.name } : null);
  if (!caller) throw errors.unauthorized();
  const decision = authorize(caller, req.routeOptions.config?.access as Access | undefined);
  if (!decision.ok) throw errors.forbidden(decision.reason);
  return caller.tenantId;
}

/**
 * When a connector runs alone (its own main.ts) no service installed the shared principal hook:
 * then agent access tokens are verified here. Inside the hub this does nothing.
 */
export function ensureCaller(scope: FastifyInstance, tokens: TokenService): void {
  if (scope.hasRequestDecorator('principal')) return;
  scope.decorateRequest('principal', null as unknown as Principal);
  scope.addHook('onRequest', async (req) => {
    if (req.routeOptions.config?.public) return;
    const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
    if (!match?.[1]) throw errors.unauthorized();
    try {
      const c = await tokens.verifyAccess(match[1]);
      req.principal = { kind: 'agent', tenantId: c.tenantId, agentId: c.agentId, role: c.role, name: c.name };
    } catch (err) {
      if (err instanceof TokenError && err.reason === 'expired') throw errors.tokenExpired();
      throw errors.unauthorized('The access token is not valid; sign in again.');
    }
  });
}
