import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { SbError, type RateLimiter } from '@switchboard/http';
import type { Repositories } from '../repositories/index.js';
import { notFoundPage, surveyPage, tooManyPage } from './page.js';
import type { CsatService } from './service.js';
import { csatTexts, pageLocale, type CsatLocale } from './texts.js';

export interface CsatPageDeps {
  csat: CsatService;
  repos: Repositories;
  limiter: RateLimiter;
  /** Page views and answers per minute from one address. */
  perMinute?: number;
}

/** Pages, not API: kept out of the OpenAPI document. */
const hidden = { schema: { hide: true } };
const HTML = 'text/html; charset=utf-8';

type TokenRequest = FastifyRequest<{ Params: { token: string } }>;

/**
 * The public survey page: GET shows it, POST (a plain form post) stores the answer and redirects
 * back to GET (303), so a reload never posts twice. Mount it in its own scope: the form parser
 * stays there. No sign-in: the unguessable token in the link is the key.
 */
export async function csatPageRoutes(app: FastifyInstance, deps: CsatPageDeps): Promise<void> {
  const perMinute = deps.perMinute ?? 30;
  if (!app.hasContentTypeParser('application/x-www-form-urlencoded')) {
    app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 16_384 }, (_req, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(body as string)));
    });
  }

  const send = (reply: FastifyReply, status: number, html: string) =>
    reply.status(status).header('cache-control', 'no-store').header('x-robots-tag', 'noindex, nofollow').type(HTML).send(html);

  /** The survey of the link, or the page that says why not (already sent). */
  async function open(req: TokenRequest, reply: FastifyReply) {
    const fallback = pageLocale(req.headers['accept-language'], 'en');
    const decision = await deps.limiter.hit(`csat:${req.ip}`, perMinute);
    if (!decision.allowed) {
      reply.header('retry-after', String(decision.retryAfterSeconds));
      await send(reply, 429, tooManyPage(fallback));
      return null;
    }
    const found = await deps.csat.byToken(req.params.token);
    if (!found) {
      await send(reply, 404, notFoundPage(fallback));
      return null;
    }
    const tenant = await deps.repos.getTenant(found.survey.tenantId);
    const locale: CsatLocale = pageLocale(req.headers['accept-language'], found.survey.locale);
    return { ...found, locale, team: tenant?.name ?? '' };
  }

  app.get<{ Params: { token: string } }>('/csat/:token', hidden, async (req, reply) => {
    const page = await open(req, reply);
    if (!page) return reply;
    return send(reply, 200, surveyPage({ locale: page.locale, team: page.team, survey: page.survey, token: req.params.token, editable: deps.csat.editable(page.survey) }));
  });

  app.post<{ Params: { token: string }; Body: unknown }>('/csat/:token', hidden, async (req, reply) => {
    const page = await open(req, reply);
    if (!page) return reply;
    const body = (req.body && typeof req.body === 'object' ? req.body : {}) as { rating?: unknown; comment?: unknown };
    // A form sends text: "4" is the number 4; anything else stays as sent and is refused.
    const rating = typeof body.rating === 'string' && /^\d{1,2}$/.test(body.rating.trim()) ? Number(body.rating) : body.rating;
    try {
      await deps.csat.answer(page.r, page.survey, { rating, comment: body.comment });
    } catch (err) {
      if (!(err instanceof SbError) || err.statusCode >= 500) throw err;
      const current = (await page.r.csat.findById(page.survey._id)) ?? page.survey;
      const texts = csatTexts[page.locale];
      const badRating = err.code === 'SB_ERR_VALIDATION' && (err.details as { path?: string } | undefined)?.path === '/rating';
      const message = badRating ? texts.pickRating : err.code === 'SB_ERR_CSAT_CLOSED' ? texts.closed : err.message;
      const draft = { ...(typeof body.comment === 'string' ? { comment: body.comment.slice(0, 2000) } : {}) };
      return send(
        reply,
        err.statusCode,
        surveyPage({ locale: page.locale, team: page.team, survey: current, token: req.params.token, editable: deps.csat.editable(current), error: { code: err.code, message }, draft }),
      );
    }
    // Back to the page, which now thanks them and shows the answer (editable for a day).
    return reply.status(303).header('cache-control', 'no-store').header('location', encodeURIComponent(req.params.token)).send();
  });
}
