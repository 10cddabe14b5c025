/**
 * Knowledge-base search on the embedded SearchIndex: 10,000 generated articles (English and
 * Russian) written to an embedded store and indexed through KbSearch.reindex (which reads the
 * store in pages and calls SearchIndex.indexMany per page), then 1,000 queries of 1–3 words
 * (exact, another word form, a typo) through KbSearch.search. The same documents and queries go
 * through a bare MiniSearch in the same run, to show what the adapter adds (stemmed fields per
 * language, typo and prefix rules, highlights) over the engine alone.
 *
 *   node --expose-gc --import tsx bench/kb-search.ts [articles=10000] [queries=1000]
 *
 * Prints figures; asserts nothing about time.
 */
import { performance } from 'node:perf_hooks';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import MiniSearch from 'minisearch';
import { newId } from '@switchboard/contracts';
import { createLogger } from '@switchboard/logging';
import { createSearchIndex } from '@switchboard/search';
import { createStore } from '@switchboard/store';
import { tempDir } from '@switchboard/testkit';
import { KbStore } from '../knowledge-base/src/articles/repository.js';
import { markdownToText } from '../knowledge-base/src/markdown.js';
import { KB_INDEX, KbSearch } from '../knowledge-base/src/search/kb-search.js';
import { translationRecord } from '../knowledge-base/test/fixtures/corpus.js';
import { generateArticles, generateQueries, type BenchQuery } from './lib/kb-articles.js';
import { gcExposed, heapUsed, int, machine, mb, ms, percentile, ratio, table } from './lib/stats.js';
import { recordResults } from './lib/results.js';

const ARTICLES = Number(process.argv[2] ?? 10_000);
const QUERIES = Number(process.argv[3] ?? 1_000);
const WARMUP = 50;
/** No query or put loop runs longer than this, whatever the machine. */
const QUERY_BUDGET_MS = 120_000;
/** Re-publishing this many articles one at a time measures KbSearch.put. */
const PUTS = 1_000;

interface Timed {
  latencies: number[];
  found: number;
  byKind: Record<BenchQuery['kind'], number>;
}

type Engine = (q: BenchQuery) => Promise<number> | number;

/**
 * Runs every query on every engine, one query at a time, the engines in turn (starting with a
 * different one each query): a burst of other work on the machine then lands on all of them
 * alike, so their ratio holds even when the absolute figures wobble.
 */
async function runQueries<K extends string>(queries: BenchQuery[], engines: Record<K, Engine>): Promise<Record<K, Timed>> {
  const names = Object.keys(engines) as K[];
  const timed = Object.fromEntries(names.map((n) => [n, { latencies: [], found: 0, byKind: { exact: 0, stem: 0, typo: 0 } }])) as unknown as Record<K, Timed>;
  for (const name of names) for (const q of queries.slice(0, WARMUP)) await engines[name](q);
  const deadline = performance.now() + QUERY_BUDGET_MS;
  for (const [i, q] of queries.entries()) {
    if (performance.now() > deadline) break;
    for (let k = 0; k < names.length; k++) {
      const name = names[(i + k) % names.length]!;
      const start = performance.now();
      const total = await engines[name](q);
      const t = timed[name];
      t.latencies.push(performance.now() - start);
      if (total > 0) {
        t.found++;
        t.byKind[q.kind]++;
      }
    }
  }
  return timed;
}

const TYPO_FROM = 4;
/** The same typo allowance as the SearchIndex seam: none below 4 letters, 1 up to 6, 2 from 7. */
const edits = (term: string) => {
  const n = [...term].length;
  return n < TYPO_FROM ? 0 : n < 7 ? 1 : 2;
};

async function main(): Promise<void> {
  console.log(`kb-search: ${int(ARTICLES)} articles, ${int(QUERIES)} queries — ${await machine()}`);
  if (!gcExposed()) console.log('(run with node --expose-gc for heap figures after a full collection)');
  const logger = createLogger({ level: 'warn', format: 'json' });
  const data = tempDir('sb-bench-kb-search');
  const tenantId = newId();
  try {
    let t = performance.now();
    const articles = generateArticles(ARTICLES);
    const queries = generateQueries(articles, QUERIES);
    const words = articles.reduce((n, a) => n + markdownToText(a.body).split(/\s+/).length, 0);
    const generatedMs = performance.now() - t;

    // The store as the service leaves it: one published translation per article.
    const docs = await createStore({ driver: 'embedded', dir: join(data.dir, 'store') });
    const store = new KbStore(docs);
    await store.ensureIndexes();
    const at = new Date(Date.UTC(2025, 0, 6));
    const translations = store.forTenant(tenantId).translations;
    t = performance.now();
    const records = articles.map((a) => {
      const r = translationRecord(tenantId, newId(), a.locale, a.category, a, at);
      // Generated titles can repeat; slugs are unique per (tenant, locale), as the service makes them.
      const slug = `${r.slug}-${a.key}`;
      return { ...r, slug, publishedSlug: slug, draft: { ...r.draft, slug }, published: { ...r.published!, slug } };
    });
    for (const r of records) {
      const { tenantId: _, ...doc } = r;
      await translations.insertOne(doc);
    }
    const seededMs = performance.now() - t;

    const index = await createSearchIndex({ driver: 'embedded', dir: join(data.dir, 'search'), flushAfterMs: 3_600_000 });
    const kb = new KbSearch(index, store, logger);
    await kb.ensure();
    const heapBefore = heapUsed();
    t = performance.now();
    const indexed = await kb.reindex(tenantId);
    const indexMs = performance.now() - t;
    const heapIndex = heapUsed() - heapBefore;

    // The engine alone: the same plain text (converted beforehand), the same boosts, AND of the
    // words, the same typo allowance, prefix on the last word; no stemming, no highlights.
    t = performance.now();
    const plainDocs = records.map((r) => ({ id: r._id, locale: r.locale, title: r.published!.title, description: r.published!.description, body: markdownToText(r.published!.body) }));
    const markdownMs = performance.now() - t;
    const heapBeforeRaw = heapUsed();
    t = performance.now();
    const raw = new MiniSearch<(typeof plainDocs)[number]>({ fields: ['title', 'description', 'body'], storeFields: ['locale'] });
    raw.addAll(plainDocs);
    const rawIndexMs = performance.now() - t;
    const heapRaw = heapUsed() - heapBeforeRaw;

    const { search, plain, rawSearch } = await runQueries(queries, {
      // A "some of the words" fallback answer is not counted as found: the other two are AND only.
      search: async (q) => {
        const r = await kb.search({ tenantId, text: q.text, locale: q.locale, limit: 10 });
        return r.partial ? 0 : r.total;
      },
      // The same on the seam without highlights: what highlighting costs.
      plain: async (q) => (await index.query(KB_INDEX, { tenantId, text: q.text, filters: { locale: q.locale }, limit: 10, highlight: false })).total,
      rawSearch: (q) =>
        raw.search(q.text, {
          combineWith: 'AND',
          boost: { title: 3, description: 2 },
          fuzzy: (term) => edits(term) || false,
          prefix: (_term, i, terms) => i === terms.length - 1,
          filter: (r) => r['locale'] === q.locale,
        }).length,
    });

    // One article at a time, as publishing does it: each put replaces the article's document.
    const putLatencies: number[] = [];
    const putDeadline = performance.now() + QUERY_BUDGET_MS;
    for (const r of records.slice(0, PUTS)) {
      if (performance.now() > putDeadline) break;
      const start = performance.now();
      await kb.put(r);
      putLatencies.push(performance.now() - start);
    }

    t = performance.now();
    await index.close();
    const snapshotMs = performance.now() - t;
    const snapshotBytes = statSync(join(data.dir, 'search', `${KB_INDEX}.json`)).size;
    await docs.close();

    const n = search.latencies.length;
    const kinds = (s: Timed) => `exact ${s.byKind.exact}, stem ${s.byKind.stem}, typo ${s.byKind.typo}`;
    table('corpus', [
      ['articles', `${int(ARTICLES)} (${int(articles.filter((a) => a.locale === 'en').length)} en, ${int(articles.filter((a) => a.locale === 'ru').length)} ru), ${int(words / ARTICLES)} body words on average`],
      ['generated in', ms(generatedMs, 0)],
      ['written to the embedded store in', `${ms(seededMs, 0)} (not part of the figures below)`],
    ]);
    table('indexing through KbSearch.reindex (store pages of 200 → SearchIndex.indexMany)', [
      ['documents indexed', int(indexed)],
      ['time', `${ms(indexMs, 0)} (of which Markdown → text about ${ms(markdownMs, 0)})`],
      ['documents/s', int(indexed / (indexMs / 1000))],
      ['heap held by the index', mb(heapIndex)],
      ['KbSearch.put, one article at a time', `${int(putLatencies.length)} puts: p50 ${ms(percentile(putLatencies, 50))}, p99 ${ms(percentile(putLatencies, 99))}, ${int(putLatencies.length / (putLatencies.reduce((a, b) => a + b, 0) / 1000))}/s`],
      ['snapshot written on close', `${ms(snapshotMs, 0)}, ${mb(snapshotBytes)}`],
    ]);
    table(`queries through KbSearch.search (locale filter, 10 hits with highlights; ${int(n)} timed after ${WARMUP} warm-up, interleaved with the two below)`, [
      ['p50', ms(percentile(search.latencies, 50))],
      ['p95', ms(percentile(search.latencies, 95))],
      ['p99', ms(percentile(search.latencies, 99))],
      ['max', ms(Math.max(...search.latencies))],
      ['queries/s (one at a time)', int(n / (search.latencies.reduce((a, b) => a + b, 0) / 1000))],
      ['queries with a hit', `${search.found}/${n} (${kinds(search)})`],
    ]);
    table(`the same through SearchIndex.query with highlight: false (${int(plain.latencies.length)} timed)`, [
      ['p50 / p95 / p99', `${ms(percentile(plain.latencies, 50))} / ${ms(percentile(plain.latencies, 95))} / ${ms(percentile(plain.latencies, 99))}`],
    ]);
    const rn = rawSearch.latencies.length;
    table(`bare MiniSearch, same documents and queries (no stemming, no highlights; ${int(rn)} timed)`, [
      ['index time (plain text ready)', `${ms(rawIndexMs, 0)} (${int(ARTICLES / (rawIndexMs / 1000))} documents/s)`],
      ['heap held', mb(heapRaw)],
      ['p50 / p95 / p99', `${ms(percentile(rawSearch.latencies, 50))} / ${ms(percentile(rawSearch.latencies, 95))} / ${ms(percentile(rawSearch.latencies, 99))}`],
      ['queries with a hit', `${rawSearch.found}/${rn} (${kinds(rawSearch)})`],
    ]);
    table('adapter ÷ bare engine', [
      ['index time (whole reindex ÷ engine alone)', ratio(indexMs, rawIndexMs)],
      ['heap', ratio(heapIndex, heapRaw)],
      ['query p50 / p95 / p99', [50, 95, 99].map((p) => ratio(percentile(search.latencies, p), percentile(rawSearch.latencies, p))).join(' / ')],
      ['same, without highlights', [50, 95, 99].map((p) => ratio(percentile(plain.latencies, p), percentile(rawSearch.latencies, p))).join(' / ')],
    ]);
    table('process', [['heap used at the end', mb(process.memoryUsage().heapUsed)], ['rss', mb(process.memoryUsage().rss)]]);
    const pcts = (l: number[]) => ({ p50Ms: percentile(l, 50), p95Ms: percentile(l, 95), p99Ms: percentile(l, 99) });
    recordResults(
      'kb-search',
      {
        indexing: { documents: indexed, ms: indexMs, documentsPerSecond: indexed / (indexMs / 1000), heapBytes: heapIndex, snapshotMs, snapshotBytes },
        put: { count: putLatencies.length, ...pcts(putLatencies) },
        search: { queries: n, found: search.found, ...pcts(search.latencies) },
        searchWithoutHighlights: pcts(plain.latencies),
        bareMiniSearch: { indexMs: rawIndexMs, heapBytes: heapRaw, found: rawSearch.found, ...pcts(rawSearch.latencies) },
      },
      [],
      { articles: ARTICLES, queries: QUERIES },
    );
  } finally {
    data.remove();
  }
}

await main();
