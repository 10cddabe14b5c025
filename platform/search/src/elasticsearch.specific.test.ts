/**
 * What only the Elasticsearch adapter has, testable without a cluster: a loud, bounded failure
 * when the server is away, and the mapping, request and highlight translation the contract suite
 * exercises against a real server (when ELASTICSEARCH_URL is set).
 */
import { describe, expect, it } from 'vitest';
import { prepareDoc, prepareQuery } from './core.js';
import { docId, highlightsOf, mappingOf, parseMarked, searchRequest, sourceOf } from './elasticsearch.js';
import { createSearchIndex, SearchError, type IndexSchema } from './index.js';

const SCHEMA: IndexSchema = { fields: { title: 'text', body: 'text', status: 'keyword', at: 'date', n: 'number' }, boost: { title: 3 } };

describe('ElasticsearchIndex', () => {
  it('fails createSearchIndex with SB_ERR_SEARCH_UNAVAILABLE naming ELASTICSEARCH_URL, quickly and without the password', async () => {
    const started = Date.now();
    const err = await createSearchIndex({ driver: 'elasticsearch', url: 'http://elastic:secret@127.0.0.1:1', connectTimeoutMs: 1000 }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(SearchError);
    expect(err).toMatchObject({ code: 'SB_ERR_SEARCH_UNAVAILABLE', statusCode: 503 });
    expect((err as Error).message).toContain('ELASTICSEARCH_URL');
    expect((err as Error).message).toContain('http://elastic:***@127.0.0.1:1');
    expect((err as Error).message).not.toContain('secret');
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('maps text fields to a standard field and one field per language analyzer; the schema rides in _meta', () => {
    const mapping = mappingOf(SCHEMA);
    expect(mapping.dynamic).toBe('strict');
    expect(mapping._meta).toEqual({ switchboard: { format: 1, schema: SCHEMA } });
    const props = mapping.properties as Record<string, { type?: string; properties?: Record<string, unknown> }>;
    expect(props.tenantId).toEqual({ type: 'keyword' });
    expect(props.f!.properties).toEqual({
      title: { type: 'text', analyzer: 'standard' },
      body: { type: 'text', analyzer: 'standard' },
      status: { type: 'keyword' },
      at: { type: 'date', format: 'epoch_millis' },
      n: { type: 'double' },
    });
    const l = props.l!.properties as Record<string, { properties: Record<string, unknown> }>;
    expect(l.en!.properties).toEqual({ title: { type: 'text', analyzer: 'english' }, body: { type: 'text', analyzer: 'english' } });
    expect(l.ru!.properties.title).toEqual({ type: 'text', analyzer: 'russian' });
  });

  it('stores the text again under the document language only', () => {
    const ru = prepareDoc(SCHEMA, { tenantId: 't', id: '1', locale: 'ru-RU', fields: { title: 'Заказ', status: 'x', at: new Date(7) } });
    expect(sourceOf(SCHEMA, ru)).toEqual({
      tenantId: 't',
      id: '1',
      locale: 'ru-RU',
      f: { title: 'Заказ', status: 'x', at: 7 },
      l: { ru: { title: 'Заказ' } },
    });
    const pl = prepareDoc(SCHEMA, { tenantId: 't', id: '1', locale: 'pl', fields: { title: 'Zamówienie' } });
    expect(sourceOf(SCHEMA, pl)).not.toHaveProperty('l');
    expect(docId('a:b', 'c')).not.toBe(docId('a', 'b:c'));
    expect(docId('t', 'x'.repeat(256))).toHaveLength(43);
  });

  it('builds one bool query: tenant and filters as filters, every word a should of plain+typo, stem, and prefix for the last', () => {
    const q = prepareQuery(SCHEMA, {
      tenantId: 't1',
      text: 'Refnd ord',
      filters: { status: ['open', 'pending'], locale: 'en' },
      sort: { field: 'at', order: 'asc' },
      limit: 5,
      offset: 10,
    });
    const req = searchRequest('sb-tickets', SCHEMA, q);
    expect(req).toMatchObject({ index: 'sb-tickets', routing: 't1', from: 10, size: 5, track_total_hits: true, track_scores: true });
    expect(req.query!.bool!.filter).toEqual([
      { term: { tenantId: 't1' } },
      { terms: { 'f.status': ['open', 'pending'] } },
      { terms: { locale: ['en'] } },
    ]);
    const must = req.query!.bool!.must as { bool: { should: unknown[]; minimum_should_match: number } }[];
    expect(must).toHaveLength(2);
    expect(must[0]!.bool.should).toEqual([
      {
        multi_match: {
          query: 'refnd',
          fields: ['f.title^3', 'f.body^1'],
          type: 'best_fields',
          operator: 'and',
          fuzziness: 1,
          prefix_length: 0,
          fuzzy_transpositions: false,
        },
      },
      { multi_match: { query: 'refnd', fields: ['l.*.title^3', 'l.*.body^1'], type: 'best_fields', operator: 'and' } },
    ]);
    expect(must[1]!.bool.should).toEqual([
      { multi_match: { query: 'ord', fields: ['f.title^3', 'f.body^1'], type: 'best_fields', operator: 'and' } },
      { multi_match: { query: 'ord', fields: ['l.*.title^3', 'l.*.body^1'], type: 'best_fields', operator: 'and' } },
      { multi_match: { query: 'ord', fields: ['f.title^3', 'f.body^1'], type: 'bool_prefix' } },
    ]);
    expect(req.sort).toEqual([{ 'f.at': { order: 'asc', missing: '_last' } }, { id: { order: 'asc' } }]);
    expect(req.highlight).toMatchObject({ encoder: 'html', pre_tags: ['<mark>'], post_tags: ['</mark>'], number_of_fragments: 0 });
    expect(Object.keys(req.highlight!.fields as object)).toEqual(['f.title', 'l.*.title', 'f.body', 'l.*.body']);

    const all = searchRequest('sb-tickets', SCHEMA, prepareQuery(SCHEMA, { tenantId: 't1', text: '  ' }));
    expect(all.query!.bool!.must).toEqual([]);
    expect(all.sort).toEqual([{ _score: { order: 'desc' } }, { id: { order: 'asc' } }]);
    expect(all.highlight).toBeUndefined();
  });

  it('reads highlights encoded by Elasticsearch back into the same fragments the embedded engine makes', () => {
    // Lucene's SimpleHTMLEncoder: & < > " ' / become entities; the tags stay as given.
    const encoded = '<mark>Refund</mark> &lt;b&gt;now&lt;&#x2F;b&gt; &amp; &quot;<mark>orders</mark>&quot; &#x27;x&#x27;';
    expect(parseMarked(encoded)).toEqual({
      text: 'Refund <b>now</b> & "orders" \'x\'',
      ranges: [
        [0, 6],
        [21, 27],
      ],
    });
    // The plain and the stemmed field mark different words of the same text: both are kept.
    expect(
      highlightsOf({
        'f.title': ['<mark>Refund</mark> requests'],
        'l.en.title': ['Refund <mark>requests</mark>'],
        'l.en.body': ['A &lt;<mark>refund</mark>&gt;'],
      }),
    ).toEqual({ title: ['<mark>Refund</mark> <mark>requests</mark>'], body: ['A &lt;<mark>refund</mark>&gt;'] });
    expect(highlightsOf(undefined)).toEqual({});
  });
});
