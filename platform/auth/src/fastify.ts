import type { FastifyInstance, FastifyRequest } from 'fastify';
import { errors } from '@switchboard/http';
import type { AgentClaims } from './tokens.js';
import { authorize, type Access, type Principal } from './principal.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who is calling; set for every /api route not marked `config: { public: true }`. */
    principal: Principal;
    /** The signed-in agent's claims (null for API keys); kept for code written before principals. */
    agent: AgentClaims;
  }
  interface FastifyContextConfig {
    /** Route needs no credentials (login, sign-up, password reset). */
    public?: boolean;
    /** Roles (agents) and scope (API keys) the route requires; without `scope` API keys cannot use it. */
    access?: Access;
  }
}

export interface Authenticator {
  /** Turns a Bearer credential into a principal, or throws a coded 401. */
  authenticate(credential: string): Promise<{ principal: Principal; agent: AgentClaims | null }>;
}

/** The routes the access hook guards: the REST API. Pages, assets, /docs and health checks are not API. */
export const isApiRoute = (url: string | undefined) => url !== undefined && url.startsWith('/api/');

/**
 * One mechanism for every REST route: a Bearer credential (agent access token or API key) is
 * required unless the route says `config: { public: true }`; `config.access` then decides.
 * Installed once at the root so routes of every plugin get it.
 */
export function requirePrincipal(app: FastifyInstance, authenticator: Authenticator): void {
  app.decorateRequest('principal', null as unknown as Principal);
  app.decorateRequest('agent', null as unknown as AgentClaims);
  app.addHook('onRequest', async (req: FastifyRequest) => {
    if (!isApiRoute(req.routeOptions.url) || req.routeOptions.config?.public) return;
    const header = req.headers.authorization;
    const match = header && /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match?.[1]) throw errors.unauthorized();
    const { principal, agent } = await authenticator.authenticate(match[1]);
    req.principal = principal;
    if (agent) req.agent = agent;
    const decision = authorize(principal, req.routeOptions.config?.access);
    if (!decision.ok) throw errors.forbidden(decision.reason);
  });
}
