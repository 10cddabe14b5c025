/**
 * Search relevance of the knowledge base, as a reader of the help center notices it: the article
 * they mean comes first (or near the top) whatever form of the word they typed, in English or
 * Russian, with a typo, or half-typed. One suite, run against every SearchIndex adapter by
 * relevance.test.ts. `open` returns a fresh, empty SearchIndex the suite owns and closes.
 *
 * The corpus (fixtures/corpus.ts) is written through KbStore into an embedded store, then indexed
 * by KbSearch: the first help center by `reindex`, the second one translation at a time by `put`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '@switchboard/logging';
import type { SearchIndex } from '@switchboard/search';
import { createStore, type DocumentStore } from '@switchboard/store';
import { newId } from '@switchboard/contracts';
import { tempDir } from '@switchboard/testkit';
import { KbStore } from '../src/articles/repository.js';
import { KbSearch } from '../src/search/kb-search.js';
import type { KbFoundArticle, KbSearchQuery } from '../src/types.js';
import { OTHER_TENANT_CORPUS, seedCorpus, type SeededCorpus } from './fixtures/corpus.js';

export type SearchIndexOpener = () => Promise<SearchIndex>;

/** How far down a reader looks before they give up: the article must be among the first three. */
const TOP = 3;

export function describeRelevance(name: string, open: SearchIndexOpener): void {
  describe(`knowledge-base search relevance — ${name}`, () => {
    const logger = createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent', format: 'json' });
    let data: { dir: string; remove(): void } | undefined;
    let index: SearchIndex;
    let docs: DocumentStore;
    let kb: KbSearch;
    let shop: SeededCorpus;
    let reseller: SeededCorpus;

    beforeAll(async () => {
      data = tempDir('sb-kb-relevance');
      index = await open();
      docs = await createStore({ driver: 'embedded', dir: data.dir });
      const store = new KbStore(docs);
      await store.ensureIndexes();
      shop = await seedCorpus(store, newId());
      reseller = await seedCorpus(store, newId(), OTHER_TENANT_CORPUS);
      kb = new KbSearch(index, store, logger);
      await kb.ensure();
      await kb.reindex(shop.tenantId);
      for (const t of reseller.translations) await kb.put(t.record);
    });

    afterAll(async () => {
      await index?.close();
      await docs?.close();
      data?.remove();
    });

    const find = (text: string, q: Partial<KbSearchQuery> = {}) => kb.search({ tenantId: shop.tenantId, text, ...q });
    const titles = async (text: string, q: Partial<KbSearchQuery> = {}) => (await find(text, q)).hits.map((h) => h.title);
    const top = async (text: string, q: Partial<KbSearchQuery> = {}) => (await titles(text, q)).slice(0, TOP);
    /** Nothing at all: no hit, and no "some of the words" fallback either. */
    const expectNothing = async (text: string, q: Partial<KbSearchQuery> = {}, tenantId = shop.tenantId) => {
      const result = await kb.search({ tenantId, text, ...q });
      expect(result, `"${text}" finds nothing`).toMatchObject({ total: 0, hits: [], partial: false });
    };
    const hitOf = (hits: KbFoundArticle[], title: string) => {
      const hit = hits.find((h) => h.title === title);
      expect(hit, `"${title}" among the hits`).toBeDefined();
      return hit!;
    };

    describe('finds the article by another form of the word (stemming)', () => {
      it('English: "orders" finds "Track your order", "refunding" finds "How refunds work"', async () => {
        expect(await top('orders')).toContain('Track your order');
        expect((await titles('tracking orders'))[0]).toBe('Track your order');
        expect((await titles('refunding'))[0]).toBe('How refunds work');
      });

      it('Russian: «заказы» finds «Как отследить заказ», «возврата» finds «Возврат денег»', async () => {
        expect(await top('заказы')).toContain('Как отследить заказ');
        expect((await titles('возврата'))[0]).toBe('Возврат денег');
        expect((await titles('отследить заказы'))[0]).toBe('Как отследить заказ');
      });
    });

    describe('forgives a typo (one edit up to 6 letters, two from 7)', () => {
      it('English: "refuds", "pasword", "delivry"', async () => {
        expect((await titles('refuds'))[0]).toBe('How refunds work');
        expect((await titles('pasword'))[0]).toBe('Reset your password');
        expect(await top('delivry')).toContain('Delivery times and costs');
      });

      it('Russian: «пороль», «возрат»', async () => {
        expect((await titles('пороль'))[0]).toBe('Как сменить пароль');
        expect(await top('возрат')).toContain('Возврат денег');
      });

      it('does not stretch a short word into another one', async () => {
        // "box" is three letters: no typo allowance, so "fox" or "bix" find nothing.
        expect(await titles('bix')).toEqual([]);
      });
    });

    describe('ranks where the word is', () => {
      it('a title match ranks above a body-only match', async () => {
        const found = await titles('warranty');
        expect(found).toContain('A product stopped working'); // says "warranty" in its body only
        expect(found[0]).toBe('Warranty claims');
        const ru = await titles('курьер');
        expect(ru.length).toBeGreaterThan(1);
        expect(ru[0]).toBe('Курьер не застал вас дома');
      });

      it('a description match ranks above a body-only match', async () => {
        const found = await titles('invoice');
        expect(found).toEqual(['Download receipts', 'Accounts for companies']);
      });
    });

    describe('searches as the reader types', () => {
      it('the last word counts as a prefix', async () => {
        expect(await top('deliv')).toContain('Delivery times and costs');
        expect((await titles('cancel subs'))[0]).toBe('Cancel your subscription');
        expect(await top('возвр')).toContain('Возврат денег');
      });
    });

    describe('every word must match', () => {
      it('two words find only articles with both', async () => {
        expect(await find('cancel subscription')).toMatchObject({ total: 1, partial: false });
        expect(await titles('cancel subscription')).toEqual(['Cancel your subscription']);
        expect(await titles('отменить подписку')).toEqual(['Как отменить подписку']);
        // Each word alone finds more.
        expect(await titles('cancel')).toEqual(expect.arrayContaining(['Cancel an order', 'Cancel your subscription']));
        expect(await titles('subscription')).toEqual(expect.arrayContaining(['Choose a subscription plan', 'Cancel your subscription']));
      });

      it('a word in no article finds nothing', async () => {
        await expectNothing('xylophone');
        await expectNothing('балалайка');
        await expectNothing('xylophone balalaika');
      });

      it('when no article has every word, offers those with some of them, marked as partial', async () => {
        const result = await find('refund xylophone');
        expect(result.partial).toBe(true);
        expect(result.hits[0]?.title).toBe('How refunds work');
      });

      it('a question in the reader\'s own words finds its article (small words do not have to match)', async () => {
        expect((await titles('how do I reset my password'))[0]).toBe('Reset your password');
        expect(await top('где мой заказ')).toContain('Как отследить заказ');
      });
    });

    describe('filters', () => {
      it('by locale: a Russian query in English finds nothing, in Russian only Russian articles', async () => {
        await expectNothing('заказ', { locale: 'en' });
        const ru = await find('заказ', { locale: 'ru' });
        expect(ru.hits.map((h) => h.title)).toContain('Как отследить заказ');
        expect(ru.hits.every((h) => h.locale === 'ru')).toBe(true);
        const en = await find('delivery', { locale: 'en' });
        expect(en.total).toBeGreaterThan(0);
        expect(en.hits.every((h) => h.locale === 'en')).toBe(true);
      });

      it('by category', async () => {
        const all = await find('card');
        const payments = await find('card', { categoryId: shop.categoryIds.payments });
        expect(payments.total).toBeGreaterThan(0);
        expect(payments.total).toBeLessThan(all.total);
        expect(payments.hits.every((h) => h.categoryId === shop.categoryIds.payments)).toBe(true);
      });
    });

    describe('shows why an article matched', () => {
      it('marks the matched word as written in the article, also when the query used another form', async () => {
        const { hits } = await find('refunding');
        const refunds = hitOf(hits, 'How refunds work');
        expect(refunds.titleHtml).toBe('How <mark>refunds</mark> work');
        expect(refunds.snippet).toMatch(/<mark>refund<\/mark>/i);
        const ru = hitOf((await find('возврата')).hits, 'Возврат денег');
        expect(ru.titleHtml).toBe('<mark>Возврат</mark> денег');
        const typo = hitOf((await find('pasword')).hits, 'Reset your password');
        expect(typo.titleHtml).toBe('Reset your <mark>password</mark>');
      });

      it('describes each hit by its published translation', async () => {
        const { hits } = await find('track');
        const hit = hitOf(hits, 'Track your order');
        const expected = shop.get('track-order', 'en');
        expect(hit).toMatchObject({
          articleId: expected.articleId,
          locale: 'en',
          slug: 'track-your-order',
          description: 'See where your parcel is and when it will arrive.',
          categoryId: shop.categoryIds.orders,
        });
        expect(hit.updatedAt).toBeInstanceOf(Date);
        // Markdown is not shown as syntax in the snippet.
        expect(hit.snippet).not.toContain('**');
        expect(hit.snippet).not.toContain('##');
      });
    });

    describe('what the public sees', () => {
      it('finds published text only: not an unpublished draft, not the unpublished edits of a published article', async () => {
        await expectNothing('zeppelin');
        await expectNothing('hovercraft');
        expect(await titles('gift card balance')).toEqual(['Gift cards']);
      });

      it('keeps help centers apart', async () => {
        await expectNothing('wholesale');
        await expectNothing('resellers');
        const other = await kb.search({ tenantId: reseller.tenantId, text: 'orders' });
        expect(other.hits.map((h) => h.title)).toEqual(['Track wholesale orders']);
        const otherRu = await kb.search({ tenantId: reseller.tenantId, text: 'заказ' });
        expect(otherRu.hits.map((h) => h.title)).toEqual(['Как отследить оптовый заказ']);
        expect(await top('refund')).not.toContain('Refunds for resellers');
      });
    });
  });
}
