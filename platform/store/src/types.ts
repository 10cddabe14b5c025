/** The DocumentStore seam: the subset of MongoDB's query and update language Switchboard uses. */

export type StoreConfig =
  | {
      driver: 'mongodb';
      url: string;
      /** Database name; default: the one in the URL path, else `switchboard`. */
      database?: string;
      /** How long createStore waits for a reachable server before failing; default 5000. */
      serverSelectionTimeoutMs?: number;
    }
  | {
      driver: 'embedded';
      /** Folder holding one datafile per collection (created when missing). */
      dir: string;
      /** How often collections written since the last compaction are compacted; default 600000 (10 min). */
      compactEveryMs?: number;
    };

/** Every document has a string _id chosen by the application (UUIDv7/ULID), never ObjectId. */
export interface Doc {
  _id: string;
}

type Scalar = string | number | boolean | Date | null;
type Operators<V> = {
  $eq?: V;
  $ne?: V | null;
  $in?: V[];
  $nin?: V[];
  $gt?: V;
  $gte?: V;
  $lt?: V;
  $lte?: V;
  $exists?: boolean;
  $regex?: string;
  $options?: string;
};
/**
 * Supported filter: field equality (dotted paths allowed), the operators above, $and, $or.
 * Arrays match like MongoDB: { tags: 'x' } matches a document whose tags contain 'x'.
 */
export type Filter = {
  [path: string]: Scalar | Operators<Scalar> | Filter[] | undefined;
} & { $and?: Filter[]; $or?: Filter[] };

/** Supported update operators; an update must use operators (no whole-document replacement). */
export interface Update {
  $set?: Record<string, unknown>;
  $unset?: Record<string, true | 1 | ''>;
  $inc?: Record<string, number>;
  $push?: Record<string, unknown>;
  $addToSet?: Record<string, unknown>;
  $pull?: Record<string, unknown>;
  $max?: Record<string, unknown>;
  $min?: Record<string, unknown>;
  /** Applied only when an upsert inserts. */
  $setOnInsert?: Record<string, unknown>;
}

export type Sort = Record<string, 1 | -1>;

export interface FindOptions {
  sort?: Sort;
  limit?: number;
  skip?: number;
  /** Inclusion projection, e.g. { name: 1 } (_id always included). */
  projection?: Record<string, 1>;
}

export interface UpdateResult {
  matched: number;
  modified: number;
  /** _id of the inserted document when an upsert inserted. */
  upsertedId?: string;
}

export interface IndexSpec {
  keys: Record<string, 1 | -1>;
  unique?: boolean;
  /** Only documents matching this filter are indexed/checked for uniqueness (MongoDB partialFilterExpression, equality/$exists only). */
  partial?: Filter;
  name?: string;
}

/**
 * The aggregation subset both adapters answer alike (MongoDB runs it itself; the embedded store
 * evaluates it here). Expressions are `'$field.path'` strings (no traversal through arrays),
 * literals, and, for a `$group` _id only, an object of those.
 */
export type Expression = string | number | boolean | null | { [field: string]: Expression };

export type Accumulator =
  | { $sum: Expression }
  | { $avg: Expression }
  | { $min: Expression }
  | { $max: Expression }
  | { $push: Expression }
  | { $first: Expression };

export type PipelineStage =
  | { $match: Filter }
  | { $group: { _id: Expression } & { [output: string]: Accumulator | Expression } }
  | { $sort: Sort }
  | { $limit: number }
  | { $skip: number }
  /** Top-level fields: 1 keeps one, '$path' computes one from a path; `_id: 0` drops _id. */
  | { $project: Record<string, 0 | 1 | string> }
  /** '$path' to an array field: one document per element; missing, null or [] drop the document. */
  | { $unwind: string };

export interface Collection<T extends Doc> {
  readonly name: string;
  createIndex(spec: IndexSpec): Promise<void>;
  /** Throws DuplicateKeyError when a unique index would be violated; nothing is written then. */
  insertOne(doc: T): Promise<T>;
  findOne(filter: Filter, opts?: Pick<FindOptions, 'sort' | 'projection'>): Promise<T | null>;
  find(filter: Filter, opts?: FindOptions): Promise<T[]>;
  countDocuments(filter: Filter): Promise<number>;
  /** upsert: when nothing matches, inserts the filter's equality fields + $setOnInsert + the update. */
  updateOne(filter: Filter, update: Update, opts?: { upsert?: boolean }): Promise<UpdateResult>;
  updateMany(filter: Filter, update: Update): Promise<UpdateResult>;
  /** Atomic find-and-modify of one document; returns it before or after (default after) the update. */
  findOneAndUpdate(
    filter: Filter,
    update: Update,
    opts?: { upsert?: boolean; returnDocument?: 'before' | 'after'; sort?: Sort },
  ): Promise<T | null>;
  deleteOne(filter: Filter): Promise<number>;
  deleteMany(filter: Filter): Promise<number>;
  /** Runs an aggregation pipeline of the supported stages (PipelineStage); anything else is SB_ERR_STORE_UNSUPPORTED. */
  aggregate<R = Record<string, unknown>>(pipeline: readonly PipelineStage[]): Promise<R[]>;
}

export interface DocumentStore {
  readonly driver: StoreConfig['driver'];
  collection<T extends Doc>(name: string): Collection<T>;
  /** Round trip to the server (or the embedded files) for /readyz. */
  ping(): Promise<void>;
  /** Remove everything (tests only call this on their own throwaway database). */
  drop(): Promise<void>;
  close(): Promise<void>;
}

export class DuplicateKeyError extends Error {
  override readonly name = 'DuplicateKeyError';
  readonly code = 'SB_ERR_STORE_DUPLICATE';
  readonly statusCode = 409;
  constructor(
    readonly collection: string,
    readonly index: string,
  ) {
    super(`A document with the same ${index} already exists in ${collection}.`);
  }
}
