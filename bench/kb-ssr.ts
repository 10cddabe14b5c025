/**
 * Server-rendered help-center pages next to a bare fastify hello-world, in the same process and
 * the same run: the ratio says what rendering an article costs over fastify itself.
 *
 *   node --import tsx bench/kb-ssr.ts [seconds=5] [connections=20]
 *
 * The KB server is built like the hub's (createHttpServer with its security headers, the public
 * pages plugin, an embedded platform under a temp folder) with the relevance corpus as its help
 * center. Each target gets a 1 s warm-up, then a fixed measured time, from a closed-loop load
 * generator in a worker thread (bench/lib/http-load.ts) on loopback. Prints figures; asserts
 * nothing about time.
 */
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import { loadConfig } from '@switchboard/config';
import { createHttpServer } from '@switchboard/http';
import { Repositories } from '@switchboard/inbox-service';
import { createLogger } from '@switchboard/logging';
import { createPlatform } from '@switchboard/runtime';
import { tempDir } from '@switchboard/testkit';
import { KbStore } from '../knowledge-base/src/articles/repository.js';
import { KbService } from '../knowledge-base/src/articles/service.js';
import { kbPublicPages } from '../knowledge-base/src/public/plugin.js';
import { KbSearch } from '../knowledge-base/src/search/kb-search.js';
import { kbPaths } from '../knowledge-base/src/urls.js';
import { seedCorpus } from '../knowledge-base/test/fixtures/corpus.js';
import { runLoad, type LoadOptions, type LoadResult } from './lib/http-load.js';
import { recordResults } from './lib/results.js';
import { int, machine, ms, percentile, ratio } from './lib/stats.js';

const SECONDS = Number(process.argv[2] ?? 5);
const CONNECTIONS = Number(process.argv[3] ?? 20);
const WARMUP_MS = 1000;

const listen = async (app: FastifyInstance) => {
  await app.listen({ port: 0, host: '127.0.0.1' });
  return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
};

interface Target {
  name: string;
  url: string;
  headers?: Record<string, string>;
  /** The status every answer must have for the figures to mean anything. */
  status: number;
}

async function main(): Promise<void> {
  console.log(`kb-ssr: ${SECONDS} s per target after a ${WARMUP_MS / 1000} s warm-up, ${CONNECTIONS} connections — ${await machine()}`);
  const data = tempDir('sb-bench-kb-ssr');
  const publicUrl = 'https://help.example.com';
  const logger = createLogger({ level: 'warn', format: 'json' });
  const hello = Fastify();
  hello.get('/', async () => 'hello');

  const config = loadConfig({ DATA_DIR: data.dir, LOG_LEVEL: 'warn', DEMO_SEED: 'false', PUBLIC_URL: publicUrl });
  const platform = await createPlatform(config, 'bench-kb-ssr', { logger });
  const kb = createHttpServer({ logger, bodyLimit: config.bodyLimit, security: { publicUrl, allowedOrigins: [] } }) as unknown as FastifyInstance;
  try {
    const store = new KbStore(platform.store);
    await store.ensureIndexes();
    const search = new KbSearch(platform.search, store, logger);
    await search.ensure();
    const voting = new KbService({ store, inbox: new Repositories(platform.store), bus: platform.bus, kv: platform.kv, logger, publicUrl });
    const portal = 'bench';
    const corpus = await seedCorpus(store, 'bench-tenant', undefined, portal);
    await search.reindex(corpus.tenantId);
    await kb.register(kbPublicPages, { store, search, voting, publicUrl, kv: platform.kv, logger });

    const helloUrl = await listen(hello);
    const kbUrl = await listen(kb);
    const article = corpus.get('track-order', 'en');
    const articleUrl = `${kbUrl}/help/${portal}${kbPaths.article('en', article.record.publishedSlug!)}`;
    const searchUrl = `${kbUrl}/help/${portal}${kbPaths.search('en')}?q=refund`;

    // The pages must be what they claim before their speed means anything.
    const first = await fetch(articleUrl);
    const page = await first.text();
    const etag = first.headers.get('etag');
    if (first.status !== 200 || !page.includes(article.title) || !etag) {
      throw new Error(`the article page answered ${first.status}${etag ? '' : ' without an ETag'}; nothing to measure`);
    }
    const revalidated = await fetch(articleUrl, { headers: { 'if-none-match': etag } });
    if (revalidated.status !== 304) throw new Error(`If-None-Match answered ${revalidated.status}, not 304`);
    const found = await fetch(searchUrl);
    if (found.status !== 200 || !(await found.text()).includes('<mark>')) throw new Error(`the search page answered ${found.status} without a match`);

    const targets: Target[] = [
      { name: 'fastify hello-world', url: `${helloUrl}/`, status: 200 },
      { name: 'KB article page (SSR)', url: articleUrl, status: 200 },
      { name: 'KB article page, If-None-Match → 304', url: articleUrl, headers: { 'if-none-match': etag }, status: 304 },
      { name: 'KB search page ("refund", SSR)', url: searchUrl, status: 200 },
    ];
    const results: [Target, LoadResult][] = [];
    for (const target of targets) {
      const options: LoadOptions = { url: target.url, connections: CONNECTIONS, durationMs: SECONDS * 1000, warmupMs: WARMUP_MS, ...(target.headers ? { headers: target.headers } : {}) };
      const result = await runLoad(options);
      results.push([target, result]);
      const wrong = Object.entries(result.statuses).filter(([status]) => Number(status) !== target.status);
      if (wrong.length > 0 || result.errors.length > 0) {
        console.log(`  ! ${target.name}: unexpected answers ${JSON.stringify(Object.fromEntries(wrong))}, errors ${result.errors.slice(0, 3).join('; ')}`);
      }
    }

    const rps = (r: LoadResult) => r.requests / (r.durationMs / 1000);
    const base = results[0]![1];
    const width = Math.max(...results.map(([t]) => t.name.length));
    console.log(`\n  ${'target'.padEnd(width)}  ${'req/s'.padStart(8)}  ${'p50'.padStart(9)}  ${'p99'.padStart(9)}  ${'body'.padStart(8)}  vs hello-world`);
    for (const [t, r] of results) {
      const body = r.requests ? `${int(r.bodyBytes / r.requests)} B` : '-';
      const share = t === results[0]![0] ? '' : `${ratio(rps(base), rps(r))} slower, p50 ${ratio(percentile(r.latencies, 50), percentile(base.latencies, 50))}`;
      console.log(
        `  ${t.name.padEnd(width)}  ${int(rps(r)).padStart(8)}  ${ms(percentile(r.latencies, 50)).padStart(9)}  ${ms(percentile(r.latencies, 99)).padStart(9)}  ${body.padStart(8)}  ${share}`,
      );
    }
    const full = results[1]![1];
    const cached = results[2]![1];
    console.log(`\n  304 answers: ${ratio(rps(cached), rps(full))} the requests/s of full article answers`);
    recordResults(
      'kb-ssr',
      Object.fromEntries(
        results.map(([t, r]) => [t.name, { requestsPerSecond: rps(r), p50Ms: percentile(r.latencies, 50), p99Ms: percentile(r.latencies, 99), bodyBytes: r.requests ? r.bodyBytes / r.requests : 0, vsHelloWorld: rps(base) / rps(r) }]),
      ),
      [],
      { seconds: SECONDS, connections: CONNECTIONS },
    );
  } finally {
    await hello.close();
    await kb.close();
    await platform.close();
    data.remove();
  }
}

await main();
