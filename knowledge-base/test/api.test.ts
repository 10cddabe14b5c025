import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KbArticleSummary, KbArticleView, KbCategoryView, KbRevisionView, KbSearchHit, KbSettingsView } from '@switchboard/contracts';
import { eventually } from '@switchboard/testkit';
import { seedKnowledgeBase } from '../src/index.js';
import { PUBLIC_URL, startKbWorld, type KbWorld } from './harness.js';

let w: KbWorld;

beforeAll(async () => {
  w = await startKbWorld();
});
afterAll(async () => {
  await w?.close();
});

const create = async (body: Record<string, unknown>, token?: string) => {
  const res = await w.api('POST', '/api/v1/kb/articles', { locale: 'en', body: 'Some text.', ...body }, token);
  expect(res.status, JSON.stringify(res.json)).toBe(201);
  return res.json as KbArticleView;
};
const publish = async (id: string, locale = 'en') => {
  const res = await w.api('POST', `/api/v1/kb/articles/${id}/translations/${locale}/publish`);
  expect(res.status, JSON.stringify(res.json)).toBe(200);
  return res.json as KbArticleView;
};
const search = async (q: string, extra = '', token?: string) => {
  const res = await w.api('GET', `/api/v1/kb/search?q=${encodeURIComponent(q)}${extra}`, undefined, token);
  expect(res.status, JSON.stringify(res.json)).toBe(200);
  return res.json.items as KbSearchHit[];
};
const found = (q: string, articleId: string, extra = '') => eventually(async () => (await search(q, extra)).find((h) => h.articleId === articleId), 10_000, `"${q}" finds ${articleId}`);
const gone = (q: string, articleId: string) => eventually(async () => !(await search(q)).some((h) => h.articleId === articleId), 10_000, `"${q}" no longer finds ${articleId}`);
const suggest = (query: string) => w.get(`/api/v1/widget/kb/suggestions?${query}`);
const en = (a: KbArticleView) => a.translations.find((t) => t.locale === 'en')!;

describe('help center settings', () => {
  it('are created on first read from the team: portal from its name, default colour and language, no domain', async () => {
    const res = await w.api('GET', '/api/v1/kb/settings');
    expect(res.status).toBe(200);
    expect(res.json).toEqual<KbSettingsView>({
      portal: 'acme-shop',
      name: 'Acme Shop',
      logoUrl: null,
      color: '#4f46e5',
      defaultLocale: 'en',
      locales: ['en'],
      customDomain: null,
      publicUrl: `${PUBLIC_URL}/help/acme-shop/`,
    });
  });

  it('another team with the same name gets a portal with a suffix; it cannot take the first one’s', async () => {
    const b = await w.api('GET', '/api/v1/kb/settings', undefined, w.b.adminToken);
    expect(b.json.portal).toBe('acme-shop-2');
    const taken = await w.api('PUT', '/api/v1/kb/settings', { portal: 'acme-shop' }, w.b.adminToken);
    expect(taken.status).toBe(409);
    expect(taken.json.error.code).toBe('SB_ERR_KB_PORTAL_TAKEN');
    expect((await w.api('GET', '/api/v1/kb/settings', undefined, w.b.adminToken)).json.portal).toBe('acme-shop-2');
  });

  it('refuses a bad colour, a default language outside the languages and the hub’s own host as custom domain', async () => {
    const colour = await w.api('PUT', '/api/v1/kb/settings', { color: 'red' });
    expect(colour.status).toBe(400);
    expect(colour.json.error.code).toBe('SB_ERR_VALIDATION');
    const locale = await w.api('PUT', '/api/v1/kb/settings', { defaultLocale: 'de' });
    expect(locale.status).toBe(400);
    expect(locale.json.error.message).toMatch(/default language de/);
    const host = await w.api('PUT', '/api/v1/kb/settings', { customDomain: 'help-hub.test' });
    expect(host.status).toBe(400);
    const logo = await w.api('PUT', '/api/v1/kb/settings', { logoUrl: 'javascript:alert(1)' });
    expect(logo.status).toBe(400);
    expect((await w.api('GET', '/api/v1/kb/settings')).json.color).toBe('#4f46e5');
  });

  it('a custom domain serves one team only, moves the public URL, and can be removed again', async () => {
    const set = await w.api('PUT', '/api/v1/kb/settings', { customDomain: 'help.acme.example', name: 'Acme Help', color: '#112233' });
    expect(set.status).toBe(200);
    expect(set.json).toMatchObject({ customDomain: 'help.acme.example', name: 'Acme Help', color: '#112233', publicUrl: 'http://help.acme.example/' });
    const other = await w.api('PUT', '/api/v1/kb/settings', { customDomain: 'help.acme.example' }, w.b.adminToken);
    expect(other.status).toBe(409);
    expect(other.json.error.code).toBe('SB_ERR_KB_DOMAIN_TAKEN');
    const removed = await w.api('PUT', '/api/v1/kb/settings', { customDomain: null });
    expect(removed.json).toMatchObject({ customDomain: null, publicUrl: `${PUBLIC_URL}/help/acme-shop/` });
    // Freed: now the other team may use it.
    expect((await w.api('PUT', '/api/v1/kb/settings', { customDomain: 'help.acme.example' }, w.b.adminToken)).status).toBe(200);
    expect((await w.api('PUT', '/api/v1/kb/settings', { customDomain: null }, w.b.adminToken)).status).toBe(200);
  });

  it('only admins change them', async () => {
    const res = await w.api('PUT', '/api/v1/kb/settings', { name: 'Mine now' }, w.a.agentToken);
    expect(res.status).toBe(403);
    expect((await w.api('GET', '/api/v1/kb/settings', undefined, w.a.agentToken)).json.name).toBe('Acme Help');
  });
});

describe('writing and publishing articles', () => {
  let article: KbArticleView;

  it('a new article is a draft: not in search, not suggested to visitors', async () => {
    article = await create({ title: 'Refund policy', body: 'We refund **unused** items within 30 days.' }, w.a.agentToken);
    const t = en(article);
    expect(t).toMatchObject({ status: 'draft', published: null, url: null, hasUnpublishedChanges: true });
    expect(t.draft).toMatchObject({ title: 'Refund policy', slug: 'refund-policy', description: '', revision: 1, updatedBy: w.a.agentId });
    expect(article.authorId).toBe(w.a.agentId);
    expect(await search('refund')).toEqual([]);
    expect((await suggest(`token=${w.a.widgetToken}&q=refund`)).json.items).toEqual([]);
    expect(w.events.some((e) => e.type.startsWith('kb.') && e.data.articleId === article.id)).toBe(false);
  });

  it('publishing makes it searchable, with its public URL and the match marked', async () => {
    const published = en(await publish(article.id));
    expect(published).toMatchObject({ status: 'published', hasUnpublishedChanges: false, url: `${PUBLIC_URL}/help/acme-shop/en/articles/refund-policy` });
    expect(published.published).toMatchObject({ title: 'Refund policy', revision: 2 });
    const hit = await found('refunds', article.id);
    expect(hit).toMatchObject({ locale: 'en', title: 'Refund policy', url: `${PUBLIC_URL}/help/acme-shop/en/articles/refund-policy` });
    expect(hit.snippet).toContain('<mark>refund</mark>');
    expect(w.events.find((e) => e.type === 'kb.article.published' && e.data.articleId === article.id)?.data).toEqual({ articleId: article.id, locale: 'en' });
  });

  it('an edit after publishing stays a draft until published again', async () => {
    const current = en((await w.api('GET', `/api/v1/kb/articles/${article.id}`)).json);
    const saved = await w.api('PUT', `/api/v1/kb/articles/${article.id}/translations/en`, {
      title: 'Refunds and exchanges',
      body: 'We refund or exchange unused items within 30 days. Exchanges ship free.',
      baseRevision: current.draft.revision,
    });
    expect(saved.status).toBe(200);
    const t = en(saved.json);
    expect(t.draft).toMatchObject({ title: 'Refunds and exchanges', slug: 'refund-policy', revision: 3 });
    expect(t.published).toMatchObject({ title: 'Refund policy' });
    expect(t.hasUnpublishedChanges).toBe(true);
    const list = await w.api('GET', '/api/v1/kb/articles?locale=en&status=published');
    expect((list.json.items as KbArticleSummary[]).find((s) => s.id === article.id)).toMatchObject({ status: 'published', hasUnpublishedChanges: true });
    // The live version is still the old one.
    expect(await search('exchanges')).toEqual([]);
    expect((await search('refund'))[0]?.title).toBe('Refund policy');
    await publish(article.id);
    expect((await found('exchanges', article.id)).title).toBe('Refunds and exchanges');
  });

  it('saving from a stale revision is refused with a sentence, and nothing is stored', async () => {
    const res = await w.api('PUT', `/api/v1/kb/articles/${article.id}/translations/en`, { title: 'Overwritten', body: 'Lost update', baseRevision: 1 });
    expect(res.status).toBe(409);
    expect(res.json.error.code).toBe('SB_ERR_KB_EDIT_CONFLICT');
    expect(res.json.error.message).toMatch(/saved by someone else.*revision 1.*Reload/);
    expect(en((await w.api('GET', `/api/v1/kb/articles/${article.id}`)).json).draft.title).toBe('Refunds and exchanges');
  });

  it('a taken slug: an explicit one is refused, a default one gets -2, -3', async () => {
    const explicit = await w.api('POST', '/api/v1/kb/articles', { locale: 'en', title: 'Another', slug: 'refund-policy', body: 'x' });
    expect(explicit.status).toBe(409);
    expect(explicit.json.error.code).toBe('SB_ERR_KB_SLUG_TAKEN');
    const second = await create({ title: 'Refund policy' });
    const third = await create({ title: 'Refund policy!' });
    expect(en(second).draft.slug).toBe('refund-policy-2');
    expect(en(third).draft.slug).toBe('refund-policy-3');
    const rename = await w.api('PUT', `/api/v1/kb/articles/${third.id}/translations/en`, { title: 'Refund policy', slug: 'refund-policy-2', body: 'x' });
    expect(rename.status).toBe(409);
    expect(rename.json.error.code).toBe('SB_ERR_KB_SLUG_TAKEN');
    for (const id of [second.id, third.id]) expect((await w.api('DELETE', `/api/v1/kb/articles/${id}`)).status).toBe(204);
  });

  it('a translation is added by saving it; its language joins the help center’s', async () => {
    const res = await w.api('PUT', `/api/v1/kb/articles/${article.id}/translations/ru`, { title: 'Возврат денег', body: 'Мы возвращаем деньги за неиспользованные товары в течение 30 дней.' });
    expect(res.status).toBe(200);
    const view = res.json as KbArticleView;
    expect(view.translations.map((t) => [t.locale, t.status])).toEqual([
      ['en', 'published'],
      ['ru', 'draft'],
    ]);
    expect(view.translations[1]!.draft.slug).toBe('возврат-денег');
    expect((await w.api('GET', '/api/v1/kb/settings')).json.locales).toEqual(['en', 'ru']);
    await publish(article.id, 'ru');
    const hit = await found('деньгами', article.id, '&locale=ru');
    expect(hit.url).toBe(`${PUBLIC_URL}/help/acme-shop/ru/articles/${encodeURIComponent('возврат-денег')}`);
    const summaries = (await w.api('GET', '/api/v1/kb/articles?locale=ru')).json;
    expect(summaries.total).toBe(1);
    expect(summaries.items[0]).toMatchObject({ id: article.id, locale: 'ru', locales: ['en', 'ru'], status: 'published' });
  });

  it('keeps every revision; an old one can be restored into the draft', async () => {
    const res = await w.api('GET', `/api/v1/kb/articles/${article.id}/translations/en/revisions`);
    const revisions = res.json.items as KbRevisionView[];
    expect(revisions.map((r) => [r.revision, r.action])).toEqual([
      [4, 'publish'],
      [3, 'save'],
      [2, 'publish'],
      [1, 'save'],
    ]);
    expect(revisions[3]).toMatchObject({ title: 'Refund policy', authorId: w.a.agentId });
    const restored = await w.api('POST', `/api/v1/kb/articles/${article.id}/translations/en/revisions/1/restore`);
    expect(restored.status).toBe(200);
    const t = en(restored.json);
    expect(t.draft).toMatchObject({ title: 'Refund policy', revision: 5 });
    expect(t.published?.title).toBe('Refunds and exchanges');
    const after = (await w.api('GET', `/api/v1/kb/articles/${article.id}/translations/en/revisions`)).json.items as KbRevisionView[];
    expect(after[0]).toMatchObject({ revision: 5, action: 'restore', title: 'Refund policy' });
    expect((await w.api('POST', `/api/v1/kb/articles/${article.id}/translations/en/revisions/99/restore`)).status).toBe(404);
  });

  it('a changed slug, once published, keeps the old address as a previous one', async () => {
    const current = en((await w.api('GET', `/api/v1/kb/articles/${article.id}`)).json);
    await w.api('PUT', `/api/v1/kb/articles/${article.id}/translations/en`, { title: 'Refund policy', slug: 'refunds', body: current.draft.body, baseRevision: current.draft.revision });
    const t = en(await publish(article.id));
    expect(t.url).toBe(`${PUBLIC_URL}/help/acme-shop/en/articles/refunds`);
    const record = await w.app.kb.store.forTenant(w.a.tenantId).translations.findById(`${article.id}:en`);
    expect(record).toMatchObject({ publishedSlug: 'refunds', previousSlugs: ['refund-policy'] });
    // The old address is still reserved for the redirect.
    const clash = await w.api('POST', '/api/v1/kb/articles', { locale: 'en', title: 'x', slug: 'refunds', body: 'x' });
    expect(clash.status).toBe(409);
  });

  it('unpublishing takes it out of search; the draft stays', async () => {
    const res = await w.api('POST', `/api/v1/kb/articles/${article.id}/translations/en/unpublish`);
    expect(res.status).toBe(200);
    expect(en(res.json)).toMatchObject({ status: 'draft', published: null, url: null });
    await gone('refund', article.id);
    // The Russian translation is still live.
    expect((await search('деньги')).some((h) => h.articleId === article.id && h.locale === 'ru')).toBe(true);
    expect((await w.api('GET', `/api/v1/kb/articles/${article.id}/translations/en/revisions`)).json.items[0].action).toBe('unpublish');
  });

  it('deleting removes every translation from the API and from search', async () => {
    expect((await w.api('DELETE', `/api/v1/kb/articles/${article.id}`)).status).toBe(204);
    expect((await w.api('GET', `/api/v1/kb/articles/${article.id}`)).status).toBe(404);
    await gone('деньги', article.id);
    const event = await eventually(() => w.events.find((e) => e.type === 'kb.article.deleted' && e.data.articleId === article.id));
    expect(event.data.locales).toEqual(expect.arrayContaining(['en', 'ru']));
    expect(await w.app.kb.store.forTenant(w.a.tenantId).revisions.countDocuments({ articleId: article.id })).toBe(0);
  });
});

describe('categories', () => {
  let category: KbCategoryView;

  it('are created with names per language; a slug is unique', async () => {
    const res = await w.api('POST', '/api/v1/kb/categories', { slug: 'billing', translations: { en: { name: 'Billing' }, ru: { name: 'Оплата' } } }, w.a.agentToken);
    expect(res.status).toBe(201);
    category = res.json;
    expect(category).toMatchObject({ slug: 'billing', position: 0, articleCount: 0, translations: { en: { name: 'Billing' }, ru: { name: 'Оплата' } } });
    const dup = await w.api('POST', '/api/v1/kb/categories', { slug: 'billing', translations: { en: { name: 'Again' } } });
    expect(dup.status).toBe(409);
    expect(dup.json.error.code).toBe('SB_ERR_KB_SLUG_TAKEN');
  });

  it('an article in an unknown category is refused', async () => {
    const res = await w.api('POST', '/api/v1/kb/articles', { locale: 'en', title: 'Lost', body: 'x', categoryId: 'no-such-category' });
    expect(res.status).toBe(422);
    expect(res.json.error.code).toBe('SB_ERR_KB_UNKNOWN_CATEGORY');
  });

  it('cannot be deleted while it holds articles; moving the article out frees it', async () => {
    const a = await create({ title: 'Invoices', categoryId: category.id });
    expect(a.categoryId).toBe(category.id);
    expect((await w.api('GET', '/api/v1/kb/categories')).json.items[0].articleCount).toBe(1);
    const refused = await w.api('DELETE', `/api/v1/kb/categories/${category.id}`);
    expect(refused.status).toBe(409);
    expect(refused.json.error.code).toBe('SB_ERR_KB_CATEGORY_NOT_EMPTY');
    const moved = await w.api('PATCH', `/api/v1/kb/articles/${a.id}`, { categoryId: null, position: 3 });
    expect(moved.json).toMatchObject({ categoryId: null, position: 3 });
    const renamed = await w.api('PATCH', `/api/v1/kb/categories/${category.id}`, { translations: { en: { name: 'Payments' } } });
    expect(renamed.json).toMatchObject({ translations: { en: { name: 'Payments' } }, articleCount: 0 });
    expect((await w.api('DELETE', `/api/v1/kb/categories/${category.id}`)).status).toBe(204);
    expect((await w.api('GET', '/api/v1/kb/categories')).json.items).toEqual([]);
    await w.api('DELETE', `/api/v1/kb/articles/${a.id}`);
  });
});

describe('votes', () => {
  it('one per visitor and day; a changed answer moves the count', async () => {
    const a = await create({ title: 'Opening hours', body: 'We are open every day.' });
    await publish(a.id);
    const voting = w.app.kb.service;
    expect(await voting.vote(w.a.tenantId, a.id, 'en', true, 'visitor-1')).toBe('counted');
    expect(await voting.vote(w.a.tenantId, a.id, 'en', true, 'visitor-1')).toBe('already');
    expect(await voting.vote(w.a.tenantId, a.id, 'en', true, 'visitor-2')).toBe('counted');
    expect(await voting.vote(w.a.tenantId, a.id, 'en', false, 'visitor-1')).toBe('changed');
    const view = (await w.api('GET', `/api/v1/kb/articles/${a.id}`)).json as KbArticleView;
    expect(view.votes).toEqual({ helpful: 1, notHelpful: 1 });
    expect(en(view).votes).toEqual({ helpful: 1, notHelpful: 1 });
    await w.api('DELETE', `/api/v1/kb/articles/${a.id}`);
  });
});

describe('preview', () => {
  it('renders Markdown as the help center does: scripts and javascript: links do not survive', async () => {
    const res = await w.api('POST', '/api/v1/kb/preview', { markdown: '## Hello\n\n<script>alert(1)</script>\n\n[click](javascript:alert(2)) and [docs](https://example.com)' });
    expect(res.status).toBe(200);
    const html: string = res.json.html;
    expect(html).toContain('<h2 id="hello">Hello</h2>');
    expect(html).not.toContain('<script');
    expect(html).toContain('&lt;script&gt;');
    expect(html).not.toMatch(/href="javascript:/i);
    expect(html).toContain('href="https://example.com"');
  });
});

describe('widget suggestions', () => {
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    const articles: [string, string, string][] = [
      ['delivery', 'Delivery times', 'Delivery takes two to five days to any city.'],
      ['tracking', 'Tracking a delivery', 'Each delivery has a tracking number.'],
      ['late', 'Late delivery', 'If the delivery is late, write to us.'],
      ['costs', 'Delivery costs', 'Delivery is free from 50 euros.'],
    ];
    for (const [key, title, body] of articles) {
      const a = await create({ title, body });
      await publish(a.id);
      ids[key] = a.id;
    }
    const ru = await create({ locale: 'ru', title: 'Доставка за границу', body: 'Доставка за границу занимает две недели.' });
    await publish(ru.id, 'ru');
    ids.abroad = ru.id;
    await eventually(async () => (await search('delivery')).length === 4 && (await search('доставка')).length === 1, 10_000, 'suggestion articles indexed');
  });

  it('at most three, readable from any website, cached a minute', async () => {
    const res = await suggest(`token=${w.a.widgetToken}&q=delivery&locale=en`);
    expect(res.status).toBe(200);
    expect(res.json.items).toHaveLength(3);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('cache-control')).toBe('public, max-age=60');
    for (const item of res.json.items) {
      expect(item.locale).toBe('en');
      expect(item.url).toMatch(new RegExp(`^${PUBLIC_URL}/help/acme-shop/en/articles/`));
    }
  });

  it('prefer the visitor’s language and fill from the others, one translation per article', async () => {
    const ru = await suggest(`token=${w.a.widgetToken}&q=${encodeURIComponent('доставка')}&locale=ru`);
    expect(ru.json.items.map((i: { articleId: string }) => i.articleId)).toEqual([ids.abroad]);
    const mixed = await suggest(`token=${w.a.widgetToken}&q=late%20delivery&locale=ru`);
    expect(mixed.json.items[0]).toMatchObject({ articleId: ids.late, locale: 'en' });
    expect(mixed.json.items.length).toBeLessThanOrEqual(3);
  });

  it('answer nothing for fewer than three letters, and 404 for an unknown widget token', async () => {
    const short = await suggest(`token=${w.a.widgetToken}&q=de`);
    expect(short.status).toBe(200);
    expect(short.json.items).toEqual([]);
    const unknown = await suggest('token=no-such-token&q=delivery');
    expect(unknown.status).toBe(404);
    expect(unknown.json.error.code).toBe('SB_ERR_UNKNOWN_INBOX');
  });

  it('another team’s widget sees only its own articles', async () => {
    const res = await suggest(`token=${w.b.widgetToken}&q=delivery`);
    expect(res.status).toBe(200);
    expect(res.json.items).toEqual([]);
  });

  describe('from an inbox with allowed origins', () => {
    const setOrigins = async (allowedOrigins: string[]) => {
      const inbox = await w.app.inbox.repos.findInboxByWidgetToken(w.a.widgetToken);
      await w.app.inbox.repos.forTenant(w.a.tenantId).inboxes.updateOne({ _id: inbox!._id }, { $set: { allowedOrigins } });
    };
    const from = (origin?: string) => w.get(`/api/v1/widget/kb/suggestions?token=${w.a.widgetToken}&q=delivery&locale=en`, origin ? { origin } : {});
    beforeAll(() => setOrigins(['https://shop.example']));
    afterAll(() => setOrigins([]));

    it('refuse another website with 403 SB_ERR_ORIGIN_NOT_ALLOWED', async () => {
      const res = await from('https://evil.example');
      expect(res.status).toBe(403);
      expect(res.json.error.code).toBe('SB_ERR_ORIGIN_NOT_ALLOWED');
      expect(res.json.error.message).toMatch(/https:\/\/evil\.example/);
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
    });

    it('answer an allowed website with its own origin instead of *', async () => {
      const res = await from('https://shop.example');
      expect(res.status).toBe(200);
      expect(res.json.items).toHaveLength(3);
      expect(res.headers.get('access-control-allow-origin')).toBe('https://shop.example');
      expect(res.headers.get('vary')?.toLowerCase()).toContain('origin');
    });

    it('answer a request without Origin (not another site’s page), with no CORS header', async () => {
      const res = await from();
      expect(res.status).toBe(200);
      expect(res.json.items).toHaveLength(3);
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
      expect(res.headers.get('vary')?.toLowerCase()).toContain('origin');
    });
  });
});

describe('tenant isolation', () => {
  let article: KbArticleView;
  beforeAll(async () => {
    article = await create({ title: 'Secret internal process', body: 'Only for Acme.' });
    await publish(article.id);
    await found('secret', article.id);
  });

  it('another team gets 404 for every route naming the article, and changes nothing', async () => {
    const token = w.b.adminToken;
    const base = `/api/v1/kb/articles/${article.id}`;
    const calls: [string, string, unknown?][] = [
      ['GET', base],
      ['PATCH', base, { position: 1 }],
      ['DELETE', base],
      ['PUT', `${base}/translations/en`, { title: 'Hijacked', body: 'x' }],
      ['PUT', `${base}/translations/de`, { title: 'Hijacked', body: 'x' }],
      ['POST', `${base}/translations/en/publish`],
      ['POST', `${base}/translations/en/unpublish`],
      ['GET', `${base}/translations/en/revisions`],
      ['POST', `${base}/translations/en/revisions/1/restore`],
    ];
    for (const [method, path, body] of calls) {
      const res = await w.api(method, path, body, token);
      expect([method, path, res.status, res.json?.error?.code]).toEqual([method, path, 404, 'SB_ERR_NOT_FOUND']);
    }
    const view = (await w.api('GET', base)).json as KbArticleView;
    expect(view.translations.map((t) => [t.locale, t.draft.title, t.status])).toEqual([['en', 'Secret internal process', 'published']]);
  });

  it('another team’s lists and search show nothing of it', async () => {
    expect((await w.api('GET', '/api/v1/kb/articles', undefined, w.b.adminToken)).json).toEqual({ items: [], total: 0 });
    expect(await search('secret', '', w.b.adminToken)).toEqual([]);
  });
});

describe('access', () => {
  it('agents write articles but cannot reindex; an API key needs the kb scopes', async () => {
    expect((await w.api('POST', '/api/v1/kb/reindex', undefined, w.a.agentToken)).status).toBe(403);
    const key = await w.api('POST', '/api/v1/api-keys', { name: 'kb reader', scopes: ['kb:read'] });
    expect(key.status).toBe(201);
    const apiKey = key.json.key as string;
    expect((await w.api('GET', '/api/v1/kb/articles', undefined, apiKey)).status).toBe(200);
    const write = await w.api('POST', '/api/v1/kb/articles', { locale: 'en', title: 'By key', body: 'x' }, apiKey);
    expect(write.status).toBe(403);
    expect((await w.api('GET', '/api/v1/kb/articles')).json.items.some((s: KbArticleSummary) => s.title === 'By key')).toBe(false);
  });

  it('the suggestions route is rate-limited per address', async () => {
    let last = 0;
    for (let i = 0; i < 70 && last !== 429; i++) last = (await suggest(`token=${w.a.widgetToken}&q=de`)).status;
    expect(last).toBe(429);
  });
});

describe('demo content', () => {
  it('seeds two categories and five published articles in English and Russian, once', async () => {
    const t = await w.addTenant('Demo Shop', 'ru');
    const seeded = await seedKnowledgeBase(w.app.kb.service, t.tenantId, t.adminId);
    expect(seeded).toEqual({ categories: 2, articles: 5 });
    expect(await seedKnowledgeBase(w.app.kb.service, t.tenantId, t.adminId)).toEqual({ categories: 0, articles: 0 });
    const settings = (await w.api('GET', '/api/v1/kb/settings', undefined, t.adminToken)).json as KbSettingsView;
    expect(settings).toMatchObject({ portal: 'demo-shop', defaultLocale: 'ru' });
    expect([...settings.locales].sort()).toEqual(['en', 'ru']);
    const list = (await w.api('GET', '/api/v1/kb/articles?status=published', undefined, t.adminToken)).json;
    expect(list.total).toBe(10);
    const categories = (await w.api('GET', '/api/v1/kb/categories', undefined, t.adminToken)).json.items as KbCategoryView[];
    expect(categories.map((c) => [c.slug, c.articleCount])).toEqual([
      ['orders-delivery', 2],
      ['account-payment', 3],
    ]);
    const password = await eventually(async () => {
      const items = (await w.api('GET', '/api/v1/kb/search?q=password', undefined, t.adminToken)).json.items as KbSearchHit[];
      return items.find((i) => i.locale === 'en');
    }, 10_000, 'seeded article searchable');
    expect(password.title).toBe('Reset your password');
    const ru = await eventually(async () => (await w.api('GET', `/api/v1/kb/search?q=${encodeURIComponent('пароль')}&locale=ru`, undefined, t.adminToken)).json.items[0] as KbSearchHit | undefined);
    expect(ru.title).toBe('Как сбросить пароль');
  });
});
