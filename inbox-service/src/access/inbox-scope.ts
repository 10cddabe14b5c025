import type { Collection, Doc, Filter, Update } from '@switchboard/store';

/**
 * A collection narrowed to documents whose `field` is one of `allowed`: every read, update and
 * delete carries the restriction, and an insert outside it is refused. Used for agents limited to
 * some inboxes — conversations of other inboxes do not exist for them.
 */
export function restrictTo<T extends Doc>(collection: Collection<T>, field: string, allowed: readonly string[]): Collection<T> {
  const narrow = (filter: Filter): Filter => ({ $and: [filter, { [field]: { $in: [...allowed] } }] });
  return {
    name: collection.name,
    createIndex: (spec) => collection.createIndex(spec),
    insertOne: async (doc) => {
      const value = (doc as Record<string, unknown>)[field];
      if (typeof value !== 'string' || !allowed.includes(value)) throw new Error(`insert outside the allowed ${field} values`);
      return collection.insertOne(doc);
    },
    findOne: (filter, opts) => collection.findOne(narrow(filter), opts),
    find: (filter, opts) => collection.find(narrow(filter), opts),
    countDocuments: (filter) => collection.countDocuments(narrow(filter)),
    updateOne: (filter, update: Update, opts) => collection.updateOne(narrow(filter), update, { ...opts, upsert: false }),
    updateMany: (filter, update) => collection.updateMany(narrow(filter), update),
    findOneAndUpdate: (filter, update, opts) => collection.findOneAndUpdate(narrow(filter), update, { ...opts, upsert: false }),
    deleteOne: (filter) => collection.deleteOne(narrow(filter)),
    deleteMany: (filter) => collection.deleteMany(narrow(filter)),
    aggregate: (pipeline) => collection.aggregate([{ $match: { [field]: { $in: [...allowed] } } }, ...pipeline]),
  };
}
