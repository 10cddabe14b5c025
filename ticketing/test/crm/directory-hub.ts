import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '@switchboard/config';
import { newId } from '@switchboard/contracts';
import { createHttpServer } from '@switchboard/http';
import { inboxService, Repositories } from '@switchboard/inbox-service';
import { createLogger } from '@switchboard/logging';
import { createRealtime } from '@switchboard/realtime';
import { createPlatform } from '@switchboard/runtime';
import { tempDir } from '@switchboard/testkit';
import { directoryApiKey, directoryService } from '../../src/directory/index.js';

export interface DirectoryHub {
  app: FastifyInstance;
  url: string;
  tenantId: string;
  /** An API key of the seeded tenant with contacts:read and contacts:write. */
  apiKey: string;
  /** The next `n` API requests answer this status in the hub's error format (Retry-After when given). */
  failNext(n: number, failure: { status: number; retryAfter?: number }): void;
  /** Every API answer waits this long first; 0 = none. */
  delayMs: number;
  close(): Promise<void>;
}

/**
 * The real directory the way the hub serves it: the inbox service (accounts, API keys, the
 * access hook) and the directory plugin on one HTTP server on 127.0.0.1, on embedded seams in a
 * temporary folder, with a tenant and its API key seeded. A test-only hook in front of every API
 * route can make it fail or stall on demand, as a CRM stand-in does.
 */
export async function startDirectoryHub(): Promise<DirectoryHub> {
  const data = tempDir('sb-crm-directory');
  const config = loadConfig({ DATA_DIR: data.dir, JWT_SECRET: 'crm-contract-secret-crm-contract-secret', LOG_LEVEL: 'silent', DEMO_SEED: 'false' });
  const logger = createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent', format: 'json' });
  const platform = await createPlatform(config, 'crm-contract', { logger });
  const app = createHttpServer({ logger, bodyLimit: config.bodyLimit }) as unknown as FastifyInstance;
  const realtime = await createRealtime(platform.realtime, app.server);
  const failures: { status: number; retryAfter?: number }[] = [];
  const hub = {
    delayMs: 0,
    failNext(n: number, failure: { status: number; retryAfter?: number }) {
      for (let i = 0; i < n; i++) failures.push(failure);
    },
  };
  app.addHook('onRequest', async (req, reply) => {
    if (!req.url.startsWith('/api/')) return;
    if (hub.delayMs > 0) await new Promise((r) => setTimeout(r, hub.delayMs));
    const failure = failures.shift();
    if (!failure) return;
    if (failure.retryAfter !== undefined) reply.header('retry-after', String(failure.retryAfter));
    const code = failure.status === 429 ? 'SB_ERR_RATE_LIMITED' : failure.status === 503 ? 'SB_ERR_UNAVAILABLE' : 'SB_ERR_INTERNAL';
    const details = failure.status === 429 && failure.retryAfter !== undefined ? { details: { retryAfterSeconds: failure.retryAfter } } : {};
    return reply.status(failure.status).send({ error: { code, message: `Stand-in failure ${failure.status}.`, ...details } });
  });
  await app.register(inboxService, { platform, io: realtime.io, consume: false });
  await app.register(directoryService, { platform, defaultCountry: 'RU' });
  await app.listen({ port: 0, host: '127.0.0.1' });

  const repos = new Repositories(platform.store);
  const tenantId = newId();
  await repos.createTenant({ _id: tenantId, name: 'CRM contract tenant', createdAt: new Date() });
  const key = await directoryApiKey(repos, tenantId, 'ticketing');

  return Object.assign(hub, {
    app,
    url: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`,
    tenantId,
    apiKey: key,
    async close() {
      await realtime.close();
      await app.close();
      await platform.close();
      data.remove();
    },
  });
}

/** A loopback URL where nothing listens (a port that was just free). */
export async function deadUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}
