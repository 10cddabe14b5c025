import { createHash, randomBytes } from 'node:crypto';
import type { Bus } from '@switchboard/bus';
import { CONTRACT_VERSION, newId, type DomainEvent, type KbArticleCreate, type KbArticleStatus, type KbCategoryInput, type KbDraftInput, type KbEventType } from '@switchboard/contracts';
import { errors } from '@switchboard/http';
import type { Repositories } from '@switchboard/inbox-service';
import type { KeyValue } from '@switchboard/kv';
import type { Logger } from '@switchboard/logging';
import { DuplicateKeyError, type Filter } from '@switchboard/store';
import { slugify } from '../markdown.js';
import type { KbVoting, VoteOutcome } from '../types.js';
import { kbErrors } from './errors.js';
import type { KbArticleRecord, KbCategoryRecord, KbContent, KbRevisionRecord, KbTranslationRecord } from './records.js';
import type { KbRepositories, KbStore } from './repository.js';
import { KbSettingsService, withSuffix } from './settings.js';

export interface KbServiceDeps {
  store: KbStore;
  /** The inbox's repositories: tenant records (name and locale for the settings' defaults). */
  inbox: Repositories;
  bus: Bus;
  /** Votes are remembered here for a day (one per voter and translation). */
  kv: KeyValue;
  logger: Logger;
  /** PUBLIC_URL: a custom domain may not be the hub's own host. */
  publicUrl: string;
}

/** An article with all of its translations (oldest locale first). */
export interface KbArticleWithTranslations {
  article: KbArticleRecord;
  translations: KbTranslationRecord[];
}

export interface KbArticleListQuery {
  locale?: string;
  status?: KbArticleStatus;
  /** A category id, or "none" for articles without one. */
  categoryId?: string;
  limit: number;
  offset: number;
}

export interface KbArticleMove {
  categoryId?: string | null;
  position?: number;
}

/** What one write does to a translation: its new fields and the revision it records. */
interface TranslationChange {
  action: KbRevisionRecord['action'];
  content: KbContent;
  set: Partial<KbTranslationRecord>;
}

const VOTE_TTL_MS = 24 * 60 * 60_000;
const WRITE_ATTEMPTS = 5;

export const translationId = (articleId: string, locale: string) => `${articleId}:${locale}`;
const contentOf = (c: KbContent): KbContent => ({ title: c.title, slug: c.slug, description: c.description, body: c.body });

/**
 * Articles, their translations, revisions and categories, and the helpful votes. Each change of
 * a translation is one conditional write on its revision counter (so two editors or a publish
 * racing a save cannot interleave), followed by a revision record and, for what the public sees,
 * a domain event on sb.events through an outbox — the search index follows those events; this
 * class never writes to it.
 */
export class KbService implements KbVoting {
  readonly settings: KbSettingsService;

  constructor(private readonly deps: KbServiceDeps) {
    this.settings = new KbSettingsService(deps.store, deps.inbox, deps.publicUrl, deps.logger);
  }

  get store(): KbStore {
    return this.deps.store;
  }

  private get log(): Logger {
    return this.deps.logger;
  }

  // ---- categories ------------------------------------------------------------------------------

  async listCategories(r: KbRepositories): Promise<{ category: KbCategoryRecord; articleCount: number }[]> {
    const categories = await r.categories.find({}, { sort: { position: 1, slug: 1 }, limit: 1000 });
    return Promise.all(categories.map(async (category) => ({ category, articleCount: await r.articles.countDocuments({ categoryId: category._id }) })));
  }

  async category(r: KbRepositories, id: string): Promise<KbCategoryRecord> {
    const category = await r.categories.findById(id);
    if (!category) throw errors.notFound('The category');
    return category;
  }

  async createCategory(r: KbRepositories, input: KbCategoryInput): Promise<KbCategoryRecord> {
    if (await r.categories.findOne({ slug: input.slug })) throw kbErrors.categorySlugTaken(input.slug);
    const now = new Date();
    const position = input.position ?? (await r.categories.countDocuments({}));
    try {
      const created = await r.categories.insertOne({ _id: newId(), slug: input.slug, position, translations: input.translations, createdAt: now, updatedAt: now });
      this.log.info({ tenantId: r.tenantId, categoryId: created._id }, 'knowledge base category created');
      return created;
    } catch (err) {
      if (err instanceof DuplicateKeyError) throw kbErrors.categorySlugTaken(input.slug);
      throw err;
    }
  }

  async updateCategory(r: KbRepositories, id: string, input: Partial<KbCategoryInput>): Promise<KbCategoryRecord> {
    const current = await this.category(r, id);
    if (input.slug !== undefined && input.slug !== current.slug && (await r.categories.findOne({ slug: input.slug }))) throw kbErrors.categorySlugTaken(input.slug);
    const set: Record<string, unknown> = { updatedAt: new Date() };
    if (input.slug !== undefined) set.slug = input.slug;
    if (input.position !== undefined) set.position = input.position;
    if (input.translations !== undefined) set.translations = input.translations;
    try {
      await r.categories.updateOne({ _id: id }, { $set: set });
    } catch (err) {
      if (err instanceof DuplicateKeyError && input.slug) throw kbErrors.categorySlugTaken(input.slug);
      throw err;
    }
    return this.category(r, id);
  }

  async deleteCategory(r: KbRepositories, id: string): Promise<void> {
    await this.category(r, id);
    const count = await r.articles.countDocuments({ categoryId: id });
    if (count > 0) throw kbErrors.categoryNotEmpty(count);
    await r.categories.deleteOne({ _id: id });
    this.log.info({ tenantId: r.tenantId, categoryId: id }, 'knowledge base category deleted');
  }

  private async checkCategory(r: KbRepositories, categoryId: string | null | undefined): Promise<void> {
    if (categoryId && !(await r.categories.findById(categoryId))) throw kbErrors.unknownCategory(categoryId);
  }

  // ---- reading articles ------------------------------------------------------------------------

  async article(r: KbRepositories, id: string): Promise<KbArticleRecord> {
    const article = await r.articles.findById(id);
    if (!article) throw errors.notFound('The article');
    return article;
  }

  async get(r: KbRepositories, id: string): Promise<KbArticleWithTranslations> {
    const article = await this.article(r, id);
    return { article, translations: await r.translations.find({ articleId: id }, { sort: { createdAt: 1, locale: 1 }, limit: 100 }) };
  }

  private async translation(r: KbRepositories, articleId: string, locale: string): Promise<KbTranslationRecord> {
    const t = await r.translations.findById(translationId(articleId, locale));
    if (!t) throw errors.notFound(`The ${locale} translation of the article`);
    return t;
  }

  /** One row per translation (pass a locale for one language), most recently changed first. */
  async list(r: KbRepositories, q: KbArticleListQuery): Promise<{ items: { translation: KbTranslationRecord; locales: string[] }[]; total: number }> {
    const filter: Filter = {};
    if (q.locale) filter.locale = q.locale;
    if (q.status === 'published') filter.published = { $ne: null };
    if (q.status === 'draft') filter.published = null;
    if (q.categoryId) filter.categoryId = q.categoryId === 'none' ? null : q.categoryId;
    const [page, total] = await Promise.all([
      r.translations.find(filter, { sort: { updatedAt: -1, _id: 1 }, skip: q.offset, limit: q.limit }),
      r.translations.countDocuments(filter),
    ]);
    const ids = [...new Set(page.map((t) => t.articleId))];
    const siblings = ids.length ? await r.translations.find({ articleId: { $in: ids } }, { projection: { articleId: 1, locale: 1 }, limit: ids.length * 50 }) : [];
    const localesOf = new Map<string, string[]>();
    for (const s of siblings) localesOf.set(s.articleId, [...(localesOf.get(s.articleId) ?? []), s.locale].sort());
    return { items: page.map((translation) => ({ translation, locales: localesOf.get(translation.articleId) ?? [translation.locale] })), total };
  }

  async revisions(r: KbRepositories, articleId: string, locale: string): Promise<KbRevisionRecord[]> {
    await this.article(r, articleId);
    await this.translation(r, articleId, locale);
    return r.revisions.find({ articleId, locale }, { sort: { revision: -1 }, limit: 1000 });
  }

  // ---- slugs -----------------------------------------------------------------------------------

  /** Free for this translation: no other translation of the locale has it as its draft or live address. */
  private async slugFree(r: KbRepositories, locale: string, slug: string, ownId: string): Promise<boolean> {
    const other = await r.translations.findOne({ locale, _id: { $ne: ownId }, $or: [{ slug }, { publishedSlug: slug }] });
    return !other;
  }

  /** The title's slug, or with -2, -3 … when another article of the locale has it. */
  private async freeSlugFrom(r: KbRepositories, locale: string, title: string, ownId: string, after = 1): Promise<string> {
    const base = slugify(title) || 'article';
    for (let n = after; n < after + 50; n++) {
      const candidate = withSuffix(base, n);
      if (await this.slugFree(r, locale, candidate, ownId)) return candidate;
    }
    return `${base.slice(0, 100)}-${randomBytes(3).toString('hex')}`;
  }

  // ---- writing articles ------------------------------------------------------------------------

  async createArticle(r: KbRepositories, input: KbArticleCreate, authorId: string | null): Promise<KbArticleWithTranslations> {
    await this.checkCategory(r, input.categoryId);
    const now = new Date();
    const categoryId = input.categoryId ?? null;
    const article: KbArticleRecord = {
      _id: newId(),
      tenantId: r.tenantId,
      categoryId,
      position: await r.articles.countDocuments({ categoryId }),
      authorId,
      createdAt: now,
      updatedAt: now,
    };
    const id = translationId(article._id, input.locale);
    if (input.slug && !(await this.slugFree(r, input.locale, input.slug, id))) throw kbErrors.slugTaken(input.slug, input.locale);
    await r.articles.insertOne(article);
    try {
      const translation = await this.insertTranslation(r, article, input.locale, { ...input, description: input.description ?? '' }, authorId);
      this.log.info({ tenantId: r.tenantId, articleId: article._id, locale: input.locale }, 'knowledge base article created');
      return { article, translations: [translation] };
    } catch (err) {
      await r.articles.deleteOne({ _id: article._id });
      throw err;
    }
  }

  /** PUT of a translation: saves its draft, creating the translation when the article has none in that locale. */
  async saveDraft(r: KbRepositories, articleId: string, locale: string, input: KbDraftInput, by: string | null): Promise<KbArticleWithTranslations> {
    const article = await this.article(r, articleId);
    const id = translationId(articleId, locale);
    const existing = await r.translations.findById(id);
    const description = input.description ?? '';
    if (!existing) {
      if (input.slug && !(await this.slugFree(r, locale, input.slug, id))) throw kbErrors.slugTaken(input.slug, locale);
      await this.insertTranslation(r, article, locale, { title: input.title, body: input.body, description, ...(input.slug ? { slug: input.slug } : {}) }, by);
      this.log.info({ tenantId: r.tenantId, articleId, locale }, 'knowledge base translation added');
      return this.get(r, articleId);
    }
    const base = input.baseRevision;
    if (base !== undefined && existing.draft.revision > base) throw kbErrors.editConflict(existing.draft, base);
    // Without a slug the address stays what it was: a new title must not break links already shared.
    const slug = input.slug ?? existing.slug;
    if (slug !== existing.slug && !(await this.slugFree(r, locale, slug, id))) throw kbErrors.slugTaken(slug, locale);
    const content: KbContent = { title: input.title, slug, description, body: input.body };
    await this.changeTranslation(r, articleId, locale, by, (t, revision, now) => {
      if (base !== undefined && t.draft.revision > base) throw kbErrors.editConflict(t.draft, base);
      return { action: 'save', content, set: { slug, draft: { ...content, revision, updatedAt: now, updatedBy: by } } };
    });
    return this.get(r, articleId);
  }

  async publish(r: KbRepositories, articleId: string, locale: string, by: string | null): Promise<KbArticleWithTranslations> {
    await this.article(r, articleId);
    const current = await this.translation(r, articleId, locale);
    const id = current._id;
    const slug = current.draft.slug;
    if (await r.translations.findOne({ locale, publishedSlug: slug, _id: { $ne: id } })) throw kbErrors.slugTaken(slug, locale);
    const makeLive = (t: KbTranslationRecord, revision: number, now: Date): TranslationChange => {
      const content = contentOf(t.draft);
      const oldSlug = t.publishedSlug;
      const previousSlugs = t.previousSlugs.filter((s) => s !== content.slug);
      if (oldSlug && oldSlug !== content.slug && !previousSlugs.includes(oldSlug)) previousSlugs.push(oldSlug);
      return {
        action: 'publish',
        content,
        set: { published: { ...content, revision, updatedAt: now, updatedBy: by, publishedAt: now }, publishedSlug: content.slug, previousSlugs },
      };
    };
    await this.announce(r, 'kb.article.published', { articleId, locale }, () => this.changeTranslation(r, articleId, locale, by, makeLive));
    // The new live address wins over a redirect another article of the locale kept for it.
    await r.translations.updateMany({ locale, previousSlugs: slug, _id: { $ne: id } }, { $pull: { previousSlugs: slug } });
    this.log.info({ tenantId: r.tenantId, articleId, locale }, 'knowledge base article published');
    return this.get(r, articleId);
  }

  async unpublish(r: KbRepositories, articleId: string, locale: string, by: string | null): Promise<KbArticleWithTranslations> {
    await this.article(r, articleId);
    await this.translation(r, articleId, locale);
    const changed = await this.announce(r, 'kb.article.unpublished', { articleId, locale }, () =>
      this.changeTranslation(r, articleId, locale, by, (t) =>
        t.published ? { action: 'unpublish', content: contentOf(t.published), set: { published: null, publishedSlug: null } } : null,
      ),
    );
    if (changed) this.log.info({ tenantId: r.tenantId, articleId, locale }, 'knowledge base article unpublished');
    return this.get(r, articleId);
  }

  /** An earlier revision's content becomes the draft (publish it to make it live). */
  async restore(r: KbRepositories, articleId: string, locale: string, revision: number, by: string | null): Promise<KbArticleWithTranslations> {
    await this.article(r, articleId);
    const id = (await this.translation(r, articleId, locale))._id;
    const saved = await r.revisions.findOne({ articleId, locale, revision });
    if (!saved) throw errors.notFound(`Revision ${revision}`);
    const content = contentOf(saved.content);
    if (!(await this.slugFree(r, locale, content.slug, id))) throw kbErrors.slugTaken(content.slug, locale);
    await this.changeTranslation(r, articleId, locale, by, (_t, next, now) => ({
      action: 'restore',
      content,
      set: { slug: content.slug, draft: { ...content, revision: next, updatedAt: now, updatedBy: by } },
    }));
    return this.get(r, articleId);
  }

  /** PATCH: another category and/or position. */
  async move(r: KbRepositories, articleId: string, change: KbArticleMove): Promise<KbArticleWithTranslations> {
    const article = await this.article(r, articleId);
    await this.checkCategory(r, change.categoryId);
    const set: Record<string, unknown> = {};
    if (change.categoryId !== undefined && change.categoryId !== article.categoryId) set.categoryId = change.categoryId;
    if (change.position !== undefined && change.position !== article.position) set.position = change.position;
    if (Object.keys(set).length === 0) return this.get(r, articleId);
    await this.announce(r, 'kb.article.moved', { articleId }, async () => {
      await r.articles.updateOne({ _id: articleId }, { $set: { ...set, updatedAt: new Date() } });
      if ('categoryId' in set) await r.translations.updateMany({ articleId }, { $set: { categoryId: set.categoryId } });
      return true;
    });
    this.log.info({ tenantId: r.tenantId, articleId, ...set }, 'knowledge base article moved');
    return this.get(r, articleId);
  }

  /** Removes the article with every translation and revision. */
  async deleteArticle(r: KbRepositories, articleId: string): Promise<void> {
    await this.article(r, articleId);
    const locales = (await r.translations.find({ articleId }, { projection: { locale: 1 }, limit: 1000 })).map((t) => t.locale);
    await this.announce(r, 'kb.article.deleted', { articleId, locales }, async () => {
      await r.translations.deleteMany({ articleId });
      await r.revisions.deleteMany({ articleId });
      await r.articles.deleteOne({ _id: articleId });
      return true;
    });
    this.log.info({ tenantId: r.tenantId, articleId, locales }, 'knowledge base article deleted');
  }

  private async insertTranslation(
    r: KbRepositories,
    article: KbArticleRecord,
    locale: string,
    input: { title: string; slug?: string | undefined; description: string; body: string },
    by: string | null,
  ): Promise<KbTranslationRecord> {
    const id = translationId(article._id, locale);
    let slug = input.slug ?? (await this.freeSlugFrom(r, locale, input.title, id));
    for (let attempt = 1; ; attempt++) {
      const now = new Date();
      const content: KbContent = { title: input.title, slug, description: input.description, body: input.body };
      try {
        const translation = await r.translations.insertOne({
          _id: id,
          articleId: article._id,
          locale,
          categoryId: article.categoryId,
          slug,
          draft: { ...content, revision: 1, updatedAt: now, updatedBy: by },
          published: null,
          publishedSlug: null,
          previousSlugs: [],
          revision: 1,
          votes: { helpful: 0, notHelpful: 0 },
          createdAt: now,
          updatedAt: now,
        });
        await this.recordRevision(r, translation, 1, 'save', content, by, now);
        await this.settings.addLocale(r.tenantId, locale);
        await r.articles.updateOne({ _id: article._id }, { $set: { updatedAt: now } });
        return translation;
      } catch (err) {
        if (!(err instanceof DuplicateKeyError)) throw err;
        if (await r.translations.findById(id)) throw errors.conflict(`The article already has a ${locale} translation; save it with PUT instead.`);
        // Another article took the slug between the check and the insert.
        if (input.slug || attempt >= WRITE_ATTEMPTS) throw kbErrors.slugTaken(slug, locale);
        slug = await this.freeSlugFrom(r, locale, input.title, id, 2);
      }
    }
  }

  /**
   * One write to a translation, conditional on its revision counter: `make` sees the current
   * record and returns the change (or null for none); a concurrent write makes it run again on
   * the fresh record. Returns the record written, or null when nothing changed.
   */
  private async changeTranslation(
    r: KbRepositories,
    articleId: string,
    locale: string,
    by: string | null,
    make: (t: KbTranslationRecord, revision: number, now: Date) => TranslationChange | null,
  ): Promise<KbTranslationRecord | null> {
    for (let attempt = 0; attempt < WRITE_ATTEMPTS; attempt++) {
      const t = await this.translation(r, articleId, locale);
      const revision = t.revision + 1;
      const now = new Date();
      const change = make(t, revision, now);
      if (!change) return null;
      let written: KbTranslationRecord | null;
      try {
        written = await r.translations.findOneAndUpdate({ _id: t._id, revision: t.revision }, { $set: { ...change.set, revision, updatedAt: now } });
      } catch (err) {
        if (err instanceof DuplicateKeyError) throw kbErrors.slugTaken(change.set.slug ?? t.slug, locale);
        throw err;
      }
      if (!written) continue;
      await this.recordRevision(r, written, revision, change.action, change.content, by, now);
      await r.articles.updateOne({ _id: articleId }, { $set: { updatedAt: now } });
      return written;
    }
    throw errors.conflict('The article is being changed by several people at once; try again.');
  }

  private async recordRevision(r: KbRepositories, t: KbTranslationRecord, revision: number, action: KbRevisionRecord['action'], content: KbContent, by: string | null, at: Date): Promise<void> {
    await r.revisions.insertOne({ _id: `${t._id}:${revision}`, articleId: t.articleId, locale: t.locale, revision, action, content: contentOf(content), authorId: by, at });
  }

  /**
   * A write that the public side (the search index, anyone else on sb.events) must hear about.
   * The event goes to the outbox before the write and leaves it once the broker confirmed it, so
   * a crash or a broker outage in between delays the event (publishPending) but never loses it.
   * `write` returns null when it changed nothing: then nothing is announced.
   */
  private async announce<T>(r: KbRepositories, type: KbEventType, data: Record<string, unknown>, write: () => Promise<T | null>): Promise<T | null> {
    const event: DomainEvent = { id: newId(), v: CONTRACT_VERSION, type, tenantId: r.tenantId, at: new Date().toISOString(), data };
    await r.outbox.insertOne({ _id: event.id, event, createdAt: new Date() });
    let result: T | null;
    try {
      result = await write();
    } catch (err) {
      await r.outbox.deleteOne({ _id: event.id });
      throw err;
    }
    if (result === null) await r.outbox.deleteOne({ _id: event.id });
    else await this.deliver(r, event);
    return result;
  }

  private async deliver(r: KbRepositories, event: DomainEvent): Promise<boolean> {
    try {
      await this.deps.bus.publishEvent(event);
    } catch (err) {
      this.log.warn({ err, tenantId: r.tenantId, type: event.type, eventId: event.id }, 'knowledge base event not published yet; the outbox keeps it');
      return false;
    }
    await r.outbox.deleteOne({ _id: event.id });
    return true;
  }

  /** Publishes events a crash or a broker outage left in the outbox (older than `olderThanMs`); returns how many went out. */
  async publishPending(olderThanMs = 30_000): Promise<number> {
    let sent = 0;
    for (const pending of await this.deps.store.pendingEvents(new Date(Date.now() - olderThanMs))) {
      if (await this.deliver(this.deps.store.forTenant(pending.tenantId), pending.event)) sent++;
    }
    if (sent) this.log.info({ sent }, 'knowledge base events published from the outbox');
    return sent;
  }

  // ---- votes -----------------------------------------------------------------------------------

  /** "Was this helpful?": one vote per voter and translation per day; a changed answer moves the count. */
  async vote(tenantId: string, articleId: string, locale: string, helpful: boolean, voter: string): Promise<VoteOutcome> {
    const r = this.deps.store.forTenant(tenantId);
    const t = await r.translations.findById(translationId(articleId, locale));
    if (!t?.published) throw errors.notFound('The article');
    const key = `kb:vote:${tenantId}:${t._id}:${createHash('sha256').update(voter).digest('base64url').slice(0, 32)}`;
    const answer = helpful ? 'helpful' : 'notHelpful';
    const kv = this.deps.kv;
    for (let attempt = 0; attempt < 3; attempt++) {
      if (await kv.set(key, answer, { nx: true, ttlMs: VOTE_TTL_MS })) {
        await r.translations.updateOne({ _id: t._id }, { $inc: { [`votes.${answer}`]: 1 } });
        return 'counted';
      }
      const before = await kv.get(key);
      if (before === null) continue; // expired just now: count it as a new vote
      if (before === answer) return 'already';
      const ttl = await kv.ttl(key);
      await kv.set(key, answer, { ttlMs: ttl > 0 ? ttl : VOTE_TTL_MS });
      await r.translations.updateOne({ _id: t._id }, { $inc: { [`votes.${answer}`]: 1, [`votes.${before === 'helpful' ? 'helpful' : 'notHelpful'}`]: -1 } });
      return 'changed';
    }
    return 'already';
  }
}
