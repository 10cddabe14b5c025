import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { errors, rateLimited, type RateLimiter } from '@switchboard/http';
import type { Logger } from '@switchboard/logging';
import type { KbSettingsRecord } from '../articles/records.js';
import type { KbArticleSearch, KbVoting } from '../types.js';
import { kbPaths } from '../urls.js';
import type { KbHosts } from './hosts.js';
import { sendCached } from './http-cache.js';
import { negotiateLocale } from './locale.js';
import type { HelpCenterReader } from './reader.js';
import { articleHtml, categoryHtml, homeHtml, noHelpCenterHtml, notFoundHtml, searchHtml } from './render.js';
import { siteFor, type Site } from './site.js';
import { robotsTxt, sitemapXml } from './sitemap.js';

export interface PublicRouteDeps {
  reader: HelpCenterReader;
  search: KbArticleSearch;
  voting: KbVoting;
  publicUrl: string;
  hosts: KbHosts;
  /** Votes per minute from one address. */
  voteLimiter: RateLimiter;
  logger: Logger;
}

const HTML = 'text/html; charset=utf-8';
const PAGE_MAX_AGE = 60;
const SEARCH_MAX_AGE = 30;
const PER_PAGE = 20;
/** The search index answers at most offset + limit = 10,000. */
const MAX_SEARCH_PAGE = 10_000 / PER_PAGE;
const VOTES_PER_MINUTE = 30;

/** Pages, not API: kept out of the OpenAPI document. */
const hidden = { schema: { hide: true } };

type PortalParams = { portal: string };
type LocaleParams = PortalParams & { locale: string };
type SlugParams = LocaleParams & { slug: string };

const UI_LANGUAGES = ['en', 'de', 'es', 'fr', 'pt', 'ru'];

/** The public help center under /help/:portal/ (a custom domain reaches the same routes through KbHosts). */
export async function publicRoutes(app: FastifyInstance, deps: PublicRouteDeps): Promise<void> {
  const { reader, publicUrl, hosts } = deps;
  const log = deps.logger;

  const siteOf = (req: FastifyRequest, settings: KbSettingsRecord, locale: string): Site =>
    siteFor(settings, locale, publicUrl, hosts.customHostOf(req.raw) !== undefined);

  const page = (req: FastifyRequest, reply: FastifyReply, body: string, opts: { status?: number; maxAge?: number } = {}) =>
    sendCached(req, reply, { body, type: HTML, status: opts.status ?? 200, maxAge: opts.maxAge ?? PAGE_MAX_AGE });

  const noHelpCenter = (req: FastifyRequest, reply: FastifyReply) =>
    page(req, reply, noHelpCenterHtml(negotiateLocale(req.headers['accept-language'], UI_LANGUAGES) ?? 'en'), { status: 404 });

  const notFound = (req: FastifyRequest, reply: FastifyReply, settings: KbSettingsRecord, locale = settings.defaultLocale) =>
    page(req, reply, notFoundHtml(siteOf(req, settings, settings.locales.includes(locale) ? locale : settings.defaultLocale)), { status: 404 });

  /** The help center and the page's locale, or a 404 page already sent. */
  async function open(req: FastifyRequest<{ Params: LocaleParams }>, reply: FastifyReply): Promise<Site | null> {
    const settings = await reader.findPortal(req.params.portal);
    if (!settings) {
      await noHelpCenter(req, reply);
      return null;
    }
    if (!settings.locales.includes(req.params.locale)) {
      await notFound(req, reply, settings);
      return null;
    }
    return siteOf(req, settings, req.params.locale);
  }

  const toBestLocale = async (req: FastifyRequest<{ Params: PortalParams }>, reply: FastifyReply) => {
    const settings = await reader.findPortal(req.params.portal);
    if (!settings) return noHelpCenter(req, reply);
    const locale = negotiateLocale(req.headers['accept-language'], settings.locales) ?? settings.defaultLocale;
    return reply
      .header('vary', 'accept-language')
      .header('cache-control', 'no-cache')
      .redirect(siteOf(req, settings, locale).href(kbPaths.home(locale)), 302);
  };
  app.get<{ Params: PortalParams }>('/help/:portal', hidden, toBestLocale);
  app.get<{ Params: PortalParams }>('/help/:portal/', hidden, toBestLocale);

  app.get<{ Params: LocaleParams }>('/help/:portal/:locale', hidden, async (req, reply) => {
    const site = await open(req, reply);
    if (!site) return reply;
    return reply.header('cache-control', 'public, max-age=3600').redirect(site.href(kbPaths.home(site.locale)), 301);
  });

  app.get<{ Params: LocaleParams }>('/help/:portal/:locale/', hidden, async (req, reply) => {
    const site = await open(req, reply);
    if (!site) return reply;
    return page(req, reply, homeHtml(site, await reader.home(site.settings, site.locale)));
  });

  app.get<{ Params: SlugParams }>('/help/:portal/:locale/categories/:slug', hidden, async (req, reply) => {
    const site = await open(req, reply);
    if (!site) return reply;
    const section = await reader.category(site.settings, site.locale, req.params.slug);
    if (!section) return notFound(req, reply, site.settings, site.locale);
    return page(req, reply, categoryHtml(site, section));
  });

  app.get<{ Params: SlugParams; Querystring: { voted?: string } }>('/help/:portal/:locale/articles/:slug', hidden, async (req, reply) => {
    const site = await open(req, reply);
    if (!site) return reply;
    const found = await reader.article(site.settings, site.locale, req.params.slug);
    switch (found.kind) {
      case 'found':
        return page(req, reply, articleHtml(site, { ...found, voted: req.query.voted === '1' }));
      case 'moved':
        return reply.header('cache-control', 'public, max-age=3600').redirect(site.href(kbPaths.article(site.locale, found.slug)), 301);
      case 'elsewhere':
        return page(req, reply, notFoundHtml(site, found.alternates), { status: 404 });
      case 'missing':
        return notFound(req, reply, site.settings, site.locale);
    }
  });

  app.post<{ Params: SlugParams; Body: unknown }>('/help/:portal/:locale/articles/:slug/vote', hidden, async (req, reply) => {
    reply.header('cache-control', 'no-store');
    const answer = (req.body as { helpful?: unknown } | undefined)?.helpful;
    if (answer !== 'yes' && answer !== 'no') throw errors.validation('helpful must be "yes" or "no".', { path: '/helpful' });
    const settings = await reader.findPortal(req.params.portal);
    const translation = settings?.locales.includes(req.params.locale) ? await reader.liveTranslation(settings, req.params.locale, req.params.slug) : null;
    if (!settings || !translation) throw errors.notFound('The article');
    const decision = await deps.voteLimiter.hit(`kbvote:${req.ip}`, VOTES_PER_MINUTE);
    if (!decision.allowed) {
      reply.header('retry-after', String(decision.retryAfterSeconds));
      throw rateLimited(decision.retryAfterSeconds);
    }
    // One vote per person is approximated by address + browser; the hash keeps neither.
    const voter = createHash('sha256').update(`${req.ip}\n${req.headers['user-agent'] ?? ''}`).digest('hex');
    const { tenantId } = settings;
    const outcome = await deps.voting.vote(tenantId, translation.articleId, translation.locale, answer === 'yes', voter);
    log.debug({ tenantId, articleId: translation.articleId, locale: translation.locale, outcome }, 'article vote');
    const site = siteOf(req, settings, translation.locale);
    return reply.redirect(`${site.href(kbPaths.article(site.locale, translation.publishedSlug))}?voted=1`, 303);
  });

  app.get<{ Params: LocaleParams; Querystring: { q?: unknown; page?: unknown } }>('/help/:portal/:locale/search', hidden, async (req, reply) => {
    const site = await open(req, reply);
    if (!site) return reply;
    const query = typeof req.query.q === 'string' ? req.query.q.trim().slice(0, 200) : '';
    const pageNo = Math.min(MAX_SEARCH_PAGE, Math.max(1, Number.parseInt(typeof req.query.page === 'string' ? req.query.page : '1', 10) || 1));
    const result = query
      ? await deps.search.search({ tenantId: site.settings.tenantId, text: query, locale: site.locale, limit: PER_PAGE, offset: (pageNo - 1) * PER_PAGE })
      : null;
    const pages = result ? Math.min(MAX_SEARCH_PAGE, Math.ceil(result.total / PER_PAGE)) : 0;
    return page(req, reply, searchHtml(site, { query, result, page: pageNo, pages }), { maxAge: SEARCH_MAX_AGE });
  });

  app.get<{ Params: PortalParams }>('/help/:portal/sitemap.xml', hidden, async (req, reply) => {
    const settings = await reader.findPortal(req.params.portal);
    if (!settings) return noHelpCenter(req, reply);
    const site = siteOf(req, settings, settings.defaultLocale);
    const body = sitemapXml(settings, site.origin, await reader.sitemap(settings));
    return sendCached(req, reply, { body, type: 'application/xml; charset=utf-8', maxAge: PAGE_MAX_AGE });
  });

  app.get<{ Params: PortalParams }>('/help/:portal/robots.txt', hidden, async (req, reply) => {
    const settings = await reader.findPortal(req.params.portal);
    if (!settings) return noHelpCenter(req, reply);
    const site = siteOf(req, settings, settings.defaultLocale);
    return sendCached(req, reply, { body: robotsTxt(site.base, site.abs(kbPaths.sitemap())), type: 'text/plain; charset=utf-8', maxAge: PAGE_MAX_AGE });
  });

  app.get<{ Params: PortalParams & { '*': string } }>('/help/:portal/*', hidden, async (req, reply) => {
    const settings = await reader.findPortal(req.params.portal);
    if (!settings) return noHelpCenter(req, reply);
    const locale = req.params['*'].split('/')[0] ?? '';
    return notFound(req, reply, settings, locale);
  });
}
