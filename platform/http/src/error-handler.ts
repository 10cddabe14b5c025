import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { SbError } from './errors.js';

/** Maps every error to { error: { code, message, details } }. Never leaks internals on 5xx. */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | SbError, req: FastifyRequest, reply: FastifyReply) => {
    if (err instanceof SbError) {
      return reply.status(err.statusCode).send({ error: { code: err.code, message: err.message, details: err.details } });
    }
    const fe = err as FastifyError;
    if (fe.validation) {
      const details = fe.validation.map((v) => ({ path: v.instancePath || '/', message: v.message, params: v.params }));
      return reply.status(400).send({
        error: { code: 'SB_ERR_VALIDATION', message: `The request is not valid: ${fe.message}.`, details },
      });
    }
    if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
      const code = fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE' ? 'SB_ERR_BODY_TOO_LARGE'
        : fe.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' ? 'SB_ERR_UNSUPPORTED_MEDIA_TYPE'
        : fe.code?.startsWith('FST_ERR_CTP') || fe.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' ? 'SB_ERR_BAD_BODY'
        : 'SB_ERR_BAD_REQUEST';
      return reply.status(fe.statusCode).send({ error: { code, message: fe.message } });
    }
    // A seam that is down (bus, Redis) throws its own coded 503: the caller may retry, so say so.
    if (fe.statusCode === 503 && typeof fe.code === 'string' && fe.code.startsWith('SB_ERR_')) {
      req.log.warn({ err }, 'dependency unavailable');
      return reply.status(503).header('retry-after', '5').send({ error: { code: fe.code, message: fe.message } });
    }
    req.log.error({ err }, 'unhandled error');
    return reply.status(500).send({ error: { code: 'SB_ERR_INTERNAL', message: 'Something went wrong on our side; it has been logged.' } });
  });
  app.setNotFoundHandler((req, reply) => {
    reply.status(404).send({ error: { code: 'SB_ERR_ROUTE_NOT_FOUND', message: `No route ${req.method} ${req.url.split('?')[0]}.` } });
  });
}
