import { describe, expect, it } from 'vitest';
import type { HttpMethod } from '../api.js';
import { ApiError } from '../api.js';
import { errorText, kbApi, searchArticles } from './kb-api.js';

/** Records what each call asked the API client for. */
function recorder() {
  const calls: string[] = [];
  const http = {
    call: async <T>(method: HttpMethod, path: string, body?: unknown): Promise<T> => {
      calls.push(`${method} ${path}${body === undefined ? '' : ` ${JSON.stringify(body)}`}`);
      return {} as T;
    },
  };
  return { calls, http };
}

describe('knowledge base REST calls', () => {
  it('speak the routes of the contract, ids and locales escaped', async () => {
    const { calls, http } = recorder();
    const api = kbApi(http);
    await api.settings();
    await api.saveSettings({ color: '#0f766e' });
    await api.listCategories();
    await api.createCategory({ slug: 'billing', translations: { en: { name: 'Billing' } } });
    await api.updateCategory('c/1', { translations: { en: { name: 'Bills' } } });
    await api.deleteCategory('c1');
    await api.createArticle({ locale: 'en', title: 'T', body: '' });
    await api.getArticle('a 1');
    await api.moveArticle('a1', { categoryId: null });
    await api.saveDraft('a1', 'pt-BR', { title: 'T', body: 'b', baseRevision: 2 });
    await api.publish('a1', 'en');
    await api.unpublish('a1', 'en');
    await api.revisions('a1', 'en');
    await api.restore('a1', 'en', 4);
    await api.preview('# Hi');
    expect(calls).toEqual([
      'GET /api/v1/kb/settings',
      'PUT /api/v1/kb/settings {"color":"#0f766e"}',
      'GET /api/v1/kb/categories',
      'POST /api/v1/kb/categories {"slug":"billing","translations":{"en":{"name":"Billing"}}}',
      'PATCH /api/v1/kb/categories/c%2F1 {"translations":{"en":{"name":"Bills"}}}',
      'DELETE /api/v1/kb/categories/c1',
      'POST /api/v1/kb/articles {"locale":"en","title":"T","body":""}',
      'GET /api/v1/kb/articles/a%201',
      'PATCH /api/v1/kb/articles/a1 {"categoryId":null}',
      'PUT /api/v1/kb/articles/a1/translations/pt-BR {"title":"T","body":"b","baseRevision":2}',
      'POST /api/v1/kb/articles/a1/translations/en/publish',
      'POST /api/v1/kb/articles/a1/translations/en/unpublish',
      'GET /api/v1/kb/articles/a1/translations/en/revisions',
      'POST /api/v1/kb/articles/a1/translations/en/revisions/4/restore',
      'POST /api/v1/kb/preview {"markdown":"# Hi"}',
    ]);
  });

  it('list and search queries carry only what is set', async () => {
    const { calls, http } = recorder();
    await kbApi(http).listArticles({ limit: 50 });
    await kbApi(http).listArticles({ locale: 'ru', status: 'draft', categoryId: 'c1', limit: 50, offset: 50 });
    await searchArticles(http, 'refund & return');
    await searchArticles(http, 'возврат', 'ru', 5);
    expect(calls).toEqual([
      'GET /api/v1/kb/articles?limit=50',
      'GET /api/v1/kb/articles?locale=ru&status=draft&categoryId=c1&limit=50&offset=50',
      'GET /api/v1/kb/search?q=refund+%26+return&limit=10',
      `GET /api/v1/kb/search?q=${new URLSearchParams({ q: 'возврат' }).toString().slice(2)}&locale=ru&limit=5`,
    ]);
  });

  it('a failure shows the server’s own sentence', () => {
    expect(errorText(new ApiError(409, 'SB_ERR_KB_CATEGORY_NOT_EMPTY', 'The category still holds 2 articles.'))).toBe('The category still holds 2 articles.');
    expect(errorText('weird')).toBe('Something went wrong. Please try again.');
  });
});
