import { describe, expect, it } from 'vitest';
import type { KbCategoryView } from '@switchboard/contracts';
import { ANY_ARTICLE, ARTICLE_PAGE, articleQuery, categoryName, countText, localeBadges, sortCategories, suggestSlug, votesText, whenText } from './article-list.js';

const category = (over: Partial<KbCategoryView>): KbCategoryView => ({
  id: 'c1',
  slug: 'billing',
  position: 0,
  translations: {},
  articleCount: 0,
  updatedAt: '2025-03-12T10:00:00.000Z',
  ...over,
});

describe('article list filters', () => {
  it('asks only for the filters that are set', () => {
    expect(articleQuery(ANY_ARTICLE)).toEqual({ limit: ARTICLE_PAGE });
    expect(articleQuery({ locale: 'ru', status: 'published', categoryId: 'c1' })).toEqual({ locale: 'ru', status: 'published', categoryId: 'c1', limit: ARTICLE_PAGE });
    expect(articleQuery({ ...ANY_ARTICLE, status: 'draft' })).toEqual({ status: 'draft', limit: ARTICLE_PAGE });
  });

  it('asks for the next page from where the list ends', () => {
    expect(articleQuery(ANY_ARTICLE, 50)).toEqual({ limit: ARTICLE_PAGE, offset: 50 });
  });

  it('says how much of the list is shown', () => {
    expect(countText(0, 0)).toBe('');
    expect(countText(1, 1)).toBe('1 article');
    expect(countText(7, 7)).toBe('7 articles');
    expect(countText(50, 120)).toBe('Showing 50 of 120');
  });
});

describe('article rows', () => {
  it('badges every help-center locale, marking the ones not translated, then any other the article has', () => {
    expect(localeBadges({ locales: ['en', 'fr'] }, ['en', 'ru'])).toEqual([
      { locale: 'en', present: true },
      { locale: 'ru', present: false },
      { locale: 'fr', present: true },
    ]);
  });

  it('votes in words, nothing before anyone voted', () => {
    expect(votesText({ helpful: 0, notHelpful: 0 })).toBe('');
    expect(votesText({ helpful: 12, notHelpful: 3 })).toBe('12 helpful · 3 not');
  });

  it('dates in the agent’s format, nothing for a bad value', () => {
    expect(whenText('2025-03-12T10:00:00.000Z')).toMatch(/2025/);
    expect(whenText('not a date')).toBe('');
  });
});

describe('categories', () => {
  it('are named in the locale asked for, else the default locale, else any, else by slug', () => {
    const c = category({ translations: { en: { name: 'Billing' }, de: { name: 'Abrechnung' } } });
    expect(categoryName(c, 'de', 'en')).toBe('Abrechnung');
    expect(categoryName(c, 'ru', 'en')).toBe('Billing');
    expect(categoryName(category({ translations: { de: { name: 'Abrechnung' } } }), 'ru', 'en')).toBe('Abrechnung');
    expect(categoryName(category({}), 'ru', 'en')).toBe('billing');
  });

  it('are listed in their help-center order', () => {
    const list = [category({ id: 'b', slug: 'b', position: 2 }), category({ id: 'z', slug: 'z', position: 1 }), category({ id: 'a', slug: 'a', position: 2 })];
    expect(sortCategories(list).map((c) => c.id)).toEqual(['z', 'a', 'b']);
  });

  it('get a slug suggestion from their name in any script', () => {
    expect(suggestSlug('Billing & Payments')).toBe('billing-payments');
    expect(suggestSlug('  Café crème ')).toBe('cafe-creme');
    expect(suggestSlug('Возврат денег')).toBe('возврат-денег');
    expect(suggestSlug('Мой заказ №2')).toBe('мой-заказ-2');
    expect(suggestSlug('!!!')).toBe('');
    expect(suggestSlug('a'.repeat(130))).toHaveLength(120);
  });
});
