import type { Logger } from '@switchboard/logging';
import type { IndexSchema, SearchDoc, SearchHit, SearchIndex } from '@switchboard/search';
import { deu, eng, fra, ita, nld, pol, por, rus, spa, ukr } from 'stopword';
import type { KbTranslationRecord } from '../articles/records.js';
import type { KbStore } from '../articles/repository.js';
import { markdownToText, truncateAtWord } from '../markdown.js';
import type { KbArticleSearch, KbFoundArticle, KbSearchQuery, KbSearchResult } from '../types.js';

export const KB_INDEX = 'kb_articles';

export const KB_INDEX_SCHEMA: IndexSchema = {
  fields: { title: 'text', description: 'text', body: 'text', articleId: 'keyword', categoryId: 'keyword', slug: 'keyword', updatedAt: 'date' },
  boost: { title: 3, description: 2 },
};

const schema = (): IndexSchema => ({ fields: { ...KB_INDEX_SCHEMA.fields }, boost: { ...KB_INDEX_SCHEMA.boost } });
const BATCH = 200;

/** `<articleId>:<locale>`, the same as the translation's record id. */
export const kbDocId = (articleId: string, locale: string) => `${articleId}:${locale}`;

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&#39;'));

const segmenter = new Intl.Segmenter('und', { granularity: 'word' });
/** The SearchIndex seam takes at most this many words; a visitor's long sentence keeps its first ones. */
const MAX_QUERY_WORDS = 32;

/** The words of what someone typed, at most MAX_QUERY_WORDS; null when it has no word at all ("???"). */
function queryWords(text: string): string[] | null {
  const words = [...segmenter.segment(text)].filter((s) => s.isWordLike).map((s) => s.segment);
  return words.length === 0 ? null : words.slice(0, MAX_QUERY_WORDS);
}

const STOP_WORDS: Record<string, readonly string[]> = { en: eng, ru: rus, de: deu, fr: fra, es: spa, pt: por, it: ita, nl: nld, pl: pol, uk: ukr };
const stopSets = new Map<string, Set<string>>();
/** Stop words of the query's language and English, or of every listed language when the language is unknown. */
function stopWordsFor(locale: string | undefined): Set<string> {
  const lang = locale?.split('-')[0]?.toLowerCase() ?? '';
  const key = STOP_WORDS[lang] ? lang : '*';
  let set = stopSets.get(key);
  if (!set) stopSets.set(key, (set = new Set((key === '*' ? Object.values(STOP_WORDS) : [STOP_WORDS[key]!, eng]).flat())));
  return set;
}

/**
 * The words that carry meaning: a visitor asks "how do I get a refund", and only "refund" has to
 * be in the article. A query of stop words alone ("how to") is kept whole.
 */
function significantWords(words: string[], locale: string | undefined): string[] {
  const stop = stopWordsFor(locale);
  const kept = words.filter((w) => !stop.has(w.toLowerCase()));
  return kept.length > 0 ? kept : words;
}

/**
 * Search over the *published* translations, one document per translation in the SearchIndex
 * seam, analyzed in the translation's own language. The index is a projection of the store:
 * `refreshArticle` makes an article's documents match the store whatever happened before (so the
 * sb.events follower may see an event twice or late), and `reindex` rebuilds a tenant from
 * scratch.
 */
export class KbSearch implements KbArticleSearch {
  constructor(
    private readonly index: SearchIndex,
    private readonly store: KbStore,
    private readonly logger: Logger,
  ) {}

  ensure(): Promise<void> {
    return this.index.ensureIndex(KB_INDEX, schema());
  }

  /** Indexes the translation's published version; a translation without one is removed. */
  async put(t: KbTranslationRecord): Promise<void> {
    const doc = this.doc(t);
    if (doc) await this.index.index(KB_INDEX, doc);
    else await this.remove(t.tenantId, t.articleId, t.locale);
  }

  remove(tenantId: string, articleId: string, locale: string): Promise<void> {
    return this.index.delete(KB_INDEX, tenantId, kbDocId(articleId, locale));
  }

  /** Makes the article's documents what the store says now: published translations in, everything else out. */
  async refreshArticle(tenantId: string, articleId: string): Promise<void> {
    const translations = await this.store.forTenant(tenantId).translations.find({ articleId }, { limit: 1000 });
    const live = new Set(translations.filter((t) => t.published).map((t) => t._id));
    const indexed = await this.index.query(KB_INDEX, { tenantId, text: '', filters: { articleId }, limit: 100, highlight: false });
    for (const hit of indexed.hits) if (!live.has(hit.id)) await this.index.delete(KB_INDEX, tenantId, hit.id);
    const docs = translations.map((t) => this.doc(t)).filter((d): d is SearchDoc => d !== null);
    if (docs.length) await this.index.indexMany(KB_INDEX, docs);
    this.logger.debug({ tenantId, articleId, indexed: docs.length }, 'knowledge base article reindexed');
  }

  /** Rebuilds one tenant's documents from the store; returns how many published translations were indexed. */
  async reindex(tenantId: string): Promise<number> {
    await this.index.deleteTenant(KB_INDEX, tenantId);
    const count = await this.feed(tenantId);
    this.logger.info({ tenantId, indexed: count }, 'knowledge base search index rebuilt');
    return count;
  }

  /** Empties the index and rebuilds every tenant's part (the `npm run reindex` command). */
  async reindexAll(): Promise<{ tenants: number; indexed: number }> {
    await this.index.reset(KB_INDEX, schema());
    let indexed = 0;
    const tenants = await this.store.tenantIds();
    for (const tenantId of tenants) indexed += await this.feed(tenantId);
    this.logger.info({ tenants: tenants.length, indexed }, 'knowledge base search index rebuilt for every tenant');
    return { tenants: tenants.length, indexed };
  }

  /**
   * Rebuilds each tenant whose index holds another number of documents than it has published
   * translations. Run at start, after the follower subscribed: it catches up events published
   * before the follower's group first existed (they are dropped, docs/bus.md) — the demo seed of
   * a fresh install — and an embedded snapshot a crash cut short. Returns the tenants rebuilt.
   */
  async reconcile(): Promise<number> {
    let rebuilt = 0;
    for (const tenantId of await this.store.tenantIds()) {
      const published = await this.store.forTenant(tenantId).translations.countDocuments({ published: { $ne: null } });
      const { total } = await this.index.query(KB_INDEX, { tenantId, text: '', limit: 1, highlight: false });
      if (published === total) continue;
      await this.reindex(tenantId);
      rebuilt++;
    }
    return rebuilt;
  }

  deleteTenant(tenantId: string): Promise<number> {
    return this.index.deleteTenant(KB_INDEX, tenantId);
  }

  /**
   * Published translations matching every meaningful word (empty text: all of them), best first.
   * When no article has them all, the ones having some of them (words of 3 letters or more),
   * most words first, flagged `partial` — a question in a visitor's own words still finds its
   * article. Punctuation alone matches nothing.
   */
  async search(q: KbSearchQuery): Promise<KbSearchResult> {
    const limit = Math.min(Math.max(q.limit ?? 10, 0), 100);
    const offset = q.offset ?? 0;
    const filters: Record<string, string> = {};
    if (q.locale) filters.locale = q.locale;
    if (q.categoryId) filters.categoryId = q.categoryId;
    const query = (text: string, lim: number, off: number) => this.index.query(KB_INDEX, { tenantId: q.tenantId, text, filters, limit: lim, offset: off });

    const words = q.text.trim() ? queryWords(q.text) : [];
    if (!words) return { total: 0, hits: [], partial: false };
    const terms = significantWords(words, q.locale);
    const every = await query(terms.join(' '), limit, offset);
    if (every.total > 0 || terms.length < 2) return { total: every.total, hits: every.hits.map(found), partial: false };
    const some = await this.someWords(terms.filter((t) => [...t].length >= 3), query);
    return { total: some.length, hits: some.slice(offset, offset + limit).map(found), partial: some.length > 0 };
  }

  /** Documents matching some of the terms, most terms first, then best ranked. */
  private async someWords(terms: string[], query: (text: string, limit: number, offset: number) => Promise<{ hits: SearchHit[] }>): Promise<SearchHit[]> {
    const tally = new Map<string, { hit: SearchHit; words: number; rank: number }>();
    for (const term of terms) {
      (await query(term, 50, 0)).hits.forEach((hit, rank) => {
        const seen = tally.get(hit.id);
        if (seen) {
          seen.words++;
          seen.rank += rank;
        } else tally.set(hit.id, { hit, words: 1, rank });
      });
    }
    return [...tally.values()].sort((a, b) => b.words - a.words || a.rank - b.rank).map((t) => t.hit);
  }

  private async feed(tenantId: string): Promise<number> {
    const translations = this.store.forTenant(tenantId).translations;
    let count = 0;
    for (let skip = 0; ; skip += BATCH) {
      const batch = await translations.find({ published: { $ne: null } }, { sort: { _id: 1 }, skip, limit: BATCH });
      const docs = batch.map((t) => this.doc(t)).filter((d): d is SearchDoc => d !== null);
      if (docs.length) await this.index.indexMany(KB_INDEX, docs);
      count += docs.length;
      if (batch.length < BATCH) return count;
    }
  }

  private doc(t: KbTranslationRecord): SearchDoc | null {
    const p = t.published;
    if (!p) return null;
    return {
      tenantId: t.tenantId,
      id: kbDocId(t.articleId, t.locale),
      locale: t.locale,
      fields: {
        title: p.title,
        description: p.description,
        body: markdownToText(p.body),
        articleId: t.articleId,
        categoryId: t.categoryId,
        slug: t.publishedSlug ?? p.slug,
        updatedAt: new Date(p.publishedAt),
      },
    };
  }
}

function found(hit: SearchHit): KbFoundArticle {
  const text = (name: string) => {
    const v = hit.fields[name];
    return typeof v === 'string' ? v : '';
  };
  const title = text('title');
  const description = text('description');
  const summary = description || truncateAtWord(text('body'));
  const updatedAt = hit.fields.updatedAt instanceof Date ? hit.fields.updatedAt : new Date(0);
  return {
    articleId: text('articleId') || hit.id.slice(0, hit.id.lastIndexOf(':')),
    locale: hit.locale,
    title,
    slug: text('slug'),
    description: summary,
    categoryId: text('categoryId') || null,
    updatedAt,
    snippet: hit.highlights.body?.[0] ?? hit.highlights.description?.[0] ?? escapeHtml(summary),
    titleHtml: hit.highlights.title?.[0] ?? escapeHtml(title),
  };
}
