import { lockFolder } from '@switchboard/folder-lock';
/**
 * EmbeddedStore: the DocumentStore persisted under one folder, one append-only @seald-io/nedb
 * datafile per collection (`<name>.db`) plus its index definitions (`<name>.indexes.json`).
 *
 * nedb supplies the storage: documents in memory, every write appended to the datafile before
 * its promise resolves (so a kill -9 after that loses nothing; an OS crash may lose what the OS
 * had not flushed yet), crash-safe compaction (temp file + rename) on open and on a timer.
 * Queries, updates and indexes are evaluated by our own engine (evaluate.ts) with MongoDB's
 * semantics, because nedb's differ (null vs missing, $ne on arrays, no $setOnInsert, no partial
 * or named indexes). Every write of a collection runs under that collection's mutex, so
 * read-modify-write operations (upsert, findOneAndUpdate, unique checks) are atomic.
 */
import { mkdirSync } from 'node:fs';
import { access, open, readdir, readFile, rename, rm } from 'node:fs/promises';
import { constants } from 'node:fs';
import { join } from 'node:path';
import Datastore from '@seald-io/nedb';
import {
  assertCollectionName,
  assertFilter,
  assertFindOptions,
  assertIndexSpec,
  cleanDocument,
  cleanUpdate,
  cleanValue,
  copyStored,
  indexName,
  isPlainObject,
  translatePartial,
  withUpsertId,
  type Plain,
} from './core.js';
import { assertPipeline, runPipeline } from './aggregate.js';
import { appendThroughOneHandle, type DatafileAppender } from './datafile-appender.js';
import { StoreError, invalid } from './errors.js';
import {
  applyUpdate,
  equalityConstraints,
  indexKeys,
  indexKeysByPrefix,
  lookupKeys,
  matches,
  project,
  sameFieldValues,
  sortDocuments,
  upsertSeed,
  valueEquals,
} from './evaluate.js';
import {
  DuplicateKeyError,
  type Collection,
  type Doc,
  type DocumentStore,
  type Filter,
  type FindOptions,
  type IndexSpec,
  type PipelineStage,
  type Sort,
  type StoreConfig,
  type Update,
  type UpdateResult,
} from './types.js';

type EmbeddedConfig = Extract<StoreConfig, { driver: 'embedded' }>;

const DEFAULT_COMPACT_EVERY_MS = 600_000;
/** Above this many index keys for one lookup ($in × $in …) a scan is cheaper. */
const MAX_LOOKUP_KEYS = 1000;
/** Above this many index candidates an aggregation scans the collection instead. */
const MAX_AGGREGATE_LOOKUP = 20_000;

export async function openEmbeddedStore(config: EmbeddedConfig): Promise<DocumentStore> {
  mkdirSync(config.dir, { recursive: true });
  const release = lockFolder(config.dir, (who, real) => new StoreError('SB_ERR_STORE_LOCKED', `The embedded store at ${real} is already open ${who}; share one DocumentStore per process, or stop the other process.`));
  return new EmbeddedStore(config.dir, config.compactEveryMs ?? DEFAULT_COMPACT_EVERY_MS, release);
}

interface StoredIndex {
  name: string;
  keys: Record<string, 1 | -1>;
  unique: boolean;
  partial?: Filter;
}

interface IndexState extends StoredIndex {
  fields: string[][];
  /** maps[k] maps the key of the first k+1 fields to the ids holding it. */
  maps: Map<string, Set<string>>[];
}

interface Change {
  before: Doc | null;
  after: Doc;
}

class CollectionState {
  /** Writes appended since the last compaction. */
  writes = 0;
  private tail: Promise<unknown> = Promise.resolve();
  /** Every document as one list, kept until the next write (reports scan the same rows again and again). */
  private everything: Doc[] | undefined;
  /** Appends the datafile's writes through one open descriptor (datafile-appender.ts); closed with the store. */
  appender: DatafileAppender | undefined;

  constructor(
    readonly name: string,
    readonly db: Datastore<Doc>,
    readonly indexes: IndexState[],
    private readonly specFile: string,
  ) {}

  /** Runs `fn` after every earlier write of this collection has finished. */
  exclusive<R>(fn: () => Promise<R>): Promise<R> {
    const run = this.tail.then(fn, fn);
    this.tail = run.catch(() => undefined);
    return run;
  }

  /** The datafile groups the writes of the running `mutate` joined. */
  private written: Promise<void>[] | undefined;

  /**
   * Runs `fn` under the collection's mutex, then waits, with the mutex released, until the lines
   * its writes appended are in the datafile (datafile-appender.ts: written once per turn).
   */
  async mutate<R>(fn: () => Promise<R>): Promise<R> {
    const written: Promise<void>[] = [];
    const result = await this.exclusive(async () => {
      this.written = written;
      try {
        return await fn();
      } finally {
        this.written = undefined;
      }
    });
    await Promise.all(written);
    return result;
  }

  idle(): Promise<unknown> {
    return this.tail;
  }

  /**
   * What an aggregation's leading $match can match, unfiltered: the index's candidates when an
   * index narrows it to a few, else every document (a scan beats fetching and sorting many ids).
   */
  async candidates(filter: Filter): Promise<Doc[]> {
    const ids = this.lookup(filter, MAX_AGGREGATE_LOOKUP);
    return ids === undefined ? this.all() : this.byIds(ids);
  }

  /** nedb's live documents (never mutate them, nor the list). */
  all(): Doc[] {
    return (this.everything ??= this.db.getAllData());
  }

  /** Matching documents (nedb's live objects or copies: never mutate, clone before returning). */
  async select(filter: Filter): Promise<Doc[]> {
    const ids = this.lookup(filter);
    const docs = ids === undefined ? this.all() : await this.byIds(ids);
    return docs.filter((doc) => matches(doc, filter));
  }

  /**
   * The documents with these ids, read straight from nedb's own _id index. (`findAsync` with
   * `$in` copies every document and tests each against the whole id list: quadratic, a third
   * of a second for one page of a 10,000-conversation tenant.)
   */
  async byIds(ids: string[]): Promise<Doc[]> {
    if (ids.length === 0) return [];
    const docs = (this.db as unknown as { indexes: { _id: { getMatching(value: string[]): Doc[] } } }).indexes._id.getMatching(ids);
    return docs.sort((a, b) => (a._id < b._id ? -1 : a._id > b._id ? 1 : 0));
  }

  /**
   * Candidate ids from _id or the index with the longest prefix of equality fields, if any; none
   * (undefined) when there would be more than `max` (counted before any id is copied).
   */
  private lookup(filter: Filter, max = Number.POSITIVE_INFINITY): string[] | undefined {
    const eq = equalityConstraints(filter);
    const ids = eq.get('_id');
    if (ids) return ids.filter((id): id is string => typeof id === 'string');
    let best: { index: IndexState; k: number } | undefined;
    for (const index of this.indexes) {
      if (index.partial) continue;
      let k = 0;
      while (k < index.fields.length && eq.has(index.fields[k]!.join('.'))) k++;
      if (k > 0 && (!best || k > best.k)) best = { index, k };
    }
    if (!best) return undefined;
    const values = best.index.fields.slice(0, best.k).map((parts) => eq.get(parts.join('.'))!);
    if (values.reduce((n, v) => n * v.length, 1) > MAX_LOOKUP_KEYS) return undefined;
    const map = best.index.maps[best.k - 1]!;
    const sets = lookupKeys(values).map((key) => map.get(key));
    if (sets.reduce((n, set) => n + (set?.size ?? 0), 0) > max) return undefined;
    const found = new Set<string>();
    for (const set of sets) for (const id of set ?? []) found.add(id);
    return [...found];
  }

  /** Throws DuplicateKeyError if applying all changes together would break a unique index. */
  checkUnique(changes: Change[]): void {
    const batch = new Set(changes.map((c) => c.after._id));
    const [only] = changes;
    for (const index of this.indexes) {
      if (!index.unique) continue;
      // One document keeping its indexed values keeps the key it already owns alone.
      if (changes.length === 1 && only!.before && !index.partial && sameFieldValues(only!.before, only!.after, index.fields)) continue;
      const full = index.maps[index.fields.length - 1]!;
      const claimed = new Map<string, string>();
      for (const { after } of changes) {
        if (index.partial && !matches(after, index.partial)) continue;
        for (const key of indexKeys(after, index.fields)) {
          for (const owner of full.get(key) ?? []) {
            if (!batch.has(owner)) throw new DuplicateKeyError(this.name, index.name);
          }
          const other = claimed.get(key);
          if (other !== undefined && other !== after._id) throw new DuplicateKeyError(this.name, index.name);
          claimed.set(key, after._id);
        }
      }
    }
  }

  addToIndexes(doc: Doc, only?: IndexState): void {
    for (const index of only ? [only] : this.indexes) {
      const keys = keysOf(index, doc);
      index.maps.forEach((map, k) => map && addKeys(map, keys?.[k], doc._id));
    }
  }

  removeFromIndexes(doc: Doc): void {
    for (const index of this.indexes) {
      const keys = keysOf(index, doc);
      index.maps.forEach((map, k) => map && removeKeys(map, keys?.[k], doc._id));
    }
  }

  /** An updated document: only the maps whose keys changed are touched (most updates change no indexed field). */
  replaceInIndexes(before: Doc, after: Doc): void {
    for (const index of this.indexes) {
      if (!index.partial && sameFieldValues(before, after, index.fields)) continue;
      const old = keysOf(index, before);
      const now = keysOf(index, after);
      index.maps.forEach((map, k) => {
        if (!map || sameKeys(old?.[k], now?.[k])) return;
        removeKeys(map, old?.[k], before._id);
        addKeys(map, now?.[k], after._id);
      });
    }
  }

  rebuildIndexes(): void {
    this.everything = undefined;
    for (const index of this.indexes) index.maps = emptyMaps(index);
    for (const doc of this.db.getAllData()) this.addToIndexes(doc);
  }

  /** Runs a nedb write (inside `mutate`); if it fails, nedb's memory may be ahead of the file: re-derive the maps. */
  async write<R>(fn: () => Promise<R>): Promise<R> {
    this.everything = undefined;
    try {
      if (this.appender) this.appender.last = undefined;
      const result = await fn();
      if (this.appender?.last) this.written?.push(this.appender.last);
      this.everything = undefined;
      this.writes++;
      return result;
    } catch (err) {
      this.rebuildIndexes();
      throw err;
    }
  }

  async saveIndexSpecs(): Promise<void> {
    const specs: StoredIndex[] = this.indexes.map(({ name, keys, unique, partial }) =>
      partial ? { name, keys, unique, partial } : { name, keys, unique },
    );
    await writeFileDurably(this.specFile, encodeJson(specs));
  }
}

/** The document's keys for each prefix of the index's fields; none when a partial index leaves it out. */
function keysOf(index: IndexState, doc: Doc): string[][] | undefined {
  if (index.partial && !matches(doc, index.partial)) return undefined;
  return indexKeysByPrefix(doc, index.fields);
}

function addKeys(map: Map<string, Set<string>>, keys: string[] | undefined, id: string): void {
  for (const key of keys ?? []) {
    let ids = map.get(key);
    if (!ids) map.set(key, (ids = new Set()));
    ids.add(id);
  }
}

function removeKeys(map: Map<string, Set<string>>, keys: string[] | undefined, id: string): void {
  for (const key of keys ?? []) {
    const ids = map.get(key);
    ids?.delete(id);
    if (ids?.size === 0) map.delete(key);
  }
}

function sameKeys(a: string[] | undefined, b: string[] | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.length === b.length && a.every((key, i) => key === b[i]);
}

/** Lookup maps for every prefix of a plain index; a partial unique index needs only the full key. */
function emptyMaps(index: StoredIndex & { fields: string[][] }): Map<string, Set<string>>[] {
  const n = index.fields.length;
  if (index.partial) {
    const maps: Map<string, Set<string>>[] = new Array(n);
    if (index.unique) maps[n - 1] = new Map();
    return maps;
  }
  return Array.from({ length: n }, () => new Map());
}

function indexState(stored: StoredIndex): IndexState {
  const fields = Object.keys(stored.keys).map((p) => p.split('.'));
  const state = { ...stored, fields, maps: [] as Map<string, Set<string>>[] };
  state.maps = emptyMaps(state);
  return state;
}

class EmbeddedStore implements DocumentStore {
  readonly driver = 'embedded' as const;
  private readonly states = new Map<string, Promise<CollectionState>>();
  private readonly handles = new Map<string, EmbeddedCollection<Doc>>();
  private readonly timer: NodeJS.Timeout;
  private compactionError: unknown;
  private compacting: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(
    readonly dir: string,
    compactEveryMs: number,
    private readonly releaseLock: () => void,
  ) {
    // Appends grow the datafiles; rewriting them now and then keeps load time and disk bounded.
    this.timer = setInterval(() => void this.compact(), compactEveryMs);
    this.timer.unref();
  }

  collection<T extends Doc>(name: string): Collection<T> {
    assertCollectionName(name);
    let handle = this.handles.get(name);
    if (!handle) this.handles.set(name, (handle = new EmbeddedCollection(this, name)));
    return handle as unknown as Collection<T>;
  }

  state(name: string): Promise<CollectionState> {
    if (this.closed) return Promise.reject(closedError());
    let state = this.states.get(name);
    if (!state) {
      state = this.load(name);
      this.states.set(name, state);
      state.catch(() => this.states.delete(name));
    }
    return state;
  }

  private async load(name: string): Promise<CollectionState> {
    const db = new Datastore<Doc>({ filename: join(this.dir, `${name}.db`) });
    // Loading also compacts the datafile (nedb rewrites it, crash-safe, one line per document).
    await db.loadDatabaseAsync();
    const specFile = join(this.dir, `${name}.indexes.json`);
    let stored: StoredIndex[] = [];
    try {
      stored = decodeJson(await readFile(specFile, 'utf8')) as StoredIndex[];
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    const state = new CollectionState(name, db, stored.map(indexState), specFile);
    state.appender = appendThroughOneHandle(db);
    state.rebuildIndexes();
    return state;
  }

  /**
   * One compaction at a time, and close() waits for the one under way: a rewrite finishing after
   * close would put this process's old copy of a datafile over what the next owner appended.
   */
  compact(): Promise<void> {
    const run = this.compacting.then(() => (this.closed ? undefined : this.compactAll()));
    this.compacting = run.catch(() => undefined);
    return run;
  }

  private async compactAll(): Promise<void> {
    for (const pending of this.states.values()) {
      try {
        const state = await pending;
        if (state.writes === 0) continue;
        state.writes = 0;
        state.appender?.flush();
        await state.db.compactDatafileAsync();
        this.compactionError = undefined;
      } catch (err) {
        this.compactionError = err;
      }
    }
  }

  async ping(): Promise<void> {
    if (this.closed) throw closedError();
    await access(this.dir, constants.R_OK | constants.W_OK).catch((err: unknown) => {
      throw new StoreError('SB_ERR_STORE_UNAVAILABLE', `The embedded store folder ${this.dir} is not usable: ${String(err)}`, {
        cause: err,
      });
    });
    if (this.compactionError) {
      throw new StoreError('SB_ERR_STORE_UNAVAILABLE', `Compacting ${this.dir} failed: ${String(this.compactionError)}`, {
        cause: this.compactionError,
      });
    }
  }

  async drop(): Promise<void> {
    if (this.closed) throw closedError();
    const states = [...this.states.values()];
    this.states.clear();
    for (const pending of states) {
      const state = await pending.catch(() => undefined);
      if (!state) continue;
      await state.idle();
      state.appender?.flush();
      await state.db.dropDatabaseAsync();
      await state.appender?.close();
    }
    for (const file of await readdir(this.dir)) {
      if (/\.(db|db~|indexes\.json)$/.test(file)) await rm(join(this.dir, file), { force: true });
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.timer);
    await this.compacting;
    for (const pending of this.states.values()) {
      const state = await pending.catch(() => undefined);
      await state?.idle();
      await state?.appender?.close();
    }
    this.states.clear();
    this.releaseLock();
  }
}

function closedError(): StoreError {
  return new StoreError('SB_ERR_STORE_CLOSED', 'The document store is closed.');
}

class EmbeddedCollection<T extends Doc> implements Collection<T> {
  constructor(
    private readonly store: EmbeddedStore,
    readonly name: string,
  ) {}

  private state(): Promise<CollectionState> {
    return this.store.state(this.name);
  }

  async createIndex(spec: IndexSpec): Promise<void> {
    assertIndexSpec(spec);
    const wanted: StoredIndex = {
      name: indexName(spec),
      keys: { ...spec.keys },
      unique: spec.unique ?? false,
      ...(spec.partial ? { partial: translatePartial(spec.partial) } : {}),
    };
    const state = await this.state();
    await state.exclusive(async () => {
      // As in MongoDB: a name names one definition, and one definition has one name.
      const existing =
        state.indexes.find((i) => i.name === wanted.name) ??
        state.indexes.find((i) => valueEquals(i.keys, wanted.keys) && valueEquals(i.partial, wanted.partial));
      if (existing) {
        const identical =
          existing.name === wanted.name &&
          valueEquals(existing.keys, wanted.keys) &&
          existing.unique === wanted.unique &&
          valueEquals(existing.partial, wanted.partial);
        if (identical) return;
        throw new StoreError(
          'SB_ERR_STORE_INDEX_CONFLICT',
          `Index ${wanted.name} on ${this.name} conflicts with the existing index ${existing.name}; drop that one first.`,
        );
      }
      const index = indexState(wanted);
      if (index.unique) {
        // Building the index over existing data fails on duplicates, as in MongoDB.
        const probe = new CollectionState(this.name, state.db, [index], '');
        for (const doc of state.db.getAllData()) {
          probe.checkUnique([{ before: null, after: doc }]);
          probe.addToIndexes(doc);
        }
      } else {
        for (const doc of state.db.getAllData()) state.addToIndexes(doc, index);
      }
      state.indexes.push(index);
      try {
        await state.saveIndexSpecs();
      } catch (err) {
        state.indexes.pop();
        throw err;
      }
    });
  }

  async insertOne(doc: T): Promise<T> {
    const clean = cleanDocument(doc, this.name);
    const state = await this.state();
    await state.mutate(async () => {
      if ((await state.byIds([clean._id])).length > 0) throw new DuplicateKeyError(this.name, '_id_');
      state.checkUnique([{ before: null, after: clean }]);
      await state.write(() => state.db.insertAsync(clean));
      state.addToIndexes(clean);
    });
    return copyStored(clean);
  }

  async findOne(filter: Filter, opts: Pick<FindOptions, 'sort' | 'projection'> = {}): Promise<T | null> {
    const [doc] = await this.find(filter, { ...opts, limit: 1 });
    return doc ?? null;
  }

  async find(filter: Filter, opts: FindOptions = {}): Promise<T[]> {
    assertFilter(filter);
    assertFindOptions(opts);
    const state = await this.state();
    let docs = sortDocuments(await state.select(filter), opts.sort);
    const start = opts.skip ?? 0;
    docs = docs.slice(start, opts.limit ? start + opts.limit : undefined);
    return docs.map((doc) => project(copyStored(doc), opts.projection) as T);
  }

  async countDocuments(filter: Filter): Promise<number> {
    assertFilter(filter);
    const state = await this.state();
    return (await state.select(filter)).length;
  }

  async updateOne(filter: Filter, update: Update, opts: { upsert?: boolean } = {}): Promise<UpdateResult> {
    const r = await this.modify(filter, update, { many: false, upsert: opts.upsert ?? false });
    return r.inserted ? { matched: 0, modified: 0, upsertedId: r.inserted._id } : { matched: r.matched, modified: r.modified };
  }

  async updateMany(filter: Filter, update: Update): Promise<UpdateResult> {
    const r = await this.modify(filter, update, { many: true, upsert: false });
    return { matched: r.matched, modified: r.modified };
  }

  async findOneAndUpdate(
    filter: Filter,
    update: Update,
    opts: { upsert?: boolean; returnDocument?: 'before' | 'after'; sort?: Sort } = {},
  ): Promise<T | null> {
    const r = await this.modify(filter, update, { many: false, upsert: opts.upsert ?? false, sort: opts.sort });
    if (r.inserted) return opts.returnDocument === 'before' ? null : (copyStored(r.inserted) as T);
    const first = r.changes[0];
    if (!first) return null;
    return copyStored(opts.returnDocument === 'before' ? first.before : first.after) as T;
  }

  async aggregate<R = Record<string, unknown>>(pipeline: readonly PipelineStage[]): Promise<R[]> {
    assertPipeline(pipeline);
    const state = await this.state();
    // The leading $match picks the candidates (an index or a scan) and then runs compiled on them.
    // Stages never mutate their input; what leaves is copied.
    const [first] = pipeline;
    const docs = first && '$match' in first ? await state.candidates(first.$match) : state.all();
    return copyStored(runPipeline(docs, pipeline)) as R[];
  }

  /** The one read-modify-write path of every update, run under the collection's mutex. */
  private async modify(
    filter: Filter,
    update: Update,
    opts: { many: boolean; upsert: boolean; sort?: Sort | undefined },
  ): Promise<{ matched: number; modified: number; changes: Change[]; inserted?: Doc }> {
    assertFilter(filter);
    assertFindOptions({ sort: opts.sort });
    let clean = cleanUpdate(update);
    if (opts.upsert) clean = withUpsertId(filter, clean);
    const state = await this.state();
    return state.mutate(async () => {
      let targets = await state.select(filter);
      if (!opts.many) targets = sortDocuments(targets, opts.sort).slice(0, 1);
      if (targets.length === 0) {
        if (!opts.upsert) return { matched: 0, modified: 0, changes: [] };
        const doc = cleanValue(applyUpdate(upsertSeed(filter), clean, true), 'the upserted document') as Doc;
        if (typeof doc._id !== 'string' || doc._id === '') throw invalid('An upsert must give a string _id.');
        if ((await state.byIds([doc._id])).length > 0) throw new DuplicateKeyError(this.name, '_id_');
        state.checkUnique([{ before: null, after: doc }]);
        await state.write(() => state.db.insertAsync(doc));
        state.addToIndexes(doc);
        return { matched: 0, modified: 0, changes: [], inserted: doc };
      }
      const changes = targets.map((before) => ({ before, after: applyUpdate(before, clean, false) }));
      const modified = changes.filter((c) => !valueEquals(c.before, c.after));
      state.checkUnique(modified);
      for (const { before, after } of modified) {
        await state.write(() => state.db.updateAsync({ _id: before._id }, after, {}));
        state.replaceInIndexes(before, after);
      }
      return { matched: targets.length, modified: modified.length, changes };
    });
  }

  async deleteOne(filter: Filter): Promise<number> {
    return this.remove(filter, false);
  }

  async deleteMany(filter: Filter): Promise<number> {
    return this.remove(filter, true);
  }

  private async remove(filter: Filter, many: boolean): Promise<number> {
    assertFilter(filter);
    const state = await this.state();
    return state.mutate(async () => {
      let targets = await state.select(filter);
      if (!many) targets = targets.slice(0, 1);
      if (targets.length === 0) return 0;
      const ids = targets.map((d) => d._id);
      await state.write(() => state.db.removeAsync({ _id: { $in: ids } }, { multi: true }));
      for (const doc of targets) state.removeFromIndexes(doc);
      return targets.length;
    });
  }
}

// ---- files ---------------------------------------------------------------------------------

/** JSON with Dates kept as { $date: ms } (partial index filters may compare with a Date). */
function encodeJson(value: unknown): string {
  return JSON.stringify(value, function (this: Plain, key, v: unknown) {
    const raw = this[key];
    return raw instanceof Date ? { $date: raw.getTime() } : v;
  });
}

function decodeJson(text: string): unknown {
  return JSON.parse(text, (_key, v: unknown) =>
    isPlainObject(v) && typeof v.$date === 'number' && Object.keys(v).length === 1 ? new Date(v.$date) : v,
  );
}

/** Write to a temp file, fsync, rename: a crash leaves the old or the new content, never half. */
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
