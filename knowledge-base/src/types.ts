/** The seams between the knowledge base's parts (service, search, public pages). */

export interface KbSearchQuery {
  tenantId: string;
  text: string;
  /** Only this locale's articles; omitted = every locale. */
  locale?: string;
  categoryId?: string;
  /** Default 10, at most 100. */
  limit?: number;
  offset?: number;
}

export interface KbFoundArticle {
  articleId: string;
  locale: string;
  title: string;
  slug: string;
  description: string;
  categoryId: string | null;
  updatedAt: Date;
  /** HTML: matched words in <mark>, everything else escaped (body fragment, else description). */
  snippet: string;
  /** HTML title with matches marked (escaped otherwise). */
  titleHtml: string;
}

export interface KbSearchResult {
  total: number;
  hits: KbFoundArticle[];
  /** No article has every word: these have some of them (most first). */
  partial: boolean;
}

/** Search over *published* translations (what the public sees). */
export interface KbArticleSearch {
  search(q: KbSearchQuery): Promise<KbSearchResult>;
}

export type VoteOutcome = 'counted' | 'changed' | 'already';

/** "Was this helpful?" — one vote per voter (a hash of IP + user agent) per translation per day; a new answer replaces the old. */
export interface KbVoting {
  vote(tenantId: string, articleId: string, locale: string, helpful: boolean, voter: string): Promise<VoteOutcome>;
}
