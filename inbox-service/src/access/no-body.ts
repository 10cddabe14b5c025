import type { FastifyInstance } from 'fastify';
import { errors } from '@switchboard/http';
import { isApiRoute } from '@switchboard/auth';

/**
 * A write route that declares no body schema takes no body: anything sent is refused rather than
 * silently ignored, so a client that thinks it is passing options learns it is not.
 */
export function refuseUndeclaredBodies(app: FastifyInstance): void {
  app.addHook('preValidation', async (req) => {
    if (!isApiRoute(req.routeOptions.url) || req.routeOptions.schema?.body) return;
    if (req.body !== undefined && req.body !== null && !(typeof req.body === 'object' && Object.keys(req.body).length === 0 && !Array.isArray(req.body))) {
      throw errors.validation('This request takes no body.', { path: '/' });
    }
    if (req.body === null) throw errors.validation('This request takes no body.', { path: '/' });
  });
}
