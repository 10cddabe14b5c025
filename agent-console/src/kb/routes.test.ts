import { describe, expect, it } from 'vitest';
import { kbHref, parseKbRoute } from './routes.js';

describe('knowledge base routes', () => {
  it('reads every place of the knowledge base from the hash', () => {
    expect(parseKbRoute('#/kb')).toEqual({ view: 'articles' });
    expect(parseKbRoute('#/kb/')).toEqual({ view: 'articles' });
    expect(parseKbRoute('#/kb/categories')).toEqual({ view: 'categories' });
    expect(parseKbRoute(kbHref.settings)).toEqual({ view: 'settings' });
    expect(parseKbRoute('#/kb/new')).toEqual({ view: 'new', locale: null });
    expect(parseKbRoute('#/kb/new/pt-BR')).toEqual({ view: 'new', locale: 'pt-BR' });
    expect(parseKbRoute('#/kb/articles/a1/ru')).toEqual({ view: 'article', id: 'a1', locale: 'ru' });
  });

  it('an unknown or incomplete place under #/kb shows the articles', () => {
    expect(parseKbRoute('#/kb/articles/a1')).toEqual({ view: 'articles' });
    expect(parseKbRoute('#/kb/whatever')).toEqual({ view: 'articles' });
  });

  it('other hashes are not the knowledge base', () => {
    expect(parseKbRoute('')).toBeNull();
    expect(parseKbRoute('#/c/abc')).toBeNull();
    expect(parseKbRoute('#/kbx')).toBeNull();
  });

  it('links round-trip, ids with any characters included', () => {
    for (const [id, locale] of [
      ['a1', 'en'],
      ['odd/id?#1', 'zh-Hant'],
    ] as const) {
      expect(parseKbRoute(kbHref.article(id, locale))).toEqual({ view: 'article', id, locale });
    }
    expect(parseKbRoute(kbHref.newArticle('ru'))).toEqual({ view: 'new', locale: 'ru' });
    expect(parseKbRoute(kbHref.newArticle())).toEqual({ view: 'new', locale: null });
    expect(parseKbRoute(kbHref.categories)).toEqual({ view: 'categories' });
    expect(parseKbRoute(kbHref.articles)).toEqual({ view: 'articles' });
  });

  it('a damaged escape is kept as typed rather than failing', () => {
    expect(parseKbRoute('#/kb/articles/%E0%A4%A/en')).toEqual({ view: 'article', id: '%E0%A4%A', locale: 'en' });
  });
});
