import type { FastifyInstance } from 'fastify';
import type { KbStore } from './articles/repository.js';
import { helpCenterBase, kbPaths } from './urls.js';

/**
 * robots.txt of the main host (a custom domain's own is the help center's, see public/sitemap.ts):
 * crawlers may read the help centers and nothing else, and learn every help center's sitemap.
 * Help centers with a custom domain are listed under that domain's robots.txt instead, since
 * their canonical pages live there.
 */
export function mainRobotsRoute(app: FastifyInstance, opts: { store: KbStore; publicUrl: string }): void {
  app.get('/robots.txt', { schema: { hide: true } }, async (_req, reply) => {
    const sitemaps = (await opts.store.portals())
      .filter((s) => !s.customDomain)
      .map((s) => `Sitemap: ${helpCenterBase(s, opts.publicUrl)}${kbPaths.sitemap()}`);
    const body = ['User-agent: *', 'Allow: /help/', 'Disallow: /help/*/search', 'Disallow: /', '', ...sitemaps, ''].join('\n');
    return reply.type('text/plain; charset=utf-8').header('cache-control', 'public, max-age=3600').send(body);
  });
}
