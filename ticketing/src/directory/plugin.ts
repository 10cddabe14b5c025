import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import type { Bus } from '@switchboard/bus';
import type { HttpServer } from '@switchboard/http';
import type { Logger } from '@switchboard/logging';
import type { DocumentStore } from '@switchboard/store';
import type { CountryCode } from '../crm/normalize.js';
import { DirectoryStore } from './repository.js';
import { directoryRoutes } from './routes.js';
import { ContactDirectory } from './service.js';

export interface DirectoryServiceOptions {
  /** What the directory runs on; a whole Platform fits. */
  platform: { store: DocumentStore; bus: Pick<Bus, 'publishEvent'>; logger: Logger };
  /** Country of phone numbers written without "+" (e.g. "RU"); default none: such numbers are refused. */
  defaultCountry?: CountryCode;
}

/**
 * The built-in contact directory as a service: REST under /api/v1/directory/contacts on the
 * DocumentStore (`directory_contacts`, `directory_notes`), `contact.merged` on the bus. It needs
 * the request principal that the root access hook sets (platform/auth requirePrincipal, which the
 * inbox service installs), so it is registered after that; fastify-plugin checks it.
 */
async function directoryPlugin(app: FastifyInstance, opts: DirectoryServiceOptions): Promise<void> {
  const store = new DirectoryStore(opts.platform.store);
  await store.ensureIndexes();
  const directory = new ContactDirectory(store, opts.platform.bus, opts.defaultCountry ? { defaultCountry: opts.defaultCountry } : {});
  await app.register(async (api) => directoryRoutes(api as unknown as HttpServer, directory), { prefix: '/api/v1' });
  app.decorate('directory', directory);
  opts.platform.logger.child({ component: 'directory' }).debug('contact directory mounted at /api/v1/directory/contacts');
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The built-in contact directory (ticketing/src/directory). */
    directory: ContactDirectory;
  }
}

export const directoryService = fp(directoryPlugin, {
  name: 'directory-service',
  fastify: '5.x',
  decorators: { request: ['principal'] },
});
