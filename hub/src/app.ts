import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, RouteOptions } from 'fastify';
import type { Config } from '@switchboard/config';
import { metricsRoute } from '@switchboard/metrics';
import { createHttpServer, errors, healthRoutes, registerOpenApi } from '@switchboard/http';
import { createRealtime, type Realtime } from '@switchboard/realtime';
import { createPlatform, type Platform, type PlatformOverrides } from '@switchboard/runtime';
import { inboxService, Repositories, seedDemo } from '@switchboard/inbox-service';
import { connectorPlugin, connectorsBase, loopbackConnector } from '@switchboard/connectors-sdk';
import { slackConnector } from '@switchboard/connector-slack';
import { telegramConnector } from '@switchboard/connector-telegram';
import { metaConnectors } from '@switchboard/connector-meta';
import { whatsappWebConnectors, type WaClientFactory } from '@switchboard/connector-whatsapp-web';
import { emailChannel } from '@switchboard/connector-email';
import { ticketingService } from '@switchboard/ticketing';
import { helpCenterBase, knowledgeBase, seedKnowledgeBase } from '@switchboard/knowledge-base';
import { CompressedAssets } from './compressed-assets.js';
import { demoPage } from './demo-page.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const consoleDist = path.join(root, 'agent-console/dist');
const widgetBundle = path.join(root, 'widget/dist/widget.js');
/** The chat's ES modules, which widget.js (the loader) imports when the page needs it; content-hashed names. */
const widgetChatDir = path.join(root, 'widget/dist/widget');

export interface Hub {
  app: FastifyInstance;
  platform: Platform;
  realtime: Realtime;
  demo: { email: string; password: string; widgetToken: string; helpCenterUrl: string | null } | null;
}

export interface HubOptions extends PlatformOverrides {
  /** Consume inbound work in this process (default true). */
  consume?: boolean;
  /** Called for every route as it is added (the isolation and fuzz suites read the route table this way). */
  onRoute?: (route: RouteOptions) => void;
  /** WhatsApp Web clients; default the real whatsapp-web.js. Tests pass a double (no browser, no network). */
  whatsappWebFactory?: WaClientFactory;
}

/**
 * The composition root: every service plugin in one fastify server on the seams chosen by
 * Config — embedded defaults with no URLs set, real servers when they are.
 */
export async function buildHub(config: Config, opts: HubOptions = {}): Promise<Hub> {
  const platform = await createPlatform(config, 'hub', opts);
  const app = createHttpServer({
    logger: platform.logger,
    bodyLimit: config.bodyLimit,
    security: { publicUrl: config.publicUrl, allowedOrigins: config.widgetAllowedOrigins, crossOriginPaths: ['/widget.js', '/api/v1/widget/kb/suggestions'] },
  });
  if (opts.onRoute) (app as unknown as FastifyInstance).addHook('onRoute', opts.onRoute);
  let realtime: Realtime | undefined;
  try {
    realtime = await createRealtime(platform.realtime, app.server, { cors: { origin: true, credentials: false } }, platform.logger);
    await registerOpenApi(app as unknown as FastifyInstance, config.publicUrl);
    await app.register(inboxService, { platform, io: realtime.io, consume: opts.consume ?? true });
    // connectors
    await app.register(connectorsBase, { platform });
    await app.register(connectorPlugin, { platform, connector: telegramConnector({ apiRoot: config.telegram.apiRoot }) });
    await app.register(connectorPlugin, { platform, connector: slackConnector({ slackApiUrl: config.slack.apiUrl }) });
    await app.register(metaConnectors, { platform });
    await app.register(whatsappWebConnectors, { platform, io: realtime.io, ...(opts.whatsappWebFactory ? { factory: opts.whatsappWebFactory } : {}) });
    await app.register(emailChannel, { platform });
    await app.register(ticketingService, { platform, io: realtime.io });
    await app.register(knowledgeBase, { platform });
    // The loopback channel delivers to any URL an admin names: a demo and test aid, not for production.
    if (config.demoSeed) await app.register(connectorPlugin, { platform, connector: loopbackConnector() });
    metricsRoute(app as unknown as FastifyInstance, platform.metrics);
    healthRoutes(app as unknown as FastifyInstance, {
      store: () => platform.store.ping(),
      kv: () => platform.kv.ping(),
      bus: async () => void (await platform.bus.depths()),
    });
    const seeded = config.demoSeed ? await seedDemo(new Repositories(platform.store)) : null;
    const demo = seeded && { ...seeded, helpCenterUrl: await seedDemoHelpCenter(app as unknown as FastifyInstance, new Repositories(platform.store), seeded, config.publicUrl) };
    await registerFrontends(app as unknown as FastifyInstance, demo?.widgetToken ?? null);
    const rt = realtime;
    // Widget and console sockets are open connections the HTTP server would wait for on close: end them first.
    app.addHook('preClose', () => rt.close());
    app.addHook('onClose', () => platform.close());
    return { app: app as unknown as FastifyInstance, platform, realtime, demo };
  } catch (err) {
    await realtime?.close().catch(() => undefined);
    await platform.close().catch(() => undefined);
    throw err;
  }
}

/**
 * The demo team's help center gets sample articles the first time the knowledge base sees the
 * team (no settings yet), so deleting them later is not undone by a restart.
 */
async function seedDemoHelpCenter(app: FastifyInstance, repos: Repositories, demo: { widgetToken: string; email: string }, publicUrl: string): Promise<string | null> {
  const inbox = await repos.findInboxByWidgetToken(demo.widgetToken);
  if (!inbox) return null;
  if (!(await app.kb.store.forTenant(inbox.tenantId).settings.findById(inbox.tenantId))) {
    const admin = await repos.forTenant(inbox.tenantId).agents.findOne({ email: demo.email });
    await seedKnowledgeBase(app.kb.service, inbox.tenantId, admin?._id ?? null);
  }
  return `${helpCenterBase(await app.kb.service.settings.get(inbox.tenantId), publicUrl)}/`;
}

/** The console at /, its assets at /console/, the widget at /widget.js (+ its modules under /widget/), the demo website at /demo. */
export async function registerFrontends(app: FastifyInstance, demoWidgetToken: string | null): Promise<void> {
  if (!existsSync(path.join(consoleDist, 'index.html')) || !existsSync(widgetBundle)) {
    app.log.warn('console or widget bundle missing: run `npm run build` (npm start does it)');
  }
  const assets = new CompressedAssets();
  const JS = 'application/javascript; charset=utf-8';
  const IMMUTABLE = 'public, max-age=31536000, immutable';
  // app.js and app.css are asked for as ?v=<hash> by index.html; chunks carry their hash in the name.
  app.get<{ Params: { file: string }; Querystring: { v?: string } }>('/console/:file', { schema: { hide: true } }, async (req, reply) => {
    const { file } = req.params;
    const type = /^[\w.-]+\.js$/.test(file) ? JS : /^[\w.-]+\.css$/.test(file) ? 'text/css; charset=utf-8' : null;
    const full = path.join(consoleDist, file);
    if (!type || !existsSync(full)) throw errors.notFound('The console file');
    const versioned = req.query.v !== undefined || /-[A-Z0-9]{8}\.js$/.test(file);
    return assets.send(req, reply, full, type, { 'cache-control': versioned ? IMMUTABLE : 'no-cache' });
  });
  const sendConsole = async (_req: unknown, reply: import('fastify').FastifyReply) =>
    reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(readFileSync(path.join(consoleDist, 'index.html')));
  app.get('/', { schema: { hide: true } }, sendConsole);
  // The loader keeps its name, so browsers ask again after 5 minutes; the modules it names never change.
  app.get('/widget.js', { schema: { hide: true } }, async (req, reply) =>
    assets.send(req, reply, widgetBundle, JS, { 'cache-control': 'public, max-age=300', 'access-control-allow-origin': '*' }),
  );
  // Other sites import these as module scripts, which need CORS (and CORP for pages that require it).
  app.get<{ Params: { file: string } }>('/widget/:file', { schema: { hide: true } }, async (req, reply) => {
    const file = path.join(widgetChatDir, req.params.file);
    if (!/^[\w-]+\.js$/.test(req.params.file) || !existsSync(file)) throw errors.notFound('The widget file');
    return assets.send(req, reply, file, JS, {
      'cache-control': IMMUTABLE,
      'access-control-allow-origin': '*',
      'cross-origin-resource-policy': 'cross-origin',
    });
  });
  if (demoWidgetToken) {
    app.get('/demo', { schema: { hide: true } }, async (_req, reply) => reply.type('text/html; charset=utf-8').send(demoPage(demoWidgetToken)));
  }
}
