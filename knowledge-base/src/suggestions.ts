import { Type } from 'typebox';
import { ErrorBody, KbLocale, KbSuggestion } from '@switchboard/contracts';
import { rateLimited, type HttpServer, type RateLimiter } from '@switchboard/http';
import { originAllowed, type Repositories } from '@switchboard/inbox-service';
import { kbErrors } from './articles/errors.js';
import type { KbSettingsService } from './articles/settings.js';
import type { KbArticleSearch, KbFoundArticle } from './types.js';
import { articleUrl } from './urls.js';

export interface KbSuggestionDeps {
  inbox: Repositories;
  settings: KbSettingsService;
  search: KbArticleSearch;
  publicUrl: string;
  limiter: RateLimiter;
  /** Requests per minute from one IP address; default 60. */
  perMinute?: number;
}

const MAX_ITEMS = 3;
const MIN_QUERY = 3;

/** The Vary header with `origin` added once to what is already there. */
function varyOrigin(current: unknown): string {
  const parts = String(current ?? '').split(',').map((p) => p.trim()).filter(Boolean);
  return parts.some((p) => p.toLowerCase() === 'origin' || p === '*') ? parts.join(', ') : [...parts, 'origin'].join(', ');
}

/**
 * GET /api/v1/widget/kb/suggestions: while a visitor types in the widget, up to three published
 * articles that may answer them — in their language first, then in the help center's others.
 * Public (the widget's inbox token names the tenant) and readable from any website: it answers
 * only what the help center already publishes, and takes no credentials — unless the inbox lists
 * allowed origins; then only those websites are answered.
 */
export async function kbSuggestionRoutes(app: HttpServer, deps: KbSuggestionDeps): Promise<void> {
  const perMinute = deps.perMinute ?? 60;
  app.get(
    '/widget/kb/suggestions',
    {
      config: { public: true },
      schema: {
        tags: ['knowledge base'],
        summary: 'Articles that may answer what a widget visitor is typing (at most 3)',
        security: [],
        querystring: Type.Object(
          {
            token: Type.String({ minLength: 1, maxLength: 200, description: "The website inbox's widget token." }),
            q: Type.String({ maxLength: 200 }),
            locale: Type.Optional(KbLocale),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ items: Type.Array(KbSuggestion) }), 403: ErrorBody, 404: ErrorBody, 429: ErrorBody },
      },
    },
    async (req, reply) => {
      reply.header('access-control-allow-origin', '*').header('cross-origin-resource-policy', 'cross-origin');
      const decision = await deps.limiter.hit(`kb-suggestions:${req.ip}`, perMinute);
      if (!decision.allowed) {
        reply.header('retry-after', String(decision.retryAfterSeconds));
        throw rateLimited(decision.retryAfterSeconds);
      }
      const inbox = await deps.inbox.findInboxByWidgetToken(req.query.token);
      if (!inbox) throw kbErrors.unknownInbox();
      if (inbox.allowedOrigins?.length) {
        // Only the owner's websites read the answer. A request without Origin is not from another
        // site's page (a browser sends it cross-origin), so it is answered, with no CORS header.
        const origin = req.headers.origin;
        reply.removeHeader('access-control-allow-origin');
        reply.header('vary', varyOrigin(reply.getHeader('vary')));
        if (origin !== undefined) {
          if (!originAllowed(inbox.allowedOrigins, origin)) throw kbErrors.originNotAllowed(origin);
          reply.header('access-control-allow-origin', origin);
        }
      }
      reply.header('cache-control', 'public, max-age=60');
      const text = req.query.q.trim();
      if ([...text].length < MIN_QUERY) return { items: [] };

      const tenantId = inbox.tenantId;
      const settings = await deps.settings.get(tenantId);
      const locale = req.query.locale ?? settings.defaultLocale;
      const picked: KbFoundArticle[] = (await deps.search.search({ tenantId, text, locale, limit: MAX_ITEMS })).hits;
      if (picked.length < MAX_ITEMS) {
        // Fill from the other languages, one translation per article at most.
        const others = await deps.search.search({ tenantId, text, limit: MAX_ITEMS * 4 });
        for (const hit of others.hits) {
          if (picked.length >= MAX_ITEMS) break;
          if (!picked.some((p) => p.articleId === hit.articleId)) picked.push(hit);
        }
      }
      return {
        items: picked.map((h) => ({ articleId: h.articleId, locale: h.locale, title: h.title, url: articleUrl(settings, deps.publicUrl, h.locale, h.slug), snippet: h.snippet })),
      };
    },
  );
}
