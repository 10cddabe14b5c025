import type { FastifyInstance } from 'fastify';
import { loadConfig } from '@switchboard/config';
import { createHttpServer, healthRoutes } from '@switchboard/http';
import { createLogger } from '@switchboard/logging';
import { Metrics, metricsRoute } from '@switchboard/metrics';
import { serve } from '@switchboard/runtime';
import { DEMO } from '@switchboard/inbox-service';
import { registerFrontends } from './app.js';

/**
 * In docker compose: the static front ends (console, widget, demo page) as their own container;
 * the API and sockets are the inbox service's, behind the same gateway.
 */
const config = loadConfig();
const logger = createLogger({ ...config.log, service: 'frontends' });
const app = createHttpServer({
  logger,
  bodyLimit: config.bodyLimit,
  security: { publicUrl: config.publicUrl, allowedOrigins: config.widgetAllowedOrigins, crossOriginPaths: ['/widget.js'] },
}) as unknown as FastifyInstance;
await registerFrontends(app, config.demoSeed ? DEMO.widgetToken : null);
// Static files only: the process's own figures (CPU, memory, event loop), scraped like the others.
metricsRoute(app, new Metrics({ service: 'frontends' }));
healthRoutes(app, {});
await serve(app, { port: config.port, host: config.host, logger, shutdownTimeoutMs: config.shutdownTimeoutMs });
