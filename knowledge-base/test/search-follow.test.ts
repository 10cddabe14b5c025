import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId, type KbArticleView } from '@switchboard/contracts';
import { eventually, sleep } from '@switchboard/testkit';
import { KB_INDEX } from '../src/search/kb-search.js';
import { startKbWorld, type KbWorld } from './harness.js';

/** The search index is a follower of sb.events: it never hears from the service directly. */
let w: KbWorld;

beforeAll(async () => {
  w = await startKbWorld({ outboxEveryMs: 200 });
});
afterAll(async () => {
  await w?.close();
});

const create = async (title: string, body: string, extra: Record<string, unknown> = {}, token?: string) => {
  const res = await w.api('POST', '/api/v1/kb/articles', { locale: 'en', title, body, ...extra }, token);
  expect(res.status, JSON.stringify(res.json)).toBe(201);
  return res.json as KbArticleView;
};
const call = async (method: string, path: string, body?: unknown, token?: string) => {
  const res = await w.api(method, path, body, token);
  expect(res.status, `${method} ${path}: ${JSON.stringify(res.json)}`).toBeLessThan(300);
  return res.json;
};
/** What the index holds for a tenant and query (straight from KbSearch, as the public pages see it). */
const hits = async (text: string, tenantId = w.a.tenantId, categoryId?: string) =>
  (await w.app.kb.search.search({ tenantId, text, limit: 100, ...(categoryId ? { categoryId } : {}) })).hits;
const idsOf = async (text: string, tenantId?: string, categoryId?: string) => (await hits(text, tenantId, categoryId)).map((h) => `${h.articleId}:${h.locale}`).sort();
const until = (what: string, check: () => Promise<boolean>) => eventually(check, 10_000, what);

describe('the search index follows sb.events', () => {
  let article: KbArticleView;
  let category: string;

  it('publish → indexed in the translation’s language; a draft is not', async () => {
    category = (await call('POST', '/api/v1/kb/categories', { slug: 'shipping', translations: { en: { name: 'Shipping' } } })).id;
    article = await create('Parcel lockers', 'Pick up your parcel from a locker with the code we send.', { categoryId: category });
    await call('PUT', `/api/v1/kb/articles/${article.id}/translations/ru`, { title: 'Постаматы', body: 'Заберите посылку из постамата по коду из сообщения.' });
    await call('POST', `/api/v1/kb/articles/${article.id}/translations/en/publish`);
    await until('en indexed', async () => (await idsOf('locker')).includes(`${article.id}:en`));
    const [hit] = await hits('lockers');
    expect(hit).toMatchObject({ articleId: article.id, locale: 'en', title: 'Parcel lockers', slug: 'parcel-lockers', categoryId: category });
    expect(hit!.titleHtml).toBe('Parcel <mark>lockers</mark>');
    // The Russian draft is not searchable.
    expect(await idsOf('посылку')).toEqual([]);
    await call('POST', `/api/v1/kb/articles/${article.id}/translations/ru/publish`);
    // Russian stemming: "посылки" finds "посылку".
    await until('ru indexed', async () => (await idsOf('посылки')).includes(`${article.id}:ru`));
  });

  it('move → the category filter follows', async () => {
    const other = (await call('POST', '/api/v1/kb/categories', { slug: 'pickup', translations: { en: { name: 'Pickup' } } })).id;
    expect(await idsOf('locker', undefined, category)).toEqual([`${article.id}:en`]);
    await call('PATCH', `/api/v1/kb/articles/${article.id}`, { categoryId: other });
    await until('moved in the index', async () => (await idsOf('locker', undefined, other)).length === 1);
    expect(await idsOf('locker', undefined, category)).toEqual([]);
    // The test's recorder is a consumer group of its own: it may hear the event after the indexer.
    await until('kb.article.moved published', async () => w.events.some((e) => e.type === 'kb.article.moved' && e.data.articleId === article.id));
  });

  it('a redelivered event changes nothing, and a stale one cannot bring back what was unpublished', async () => {
    const published = w.events.find((e) => e.type === 'kb.article.published' && e.data.articleId === article.id && e.data.locale === 'en')!;
    const before = await hits('locker');
    await w.platform.bus.publishEvent(published);
    await w.platform.bus.publishEvent({ ...published, id: newId() });
    await sleep(300);
    const after = await hits('locker');
    expect(after).toEqual(before);
    expect(after).toHaveLength(1);

    await call('POST', `/api/v1/kb/articles/${article.id}/translations/en/unpublish`);
    await until('unpublished out of the index', async () => !(await idsOf('locker')).includes(`${article.id}:en`));
    // The old "published" event arrives again, late: the index still follows the store.
    await w.platform.bus.publishEvent({ ...published, id: newId() });
    const marker = await create('Marker article', 'Processed after the stale event.');
    await call('POST', `/api/v1/kb/articles/${marker.id}/translations/en/publish`);
    await until('marker indexed', async () => (await idsOf('marker')).length === 1);
    expect(await idsOf('locker')).toEqual([]);
    expect(await idsOf('постамата')).toEqual([`${article.id}:ru`]);
  });

  it('delete → every translation leaves the index', async () => {
    await call('DELETE', `/api/v1/kb/articles/${article.id}`);
    await until('deleted out of the index', async () => (await idsOf('постамата')).length === 0);
    const deleted = await eventually(async () => w.events.find((e) => e.type === 'kb.article.deleted' && e.data.articleId === article.id), 10_000, 'kb.article.deleted published');
    expect(deleted.data).toEqual({ articleId: article.id, locales: expect.arrayContaining(['en', 'ru']) });
  });

  it('an event a crash left in the outbox is published later, and the index catches up', async () => {
    const a = await create('Store credit', 'Store credit is added to your account.');
    const r = w.app.kb.store.forTenant(w.a.tenantId);
    const t = (await r.translations.findById(`${a.id}:en`))!;
    // The state a process killed between the publish write and its event leaves behind.
    const now = new Date();
    await r.translations.updateOne({ _id: t._id }, { $set: { published: { ...t.draft, publishedAt: now }, publishedSlug: t.slug } });
    const event = { id: newId(), v: 1 as const, type: 'kb.article.published', tenantId: w.a.tenantId, at: now.toISOString(), data: { articleId: a.id, locale: 'en' } };
    await r.outbox.insertOne({ _id: event.id, event, createdAt: new Date(Date.now() - 60_000) });
    await until('published from the outbox', async () => (await idsOf('credit')).includes(`${a.id}:en`));
    await until('outbox emptied', async () => (await r.outbox.countDocuments({})) === 0);
    await until('the outbox event published', async () => w.events.some((e) => e.id === event.id));
    await call('DELETE', `/api/v1/kb/articles/${a.id}`);
    await until('deleted', async () => (await idsOf('credit')).length === 0);
  });

  it('reindex rebuilds the tenant’s part after the index was lost', async () => {
    const a = await create('Gift cards', 'Gift cards never expire.');
    const b = await create('Gift wrapping', 'We wrap gifts for free.');
    await create('Gift drafts', 'A draft about gifts is not indexed.');
    for (const x of [a, b]) await call('POST', `/api/v1/kb/articles/${x.id}/translations/en/publish`);
    await until('gifts indexed', async () => (await idsOf('gift')).length === 2);
    await w.platform.search.reset(KB_INDEX);
    expect(await idsOf('gift')).toEqual([]);
    expect(await call('POST', '/api/v1/kb/reindex')).toEqual({ indexed: 3 }); // the two gifts and the marker
    expect(await idsOf('gift')).toEqual([`${a.id}:en`, `${b.id}:en`].sort());
  });

  it('at start the index catches up with articles whose events it never heard (reconcile)', async () => {
    await until('gifts still indexed', async () => (await idsOf('gift')).length === 2);
    // As on a fresh install, where the demo articles were published before the follower's group existed.
    await w.platform.search.reset(KB_INDEX);
    expect(await w.app.kb.search.reconcile()).toBe(1);
    expect((await idsOf('gift')).length).toBe(2);
    // In step: nothing to do.
    expect(await w.app.kb.search.reconcile()).toBe(0);
  });

  it('tenant.deleted empties the tenant’s index and knowledge base, and no other', async () => {
    const theirs = await create('Gift vouchers', 'Vouchers of the other team.', {}, w.b.adminToken);
    await call('POST', `/api/v1/kb/articles/${theirs.id}/translations/en/publish`, undefined, w.b.adminToken);
    await until('other team indexed', async () => (await idsOf('gift', w.b.tenantId)).length === 1);
    const res = await w.api('DELETE', '/api/v1/tenant', { confirm: w.b.name }, w.b.adminToken);
    expect(res.status).toBe(202);
    await until('other team’s index emptied', async () => (await idsOf('', w.b.tenantId)).length === 0);
    await until('other team’s records removed', async () => (await w.platform.store.collection('kb_translations').countDocuments({ tenantId: w.b.tenantId })) === 0);
    expect(await w.platform.store.collection('kb_settings').countDocuments({ tenantId: w.b.tenantId })).toBe(0);
    expect(await idsOf('gift')).toHaveLength(2);
  });
});
