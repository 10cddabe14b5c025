import Fastify, { LogController, type FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import ajvFormats from 'ajv-formats';
import type { Logger } from '@switchboard/logging';
import { installErrorHandler } from './error-handler.js';
import { securityPlugin, type SecurityOptions } from './security.js';

export type HttpServer = FastifyInstance<
  import('node:http').Server,
  import('node:http').IncomingMessage,
  import('node:http').ServerResponse,
  Logger,
  TypeBoxTypeProvider
>;

export interface HttpServerOptions {
  logger: Logger;
  bodyLimit: number;
  /** Security headers, CSP and CORS (registerSecurity); omitted = none, for bare test servers. */
  security?: SecurityOptions;
}

/**
 * The one way a Switchboard process builds its fastify server: strict JSON schemas (unknown
 * fields are rejected, not silently dropped), the coded error format, a body limit, our logger.
 */
export function createHttpServer(opts: HttpServerOptions): HttpServer {
  const app = Fastify({
    loggerInstance: opts.logger,
    bodyLimit: opts.bodyLimit,
    // Our own onResponse hook logs requests (errors at error, the rest at debug).
    logController: new LogController({ disableRequestLogging: true }),
    trustProxy: true,
    ajv: {
      customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true, allErrors: false },
      plugins: [ajvFormats.default ?? ajvFormats],
    },
  }).withTypeProvider<TypeBoxTypeProvider>();
  installErrorHandler(app as unknown as FastifyInstance);
  if (opts.security) void app.register(securityPlugin, opts.security);
  app.addHook('onResponse', (req, reply, done) => {
    if (reply.statusCode >= 500) req.log.error({ url: req.url, status: reply.statusCode, ms: reply.elapsedTime }, 'request failed');
    else req.log.debug({ url: req.url, status: reply.statusCode, ms: reply.elapsedTime }, 'request');
    done();
  });
  return app as unknown as HttpServer;
}
