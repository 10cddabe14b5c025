import { Type } from 'typebox';
import {
  ErrorBody,
  KbArticleCreate,
  KbArticleStatus,
  KbArticleSummary,
  KbArticleView,
  KbCategoryInput,
  KbCategoryView,
  KbDraftInput,
  KbLocale,
  KbRevisionView,
  KbSearchHit,
  KbSettingsInput,
  KbSettingsView,
} from '@switchboard/contracts';
import type { Principal } from '@switchboard/auth';
import type { HttpServer } from '@switchboard/http';
import { renderMarkdown } from '../markdown.js';
import type { KbSearch } from '../search/kb-search.js';
import { articleUrl } from '../urls.js';
import type { KbStore } from './repository.js';
import type { KbArticleWithTranslations, KbService } from './service.js';
import { articleView, categoryView, revisionView, settingsView, summaryView, type LinkBase } from './views.js';

export interface KbRouteDeps {
  store: KbStore;
  service: KbService;
  search: KbSearch;
  /** PUBLIC_URL: the public links in views. */
  publicUrl: string;
}

const Id = Type.String({ minLength: 1, maxLength: 200 });
const ArticleParams = Type.Object({ articleId: Id });
const TranslationParams = Type.Object({ articleId: Id, locale: KbLocale });
const RevisionParams = Type.Object({ articleId: Id, locale: KbLocale, revision: Type.Integer({ minimum: 1 }) });
const CategoryParams = Type.Object({ categoryId: Id });
const errorsOf = (...statuses: number[]) => Object.fromEntries(statuses.map((s) => [s, ErrorBody]));

/** Who wrote a change: the agent; API keys write as nobody in particular. */
const authorOf = (p: Principal) => p.agentId ?? null;

/** The agents' knowledge-base API (under /api/v1): settings, categories, articles, revisions, preview, search. */
export async function kbRoutes(app: HttpServer, deps: KbRouteDeps): Promise<void> {
  const { store, service, search, publicUrl } = deps;
  const tags = ['knowledge base'];
  const read = { access: { scope: 'kb:read' } };
  const write = { access: { scope: 'kb:write' } };
  const admin = { access: { roles: ['admin' as const], scope: 'kb:write' } };
  // Tenant scoping happens here and only here: every handler works on these repositories.
  const scope = (p: Principal) => store.forTenant(p.tenantId);
  const linkBase = async (tenantId: string): Promise<LinkBase> => ({ settings: await service.settings.get(tenantId), publicUrl });
  const view = async (tenantId: string, a: KbArticleWithTranslations) => articleView(a.article, a.translations, await linkBase(tenantId));

  // ---- settings ------------------------------------------------------------------------------

  app.get(
    '/kb/settings',
    { config: read, schema: { tags, summary: 'The help center: address, name, look, languages, custom domain', response: { 200: KbSettingsView } } },
    async (req) => settingsView(await service.settings.get(req.principal.tenantId), publicUrl),
  );

  app.put(
    '/kb/settings',
    {
      config: admin,
      schema: { tags, summary: 'Change the help center settings (admins)', body: KbSettingsInput, response: { 200: KbSettingsView, ...errorsOf(400, 409) } },
    },
    async (req) => settingsView(await service.settings.update(req.principal.tenantId, req.body), publicUrl),
  );

  // ---- categories ----------------------------------------------------------------------------

  app.get(
    '/kb/categories',
    { config: read, schema: { tags, summary: 'Categories in their order, with how many articles each holds', response: { 200: Type.Object({ items: Type.Array(KbCategoryView) }) } } },
    async (req) => ({ items: (await service.listCategories(scope(req.principal))).map((c) => categoryView(c.category, c.articleCount)) }),
  );

  app.post(
    '/kb/categories',
    { config: write, schema: { tags, summary: 'Create a category', body: KbCategoryInput, response: { 201: KbCategoryView, ...errorsOf(409) } } },
    async (req, reply) => reply.status(201).send(categoryView(await service.createCategory(scope(req.principal), req.body), 0)),
  );

  app.patch(
    '/kb/categories/:categoryId',
    {
      config: write,
      schema: {
        tags,
        summary: 'Rename, reorder or change the slug of a category',
        params: CategoryParams,
        body: Type.Partial(KbCategoryInput, { additionalProperties: false }),
        response: { 200: KbCategoryView, ...errorsOf(404, 409) },
      },
    },
    async (req) => {
      const r = scope(req.principal);
      const category = await service.updateCategory(r, req.params.categoryId, req.body);
      return categoryView(category, await r.articles.countDocuments({ categoryId: category._id }));
    },
  );

  app.delete(
    '/kb/categories/:categoryId',
    { config: write, schema: { tags, summary: 'Delete an empty category', params: CategoryParams, response: { 204: Type.Null(), ...errorsOf(404, 409) } } },
    async (req, reply) => {
      await service.deleteCategory(scope(req.principal), req.params.categoryId);
      return reply.status(204).send(null);
    },
  );

  // ---- articles ------------------------------------------------------------------------------

  app.get(
    '/kb/articles',
    {
      config: read,
      schema: {
        tags,
        summary: 'Articles, one row per translation, most recently changed first',
        querystring: Type.Object(
          {
            locale: Type.Optional(KbLocale),
            status: Type.Optional(KbArticleStatus),
            categoryId: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'A category id, or "none" for articles outside every category.' })),
            limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
            offset: Type.Integer({ minimum: 0, maximum: 100_000, default: 0 }),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ items: Type.Array(KbArticleSummary), total: Type.Integer() }) },
      },
    },
    async (req) => {
      const q = req.query;
      const result = await service.list(scope(req.principal), {
        limit: q.limit,
        offset: q.offset,
        ...(q.locale ? { locale: q.locale } : {}),
        ...(q.status ? { status: q.status } : {}),
        ...(q.categoryId ? { categoryId: q.categoryId } : {}),
      });
      const base = await linkBase(req.principal.tenantId);
      return { items: result.items.map((i) => summaryView(i.translation, i.locales, base)), total: result.total };
    },
  );

  app.post(
    '/kb/articles',
    {
      config: write,
      schema: { tags, summary: 'Write a new article (its first translation, as a draft)', body: KbArticleCreate, response: { 201: KbArticleView, ...errorsOf(409, 422) } },
    },
    async (req, reply) => {
      const created = await service.createArticle(scope(req.principal), req.body, authorOf(req.principal));
      return reply.status(201).send(await view(req.principal.tenantId, created));
    },
  );

  app.get(
    '/kb/articles/:articleId',
    { config: read, schema: { tags, summary: 'One article with every translation (draft and published versions)', params: ArticleParams, response: { 200: KbArticleView, ...errorsOf(404) } } },
    async (req) => view(req.principal.tenantId, await service.get(scope(req.principal), req.params.articleId)),
  );

  app.patch(
    '/kb/articles/:articleId',
    {
      config: write,
      schema: {
        tags,
        summary: 'Move an article to another category or position',
        params: ArticleParams,
        body: Type.Object(
          { categoryId: Type.Optional(Type.Union([Id, Type.Null()])), position: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000 })) },
          { additionalProperties: false },
        ),
        response: { 200: KbArticleView, ...errorsOf(404, 422) },
      },
    },
    async (req) => {
      const change = { ...(req.body.categoryId !== undefined ? { categoryId: req.body.categoryId } : {}), ...(req.body.position !== undefined ? { position: req.body.position } : {}) };
      return view(req.principal.tenantId, await service.move(scope(req.principal), req.params.articleId, change));
    },
  );

  app.delete(
    '/kb/articles/:articleId',
    { config: write, schema: { tags, summary: 'Delete an article with all its translations and revisions', params: ArticleParams, response: { 204: Type.Null(), ...errorsOf(404) } } },
    async (req, reply) => {
      await service.deleteArticle(scope(req.principal), req.params.articleId);
      return reply.status(204).send(null);
    },
  );

  app.put(
    '/kb/articles/:articleId/translations/:locale',
    {
      config: write,
      schema: {
        tags,
        summary: 'Save the draft of a translation (adds the translation when missing); the published version is unchanged until publish',
        params: TranslationParams,
        body: KbDraftInput,
        response: { 200: KbArticleView, ...errorsOf(404, 409) },
      },
    },
    async (req) =>
      view(req.principal.tenantId, await service.saveDraft(scope(req.principal), req.params.articleId, req.params.locale, req.body, authorOf(req.principal))),
  );

  app.post(
    '/kb/articles/:articleId/translations/:locale/publish',
    { config: write, schema: { tags, summary: 'Publish the draft: it becomes what the help center shows', params: TranslationParams, response: { 200: KbArticleView, ...errorsOf(404, 409) } } },
    async (req) => view(req.principal.tenantId, await service.publish(scope(req.principal), req.params.articleId, req.params.locale, authorOf(req.principal))),
  );

  app.post(
    '/kb/articles/:articleId/translations/:locale/unpublish',
    { config: write, schema: { tags, summary: 'Take a translation off the help center (the draft stays)', params: TranslationParams, response: { 200: KbArticleView, ...errorsOf(404) } } },
    async (req) => view(req.principal.tenantId, await service.unpublish(scope(req.principal), req.params.articleId, req.params.locale, authorOf(req.principal))),
  );

  app.get(
    '/kb/articles/:articleId/translations/:locale/revisions',
    {
      config: read,
      schema: { tags, summary: 'Every saved, published, unpublished and restored version, newest first', params: TranslationParams, response: { 200: Type.Object({ items: Type.Array(KbRevisionView) }), ...errorsOf(404) } },
    },
    async (req) => ({ items: (await service.revisions(scope(req.principal), req.params.articleId, req.params.locale)).map(revisionView) }),
  );

  app.post(
    '/kb/articles/:articleId/translations/:locale/revisions/:revision/restore',
    { config: write, schema: { tags, summary: 'Make an earlier revision the draft again', params: RevisionParams, response: { 200: KbArticleView, ...errorsOf(404, 409) } } },
    async (req) =>
      view(
        req.principal.tenantId,
        await service.restore(scope(req.principal), req.params.articleId, req.params.locale, req.params.revision, authorOf(req.principal)),
      ),
  );

  // ---- preview, search, reindex --------------------------------------------------------------

  app.post(
    '/kb/preview',
    {
      config: read,
      schema: {
        tags,
        summary: 'Markdown as the help center renders it (sanitized HTML)',
        body: Type.Object({ markdown: Type.String({ maxLength: 200_000 }) }, { additionalProperties: false }),
        response: { 200: Type.Object({ html: Type.String() }) },
      },
    },
    async (req) => ({ html: renderMarkdown(req.body.markdown) }),
  );

  app.get(
    '/kb/search',
    {
      config: read,
      schema: {
        tags,
        summary: 'Search published articles (agents insert their links into replies)',
        querystring: Type.Object(
          { q: Type.String({ minLength: 1, maxLength: 200 }), locale: Type.Optional(KbLocale), limit: Type.Integer({ minimum: 1, maximum: 20, default: 10 }) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ items: Type.Array(KbSearchHit) }) },
      },
    },
    async (req) => {
      const tenantId = req.principal.tenantId;
      const settings = await service.settings.get(tenantId);
      const result = await search.search({ tenantId, text: req.query.q, limit: req.query.limit, ...(req.query.locale ? { locale: req.query.locale } : {}) });
      return {
        items: result.hits.map((h) => ({ articleId: h.articleId, locale: h.locale, title: h.title, url: articleUrl(settings, publicUrl, h.locale, h.slug), snippet: h.snippet })),
      };
    },
  );

  app.post(
    '/kb/reindex',
    { config: admin, schema: { tags, summary: 'Rebuild the search index of this team’s published articles (admins)', response: { 200: Type.Object({ indexed: Type.Integer() }) } } },
    async (req) => ({ indexed: await search.reindex(req.principal.tenantId) }),
  );
}
