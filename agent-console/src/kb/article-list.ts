import type { KbArticleStatus, KbArticleSummary, KbCategoryView } from '@switchboard/contracts';
import type { ArticleQuery } from './kb-api.js';
import { intlLocale } from '../i18n/index.js';
import { t as tr } from '../i18n/kb.js';

/** What the article list shows; '' = any. */
export interface ArticleFilter {
  locale: string;
  status: '' | KbArticleStatus;
  categoryId: string;
}

export const ANY_ARTICLE: ArticleFilter = { locale: '', status: '', categoryId: '' };
/** Articles per page of the list. */
export const ARTICLE_PAGE = 50;

/** The list's query: only the filters that are set. */
export function articleQuery(filter: ArticleFilter, offset = 0): ArticleQuery {
  return {
    ...(filter.locale ? { locale: filter.locale } : {}),
    ...(filter.status ? { status: filter.status } : {}),
    ...(filter.categoryId ? { categoryId: filter.categoryId } : {}),
    limit: ARTICLE_PAGE,
    ...(offset ? { offset } : {}),
  };
}

export const statusText = (status: KbArticleStatus): string => tr(`status.${status}`);

/** The category's name in `locale`, else in the default locale, else any; its slug when it has no name. */
export function categoryName(category: Pick<KbCategoryView, 'slug' | 'translations'>, locale: string, defaultLocale: string): string {
  const t = category.translations;
  return t[locale]?.name ?? t[defaultLocale]?.name ?? Object.values(t)[0]?.name ?? category.slug;
}

/** Categories in their order on the help center. */
export function sortCategories(list: readonly KbCategoryView[]): KbCategoryView[] {
  return [...list].sort((a, b) => a.position - b.position || a.slug.localeCompare(b.slug));
}

/**
 * The locale badges of an article row: every locale of the help center, whether the article has
 * it, then any other locale it has (one the help center dropped later), in that order.
 */
export function localeBadges(summary: Pick<KbArticleSummary, 'locales'>, helpCenterLocales: readonly string[]): { locale: string; present: boolean }[] {
  const has = new Set(summary.locales);
  const extra = summary.locales.filter((l) => !helpCenterLocales.includes(l));
  return [...helpCenterLocales.map((locale) => ({ locale, present: has.has(locale) })), ...extra.map((locale) => ({ locale, present: true }))];
}

/** "12 helpful · 3 not" for the row; '' before anyone voted. */
export function votesText(votes: { helpful: number; notHelpful: number }): string {
  if (!votes.helpful && !votes.notHelpful) return '';
  return tr('votes', { helpful: votes.helpful, not: votes.notHelpful });
}

/** A moment in the agent's own date format, e.g. "Mar 4, 2025, 10:32 AM"; '' for a bad value. */
export function whenText(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '' : d.toLocaleString(intlLocale.value, { dateStyle: 'medium', timeStyle: 'short' });
}

/** "Showing 50 of 120" when the list is cut short. */
export function countText(shown: number, total: number): string {
  if (total === 0) return '';
  return shown < total ? tr('showing', { shown, total }) : tr('articles', { count: total });
}

/**
 * A slug suggestion while a category's name is typed (the server checks the real rule): lower
 * case, accents on Latin letters dropped, letters of any script and digits kept, everything else one dash.
 */
export function suggestSlug(name: string): string {
  return name
    .normalize('NFD')
    .replace(/([a-z])\p{M}+/giu, '$1')
    .normalize('NFC')
    .toLowerCase()
    .replace(/[^\p{Ll}\p{Lo}\p{Nd}]+/gu, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 120)
    .replace(/-+$/, '');
}
