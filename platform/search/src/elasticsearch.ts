/**
 * ElasticsearchIndex: the SearchIndex seam over the official client (v8, which talks to
 * Elasticsearch 8 and 9). Thin by design: names, documents and queries are checked and
 * normalized in core.ts, highlights are cut into fragments there too; this file only maps them
 * to REST calls. The mapping it creates is described in docs/search.md.
 *
 * Each index is an alias (`<prefix><name>`) over one concrete index (`<prefix><name>.g<n>`).
 * Writes pass `require_alias`, so a write can never auto-create an index with a guessed mapping
 * (not even while another process resets it), and reset swaps in a fresh generation atomically.
 */
import { createHash } from 'node:crypto';
import { Client, errors } from '@elastic/elasticsearch';
import type { estypes } from '@elastic/elasticsearch';
import {
  boostOf,
  checkId,
  checkIndexName,
  checkTenant,
  fieldsOfType,
  fragments,
  fuzziness,
  hitFields,
  LANGUAGE_CODES,
  LANGUAGES,
  mergeRanges,
  normalizeSchema,
  prepareDoc,
  prepareQuery,
  sameSchema,
  type PreparedDoc,
  type PreparedQuery,
  type Range,
} from './core.js';
import { closed, invalid, noIndex, redactUrl, schemaConflict, SearchError, unavailable, unreachable } from './errors.js';
import type { IndexSchema, SearchConfig, SearchDoc, SearchIndex, SearchQuery, SearchResult } from './types.js';

type ElasticsearchConfig = Extract<SearchConfig, { driver: 'elasticsearch' }>;

const DEFAULT_PREFIX = 'sb-';
const DEFAULT_CONNECT_TIMEOUT_MS = 5000;
const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
/** Documents per bulk request. */
const BULK = 500;
/** Version of the `_meta.switchboard` block in the mapping. */
const FORMAT = 1;

export async function openElasticsearchIndex(config: ElasticsearchConfig): Promise<SearchIndex> {
  const prefix = config.prefix ?? DEFAULT_PREFIX;
  if (!/^[a-z0-9][a-z0-9_.-]*$/.test(prefix) && prefix !== '') {
    throw invalid(`The index prefix must be lowercase letters, digits, "_", "-" or ".", not "${prefix}".`);
  }
  let client: Client;
  try {
    client = new Client({
      node: config.url,
      requestTimeout: config.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
      maxRetries: 2,
    });
  } catch (err) {
    throw unreachable(config.url, err);
  }
  try {
    await client.info({}, { requestTimeout: config.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS, maxRetries: 1 });
  } catch (err) {
    await client.close().catch(() => undefined);
    throw unreachable(config.url, err);
  }
  return new ElasticsearchIndex(client, prefix);
}

/** The Elasticsearch mapping of a schema (see docs/search.md). */
export function mappingOf(schema: IndexSchema): estypes.MappingTypeMapping {
  const f: Record<string, estypes.MappingProperty> = {};
  for (const [name, type] of Object.entries(schema.fields)) {
    f[name] =
      type === 'text'
        ? { type: 'text', analyzer: 'standard' }
        : type === 'keyword'
          ? { type: 'keyword' }
          : type === 'date'
            ? { type: 'date', format: 'epoch_millis' }
            : { type: 'double' };
  }
  const l: Record<string, estypes.MappingProperty> = {};
  for (const code of LANGUAGE_CODES) {
    const analyzer = LANGUAGES[code]!.analyzer;
    l[code] = {
      properties: Object.fromEntries(fieldsOfType(schema, 'text').map((name) => [name, { type: 'text', analyzer }])),
    };
  }
  return {
    dynamic: 'strict',
    _meta: { switchboard: { format: FORMAT, schema } },
    properties: {
      tenantId: { type: 'keyword' },
      id: { type: 'keyword' },
      locale: { type: 'keyword' },
      f: { properties: f },
      l: { properties: l },
    },
  };
}

/** The _source of a document: its fields under `f`, its text again under `l.<language>` when stemmed. */
export function sourceOf(schema: IndexSchema, doc: PreparedDoc): Record<string, unknown> {
  const source: Record<string, unknown> = { tenantId: doc.tenantId, id: doc.id, locale: doc.locale, f: doc.fields };
  if (doc.language) {
    const text: Record<string, string> = {};
    for (const name of fieldsOfType(schema, 'text')) {
      const value = doc.fields[name];
      if (typeof value === 'string') text[name] = value;
    }
    if (Object.keys(text).length > 0) source.l = { [doc.language]: text };
  }
  return source;
}

/** A fixed-length, unambiguous _id for (tenantId, id), whatever characters they hold. */
export const docId = (tenantId: string, id: string) => createHash('sha256').update(JSON.stringify([tenantId, id])).digest('base64url');

/**
 * The search request of a query: every word must match in some text field — as the exact word
 * or within its typo allowance (`f.*`, standard analyzer), by its stem (`l.<lang>.*`, the
 * language analyzers), and the last word also as a prefix — within one tenant and the filters.
 */
export function searchRequest(index: string, schema: IndexSchema, q: PreparedQuery): estypes.SearchRequest {
  const text = fieldsOfType(schema, 'text');
  const plain = text.map((name) => `f.${name}^${boostOf(schema, name)}`);
  const stemmed = text.map((name) => `l.*.${name}^${boostOf(schema, name)}`);
  const must: estypes.QueryDslQueryContainer[] = q.words.map((word, i) => {
    const edits = fuzziness(word);
    const should: estypes.QueryDslQueryContainer[] = [
      {
        multi_match: {
          query: word,
          fields: plain,
          type: 'best_fields',
          operator: 'and',
          // Levenshtein edits, as the embedded engine counts them (a transposition is two).
          ...(edits > 0 ? { fuzziness: edits, prefix_length: 0, fuzzy_transpositions: false } : {}),
        },
      },
      { multi_match: { query: word, fields: stemmed, type: 'best_fields', operator: 'and' } },
    ];
    if (i === q.words.length - 1) should.push({ multi_match: { query: word, fields: plain, type: 'bool_prefix' } });
    return { bool: { should, minimum_should_match: 1 } };
  });
  const filter: estypes.QueryDslQueryContainer[] = [
    { term: { tenantId: q.tenantId } },
    ...q.filters.map(([field, values]) => ({ terms: { [field === 'locale' ? 'locale' : `f.${field}`]: values } })),
  ];
  const request: estypes.SearchRequest = {
    index,
    routing: q.tenantId,
    query: { bool: { filter, must } },
    sort: q.sort
      ? [{ [`f.${q.sort.field}`]: { order: q.sort.order, missing: '_last' } }, { id: { order: 'asc' } }]
      : [{ _score: { order: 'desc' } }, { id: { order: 'asc' } }],
    track_scores: true,
    track_total_hits: true,
    from: q.offset,
    size: q.limit,
    _source: ['id', 'locale', 'f'],
  };
  if (q.highlight && q.words.length > 0) {
    request.highlight = {
      encoder: 'html',
      pre_tags: ['<mark>'],
      post_tags: ['</mark>'],
      // The whole field comes back marked; core.fragments cuts it, as for the embedded engine.
      number_of_fragments: 0,
      require_field_match: true,
      fields: Object.fromEntries(text.flatMap((name) => [[`f.${name}`, {}], [`l.*.${name}`, {}]])),
    };
  }
  return request;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** A field highlighted by Elasticsearch (HTML-encoded, `<mark>` tags) back to its text and the marked ranges. */
export function parseMarked(marked: string): { text: string; ranges: Range[] } {
  let text = '';
  const ranges: Range[] = [];
  let open = -1;
  let at = 0;
  for (const m of marked.matchAll(/<mark>|<\/mark>|&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);/g)) {
    text += marked.slice(at, m.index);
    at = m.index + m[0].length;
    if (m[0] === '<mark>') open = text.length;
    else if (m[0] === '</mark>') {
      if (open >= 0) ranges.push([open, text.length]);
      open = -1;
    } else {
      const name = m[1]!;
      const code = name.startsWith('#x') ? parseInt(name.slice(2), 16) : name.startsWith('#') ? parseInt(name.slice(1), 10) : NaN;
      text += Number.isFinite(code) ? String.fromCodePoint(code) : (ENTITIES[name] ?? m[0]);
    }
  }
  return { text: text + marked.slice(at), ranges };
}

/** Elasticsearch's highlight of `f.<field>` and `l.<lang>.<field>` merged into fragments per field. */
export function highlightsOf(highlight: Record<string, string[]> | undefined): Record<string, string[]> {
  const byField = new Map<string, { text: string; ranges: Range[] }>();
  for (const [key, values] of Object.entries(highlight ?? {})) {
    const field = key.slice(key.lastIndexOf('.') + 1);
    for (const value of values) {
      const { text, ranges } = parseMarked(value);
      const seen = byField.get(field);
      if (!seen) byField.set(field, { text, ranges });
      else if (seen.text === text) seen.ranges.push(...ranges);
    }
  }
  const out: Record<string, string[]> = {};
  for (const [field, { text, ranges }] of byField) {
    const found = fragments(text, mergeRanges(ranges));
    if (found.length > 0) out[field] = found;
  }
  return out;
}

const generationOf = (alias: string, concrete: string) => {
  const m = /^(.*)\.g(\d+)$/.exec(concrete);
  return m && m[1] === alias ? Number(m[2]) : null;
};

const errorType = (err: unknown) =>
  err instanceof errors.ResponseError ? (err.body as { error?: { type?: string } } | undefined)?.error?.type : undefined;

export class ElasticsearchIndex implements SearchIndex {
  readonly driver = 'elasticsearch' as const;
  /** Schemas this process knows, read from the mapping's _meta when first used. */
  private readonly schemas = new Map<string, IndexSchema>();
  private isClosed = false;

  constructor(
    private readonly client: Client,
    private readonly prefix: string,
  ) {}

  private alias(name: string): string {
    if (this.isClosed) throw closed();
    return `${this.prefix}${checkIndexName(name)}`;
  }

  private translate(what: string, name: string, err: unknown): Error {
    if (err instanceof SearchError) return err;
    if (errorType(err) === 'index_not_found_exception') {
      this.schemas.delete(name);
      return noIndex(name);
    }
    if (err instanceof errors.ResponseError) {
      return unavailable(`Elasticsearch refused to ${what} "${name}" (HTTP ${err.statusCode ?? '?'})`, new Error(redactUrl(err.message), { cause: err }));
    }
    return unavailable(`Elasticsearch did not answer to ${what} "${name}"`, err);
  }

  /** The concrete index behind the alias and its schema (null when not ours), or null when there is none. */
  private async current(name: string): Promise<{ concrete: string; schema: IndexSchema | null } | null> {
    const alias = this.alias(name);
    let mappings: estypes.IndicesGetMappingResponse;
    try {
      mappings = await this.client.indices.getMapping({ index: alias });
    } catch (err) {
      if (errorType(err) === 'index_not_found_exception') return null;
      throw this.translate('read the mapping of', name, err);
    }
    const [concrete, record] = Object.entries(mappings)[0] ?? [];
    if (!concrete || !record) return null;
    const meta = record.mappings._meta?.switchboard as { format?: number; schema?: IndexSchema } | undefined;
    let schema: IndexSchema | null = null;
    if (meta?.format === FORMAT && meta.schema && generationOf(alias, concrete) !== null) {
      try {
        schema = normalizeSchema(meta.schema);
      } catch {
        schema = null;
      }
    }
    return { concrete, schema };
  }

  private async schemaOf(name: string): Promise<IndexSchema> {
    this.alias(name);
    const known = this.schemas.get(name);
    if (known) return known;
    const current = await this.current(name);
    if (!current) throw noIndex(name);
    if (!current.schema) throw schemaConflict(name);
    this.schemas.set(name, current.schema);
    return current.schema;
  }

  async ensureIndex(name: string, schema: IndexSchema): Promise<void> {
    const alias = this.alias(name);
    const wanted = normalizeSchema(schema);
    const known = this.schemas.get(name);
    if (known && sameSchema(known, wanted)) return;
    const check = (current: { schema: IndexSchema | null }) => {
      if (!current.schema || !sameSchema(current.schema, wanted)) throw schemaConflict(name);
      this.schemas.set(name, current.schema);
    };
    const current = await this.current(name);
    if (current) return check(current);
    try {
      await this.client.indices.create({ index: `${alias}.g1`, mappings: mappingOf(wanted), aliases: { [alias]: {} } });
      this.schemas.set(name, wanted);
    } catch (err) {
      // Another process created it first (or a foreign index holds the name): compare with that.
      const type = errorType(err);
      if (type !== 'resource_already_exists_exception' && type !== 'invalid_alias_name_exception') {
        throw this.translate('create the index', name, err);
      }
      const now = await this.current(name);
      if (!now) throw this.translate('create the index', name, err);
      check(now);
    }
  }

  async index(name: string, doc: SearchDoc): Promise<void> {
    const schema = await this.schemaOf(name);
    const prepared = prepareDoc(schema, doc);
    try {
      await this.client.index({
        index: this.alias(name),
        id: docId(prepared.tenantId, prepared.id),
        routing: prepared.tenantId,
        document: sourceOf(schema, prepared),
        refresh: 'wait_for',
        require_alias: true,
      });
    } catch (err) {
      throw this.translate('index into', name, err);
    }
  }

  async indexMany(name: string, docs: SearchDoc[]): Promise<void> {
    const schema = await this.schemaOf(name);
    const prepared = docs.map((doc) => prepareDoc(schema, doc));
    const index = this.alias(name);
    for (let at = 0; at < prepared.length; at += BULK) {
      const operations = prepared
        .slice(at, at + BULK)
        .flatMap((doc) => [{ index: { _index: index, _id: docId(doc.tenantId, doc.id), routing: doc.tenantId } }, sourceOf(schema, doc)]);
      let response: estypes.BulkResponse;
      try {
        response = await this.client.bulk({ operations, refresh: 'wait_for', require_alias: true });
      } catch (err) {
        throw this.translate('index into', name, err);
      }
      if (response.errors) {
        const failed = response.items.map((item) => item.index?.error).find((e) => e);
        if (failed?.type === 'index_not_found_exception') {
          this.schemas.delete(name);
          throw noIndex(name);
        }
        throw unavailable(`Elasticsearch refused documents of "${name}"`, new Error(`${failed?.type}: ${failed?.reason}`));
      }
    }
  }

  async delete(name: string, tenantId: string, id: string): Promise<void> {
    await this.schemaOf(name);
    checkTenant(tenantId);
    checkId(id);
    try {
      await this.client.delete(
        { index: this.alias(name), id: docId(tenantId, id), routing: tenantId, refresh: 'wait_for' },
        { ignore: [404] },
      );
    } catch (err) {
      throw this.translate('delete from', name, err);
    }
  }

  async deleteTenant(name: string, tenantId: string): Promise<number> {
    await this.schemaOf(name);
    checkTenant(tenantId);
    try {
      const response = await this.client.deleteByQuery({
        index: this.alias(name),
        routing: tenantId,
        query: { term: { tenantId } },
        conflicts: 'proceed',
        refresh: true,
      });
      return response.deleted ?? 0;
    } catch (err) {
      throw this.translate('delete a tenant from', name, err);
    }
  }

  async query(name: string, q: SearchQuery): Promise<SearchResult> {
    const schema = await this.schemaOf(name);
    const prepared = prepareQuery(schema, q);
    let response: estypes.SearchResponse<{ id: string; locale: string; f?: Record<string, unknown> }>;
    try {
      response = await this.client.search(searchRequest(this.alias(name), schema, prepared));
    } catch (err) {
      throw this.translate('search', name, err);
    }
    const total = response.hits.total;
    return {
      total: typeof total === 'number' ? total : (total?.value ?? 0),
      hits: response.hits.hits.map((hit) => ({
        id: hit._source!.id,
        locale: hit._source!.locale,
        score: hit._score ?? 0,
        fields: hitFields(schema, hit._source!.f ?? {}),
        highlights: highlightsOf(hit.highlight),
      })),
    };
  }

  async reset(name: string, schema?: IndexSchema): Promise<void> {
    const alias = this.alias(name);
    const next = schema ? normalizeSchema(schema) : await this.schemaOf(name);
    const current = await this.current(name);
    const generation = current ? generationOf(alias, current.concrete) : 0;
    if (generation === null) throw schemaConflict(name); // a foreign index holds the name
    const fresh = `${alias}.g${generation + 1}`;
    try {
      await this.client.indices.create({ index: fresh, mappings: mappingOf(next) });
    } catch (err) {
      throw this.translate('create a new generation of', name, err);
    }
    try {
      // One atomic step: the alias moves to the empty generation and the old one is deleted.
      await this.client.indices.updateAliases({
        actions: [
          { add: { index: fresh, alias } },
          ...(current ? [{ remove_index: { index: current.concrete } }] : []),
        ],
      });
    } catch (err) {
      await this.client.indices.delete({ index: fresh }, { ignore: [404] }).catch(() => undefined);
      throw this.translate('swap the generation of', name, err);
    }
    this.schemas.set(name, next);
  }

  async ping(): Promise<void> {
    if (this.isClosed) throw closed();
    let ok: boolean;
    try {
      ok = await this.client.ping();
    } catch (err) {
      throw unavailable('Elasticsearch did not answer a ping', err);
    }
    if (!ok) throw unavailable('Elasticsearch did not answer a ping', new Error('not a 2xx answer'));
  }

  async close(): Promise<void> {
    if (this.isClosed) return;
    this.isClosed = true;
    this.schemas.clear();
    await this.client.close();
  }
}
