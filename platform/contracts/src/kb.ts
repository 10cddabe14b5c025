import { Type, type Static } from 'typebox';

/**
 * The knowledge base as the REST API, the console and the widget see it. One source for types,
 * validation and OpenAPI. Routes (all under /api/v1):
 *
 *   GET  /kb/settings                      KbSettingsView             (any agent; PUT: admin)
 *   PUT  /kb/settings                      KbSettingsInput → KbSettingsView
 *   GET  /kb/categories                    { items: KbCategoryView[] }
 *   POST /kb/categories                    KbCategoryInput → KbCategoryView (201)
 *   PATCH /kb/categories/:categoryId       Partial<KbCategoryInput> → KbCategoryView
 *   DELETE /kb/categories/:categoryId      204; 409 SB_ERR_KB_CATEGORY_NOT_EMPTY while it holds articles
 *   GET  /kb/articles?locale&status&categoryId&limit&offset   { items: KbArticleSummary[], total }
 *   POST /kb/articles                      KbArticleCreate → KbArticleView (201)
 *   GET  /kb/articles/:articleId           KbArticleView
 *   PATCH /kb/articles/:articleId          { categoryId?, position? } → KbArticleView
 *   DELETE /kb/articles/:articleId         204
 *   PUT  /kb/articles/:articleId/translations/:locale          KbDraftInput → KbArticleView (saves the draft; 409 SB_ERR_KB_EDIT_CONFLICT on a stale baseRevision)
 *   POST /kb/articles/:articleId/translations/:locale/publish   → KbArticleView (draft becomes the published version)
 *   POST /kb/articles/:articleId/translations/:locale/unpublish → KbArticleView
 *   GET  /kb/articles/:articleId/translations/:locale/revisions → { items: KbRevisionView[] } (newest first)
 *   POST /kb/articles/:articleId/translations/:locale/revisions/:revision/restore → KbArticleView (the revision becomes the draft)
 *   POST /kb/preview                       { markdown } → { html } (exactly what the public page renders)
 *   GET  /kb/search?q&locale&limit         { items: KbSearchHit[] } (published articles; agents insert links)
 *   POST /kb/reindex                       (admin) → { indexed }
 *   GET  /widget/kb/suggestions?token&q&locale   public (widget inbox token): { items: KbSuggestion[] } (at most 3)
 *
 * Public pages (server-rendered, no JavaScript needed): /help/:portal/:locale/… and the same
 * paths at the root of a custom domain.
 */

const Id = Type.String({ minLength: 1, maxLength: 200 });
const IsoTime = Type.String({ format: 'date-time' });

/** BCP 47 tag: "en", "ru", "pt-BR", "zh-Hant". */
export const KbLocale = Type.String({ pattern: '^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$', maxLength: 35 });
/** URL segment: lowercase letters of any script, digits, dashes. */
export const KbSlug = Type.String({ pattern: '^[\\p{Ll}\\p{Lo}\\p{Nd}]+(-[\\p{Ll}\\p{Lo}\\p{Nd}]+)*$', minLength: 1, maxLength: 120 });
const HexColor = Type.String({ pattern: '^#[0-9a-fA-F]{6}$' });

export const KbArticleStatus = Type.Union([Type.Literal('draft'), Type.Literal('published')], {
  description: 'published: a published version is live (the draft may hold newer, unpublished changes); draft: not on the public pages.',
});
export type KbArticleStatus = Static<typeof KbArticleStatus>;

export const KbSettingsView = Type.Object({
  /** Path segment of the public help center: /help/<portal>/. Unique across tenants. */
  portal: KbSlug,
  name: Type.String({ minLength: 1, maxLength: 120 }),
  logoUrl: Type.Union([Type.String({ format: 'uri', maxLength: 2000 }), Type.Null()]),
  color: HexColor,
  defaultLocale: KbLocale,
  locales: Type.Array(KbLocale, { minItems: 1, maxItems: 30 }),
  /** Host name that serves this help center at its root, e.g. help.example.com; null = none. */
  customDomain: Type.Union([Type.String({ pattern: '^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}$' }), Type.Null()]),
  /** Public URL of the help center home (custom domain when set). */
  publicUrl: Type.String(),
});
export type KbSettingsView = Static<typeof KbSettingsView>;

export const KbSettingsInput = Type.Partial(Type.Omit(KbSettingsView, ['publicUrl']), { additionalProperties: false });
export type KbSettingsInput = Static<typeof KbSettingsInput>;

const CategoryText = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 120 }), description: Type.Optional(Type.String({ maxLength: 500 })) },
  { additionalProperties: false },
);

export const KbCategoryView = Type.Object({
  id: Id,
  slug: KbSlug,
  position: Type.Integer(),
  /** locale → name and description. */
  translations: Type.Record(KbLocale, CategoryText),
  articleCount: Type.Integer(),
  updatedAt: IsoTime,
});
export type KbCategoryView = Static<typeof KbCategoryView>;

export const KbCategoryInput = Type.Object(
  {
    slug: KbSlug,
    position: Type.Optional(Type.Integer({ minimum: 0, maximum: 100000 })),
    translations: Type.Record(KbLocale, CategoryText, { minProperties: 1, additionalProperties: false }),
  },
  { additionalProperties: false },
);
export type KbCategoryInput = Static<typeof KbCategoryInput>;

const Content = {
  title: Type.String({ minLength: 1, maxLength: 200 }),
  slug: KbSlug,
  /** Meta description and the summary under the title in lists; derived from the body when empty. */
  description: Type.String({ maxLength: 300 }),
  /** Markdown. */
  body: Type.String({ maxLength: 200_000 }),
};

export const KbVersionView = Type.Object({ ...Content, revision: Type.Integer(), updatedAt: IsoTime, updatedBy: Type.Union([Id, Type.Null()]) });
export type KbVersionView = Static<typeof KbVersionView>;

export const KbTranslationView = Type.Object({
  locale: KbLocale,
  status: KbArticleStatus,
  draft: KbVersionView,
  /** The live version; null while unpublished. */
  published: Type.Union([Type.Intersect([KbVersionView, Type.Object({ publishedAt: IsoTime })]), Type.Null()]),
  /** The draft differs from the published version. */
  hasUnpublishedChanges: Type.Boolean(),
  /** Public URL of the published version (null while unpublished). */
  url: Type.Union([Type.String(), Type.Null()]),
  votes: Type.Object({ helpful: Type.Integer(), notHelpful: Type.Integer() }),
});
export type KbTranslationView = Static<typeof KbTranslationView>;

export const KbArticleView = Type.Object({
  id: Id,
  categoryId: Type.Union([Id, Type.Null()]),
  position: Type.Integer(),
  authorId: Type.Union([Id, Type.Null()]),
  createdAt: IsoTime,
  updatedAt: IsoTime,
  translations: Type.Array(KbTranslationView),
  /** Sum over translations. */
  votes: Type.Object({ helpful: Type.Integer(), notHelpful: Type.Integer() }),
});
export type KbArticleView = Static<typeof KbArticleView>;

export const KbArticleSummary = Type.Object({
  id: Id,
  locale: KbLocale,
  title: Type.String(),
  slug: KbSlug,
  status: KbArticleStatus,
  hasUnpublishedChanges: Type.Boolean(),
  categoryId: Type.Union([Id, Type.Null()]),
  /** Locales this article has a translation in. */
  locales: Type.Array(KbLocale),
  updatedAt: IsoTime,
  url: Type.Union([Type.String(), Type.Null()]),
  votes: Type.Object({ helpful: Type.Integer(), notHelpful: Type.Integer() }),
});
export type KbArticleSummary = Static<typeof KbArticleSummary>;

export const KbArticleCreate = Type.Object(
  {
    locale: KbLocale,
    title: Content.title,
    slug: Type.Optional(KbSlug),
    description: Type.Optional(Content.description),
    body: Content.body,
    categoryId: Type.Optional(Type.Union([Id, Type.Null()])),
  },
  { additionalProperties: false },
);
export type KbArticleCreate = Static<typeof KbArticleCreate>;

export const KbDraftInput = Type.Object(
  {
    title: Content.title,
    /** Default: made from the title. */
    slug: Type.Optional(KbSlug),
    description: Type.Optional(Content.description),
    body: Content.body,
    /** The draft revision this edit started from; a newer one on the server → 409 SB_ERR_KB_EDIT_CONFLICT. Omitted for a new translation. */
    baseRevision: Type.Optional(Type.Integer({ minimum: 0 })),
  },
  { additionalProperties: false },
);
export type KbDraftInput = Static<typeof KbDraftInput>;

export const KbRevisionView = Type.Object({
  revision: Type.Integer(),
  action: Type.Union([Type.Literal('save'), Type.Literal('publish'), Type.Literal('unpublish'), Type.Literal('restore')]),
  title: Type.String(),
  slug: KbSlug,
  description: Type.String(),
  body: Type.String(),
  authorId: Type.Union([Id, Type.Null()]),
  at: IsoTime,
});
export type KbRevisionView = Static<typeof KbRevisionView>;

export const KbSearchHit = Type.Object({
  articleId: Id,
  locale: KbLocale,
  title: Type.String(),
  /** Public URL of the article. */
  url: Type.String(),
  /** HTML: matches in <mark>, everything else escaped. */
  snippet: Type.String(),
});
export type KbSearchHit = Static<typeof KbSearchHit>;

export const KbSuggestion = KbSearchHit;
export type KbSuggestion = KbSearchHit;

/** sb.events types the knowledge base publishes (data: { articleId, locale? }). */
export const KB_EVENTS = ['kb.article.published', 'kb.article.unpublished', 'kb.article.deleted', 'kb.article.moved'] as const;
export type KbEventType = (typeof KB_EVENTS)[number];
