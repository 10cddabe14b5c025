/**
 * The SearchIndex contract: one suite every adapter passes. `make` returns a fresh index store
 * that no other test sees (its own folder, or its own index-name prefix); the suite closes it.
 * Every write is read back at once: read-your-writes is part of the contract.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SearchError } from './errors.js';
import type { IndexSchema, SearchDoc, SearchIndex, SearchQuery } from './types.js';

export type SearchIndexFactory = () => Promise<SearchIndex>;

const SCHEMA: IndexSchema = {
  fields: { title: 'text', body: 'text', status: 'keyword', tags: 'keyword', updatedAt: 'date', priority: 'number' },
  boost: { title: 3 },
};

async function rejectsWithCode(promise: Promise<unknown>, code: string): Promise<void> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err, `expected ${code}`).toBeInstanceOf(SearchError);
  expect((err as SearchError).code).toBe(code);
}

const doc = (tenantId: string, id: string, fields: SearchDoc['fields'], locale = 'en'): SearchDoc => ({ tenantId, id, locale, fields });

export function searchContract(name: string, make: SearchIndexFactory): void {
  describe(`SearchIndex contract — ${name}`, () => {
    let search: SearchIndex;

    beforeEach(async () => {
      search = await make();
      await search.ensureIndex('tickets', SCHEMA);
    });

    afterEach(async () => {
      await search.close();
    });

    const ids = async (q: Partial<SearchQuery> & { text: string }, tenantId = 't1') =>
      (await search.query('tickets', { tenantId, ...q })).hits.map((h) => h.id);

    describe('indexes', () => {
      it('declares an index idempotently and refuses another schema for it', async () => {
        await search.ensureIndex('tickets', SCHEMA);
        // The same schema with keys in another order is the same schema.
        await search.ensureIndex('tickets', { boost: { title: 3 }, fields: { ...SCHEMA.fields } });
        await rejectsWithCode(search.ensureIndex('tickets', { fields: { title: 'text' } }), 'SB_ERR_SEARCH_SCHEMA_CONFLICT');
        await search.ensureIndex('articles', { fields: { title: 'text' } });
        await search.index('articles', doc('t1', 'a', { title: 'kept apart' }));
        expect(await ids({ text: 'apart' })).toEqual([]);
        expect((await search.query('articles', { tenantId: 't1', text: 'apart' })).total).toBe(1);
        await search.ping();
      });

      it('refuses an undeclared index, bad names, schemas, documents and queries', async () => {
        await rejectsWithCode(search.index('nope', doc('t1', 'a', { title: 'x' })), 'SB_ERR_SEARCH_NO_INDEX');
        await rejectsWithCode(search.query('nope', { tenantId: 't1', text: 'x' }), 'SB_ERR_SEARCH_NO_INDEX');
        await rejectsWithCode(search.reset('nope'), 'SB_ERR_SEARCH_NO_INDEX');
        await rejectsWithCode(search.ensureIndex('Bad Name', SCHEMA), 'SB_ERR_SEARCH_INVALID');
        await rejectsWithCode(search.ensureIndex('nofulltext', { fields: { status: 'keyword' } }), 'SB_ERR_SEARCH_INVALID');
        await rejectsWithCode(search.ensureIndex('badtype', { fields: { title: 'string' as 'text' } }), 'SB_ERR_SEARCH_INVALID');
        await rejectsWithCode(search.index('tickets', doc('t1', 'a', { unknown: 'x' })), 'SB_ERR_SEARCH_INVALID');
        await rejectsWithCode(search.index('tickets', doc('t1', 'a', { updatedAt: 'not a date' })), 'SB_ERR_SEARCH_INVALID');
        await rejectsWithCode(search.index('tickets', doc('t1', 'a', { title: 42 })), 'SB_ERR_SEARCH_INVALID');
        await rejectsWithCode(search.index('tickets', doc('', 'a', { title: 'x' })), 'SB_ERR_SEARCH_INVALID');
        await rejectsWithCode(search.index('tickets', doc('t1', 'a', { title: 'x' }, 'not a locale!')), 'SB_ERR_SEARCH_INVALID');
        // One bad document in a batch: nothing of the batch is written.
        await rejectsWithCode(
          search.indexMany('tickets', [doc('t1', 'ok', { title: 'fine' }), doc('t1', 'bad', { priority: 'high' })]),
          'SB_ERR_SEARCH_INVALID',
        );
        expect(await ids({ text: 'fine' })).toEqual([]);
        await rejectsWithCode(search.query('tickets', { tenantId: 't1', text: 'x', filters: { title: 'x' } }), 'SB_ERR_SEARCH_INVALID');
        await rejectsWithCode(search.query('tickets', { tenantId: 't1', text: 'x', sort: { field: 'status' } }), 'SB_ERR_SEARCH_INVALID');
        await rejectsWithCode(search.query('tickets', { tenantId: 't1', text: 'x', limit: 101 }), 'SB_ERR_SEARCH_INVALID');
        await rejectsWithCode(search.query('tickets', { tenantId: 't1', text: 'x', offset: 9950, limit: 100 }), 'SB_ERR_SEARCH_INVALID');
        await rejectsWithCode(search.query('tickets', { tenantId: '', text: 'x' }), 'SB_ERR_SEARCH_INVALID');
      });
    });

    describe('documents', () => {
      it('upserts by (tenant, id): indexing again replaces the document', async () => {
        await search.index('tickets', doc('t1', 'a', { title: 'Printer is broken', status: 'open', tags: ['hw'] }));
        await search.index('tickets', doc('t1', 'a', { title: 'Scanner is broken', status: 'closed' }));
        expect(await ids({ text: 'printer' })).toEqual([]);
        const result = await search.query('tickets', { tenantId: 't1', text: 'scanner' });
        expect(result.total).toBe(1);
        expect(result.hits[0]).toMatchObject({ id: 'a', locale: 'en', fields: { title: 'Scanner is broken', status: 'closed' } });
        expect(result.hits[0]!.fields.tags).toBeUndefined();
        expect((await search.query('tickets', { tenantId: 't1', text: '' })).total).toBe(1);
      });

      it('returns the stored fields, dates as Date', async () => {
        const at = new Date('2024-05-06T07:08:09.123Z');
        await search.index('tickets', doc('t1', 'a', { title: 'Invoice', body: null, status: 'open', tags: ['x', 'y'], updatedAt: at, priority: 2.5 }));
        await search.index('tickets', doc('t1', 'b', { title: 'Invoice copy', updatedAt: '2024-05-06T07:08:09.123Z' }));
        const { hits } = await search.query('tickets', { tenantId: 't1', text: 'invoice', sort: { field: 'priority' } });
        expect(hits[0]!.fields).toEqual({ title: 'Invoice', status: 'open', tags: ['x', 'y'], updatedAt: at, priority: 2.5 });
        expect(hits[1]!.fields.updatedAt).toEqual(at);
      });

      it('deletes one document; a missing one is no error', async () => {
        await search.indexMany('tickets', [doc('t1', 'a', { title: 'alpha report' }), doc('t1', 'b', { title: 'beta report' })]);
        await search.delete('tickets', 't1', 'a');
        await search.delete('tickets', 't1', 'a');
        await search.delete('tickets', 't1', 'never');
        expect(await ids({ text: 'report' })).toEqual(['b']);
      });

      it('reset empties the index, and may change its schema', async () => {
        await search.indexMany('tickets', [doc('t1', 'a', { title: 'one' }), doc('t2', 'b', { title: 'two' })]);
        await search.reset('tickets');
        expect((await search.query('tickets', { tenantId: 't1', text: '' })).total).toBe(0);
        await search.index('tickets', doc('t1', 'c', { title: 'three', status: 'open' }));
        expect(await ids({ text: 'three' })).toEqual(['c']);

        const next: IndexSchema = { fields: { title: 'text', channel: 'keyword' } };
        await search.reset('tickets', next);
        await search.ensureIndex('tickets', next);
        await rejectsWithCode(search.ensureIndex('tickets', SCHEMA), 'SB_ERR_SEARCH_SCHEMA_CONFLICT');
        await rejectsWithCode(search.index('tickets', doc('t1', 'd', { title: 'x', status: 'open' })), 'SB_ERR_SEARCH_INVALID');
        await search.index('tickets', doc('t1', 'd', { title: 'four', channel: 'email' }));
        expect(await ids({ text: 'four', filters: { channel: 'email' } })).toEqual(['d']);
        expect(await ids({ text: '' })).toEqual(['d']);
      });
    });

    describe('tenants', () => {
      beforeEach(async () => {
        await search.indexMany('tickets', [
          doc('t1', 'same-id', { title: 'Refund for order 1' }),
          doc('t1', 'x', { title: 'Refund again' }),
          doc('t2', 'same-id', { title: 'Refund for order 2' }),
          doc('t2', 'y', { title: 'Something else' }),
        ]);
      });

      it('a query never returns another tenant\'s documents', async () => {
        expect((await ids({ text: 'refund' }, 't1')).sort()).toEqual(['same-id', 'x']);
        const t2 = await search.query('tickets', { tenantId: 't2', text: 'refund' });
        expect(t2.total).toBe(1);
        expect(t2.hits[0]!.fields.title).toBe('Refund for order 2');
        expect(await ids({ text: 'refund' }, 't3')).toEqual([]);
        expect((await search.query('tickets', { tenantId: 't2', text: '' })).total).toBe(2);
      });

      it('the same id in two tenants is two documents; delete touches only one', async () => {
        await search.delete('tickets', 't1', 'same-id');
        expect(await ids({ text: 'order' }, 't1')).toEqual([]);
        expect(await ids({ text: 'order' }, 't2')).toEqual(['same-id']);
      });

      it('deleteTenant removes only that tenant\'s documents and counts them', async () => {
        expect(await search.deleteTenant('tickets', 't1')).toBe(2);
        expect((await search.query('tickets', { tenantId: 't1', text: '' })).total).toBe(0);
        expect((await search.query('tickets', { tenantId: 't2', text: '' })).total).toBe(2);
        expect(await search.deleteTenant('tickets', 't1')).toBe(0);
        expect(await search.deleteTenant('tickets', 'never')).toBe(0);
      });
    });

    describe('matching', () => {
      beforeEach(async () => {
        await search.indexMany('tickets', [
          doc('t1', 'en-order', { title: 'Where is my order?', body: 'I placed it last week.' }),
          doc('t1', 'en-refund', { title: 'Refund request', body: 'Please send the money back to my card.' }),
          doc('t1', 'ru-order', { title: 'Где мой заказ', body: 'Оформил на прошлой неделе.' }, 'ru'),
          doc('t1', 'ru-delivery', { title: 'Доставка заказов', body: 'Сроки доставки в регионы.' }, 'ru-RU'),
          doc('t1', 'unknown', { title: 'Zamówienie nie dotarło', body: 'Kurier nie przyszedł.' }, 'pl'),
          doc('t1', 'und', { title: 'Ticket 4711 escalated', body: 'xj-900 firmware' }, 'und'),
        ]);
      });

      it('stems English: "orders" finds "order", "refunds" finds "refund"', async () => {
        expect(await ids({ text: 'orders' })).toEqual(['en-order']);
        expect(await ids({ text: 'refunds' })).toEqual(['en-refund']);
        expect(await ids({ text: 'placing' })).toEqual(['en-order']);
      });

      it('stems Russian: "заказы" finds "заказ", "заказ" finds "заказов"', async () => {
        expect((await ids({ text: 'заказы' })).sort()).toEqual(['ru-delivery', 'ru-order']);
        expect((await ids({ text: 'Заказ' })).sort()).toEqual(['ru-delivery', 'ru-order']);
        expect(await ids({ text: 'доставкой' })).toEqual(['ru-delivery']);
      });

      it('every word must match, in any text field', async () => {
        expect(await ids({ text: 'order week' })).toEqual(['en-order']);
        expect(await ids({ text: 'order money' })).toEqual([]);
      });

      it('matches the last word as a prefix (search as you type), and only the last', async () => {
        expect(await ids({ text: 'refu' })).toEqual(['en-refund']);
        expect(await ids({ text: 'where is my ord' })).toEqual(['en-order']);
        expect(await ids({ text: 'доста' })).toEqual(['ru-delivery']);
        expect(await ids({ text: 'ord where' })).toEqual([]);
      });

      it('tolerates typos by word length: "refnd" finds "refund"', async () => {
        expect(await ids({ text: 'refnd' })).toEqual(['en-refund']);
        expect(await ids({ text: 'requst refund' })).toEqual(['en-refund']);
        expect(await ids({ text: 'zamowienie' })).toEqual(['unknown']); // one edit (ó → o)
        expect(await ids({ text: 'xyzzy' })).toEqual([]);
      });

      it('finds documents of a language without a stemmer by their words and prefixes', async () => {
        expect(await ids({ text: 'kurier' })).toEqual(['unknown']);
        expect(await ids({ text: 'dotar' })).toEqual(['unknown']);
        expect(await ids({ text: '4711' })).toEqual(['und']);
        expect(await ids({ text: 'XJ-900' })).toEqual(['und']);
      });

      it('filters by locale', async () => {
        expect((await ids({ text: '', filters: { locale: ['ru', 'ru-RU'] } })).sort()).toEqual(['ru-delivery', 'ru-order']);
        expect(await ids({ text: 'заказ', filters: { locale: 'ru' } })).toEqual(['ru-order']);
      });

      it('ranks a match in a boosted field above one in the body', async () => {
        await search.indexMany('tickets', [
          doc('t1', 'in-body', { title: 'Account question', body: 'How do I change the password of my account?' }),
          doc('t1', 'in-title', { title: 'Password change', body: 'How do I do that for my account?' }),
        ]);
        expect(await ids({ text: 'password' })).toEqual(['in-title', 'in-body']);
      });
    });

    describe('filters, sort, paging', () => {
      beforeEach(async () => {
        const day = (d: number) => new Date(Date.UTC(2024, 0, d));
        await search.indexMany('tickets', [
          doc('t1', 'a', { title: 'Login issue', status: 'open', tags: ['auth', 'web'], updatedAt: day(3), priority: 1 }),
          doc('t1', 'b', { title: 'Login loop', status: 'pending', tags: ['auth'], updatedAt: day(5), priority: 3 }),
          doc('t1', 'c', { title: 'Login slow', status: 'closed', tags: ['perf'], updatedAt: day(1), priority: 2 }),
          doc('t1', 'd', { title: 'Login error', status: 'open', tags: [], updatedAt: day(4) }),
          doc('t1', 'e', { title: 'Login page', status: 'open' }),
        ]);
      });

      it('filters on a keyword value, any of several values, and array fields', async () => {
        expect(await ids({ text: 'login', filters: { status: 'open' }, sort: { field: 'updatedAt' } })).toEqual(['d', 'a', 'e']);
        expect((await ids({ text: 'login', filters: { status: ['pending', 'closed'] } })).sort()).toEqual(['b', 'c']);
        expect((await ids({ text: '', filters: { tags: 'auth' } })).sort()).toEqual(['a', 'b']);
        expect((await ids({ text: '', filters: { tags: ['web', 'perf'] } })).sort()).toEqual(['a', 'c']);
        expect(await ids({ text: '', filters: { tags: 'auth', status: 'open' } })).toEqual(['a']);
        expect(await ids({ text: '', filters: { status: 'missing' } })).toEqual([]);
      });

      it('sorts by a date or number field, missing values last, ties by id', async () => {
        expect(await ids({ text: 'login', sort: { field: 'updatedAt', order: 'desc' } })).toEqual(['b', 'd', 'a', 'c', 'e']);
        expect(await ids({ text: '', sort: { field: 'updatedAt', order: 'asc' } })).toEqual(['c', 'a', 'd', 'b', 'e']);
        expect(await ids({ text: '', sort: { field: 'priority', order: 'asc' } })).toEqual(['a', 'c', 'b', 'd', 'e']);
        // An empty text scores every document alike: ordered by id.
        expect(await ids({ text: '' })).toEqual(['a', 'b', 'c', 'd', 'e']);
      });

      it('pages with limit and offset, and reports the total', async () => {
        const page = (offset: number, limit: number) =>
          search.query('tickets', { tenantId: 't1', text: 'login', sort: { field: 'updatedAt' }, offset, limit });
        const first = await page(0, 2);
        expect(first.total).toBe(5);
        expect(first.hits.map((h) => h.id)).toEqual(['b', 'd']);
        expect((await page(2, 2)).hits.map((h) => h.id)).toEqual(['a', 'c']);
        const last = await page(4, 2);
        expect(last.total).toBe(5);
        expect(last.hits.map((h) => h.id)).toEqual(['e']);
        expect((await page(10, 2)).hits).toEqual([]);
        const none = await page(0, 0);
        expect(none).toEqual({ total: 5, hits: [] });
      });
    });

    describe('highlights', () => {
      it('marks the matched words with <mark> and escapes the rest as HTML', async () => {
        await search.index('tickets', doc('t1', 'h', { title: 'Refund <script>alert("x")</script> & orders', body: "Customer's refunds: 'fast'" }));
        const { hits } = await search.query('tickets', { tenantId: 't1', text: 'refund order' });
        expect(hits[0]!.highlights).toEqual({
          title: ['<mark>Refund</mark> &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; <mark>orders</mark>'],
          body: ['Customer&#39;s <mark>refunds</mark>: &#39;fast&#39;'],
        });
        const plain = await search.query('tickets', { tenantId: 't1', text: 'refund', highlight: false });
        expect(plain.hits[0]!.highlights).toEqual({});
      });

      it('marks stems, prefixes and typos, and only fields that matched', async () => {
        await search.index('tickets', doc('t1', 'r', { title: 'Заказы и доставка', body: 'Ничего общего' }, 'ru'));
        await search.index('tickets', doc('t1', 'e', { title: 'Shipping policy', body: 'Nothing here' }));
        const ru = await search.query('tickets', { tenantId: 't1', text: 'заказ дост' });
        expect(ru.hits[0]!.highlights).toEqual({ title: ['<mark>Заказы</mark> и <mark>доставка</mark>'] });
        const typo = await search.query('tickets', { tenantId: 't1', text: 'shiping' });
        expect(typo.hits[0]!.highlights).toEqual({ title: ['<mark>Shipping</mark> policy'] });
      });

      it('cuts long text into fragments around the matches', async () => {
        const filler = (n: number) => Array.from({ length: n }, (_, i) => `word${i}`).join(' ');
        const body = `${filler(60)} the warranty covers it ${filler(60)}`;
        await search.index('tickets', doc('t1', 'long', { title: 'Terms', body }));
        const { hits } = await search.query('tickets', { tenantId: 't1', text: 'warranty' });
        const fragments = hits[0]!.highlights.body!;
        expect(fragments).toHaveLength(1);
        expect(fragments[0]).toContain('the <mark>warranty</mark> covers it');
        expect(fragments[0]!.startsWith('…')).toBe(true);
        expect(fragments[0]!.endsWith('…')).toBe(true);
        expect(fragments[0]!.length).toBeLessThan(260);
      });
    });

    it('refuses calls after close', async () => {
      const other = await make();
      await other.close();
      await rejectsWithCode(other.query('tickets', { tenantId: 't1', text: 'x' }), 'SB_ERR_SEARCH_CLOSED');
      await rejectsWithCode(other.ping(), 'SB_ERR_SEARCH_CLOSED');
    });
  });
}
