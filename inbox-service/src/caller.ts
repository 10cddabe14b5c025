import type { FastifyRequest } from 'fastify';
import { authorize, type Principal } from '@switchboard/auth';
import { errors } from '@switchboard/http';

/**
 * Who is calling a REST route. Every handler of webhooks, privacy and tenant deletion reads the
 * caller only here, so moving from `req.agent` to `req.principal` is a change in one place. When
 * only the older agent hook ran, the route's `config.access` is checked here with the same policy.
 */
export function callerOf(req: FastifyRequest): Principal {
  const principal = (req as { principal?: Principal | null }).principal;
  if (principal) return principal;
  const agent = req.agent;
  if (!agent) throw errors.unauthorized();
  const fromAgent: Principal = { kind: 'agent', tenantId: agent.tenantId, agentId: agent.agentId, role: agent.role, name: agent.name };
  const decision = authorize(fromAgent, req.routeOptions.config?.access);
  if (!decision.ok) throw errors.forbidden(decision.reason);
  return fromAgent;
}

/** The caller when there is one (public routes have none); never throws. */
function maybeCaller(req: FastifyRequest): Principal | undefined {
  const principal = (req as { principal?: Principal | null }).principal;
  if (principal) return principal;
  const agent = (req as { agent?: FastifyRequest['agent'] | null }).agent;
  return agent ? { kind: 'agent', tenantId: agent.tenantId, agentId: agent.agentId, role: agent.role } : undefined;
}

/** Rate-limit identity of a REST request: per API key or per agent, each with its own limit. */
export function rateLimitIdentity(limits: { agentPerMin: number; apiKeyPerMin: number }) {
  return (req: FastifyRequest): { key: string; limit: number } | undefined => {
    const c = maybeCaller(req);
    if (!c) return undefined;
    if (c.kind === 'apiKey') return { key: `key:${c.keyId ?? c.name ?? c.tenantId}`, limit: limits.apiKeyPerMin };
    return c.agentId ? { key: `agent:${c.agentId}`, limit: limits.agentPerMin } : undefined;
  };
}
