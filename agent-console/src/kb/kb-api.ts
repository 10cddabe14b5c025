import type {
  KbSettingsInput,
  KbArticleCreate,
  KbArticleStatus,
  KbArticleSummary,
  KbArticleView,
  KbCategoryInput,
  KbCategoryView,
  KbDraftInput,
  KbRevisionView,
  KbSearchHit,
  KbSettingsView,
} from '@switchboard/contracts';
import type { ExtraApi, HttpMethod } from '../api.js';
import { t } from '../i18n/core.js';

/**
 * The knowledge base's REST API (platform/contracts/src/kb.ts) as the console calls it, on the
 * API client's authenticated `call`. Only lazily loaded chunks (the KB screens, the composer's
 * article search) import this module; like them, it takes nothing else from the app's modules
 * but types, so the code they share with app.js stays in one preloaded chunk.
 */

export interface ArticleQuery {
  locale?: string;
  status?: KbArticleStatus;
  categoryId?: string;
  limit?: number;
  offset?: number;
}

export interface KbApi {
  settings(): Promise<KbSettingsView>;
  /** Admins only; send just the changed fields. 409 SB_ERR_KB_PORTAL_TAKEN / SB_ERR_KB_DOMAIN_TAKEN. */
  saveSettings(change: KbSettingsInput): Promise<KbSettingsView>;
  listCategories(): Promise<{ items: KbCategoryView[] }>;
  createCategory(input: KbCategoryInput): Promise<KbCategoryView>;
  updateCategory(id: string, change: Partial<KbCategoryInput>): Promise<KbCategoryView>;
  /** 409 SB_ERR_KB_CATEGORY_NOT_EMPTY while articles are in it. */
  deleteCategory(id: string): Promise<void>;
  listArticles(q: ArticleQuery): Promise<{ items: KbArticleSummary[]; total: number }>;
  createArticle(input: KbArticleCreate): Promise<KbArticleView>;
  getArticle(id: string): Promise<KbArticleView>;
  moveArticle(id: string, change: { categoryId?: string | null; position?: number }): Promise<KbArticleView>;
  /** Saves the draft; 409 SB_ERR_KB_EDIT_CONFLICT when `baseRevision` is not the newest. */
  saveDraft(id: string, locale: string, input: KbDraftInput): Promise<KbArticleView>;
  publish(id: string, locale: string): Promise<KbArticleView>;
  unpublish(id: string, locale: string): Promise<KbArticleView>;
  /** Newest first. */
  revisions(id: string, locale: string): Promise<{ items: KbRevisionView[] }>;
  restore(id: string, locale: string, revision: number): Promise<KbArticleView>;
  /** The HTML the public page shows for this Markdown. */
  preview(markdown: string): Promise<{ html: string }>;
}

const base = '/api/v1/kb';
const article = (id: string) => `${base}/articles/${encodeURIComponent(id)}`;
const translation = (id: string, locale: string) => `${article(id)}/translations/${encodeURIComponent(locale)}`;

export function kbApi(http: Pick<ExtraApi, 'call'>): KbApi {
  const call = <T>(method: HttpMethod, path: string, body?: unknown) => http.call<T>(method, path, body);
  return {
    settings: () => call('GET', `${base}/settings`),
    saveSettings: (change) => call('PUT', `${base}/settings`, change),
    listCategories: () => call('GET', `${base}/categories`),
    createCategory: (input) => call('POST', `${base}/categories`, input),
    updateCategory: (id, change) => call('PATCH', `${base}/categories/${encodeURIComponent(id)}`, change),
    deleteCategory: (id) => call('DELETE', `${base}/categories/${encodeURIComponent(id)}`),
    listArticles: (q) => call('GET', `${base}/articles${query(q)}`),
    createArticle: (input) => call('POST', `${base}/articles`, input),
    getArticle: (id) => call('GET', article(id)),
    moveArticle: (id, change) => call('PATCH', article(id), change),
    saveDraft: (id, locale, input) => call('PUT', translation(id, locale), input),
    publish: (id, locale) => call('POST', `${translation(id, locale)}/publish`),
    unpublish: (id, locale) => call('POST', `${translation(id, locale)}/unpublish`),
    revisions: (id, locale) => call('GET', `${translation(id, locale)}/revisions`),
    restore: (id, locale, revision) => call('POST', `${translation(id, locale)}/revisions/${revision}/restore`),
    preview: (markdown) => call('POST', `${base}/preview`, { markdown }),
  };
}

/** `?a=1&b=x` from the params that are set. */
function query(params: object): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** The sentence to show for a failed call: the server's own message (the API client's ApiError carries it). */
export function errorText(err: unknown): string {
  return err instanceof Error && err.message ? err.message : t('store.wentWrong');
}

/** Published articles matching `q` (GET /kb/search): what an agent links in a reply. */
export function searchArticles(http: Pick<ExtraApi, 'call'>, q: string, locale?: string, limit = 10): Promise<{ items: KbSearchHit[] }> {
  return http.call('GET', `${base}/search${query({ q, locale, limit })}`);
}
