import { lockFolder } from '@switchboard/folder-lock';
/**
 * EmbeddedSearchIndex: the SearchIndex seam in this process, the default when no
 * ELASTICSEARCH_URL is configured. One MiniSearch engine per (index, tenant), so a query can
 * only ever see its own tenant's documents. Each text field is indexed twice, as Elasticsearch
 * does it: `s:<field>` with plain lowercased words (exact, prefix and typo matching) and
 * `<lang>:<field>` with the stems of the document's language.
 *
 * Persistence: everything lives in memory; a change schedules a snapshot of the changed index
 * (`<dir>/<name>.json`, written to a temp file, fsynced, renamed) after `flushAfterMs` (or 20×
 * the last snapshot's duration, when longer), and close() writes at once. A crash loses at most
 * that window, which is acceptable because the
 * search index is a projection every consumer can rebuild (see docs/search.md: reindex).
 */
import { mkdir, open, readdir, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import MiniSearch, { type Options, type Query, type SearchResult as EngineResult } from 'minisearch';
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
  normalizeSchema,
  prepareDoc,
  prepareQuery,
  sameSchema,
  words,
  type PreparedDoc,
  type PreparedQuery,
  type Range,
} from './core.js';
import { closed, noIndex, schemaConflict, SearchError, unavailable } from './errors.js';
import type { IndexSchema, SearchConfig, SearchDoc, SearchHit, SearchIndex, SearchQuery, SearchResult } from './types.js';

type EmbeddedConfig = Extract<SearchConfig, { driver: 'embedded' }>;

const DEFAULT_FLUSH_AFTER_MS = 1000;
/** Snapshots are at least this many times their own duration apart (so they take ≤ ~5 % of the time). */
const SNAPSHOT_SPACING = 20;
/** Version of the snapshot file layout. */
const FORMAT = 1;

type EngineDoc = Record<string, string>;

interface Tenant {
  docs: Map<string, PreparedDoc>;
  engine: MiniSearch<EngineDoc>;
  /** Documents per stemmed language, so a query only stems for languages present. */
  languages: Map<string, number>;
}

interface IndexState {
  schema: IndexSchema;
  tenants: Map<string, Tenant>;
  dirty: boolean;
}

interface Snapshot {
  format: number;
  schema: IndexSchema;
  /** Engine field layout the serialized engines were built with; another layout → rebuild. */
  layout: string;
  tenants: Record<string, { docs: PreparedDoc[]; engine: unknown }>;
}

const STD = 's';
const key = (analysis: string, field: string) => `${analysis}:${field}`;

function engineOptions(schema: IndexSchema): Options<EngineDoc> {
  const text = fieldsOfType(schema, 'text');
  return {
    idField: '#id',
    fields: text.flatMap((f) => [key(STD, f), ...LANGUAGE_CODES.map((l) => key(l, f))]),
    storeFields: [],
    tokenize: (value) => words(value).map((w) => w.term),
    processTerm: (term, field) => {
      const analysis = field?.slice(0, field.indexOf(':'));
      return analysis && analysis !== STD ? LANGUAGES[analysis]!.stem(term) : term;
    },
  };
}

const layoutOf = (schema: IndexSchema) => JSON.stringify([fieldsOfType(schema, 'text'), LANGUAGE_CODES]);

/** The engine's view of a document: its text fields under `s:` and, when stemmed, `<lang>:`. */
function engineDoc(schema: IndexSchema, doc: PreparedDoc): EngineDoc {
  const out: EngineDoc = { '#id': doc.id };
  for (const field of fieldsOfType(schema, 'text')) {
    const value = doc.fields[field];
    if (typeof value !== 'string') continue;
    out[key(STD, field)] = value;
    if (doc.language) out[key(doc.language, field)] = value;
  }
  return out;
}

function newTenant(schema: IndexSchema): Tenant {
  return { docs: new Map(), engine: new MiniSearch(engineOptions(schema)), languages: new Map() };
}

function matches(doc: PreparedDoc, filters: PreparedQuery['filters']): boolean {
  return filters.every(([field, values]) => {
    const value = field === 'locale' ? doc.locale : doc.fields[field];
    return Array.isArray(value) ? value.some((v) => values.includes(v)) : typeof value === 'string' && values.includes(value);
  });
}

export async function openEmbeddedSearchIndex(config: EmbeddedConfig): Promise<SearchIndex> {
  await mkdir(config.dir, { recursive: true });
  const release = lockFolder(config.dir, (who, real) => new SearchError('SB_ERR_SEARCH_LOCKED', `The embedded search at ${real} is already open ${who}; share one SearchIndex per process, or stop the other process.`));
  try {
    const indexes = new Map<string, IndexState>();
    for (const file of (await readdir(config.dir)).sort()) {
      const name = /^([a-z][a-z0-9_-]*)\.json$/.exec(file)?.[1];
      if (name) indexes.set(name, load(await readFile(join(config.dir, file), 'utf8'), join(config.dir, file)));
    }
    return new EmbeddedSearchIndex(config.dir, config.flushAfterMs ?? DEFAULT_FLUSH_AFTER_MS, indexes, release);
  } catch (err) {
    release();
    throw err;
  }
}

function load(text: string, file: string): IndexState {
  let snapshot: Snapshot;
  let schema: IndexSchema;
  try {
    snapshot = JSON.parse(text) as Snapshot;
    if (snapshot.format !== FORMAT) throw new Error(`format ${String(snapshot.format)}, expected ${FORMAT}`);
    schema = normalizeSchema(snapshot.schema);
  } catch (err) {
    throw new SearchError(
      'SB_ERR_SEARCH_UNAVAILABLE',
      `The embedded search snapshot ${file} cannot be read (${err instanceof Error ? err.message : String(err)}); delete it and reindex.`,
      { cause: err },
    );
  }
  const state: IndexState = { schema, tenants: new Map(), dirty: false };
  const options = engineOptions(schema);
  for (const [tenantId, saved] of Object.entries(snapshot.tenants)) {
    const tenant = newTenant(schema);
    for (const doc of saved.docs) {
      tenant.docs.set(doc.id, doc);
      if (doc.language) tenant.languages.set(doc.language, (tenant.languages.get(doc.language) ?? 0) + 1);
    }
    try {
      if (snapshot.layout !== layoutOf(schema)) throw new Error('another field layout');
      tenant.engine = MiniSearch.loadJS(saved.engine as Parameters<typeof MiniSearch.loadJS>[0], options);
    } catch {
      // Saved by another version of the engine or of our field layout: rebuild from the documents.
      tenant.engine = new MiniSearch(options);
      tenant.engine.addAll(saved.docs.map((doc) => engineDoc(schema, doc)));
      state.dirty = true;
    }
    state.tenants.set(tenantId, tenant);
  }
  return state;
}

export class EmbeddedSearchIndex implements SearchIndex {
  readonly driver = 'embedded' as const;
  private isClosed = false;
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();
  private flushError: unknown;
  /** How long the last snapshot took (ms): the next one waits at least SNAPSHOT_SPACING times that. */
  private lastSnapshotMs = 0;

  constructor(
    private readonly dir: string,
    private readonly flushAfterMs: number,
    private readonly indexes: Map<string, IndexState>,
    private readonly release: () => void,
  ) {
    // A snapshot rebuilt on load is written back soon.
    if ([...indexes.values()].some((s) => s.dirty)) this.schedule();
  }

  private state(name: string): IndexState {
    if (this.isClosed) throw closed();
    const state = this.indexes.get(checkIndexName(name));
    if (!state) throw noIndex(name);
    return state;
  }

  private changed(state: IndexState): void {
    state.dirty = true;
    this.schedule();
  }

  async ensureIndex(name: string, schema: IndexSchema): Promise<void> {
    if (this.isClosed) throw closed();
    checkIndexName(name);
    const normalized = normalizeSchema(schema);
    const existing = this.indexes.get(name);
    if (existing) {
      if (!sameSchema(existing.schema, normalized)) throw schemaConflict(name);
      return;
    }
    const state: IndexState = { schema: normalized, tenants: new Map(), dirty: false };
    this.indexes.set(name, state);
    this.changed(state);
  }

  async index(name: string, doc: SearchDoc): Promise<void> {
    await this.indexMany(name, [doc]);
  }

  async indexMany(name: string, docs: SearchDoc[]): Promise<void> {
    const state = this.state(name);
    const prepared = docs.map((doc) => prepareDoc(state.schema, doc));
    let changed = false;
    for (const doc of prepared) {
      let tenant = state.tenants.get(doc.tenantId);
      if (!tenant) state.tenants.set(doc.tenantId, (tenant = newTenant(state.schema)));
      // Followers re-index what they re-read: an identical document changes nothing (and re-adding
      // it to the engine, words and stems, is most of an index call's cost).
      if (isDeepStrictEqual(tenant.docs.get(doc.id), doc)) continue;
      changed = true;
      this.remove(state.schema, tenant, doc.id);
      tenant.docs.set(doc.id, doc);
      tenant.engine.add(engineDoc(state.schema, doc));
      if (doc.language) tenant.languages.set(doc.language, (tenant.languages.get(doc.language) ?? 0) + 1);
    }
    if (changed) this.changed(state);
  }

  private remove(schema: IndexSchema, tenant: Tenant, id: string): boolean {
    const old = tenant.docs.get(id);
    if (!old) return false;
    tenant.engine.remove(engineDoc(schema, old));
    tenant.docs.delete(id);
    if (old.language) {
      const left = (tenant.languages.get(old.language) ?? 1) - 1;
      if (left > 0) tenant.languages.set(old.language, left);
      else tenant.languages.delete(old.language);
    }
    return true;
  }

  async delete(name: string, tenantId: string, id: string): Promise<void> {
    const state = this.state(name);
    checkTenant(tenantId);
    checkId(id);
    const tenant = state.tenants.get(tenantId);
    if (!tenant || !this.remove(state.schema, tenant, id)) return;
    if (tenant.docs.size === 0) state.tenants.delete(tenantId);
    this.changed(state);
  }

  async deleteTenant(name: string, tenantId: string): Promise<number> {
    const state = this.state(name);
    checkTenant(tenantId);
    const count = state.tenants.get(tenantId)?.docs.size ?? 0;
    if (state.tenants.delete(tenantId)) this.changed(state);
    return count;
  }

  async query(name: string, q: SearchQuery): Promise<SearchResult> {
    const state = this.state(name);
    const query = prepareQuery(state.schema, q);
    const tenant = state.tenants.get(query.tenantId);
    if (!tenant) return { total: 0, hits: [] };

    type Candidate = { doc: PreparedDoc; score: number; match: EngineResult['match'] };
    let candidates: Candidate[] = [];
    if (query.words.length === 0) {
      for (const doc of tenant.docs.values()) candidates.push({ doc, score: 0, match: {} });
    } else {
      for (const r of tenant.engine.search(this.engineQuery(state.schema, tenant, query.words), {
        boost: this.boosts(state.schema),
      })) {
        const doc = tenant.docs.get(r.id as string);
        if (doc) candidates.push({ doc, score: r.score, match: r.match });
      }
    }
    candidates = candidates.filter((c) => matches(c.doc, query.filters));

    const byId = (a: Candidate, b: Candidate) => (a.doc.id < b.doc.id ? -1 : a.doc.id > b.doc.id ? 1 : 0);
    const sort = query.sort;
    if (sort) {
      const sign = sort.order === 'asc' ? 1 : -1;
      const value = (c: Candidate) => c.doc.fields[sort.field] as number | undefined;
      candidates.sort((a, b) => {
        const va = value(a);
        const vb = value(b);
        if (va === undefined || vb === undefined) return va === vb ? byId(a, b) : va === undefined ? 1 : -1;
        return va === vb ? byId(a, b) : (va - vb) * sign;
      });
    } else {
      candidates.sort((a, b) => b.score - a.score || byId(a, b));
    }

    const page = candidates.slice(query.offset, query.offset + query.limit);
    return {
      total: candidates.length,
      hits: page.map(
        (c): SearchHit => ({
          id: c.doc.id,
          locale: c.doc.locale,
          score: c.score,
          fields: hitFields(state.schema, c.doc.fields),
          highlights: query.highlight && query.words.length > 0 ? this.highlights(state.schema, c.doc, c.match) : {},
        }),
      ),
    };
  }

  /**
   * Every word must match (AND); a word matches as the exact word, within its typo allowance or
   * (the last one) as a prefix in the plain fields, or by its stem in a language's fields.
   */
  private engineQuery(schema: IndexSchema, tenant: Tenant, terms: string[]): Query {
    const text = fieldsOfType(schema, 'text');
    const plain = text.map((f) => key(STD, f));
    const languages = [...tenant.languages.keys()];
    return {
      combineWith: 'AND',
      queries: terms.map((term, i) => {
        const edits = fuzziness(term);
        return {
          combineWith: 'OR',
          queries: [
            { queries: [term], fields: plain, processTerm: (t: string) => t, fuzzy: edits || false, prefix: i === terms.length - 1 },
            ...languages.map((l) => ({
              queries: [term],
              fields: text.map((f) => key(l, f)),
              processTerm: (t: string) => LANGUAGES[l]!.stem(t),
              fuzzy: false,
              prefix: false,
            })),
          ],
        };
      }),
    };
  }

  private boosts(schema: IndexSchema): Record<string, number> {
    const boost: Record<string, number> = {};
    for (const f of fieldsOfType(schema, 'text')) {
      const b = boostOf(schema, f);
      if (b === 1) continue;
      boost[key(STD, f)] = b;
      for (const l of LANGUAGE_CODES) boost[key(l, f)] = b;
    }
    return boost;
  }

  /** Marks the words whose indexed form (plain or stem) the engine matched, per text field. */
  private highlights(schema: IndexSchema, doc: PreparedDoc, match: EngineResult['match']): Record<string, string[]> {
    const out: Record<string, string[]> = {};
    const language = doc.language;
    for (const field of fieldsOfType(schema, 'text')) {
      const value = doc.fields[field];
      if (typeof value !== 'string') continue;
      const plain = new Set<string>();
      const stems = new Set<string>();
      for (const [term, fields] of Object.entries(match)) {
        if (fields.includes(key(STD, field))) plain.add(term);
        if (language && fields.includes(key(language, field))) stems.add(term);
      }
      if (plain.size === 0 && stems.size === 0) continue;
      const stem = language ? LANGUAGES[language]!.stem : undefined;
      const ranges: Range[] = words(value)
        .filter((w) => plain.has(w.term) || (stem !== undefined && stems.size > 0 && stems.has(stem(w.term))))
        .map((w) => [w.start, w.end]);
      const found = fragments(value, ranges);
      if (found.length > 0) out[field] = found;
    }
    return out;
  }

  async reset(name: string, schema?: IndexSchema): Promise<void> {
    if (this.isClosed) throw closed();
    checkIndexName(name);
    const existing = this.indexes.get(name);
    if (!existing && !schema) throw noIndex(name);
    const state: IndexState = { schema: schema ? normalizeSchema(schema) : existing!.schema, tenants: new Map(), dirty: false };
    this.indexes.set(name, state);
    this.changed(state);
  }

  async ping(): Promise<void> {
    if (this.isClosed) throw closed();
    if (this.flushError !== undefined) {
      throw unavailable(`The embedded search cannot write its snapshots under ${this.dir}`, this.flushError);
    }
  }

  async close(): Promise<void> {
    if (this.isClosed) return;
    this.isClosed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    try {
      await this.flush();
    } finally {
      this.indexes.clear();
      this.release();
    }
  }

  private schedule(): void {
    if (this.timer || this.isClosed) return;
    // A snapshot rewrites the whole index, so its cost grows with the index: spacing them by a
    // multiple of the last one's duration keeps them to a small share of the process's time.
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flush().catch(() => undefined); // kept in flushError, reported by ping(), retried
    }, Math.max(this.flushAfterMs, this.lastSnapshotMs * SNAPSHOT_SPACING));
    // A pending snapshot must not keep the process alive; close() writes it.
    this.timer.unref();
  }

  /** Writes every changed index; runs one at a time. */
  private flush(): Promise<void> {
    const run = this.flushing.then(() => this.writeChanged());
    this.flushing = run.catch(() => undefined);
    return run;
  }

  private async writeChanged(): Promise<void> {
    const started = performance.now();
    try {
      await this.writeEachChanged();
    } finally {
      this.lastSnapshotMs = performance.now() - started;
    }
  }

  private async writeEachChanged(): Promise<void> {
    for (const [name, state] of this.indexes) {
      if (!state.dirty) continue;
      state.dirty = false;
      // Serialized synchronously: the snapshot is one consistent moment of the index.
      const snapshot: Snapshot = {
        format: FORMAT,
        schema: state.schema,
        layout: layoutOf(state.schema),
        tenants: Object.fromEntries(
          [...state.tenants].map(([tenantId, t]) => [tenantId, { docs: [...t.docs.values()], engine: t.engine.toJSON() }]),
        ),
      };
      try {
        await writeFileDurably(join(this.dir, `${name}.json`), JSON.stringify(snapshot));
        this.flushError = undefined;
      } catch (err) {
        state.dirty = true;
        this.flushError = err;
        this.schedule();
        throw unavailable(`The embedded search could not write ${join(this.dir, `${name}.json`)}`, err);
      }
    }
  }
}

/** Write to a temp file, fsync, rename: a crash leaves the old or the new snapshot, never half. */
async function writeFileDurably(file: string, content: string): Promise<void> {
  const tmp = `${file}.tmp`;
  const handle = await open(tmp, 'w');
  try {
    await handle.writeFile(content);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(tmp, file);
}
