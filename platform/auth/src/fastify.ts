import type { FastifyInstance, FastifyRequest } from 'fastify';
import { errors } from '@switchboard/http';
import { TokenError, type AgentClaims, type TokenService } from './tokens.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in agent; set for every route not marked `config: { public: true }`. */
    agent: AgentClaims;
  }
  interface FastifyContextConfig {
    /** Route needs no agent token (login, refresh, public pages). */
    public?: boolean;
  }
}

/**
 * One mechanism for every route of a scope: a Bearer access token is required unless the route
 * says `config: { public: true }`. Handlers read `request.agent`.
 */
export function requireAgent(app: FastifyInstance, tokens: TokenService): void {
  app.decorateRequest('agent', null as unknown as AgentClaims);
  app.addHook('onRequest', async (req: FastifyRequest) => {
    if (req.routeOptions.config?.public) return;
    const header = req.headers.authorization;
    const match = header && /^Bearer\s+(.+)$/i.exec(header);
    if (!match?.[1]) throw errors.unauthorized();
    try {
      req.agent = await tokens.verifyAccess(match[1]);
    } catch (err) {
      if (err instanceof TokenError && err.reason === 'expired') throw errors.tokenExpired();
      throw errors.unauthorized('The access token is not valid; sign in again.');
    }
  });
}
