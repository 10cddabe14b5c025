import type { Collection, Doc, Filter, FindOptions, PipelineStage, Sort, Update, UpdateResult } from '@switchboard/store';

export interface TenantDoc extends Doc {
  tenantId: string;
}

/**
 * A collection seen through one tenant: every read, write and delete carries the tenantId, so a
 * handler cannot reach another tenant's documents by forgetting a filter. Repositories are built
 * on this; handlers never get a bare Collection.
 */
export class TenantCollection<T extends TenantDoc> {
  constructor(
    private readonly collection: Collection<T>,
    readonly tenantId: string,
  ) {}

  private scope(filter: Filter): Filter {
    return { ...filter, tenantId: this.tenantId };
  }

  insertOne(doc: Omit<T, 'tenantId'>): Promise<T> {
    return this.collection.insertOne({ ...doc, tenantId: this.tenantId } as T);
  }
  findOne(filter: Filter, opts?: Pick<FindOptions, 'sort' | 'projection'>): Promise<T | null> {
    return this.collection.findOne(this.scope(filter), opts);
  }
  findById(id: string): Promise<T | null> {
    return this.collection.findOne(this.scope({ _id: id }));
  }
  find(filter: Filter, opts?: FindOptions): Promise<T[]> {
    return this.collection.find(this.scope(filter), opts);
  }
  countDocuments(filter: Filter): Promise<number> {
    return this.collection.countDocuments(this.scope(filter));
  }
  updateOne(filter: Filter, update: Update, opts?: { upsert?: boolean }): Promise<UpdateResult> {
    return this.collection.updateOne(this.scope(filter), this.pin(update, opts?.upsert), opts);
  }
  updateMany(filter: Filter, update: Update): Promise<UpdateResult> {
    return this.collection.updateMany(this.scope(filter), this.pin(update, false));
  }
  findOneAndUpdate(
    filter: Filter,
    update: Update,
    opts?: { upsert?: boolean; returnDocument?: 'before' | 'after'; sort?: Sort },
  ): Promise<T | null> {
    return this.collection.findOneAndUpdate(this.scope(filter), this.pin(update, opts?.upsert), opts);
  }
  deleteOne(filter: Filter): Promise<number> {
    return this.collection.deleteOne(this.scope(filter));
  }
  deleteMany(filter: Filter): Promise<number> {
    return this.collection.deleteMany(this.scope(filter));
  }
  /** The pipeline runs over this tenant's documents only (a leading $match on tenantId). */
  aggregate<R = Record<string, unknown>>(pipeline: readonly PipelineStage[]): Promise<R[]> {
    const [first, ...rest] = pipeline;
    // Merged into a leading $match, so the adapters can use a (tenantId, …) index for it.
    if (first && '$match' in first) return this.collection.aggregate<R>([{ $match: { ...first.$match, tenantId: this.tenantId } }, ...rest]);
    return this.collection.aggregate<R>([{ $match: { tenantId: this.tenantId } }, ...pipeline]);
  }

  /** An update may never move a document to another tenant. */
  private pin(update: Update, _upsert?: boolean): Update {
    for (const op of ['$set', '$unset', '$setOnInsert', '$inc'] as const) {
      if (update[op] && 'tenantId' in (update[op] as object)) throw new Error('tenantId cannot be changed by an update');
    }
    return update;
  }
}
