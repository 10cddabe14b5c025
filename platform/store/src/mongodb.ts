/**
 * MongoStore: the DocumentStore over the official driver. Calls map 1:1 after core.ts's checks;
 * only errors are translated (E11000 → DuplicateKeyError with the index name).
 */
import {
  MongoClient,
  MongoNetworkError,
  MongoServerError,
  MongoServerSelectionError,
  type Collection as DriverCollection,
  type Db,
  type Document,
} from 'mongodb';
import {
  assertCollectionName,
  assertFilter,
  assertFindOptions,
  assertIndexSpec,
  cleanDocument,
  cleanUpdate,
  indexName,
  translatePartial,
  withUpsertId,
} from './core.js';
import { assertPipeline } from './aggregate.js';
import { StoreError, unavailable } from './errors.js';
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

type MongoConfig = Extract<StoreConfig, { driver: 'mongodb' }>;

const DEFAULT_SERVER_SELECTION_TIMEOUT_MS = 5000;

export async function openMongoStore(config: MongoConfig): Promise<DocumentStore> {
  let client: MongoClient | undefined;
  try {
    client = new MongoClient(config.url, {
      serverSelectionTimeoutMS: config.serverSelectionTimeoutMs ?? DEFAULT_SERVER_SELECTION_TIMEOUT_MS,
      // Same as the embedded store: undefined fields are left out, not stored as null.
      ignoreUndefined: true,
    });
    await client.connect();
    const db = client.db(config.database ?? databaseFromUrl(config.url) ?? 'switchboard');
    await db.command({ ping: 1 });
    return new MongoStore(client, db);
  } catch (err) {
    await client?.close().catch(() => undefined);
    throw unavailable('MongoDB', 'MONGODB_URL', config.url, err);
  }
}

/** The database in the URL path (mongodb://host:27017/switchboard), if any. */
function databaseFromUrl(url: string): string | undefined {
  const match = /^mongodb(?:\+srv)?:\/\/[^/]+\/([^?]+)/.exec(url);
  return match?.[1] ? decodeURIComponent(match[1]) : undefined;
}

class MongoStore implements DocumentStore {
  readonly driver = 'mongodb' as const;

  constructor(
    private readonly client: MongoClient,
    private readonly db: Db,
  ) {}

  collection<T extends Doc>(name: string): Collection<T> {
    assertCollectionName(name);
    return new MongoCollection<T>(this.db.collection(name), name);
  }

  async ping(): Promise<void> {
    try {
      await this.db.command({ ping: 1 });
    } catch (err) {
      throw isConnectionLoss(err) ? lost(err) : err;
    }
  }

  async drop(): Promise<void> {
    await this.db.dropDatabase();
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}

function isConnectionLoss(err: unknown): boolean {
  return err instanceof MongoNetworkError || err instanceof MongoServerSelectionError;
}

/** The server went away after start-up: a coded 503 the error handler can show as "retry". */
function lost(err: unknown): StoreError {
  return new StoreError('SB_ERR_STORE_UNAVAILABLE', `MongoDB did not answer: ${(err as Error).message}`, { cause: err });
}

function isDuplicateKey(err: unknown): err is MongoServerError {
  return err instanceof MongoServerError && err.code === 11000;
}

/** "E11000 duplicate key error collection: db.c index: tenant_external dup key: { … }" */
function duplicateIndexName(err: MongoServerError): string {
  const match = /index: (\S+) dup key/.exec(err.message);
  if (match?.[1]) return match[1];
  const pattern = err['keyPattern'] as Record<string, number> | undefined;
  return pattern ? Object.entries(pattern).map(([k, v]) => `${k}_${v}`).join('_') : 'unknown';
}

class MongoCollection<T extends Doc> implements Collection<T> {
  constructor(
    private readonly coll: DriverCollection<Document>,
    readonly name: string,
  ) {}

  private async run<R>(fn: () => Promise<R>, index?: string): Promise<R> {
    try {
      return await fn();
    } catch (err) {
      if (isDuplicateKey(err)) throw new DuplicateKeyError(this.name, index ?? duplicateIndexName(err));
      if (isConnectionLoss(err)) throw lost(err);
      if (err instanceof MongoServerError && (err.code === 85 || err.code === 86)) {
        throw new StoreError('SB_ERR_STORE_INDEX_CONFLICT', `${err.message} (collection ${this.name})`, {
          cause: err,
        });
      }
      throw err;
    }
  }

  /**
   * Concurrent upserts of one key can both miss and both insert; the loser gets E11000. MongoDB
   * retries that itself only in some cases, so the adapter retries once: the document now exists
   * and the update applies to it.
   */
  private async upsertRetry<R>(fn: () => Promise<R>): Promise<R> {
    try {
      return await this.run(fn);
    } catch (err) {
      if (!(err instanceof DuplicateKeyError)) throw err;
      return this.run(fn);
    }
  }

  async createIndex(spec: IndexSpec): Promise<void> {
    assertIndexSpec(spec);
    const name = indexName(spec);
    await this.run(
      () =>
        this.coll.createIndex(spec.keys, {
          name,
          ...(spec.unique ? { unique: true } : {}),
          ...(spec.partial ? { partialFilterExpression: translatePartial(spec.partial) as Document } : {}),
        }),
      name,
    );
  }

  async insertOne(doc: T): Promise<T> {
    const clean = cleanDocument(doc, this.name);
    await this.run(() => this.coll.insertOne(structuredClone(clean) as Document));
    return clean;
  }

  async findOne(filter: Filter, opts: Pick<FindOptions, 'sort' | 'projection'> = {}): Promise<T | null> {
    assertFilter(filter);
    assertFindOptions(opts);
    return (await this.run(() => this.coll.findOne(filter as Document, opts))) as T | null;
  }

  async find(filter: Filter, opts: FindOptions = {}): Promise<T[]> {
    assertFilter(filter);
    assertFindOptions(opts);
    return (await this.run(() => this.coll.find(filter as Document, opts).toArray())) as unknown as T[];
  }

  async countDocuments(filter: Filter): Promise<number> {
    assertFilter(filter);
    return this.run(() => this.coll.countDocuments(filter as Document));
  }

  async updateOne(filter: Filter, update: Update, opts: { upsert?: boolean } = {}): Promise<UpdateResult> {
    assertFilter(filter);
    const upsert = opts.upsert ?? false;
    const clean = upsert ? withUpsertId(filter, cleanUpdate(update)) : cleanUpdate(update);
    const op = () => this.coll.updateOne(filter as Document, clean as Document, { upsert });
    const r = await (upsert ? this.upsertRetry(op) : this.run(op));
    return r.upsertedCount > 0
      ? { matched: 0, modified: 0, upsertedId: String(r.upsertedId) }
      : { matched: r.matchedCount, modified: r.modifiedCount };
  }

  async updateMany(filter: Filter, update: Update): Promise<UpdateResult> {
    assertFilter(filter);
    const clean = cleanUpdate(update);
    const r = await this.run(() => this.coll.updateMany(filter as Document, clean as Document));
    return { matched: r.matchedCount, modified: r.modifiedCount };
  }

  async findOneAndUpdate(
    filter: Filter,
    update: Update,
    opts: { upsert?: boolean; returnDocument?: 'before' | 'after'; sort?: Sort } = {},
  ): Promise<T | null> {
    assertFilter(filter);
    assertFindOptions({ sort: opts.sort });
    const upsert = opts.upsert ?? false;
    const clean = upsert ? withUpsertId(filter, cleanUpdate(update)) : cleanUpdate(update);
    const op = () =>
      this.coll.findOneAndUpdate(filter as Document, clean as Document, {
        upsert,
        returnDocument: opts.returnDocument ?? 'after',
        includeResultMetadata: false,
        ...(opts.sort ? { sort: opts.sort } : {}),
      });
    return (await (upsert ? this.upsertRetry(op) : this.run(op))) as T | null;
  }

  async deleteOne(filter: Filter): Promise<number> {
    assertFilter(filter);
    return (await this.run(() => this.coll.deleteOne(filter as Document))).deletedCount;
  }

  async deleteMany(filter: Filter): Promise<number> {
    assertFilter(filter);
    return (await this.run(() => this.coll.deleteMany(filter as Document))).deletedCount;
  }

  async aggregate<R = Record<string, unknown>>(pipeline: readonly PipelineStage[]): Promise<R[]> {
    assertPipeline(pipeline);
    return (await this.run(() => this.coll.aggregate([...pipeline] as Document[]).toArray())) as R[];
  }
}
