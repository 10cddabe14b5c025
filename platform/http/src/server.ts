import type { IncomingMessage } from 'node:http';
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

/** Maps a raw request to the URL it should be routed as; undefined = leave it alone. Runs before routing, so it must be synchronous. */
export type UrlRewriter = (req: IncomingMessage) => string | undefined;

const kUrlRewriters = Symbol('switchboard.urlRewriters');

/**
 * Lets a plugin route some requests under another path before routing, e.g. a help center's
 * custom domain served at its root (`help.acme.com/en/…` → `/help/acme/en/…`). The first
 * rewriter that answers wins. Returns a function that removes the rewriter again.
 */
export function addUrlRewriter(app: FastifyInstance, rewriter: UrlRewriter): () => void {
  // Encapsulated plugin instances inherit the root's properties, so every scope reaches one list.
  const list = (app as unknown as { [kUrlRewriters]?: UrlRewriter[] })[kUrlRewriters];
  if (!list) throw new Error('addUrlRewriter needs a server made by createHttpServer');
  list.push(rewriter);
  return () => {
    const at = list.indexOf(rewriter);
    if (at >= 0) list.splice(at, 1);
  };
}

/**
 * The one way a Switchboard process builds its fastify server: strict JSON schemas (unknown
 * fields are rejected, not silently dropped), the coded error format, a body limit, our logger.
 */
export function createHttpServer(opts: HttpServerOptions): HttpServer {
  const rewriters: UrlRewriter[] = [];
  const app = Fastify({
    loggerInstance: opts.logger,
    bodyLimit: opts.bodyLimit,
    // Our own onResponse hook logs requests (errors at error, the rest at debug).
    logController: new LogController({ disableRequestLogging: true }),
    trustProxy: true,
    // Plugins wait on the seams (a broker declaring its queues, a store loading its files), which
    // bound their own waits and fail with a coded sentence; avvio's 10 s default cut them short
    // on a loaded machine with an empty "Plugin did not start in time".
    pluginTimeout: 60_000,
    rewriteUrl: (req) => {
      for (const rewrite of rewriters) {
        const url = rewrite(req);
        if (url !== undefined) return url;
      }
      return req.url ?? '/';
    },
    ajv: {
      customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true, allErrors: false },
      plugins: [ajvFormats.default ?? ajvFormats],
    },
  }).withTypeProvider<TypeBoxTypeProvider>();
  Object.defineProperty(app, kUrlRewriters, { value: rewriters });
  installErrorHandler(app as unknown as FastifyInstance);
  if (opts.security) void app.register(securityPlugin, opts.security);
  app.addHook('onResponse', (req, reply, done) => {
    if (reply.statusCode >= 500) req.log.error({ url: req.url, status: reply.statusCode, ms: reply.elapsedTime }, 'request failed');
    else req.log.debug({ url: req.url, status: reply.statusCode, ms: reply.elapsedTime }, 'request');
    done();
  });
  return app as unknown as HttpServer;
}
