import type { KbArticleRecord, KbCategoryRecord, KbSettingsRecord, KbTranslationRecord } from '../articles/records.js';
import type { KbRepositories, KbStore } from '../articles/repository.js';
import { summarize } from '../markdown.js';

/** A translation whose published version is live. */
export type LiveTranslation = KbTranslationRecord & { published: NonNullable<KbTranslationRecord['published']>; publishedSlug: string };

export const isLive = (t: KbTranslationRecord): t is LiveTranslation => t.published !== null && !!t.publishedSlug;

export interface ArticleLink {
  articleId: string;
  title: string;
  slug: string;
  description: string;
}

export interface CategoryText {
  name: string;
  description: string;
}

export interface CategorySection {
  category: KbCategoryRecord;
  text: CategoryText;
  articles: ArticleLink[];
}

export type ArticleLookup =
  | { kind: 'found'; translation: LiveTranslation; category: KbCategoryRecord | null; alternates: LiveTranslation[]; firstPublishedAt: Date }
  /** An old slug, or another locale's: the article lives at `slug` in this locale. */
  | { kind: 'moved'; slug: string }
  /** The slug belongs to this article in other locales only. */
  | { kind: 'elsewhere'; alternates: LiveTranslation[] }
  | { kind: 'missing' };

/** Everything the sitemap lists for one help center. */
export interface SitemapData {
  translations: LiveTranslation[];
  /** locale → slugs of categories with a live article in it. */
  categories: Map<string, { slug: string; updatedAt: Date }[]>;
}

const MAX_ARTICLES = 50_000;

/** What the public pages read: only live translations, only in the help center's locales, only through its tenant. */
export class HelpCenterReader {
  constructor(private readonly store: KbStore) {}

  findPortal(portal: string): Promise<KbSettingsRecord | null> {
    return this.store.findPortal(portal);
  }

  async home(settings: KbSettingsRecord, locale: string): Promise<{ sections: CategorySection[]; uncategorized: ArticleLink[] }> {
    const r = this.repos(settings);
    const [categories, live] = await Promise.all([r.categories.find({}, { sort: { position: 1, slug: 1 }, limit: 1000 }), this.liveIn(r, locale, {})]);
    const ordered = await this.inArticleOrder(r, live);
    const known = new Set(categories.map((c) => c._id));
    const sections = categories
      .map((category) => ({ category, text: categoryText(category, locale, settings.defaultLocale), articles: ordered.filter((a) => a.categoryId === category._id).map((a) => a.link) }))
      .filter((s) => s.articles.length > 0);
    const uncategorized = ordered.filter((a) => !a.categoryId || !known.has(a.categoryId)).map((a) => a.link);
    return { sections, uncategorized };
  }

  async category(settings: KbSettingsRecord, locale: string, slug: string): Promise<CategorySection | null> {
    const r = this.repos(settings);
    const category = await r.categories.findOne({ slug });
    if (!category) return null;
    const ordered = await this.inArticleOrder(r, await this.liveIn(r, locale, { categoryId: category._id }));
    return { category, text: categoryText(category, locale, settings.defaultLocale), articles: ordered.map((a) => a.link) };
  }

  async article(settings: KbSettingsRecord, locale: string, slug: string): Promise<ArticleLookup> {
    const r = this.repos(settings);
    const current = await r.translations.findOne({ locale, publishedSlug: slug });
    if (current && isLive(current)) {
      const [category, alternates, firstPublish] = await Promise.all([
        current.categoryId ? r.categories.findById(current.categoryId) : null,
        this.alternates(r, settings, current.articleId),
        r.revisions.findOne({ articleId: current.articleId, locale, action: 'publish' }, { sort: { revision: 1 } }),
      ]);
      return { kind: 'found', translation: current, category, alternates, firstPublishedAt: firstPublish?.at ?? current.published.publishedAt };
    }
    const renamed = await r.translations.findOne({ locale, previousSlugs: slug });
    if (renamed && isLive(renamed) && renamed.publishedSlug !== slug) return { kind: 'moved', slug: renamed.publishedSlug };
    const other = (await r.translations.find({ $or: [{ publishedSlug: slug }, { previousSlugs: slug }] }, { limit: 20 })).find(isLive);
    if (other) {
      const alternates = await this.alternates(r, settings, other.articleId);
      // Another language's slug in this locale's path (a hand-edited URL): this locale's version is the page meant.
      const here = alternates.find((t) => t.locale === locale);
      if (here) return { kind: 'moved', slug: here.publishedSlug };
      if (alternates.length) return { kind: 'elsewhere', alternates };
    }
    return { kind: 'missing' };
  }

  /** The live translation a vote is for (by its current slug only). */
  async liveTranslation(settings: KbSettingsRecord, locale: string, slug: string): Promise<LiveTranslation | null> {
    const t = await this.repos(settings).translations.findOne({ locale, publishedSlug: slug });
    return t && isLive(t) ? t : null;
  }

  async sitemap(settings: KbSettingsRecord): Promise<SitemapData> {
    const r = this.repos(settings);
    const locales = new Set(settings.locales);
    const [all, categories] = await Promise.all([
      r.translations.find({ publishedSlug: { $ne: null } }, { sort: { articleId: 1, locale: 1 }, limit: MAX_ARTICLES }),
      r.categories.find({}, { sort: { position: 1, slug: 1 }, limit: 1000 }),
    ]);
    const translations = all.filter(isLive).filter((t) => locales.has(t.locale));
    const byLocale = new Map<string, { slug: string; updatedAt: Date }[]>();
    for (const locale of settings.locales) {
      const used = new Set(translations.filter((t) => t.locale === locale).map((t) => t.categoryId));
      byLocale.set(locale, categories.filter((c) => used.has(c._id)).map((c) => ({ slug: c.slug, updatedAt: c.updatedAt })));
    }
    return { translations, categories: byLocale };
  }

  private repos(settings: KbSettingsRecord): KbRepositories {
    return this.store.forTenant(settings.tenantId);
  }

  private async liveIn(r: KbRepositories, locale: string, filter: { categoryId?: string }): Promise<LiveTranslation[]> {
    const found = await r.translations.find({ ...filter, locale, publishedSlug: { $ne: null } }, { limit: 5000 });
    return found.filter(isLive);
  }

  /** Every live translation of an article in the help center's locales, in the order of settings.locales. */
  private async alternates(r: KbRepositories, settings: KbSettingsRecord, articleId: string): Promise<LiveTranslation[]> {
    const live = (await r.translations.find({ articleId }, { limit: 100 })).filter(isLive);
    return settings.locales.flatMap((l) => live.filter((t) => t.locale === l));
  }

  private async articlesById(r: KbRepositories, translations: KbTranslationRecord[]): Promise<Map<string, KbArticleRecord>> {
    const ids = [...new Set(translations.map((t) => t.articleId))];
    const found = ids.length ? await r.articles.find({ _id: { $in: ids } }, { limit: ids.length }) : [];
    return new Map(found.map((a) => [a._id, a]));
  }

  /** Translations as links, in their articles' position order (the article record holds the position). */
  private async inArticleOrder(r: KbRepositories, translations: LiveTranslation[]): Promise<{ categoryId: string | null; link: ArticleLink }[]> {
    const articles = await this.articlesById(r, translations);
    return translations
      .map((t) => ({ t, article: articles.get(t.articleId) }))
      .sort((a, b) => (a.article?.position ?? 0) - (b.article?.position ?? 0) || a.t.published.title.localeCompare(b.t.published.title))
      .map(({ t }) => ({ categoryId: t.categoryId, link: articleLink(t) }));
  }
}

export function articleLink(t: LiveTranslation): ArticleLink {
  return { articleId: t.articleId, title: t.published.title, slug: t.publishedSlug, description: descriptionOf(t) };
}

/** The meta description: the author's, else the start of the body. */
export function descriptionOf(t: LiveTranslation): string {
  return t.published.description.trim() || summarize(t.published.body);
}

export function categoryText(c: KbCategoryRecord, locale: string, defaultLocale: string): CategoryText {
  const text = c.translations[locale] ?? c.translations[defaultLocale] ?? Object.values(c.translations)[0];
  return { name: text?.name ?? c.slug, description: text?.description ?? '' };
}
