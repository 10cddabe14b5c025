/**
 * The DocumentStore contract: one suite every adapter passes. `make` returns a fresh, empty
 * store for each test (its own folder or database); the suite drops and closes it afterwards.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StoreError } from './errors.js';
import { DuplicateKeyError, type Collection, type Doc, type DocumentStore, type Filter } from './types.js';

// Documents in these tests are free-form.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Row = Doc & Record<string, any>;

export type StoreFactory = () => Promise<DocumentStore>;

async function rejectsWith(promise: Promise<unknown>, check: (err: unknown) => void): Promise<void> {
  let caught: unknown;
  try {
    await promise;
  } catch (err) {
    caught = err;
  }
  expect(caught, 'expected the call to throw').toBeDefined();
  check(caught);
}

const duplicate = (collection: string, index: string) => (err: unknown) => {
  expect(err).toBeInstanceOf(DuplicateKeyError);
  expect(err).toMatchObject({ code: 'SB_ERR_STORE_DUPLICATE', collection, index });
};

const storeError = (code: string) => (err: unknown) => {
  expect(err).toBeInstanceOf(StoreError);
  expect((err as StoreError).code).toBe(code);
};

export function storeContract(name: string, make: StoreFactory): void {
  describe(`DocumentStore contract — ${name}`, () => {
    let store: DocumentStore;
    let items: Collection<Row>;

    beforeEach(async () => {
      store = await make();
      items = store.collection<Row>('items');
    });

    afterEach(async () => {
      await store.drop();
      await store.close();
    });

    const ids = async (filter: Filter, coll: Collection<Row> = items) =>
      (await coll.find(filter)).map((d) => d._id).sort();

    describe('documents', () => {
      it('inserts and finds by _id; what it returns is a copy', async () => {
        const doc = { _id: 'a', name: 'Ann', nested: { n: 1 }, list: [1, 2] };
        const inserted = await items.insertOne(doc);
        expect(inserted).toEqual(doc);
        inserted.nested.n = 99;
        const found = await items.findOne({ _id: 'a' });
        expect(found).toEqual(doc);
        found!.list.push(3);
        expect(await items.findOne({ _id: 'a' })).toEqual(doc);
        expect(await items.findOne({ _id: 'missing' })).toBeNull();
      });

      it('refuses a second document with the same _id and keeps the first', async () => {
        await items.insertOne({ _id: 'a', v: 1 });
        await rejectsWith(items.insertOne({ _id: 'a', v: 2 }), duplicate('items', '_id_'));
        expect(await items.find({})).toEqual([{ _id: 'a', v: 1 }]);
      });

      it('round-trips Dates, also nested and in arrays', async () => {
        const at = new Date('2024-01-02T03:04:05.678Z');
        await items.insertOne({ _id: 'd', at, meta: { when: at }, history: [at, new Date(0)] });
        const found = await items.findOne({ _id: 'd' });
        expect(found!.at).toBeInstanceOf(Date);
        expect(found!.at.getTime()).toBe(at.getTime());
        expect(found!.meta.when).toBeInstanceOf(Date);
        expect(found!.history[1]).toEqual(new Date(0));
        // Dates come back as copies too: changing one changes nothing stored.
        found!.at.setTime(0);
        (await items.findOneAndUpdate({ _id: 'd' }, { $set: { v: 1 } }, { returnDocument: 'after' }))!.meta.when.setTime(0);
        const again = await items.findOne({ _id: 'd' });
        expect(again!.at.getTime()).toBe(at.getTime());
        expect(again!.meta.when.getTime()).toBe(at.getTime());
        expect(await ids({ at })).toEqual(['d']);
        expect(await ids({ at: { $gt: new Date('2024-01-01') } })).toEqual(['d']);
        expect(await ids({ at: { $lt: new Date('2024-01-01') } })).toEqual([]);
        expect(await ids({ history: new Date(0) })).toEqual(['d']);
      });

      it('leaves undefined fields out', async () => {
        await items.insertOne({ _id: 'u', a: undefined, b: 1 });
        expect(await items.findOne({ _id: 'u' })).toEqual({ _id: 'u', b: 1 });
        await items.updateOne({ _id: 'u' }, { $set: { b: undefined, c: 2 } });
        expect(await items.findOne({ _id: 'u' })).toEqual({ _id: 'u', b: 1, c: 2 });
      });

      it('rejects what is outside the subset the same way on every adapter', async () => {
        await rejectsWith(items.insertOne({ name: 'no id' } as unknown as Row), storeError('SB_ERR_STORE_INVALID'));
        await rejectsWith(items.insertOne({ _id: 'x', 'a.b': 1 }), storeError('SB_ERR_STORE_INVALID'));
        await rejectsWith(items.updateOne({ _id: 'x' }, { name: 'x' } as never), storeError('SB_ERR_STORE_INVALID'));
        await rejectsWith(items.updateOne({ _id: 'x' }, { $set: { _id: 'y' } }), storeError('SB_ERR_STORE_INVALID'));
        await rejectsWith(
          items.updateOne({ _id: 'x' }, { $set: { a: 1 }, $inc: { 'a.b': 1 } }),
          storeError('SB_ERR_STORE_INVALID'),
        );
        await rejectsWith(items.find({ tenantId: undefined }), storeError('SB_ERR_STORE_INVALID'));
        await rejectsWith(items.find({ $where: 'true' } as Filter), storeError('SB_ERR_STORE_UNSUPPORTED'));
        await rejectsWith(items.find({ a: { $elemMatch: { b: 1 } } } as Filter), storeError('SB_ERR_STORE_UNSUPPORTED'));
        await rejectsWith(items.updateOne({ _id: 'x' }, { $rename: { a: 'b' } } as never), storeError('SB_ERR_STORE_UNSUPPORTED'));
        await rejectsWith(items.updateOne({ _id: 'x' }, { $set: { 'a.$': 1 } }), storeError('SB_ERR_STORE_UNSUPPORTED'));
        expect(() => store.collection('bad name!')).toThrow(StoreError);
        expect(await items.countDocuments({})).toBe(0);
      });
    });

    describe('filters', () => {
      beforeEach(async () => {
        await items.insertOne({
          _id: 'a',
          status: 'open',
          n: 1,
          tags: ['x', 'y'],
          contact: { name: 'Ann', email: 'ann@example.com' },
          lines: [
            { sku: 'p1', qty: 2 },
            { sku: 'p2', qty: 5 },
          ],
        });
        await items.insertOne({
          _id: 'b',
          status: 'closed',
          n: 5,
          tags: ['y'],
          contact: { name: 'Bob' },
          lines: [{ sku: 'p2', qty: 1 }],
        });
        await items.insertOne({ _id: 'c', status: 'open', n: 10, tags: [], note: null });
        await items.insertOne({ _id: 'd', status: 'pending', n: -3, contact: { name: 'Dee', email: 'dee@example.com' } });
      });

      it('matches equality, dotted paths and embedded documents', async () => {
        expect(await ids({})).toEqual(['a', 'b', 'c', 'd']);
        expect(await ids({ status: 'open' })).toEqual(['a', 'c']);
        expect(await ids({ status: 'open', n: 10 })).toEqual(['c']);
        expect(await ids({ status: { $eq: 'open' } })).toEqual(['a', 'c']);
        expect(await ids({ 'contact.name': 'Bob' })).toEqual(['b']);
        // Whole embedded-document and whole-array equality work though the Filter type leaves them out.
        expect(await ids({ contact: { name: 'Bob' } } as Filter)).toEqual(['b']);
        expect(await ids({ contact: { name: 'Ann' } } as Filter)).toEqual([]);
        expect(await ids({ _id: { $in: ['a', 'd', 'zz'] } })).toEqual(['a', 'd']);
      });

      it('matches arrays by element and as a whole', async () => {
        expect(await ids({ tags: 'y' })).toEqual(['a', 'b']);
        expect(await ids({ tags: ['x', 'y'] } as Filter)).toEqual(['a']);
        expect(await ids({ tags: ['y', 'x'] } as Filter)).toEqual([]);
        expect(await ids({ tags: [] })).toEqual(['c']);
        expect(await ids({ 'lines.sku': 'p2' })).toEqual(['a', 'b']);
        expect(await ids({ 'lines.qty': { $gt: 4 } })).toEqual(['a']);
        expect(await ids({ 'lines.1.sku': 'p2' })).toEqual(['a']);
        expect(await ids({ tags: { $in: ['x'] } })).toEqual(['a']);
        expect(await ids({ tags: { $regex: '^x' } })).toEqual(['a']);
      });

      it('treats null as null-or-missing and $ne / $nin as negations', async () => {
        expect(await ids({ note: null })).toEqual(['a', 'b', 'c', 'd']);
        expect(await ids({ 'contact.email': null })).toEqual(['b', 'c']);
        expect(await ids({ 'contact.email': { $ne: null } })).toEqual(['a', 'd']);
        expect(await ids({ status: { $ne: 'open' } })).toEqual(['b', 'd']);
        expect(await ids({ tags: { $ne: 'y' } })).toEqual(['c', 'd']);
        expect(await ids({ tags: { $nin: ['y'] } })).toEqual(['c', 'd']);
        expect(await ids({ status: { $nin: ['open', 'closed'] } })).toEqual(['d']);
        expect(await ids({ n: { $in: [] } })).toEqual([]);
      });

      it('compares within a type: numbers, strings, never across', async () => {
        expect(await ids({ n: { $gt: 1 } })).toEqual(['b', 'c']);
        expect(await ids({ n: { $gte: 1, $lt: 10 } })).toEqual(['a', 'b']);
        expect(await ids({ n: { $lte: -3 } })).toEqual(['d']);
        expect(await ids({ status: { $gt: 'on' } })).toEqual(['a', 'c', 'd']);
        expect(await ids({ n: { $gt: '1' } })).toEqual([]);
        expect(await ids({ status: { $in: ['open', 'pending'] } })).toEqual(['a', 'c', 'd']);
      });

      it('supports $exists and $regex with $options', async () => {
        expect(await ids({ tags: { $exists: true } })).toEqual(['a', 'b', 'c']);
        expect(await ids({ tags: { $exists: false } })).toEqual(['d']);
        expect(await ids({ note: { $exists: true } })).toEqual(['c']);
        expect(await ids({ 'contact.email': { $exists: true } })).toEqual(['a', 'd']);
        expect(await ids({ 'contact.name': { $regex: '^b', $options: 'i' } })).toEqual(['b']);
        expect(await ids({ 'contact.name': { $regex: '^b' } })).toEqual([]);
        expect(await ids({ 'contact.email': { $regex: '@example\\.com$' } })).toEqual(['a', 'd']);
      });

      it('combines with $and and $or, nested', async () => {
        expect(await ids({ $or: [{ status: 'closed' }, { n: { $lt: 0 } }] })).toEqual(['b', 'd']);
        expect(await ids({ $and: [{ status: 'open' }, { $or: [{ n: 1 }, { n: 10 }] }] })).toEqual(['a', 'c']);
        expect(await ids({ status: 'open', $or: [{ tags: 'x' }, { note: { $exists: true } }] })).toEqual(['a', 'c']);
        expect(await ids({ $and: [{ n: { $gt: 0 } }, { n: { $lt: 6 } }] })).toEqual(['a', 'b']);
      });

      it('counts and deletes, returning how many', async () => {
        expect(await items.countDocuments({ status: 'open' })).toBe(2);
        expect(await items.deleteOne({ status: 'nothing' })).toBe(0);
        expect(await items.deleteOne({ status: 'open' })).toBe(1);
        expect(await items.countDocuments({ status: 'open' })).toBe(1);
        expect(await items.deleteMany({ n: { $gt: 0 } })).toBe(2);
        expect(await ids({})).toEqual(['d']);
        expect(await items.deleteMany({})).toBe(1);
        expect(await items.countDocuments({})).toBe(0);
      });
    });

    describe('sort, skip, limit, projection', () => {
      it('sorts on several keys, breaking ties with the next key', async () => {
        const rows = [
          { _id: '1', p: 2, at: 3 },
          { _id: '2', p: 1, at: 1 },
          { _id: '3', p: 2, at: 1 },
          { _id: '4', p: 1, at: 1 },
          { _id: '5', at: 2 },
          { _id: '6', p: 2, at: 3 },
        ];
        for (const r of rows) await items.insertOne(r);
        const order = async (sort: Record<string, 1 | -1>) => (await items.find({}, { sort })).map((d) => d._id);
        expect(await order({ p: -1, at: -1, _id: 1 })).toEqual(['1', '6', '3', '2', '4', '5']);
        expect(await order({ p: 1, _id: -1 })).toEqual(['5', '4', '2', '6', '3', '1']);
        expect(await order({ at: 1, p: 1, _id: 1 })).toEqual(['2', '4', '3', '5', '1', '6']);
        expect((await items.find({}, { sort: { _id: 1 }, skip: 2, limit: 3 })).map((d) => d._id)).toEqual([
          '3',
          '4',
          '5',
        ]);
        expect((await items.find({}, { sort: { _id: -1 }, limit: 2 })).map((d) => d._id)).toEqual(['6', '5']);
        expect((await items.findOne({ p: 2 }, { sort: { at: 1 } }))!._id).toBe('3');
      });

      it('sorts dotted paths, mixed types in BSON order and arrays by their extreme element', async () => {
        await items.insertOne({ _id: 'a', meta: { rank: 'x' }, tags: [5, 1] });
        await items.insertOne({ _id: 'b', meta: { rank: 2 }, tags: [3] });
        await items.insertOne({ _id: 'c', meta: {}, tags: [4, 2] });
        await items.insertOne({ _id: 'd', meta: { rank: new Date(5) }, tags: [6] });
        const order = async (sort: Record<string, 1 | -1>) => (await items.find({}, { sort })).map((d) => d._id);
        expect(await order({ 'meta.rank': 1 })).toEqual(['c', 'b', 'a', 'd']);
        expect(await order({ 'meta.rank': -1 })).toEqual(['d', 'a', 'b', 'c']);
        expect(await order({ tags: 1 })).toEqual(['a', 'c', 'b', 'd']);
        expect(await order({ tags: -1 })).toEqual(['d', 'a', 'c', 'b']);
      });

      it('projects the listed fields, always with _id', async () => {
        await items.insertOne({
          _id: 'p',
          a: 1,
          b: { c: 2, d: 3 },
          e: [{ f: 1, g: 2 }, { f: 3 }],
          h: 'hidden',
        });
        expect(await items.find({ _id: 'p' }, { projection: { a: 1, 'b.c': 1, 'e.f': 1 } })).toEqual([
          { _id: 'p', a: 1, b: { c: 2 }, e: [{ f: 1 }, { f: 3 }] },
        ]);
        expect(await items.findOne({ _id: 'p' }, { projection: { h: 1, missing: 1 } })).toEqual({ _id: 'p', h: 'hidden' });
      });
    });

    describe('updates', () => {
      it('$set creates nested fields and $unset removes them', async () => {
        await items.insertOne({ _id: 'a', keep: true, old: 1, nested: { x: 1, y: 2 } });
        const r = await items.updateOne({ _id: 'a' }, { $set: { 'profile.name': 'Ann', 'nested.x': 5 }, $unset: { old: 1, 'nested.y': '' } });
        expect(r).toEqual({ matched: 1, modified: 1 });
        expect(await items.findOne({ _id: 'a' })).toEqual({
          _id: 'a',
          keep: true,
          nested: { x: 5 },
          profile: { name: 'Ann' },
        });
      });

      it('$inc, $max and $min, also on missing fields and Dates', async () => {
        const t1 = new Date('2024-01-01T00:00:00Z');
        const t2 = new Date('2024-06-01T00:00:00Z');
        await items.insertOne({ _id: 'a', n: 1, lo: 5, hi: 5, seen: t1 });
        await items.updateOne({ _id: 'a' }, { $inc: { n: 2, 'stats.views': 1, neg: -4 }, $max: { hi: 9, seen: t2, fresh: 3 }, $min: { lo: 7 } });
        expect(await items.findOne({ _id: 'a' })).toEqual({
          _id: 'a',
          n: 3,
          lo: 5,
          hi: 9,
          seen: t2,
          stats: { views: 1 },
          neg: -4,
          fresh: 3,
        });
        await items.updateOne({ _id: 'a' }, { $min: { lo: 2, seen: t1 }, $max: { hi: 1 } });
        expect(await items.findOne({ _id: 'a' })).toMatchObject({ lo: 2, hi: 9, seen: t1 });
      });

      it('$push, $addToSet and $pull', async () => {
        await items.insertOne({ _id: 'a', tags: ['x'], nums: [1, 5, 7, 2], objs: [{ k: 'a', v: 1 }, { k: 'b', v: 2 }] });
        await items.updateOne({ _id: 'a' }, { $push: { tags: 'x', log: { $each: ['l1', 'l2'] } } });
        await items.updateOne({ _id: 'a' }, { $addToSet: { tags: { $each: ['x', 'y', 'y'] }, set: 'only' } });
        let doc = await items.findOne({ _id: 'a' });
        expect(doc!.tags).toEqual(['x', 'x', 'y']);
        expect(doc!.log).toEqual(['l1', 'l2']);
        expect(doc!.set).toEqual(['only']);
        await items.updateOne({ _id: 'a' }, { $pull: { tags: 'x', nums: { $gte: 5 }, objs: { k: 'a' } } });
        doc = await items.findOne({ _id: 'a' });
        expect(doc!.tags).toEqual(['y']);
        expect(doc!.nums).toEqual([1, 2]);
        expect(doc!.objs).toEqual([{ k: 'b', v: 2 }]);
        await items.updateOne({ _id: 'a' }, { $pull: { nums: { $in: [1, 3] } } });
        expect((await items.findOne({ _id: 'a' }))!.nums).toEqual([2]);
      });

      it('reports matched and modified; a no-op modifies nothing', async () => {
        await items.insertOne({ _id: 'a', status: 'open' });
        await items.insertOne({ _id: 'b', status: 'open' });
        await items.insertOne({ _id: 'c', status: 'closed' });
        expect(await items.updateOne({ _id: 'a' }, { $set: { status: 'open' } })).toEqual({ matched: 1, modified: 0 });
        expect(await items.updateOne({ _id: 'zz' }, { $set: { status: 'x' } })).toEqual({ matched: 0, modified: 0 });
        expect(await items.updateOne({ status: 'open' }, { $set: { flag: 1 } })).toEqual({ matched: 1, modified: 1 });
        expect(await items.countDocuments({ flag: 1 })).toBe(1);
        expect(await items.updateMany({ status: 'open' }, { $set: { flag: 1 } })).toEqual({ matched: 2, modified: 1 });
        expect(await items.updateMany({}, { $set: { status: 'done' } })).toEqual({ matched: 3, modified: 3 });
        expect(await ids({ status: 'done' })).toEqual(['a', 'b', 'c']);
      });

      it('upsert inserts the filter equality fields, $setOnInsert and the update; later only the update', async () => {
        const created = new Date('2024-01-01T00:00:00Z');
        const first = await items.updateOne(
          { _id: 'k1', tenantId: 't1' },
          { $set: { name: 'A' }, $setOnInsert: { createdAt: created }, $inc: { hits: 1 } },
          { upsert: true },
        );
        expect(first).toEqual({ matched: 0, modified: 0, upsertedId: 'k1' });
        expect(await items.findOne({ _id: 'k1' })).toEqual({ _id: 'k1', tenantId: 't1', name: 'A', createdAt: created, hits: 1 });
        const second = await items.updateOne(
          { _id: 'k1', tenantId: 't1' },
          { $set: { name: 'B' }, $setOnInsert: { createdAt: new Date() }, $inc: { hits: 1 } },
          { upsert: true },
        );
        expect(second).toEqual({ matched: 1, modified: 1 });
        expect(await items.findOne({ _id: 'k1' })).toEqual({ _id: 'k1', tenantId: 't1', name: 'B', createdAt: created, hits: 2 });
      });

      it('upsert without an _id in the filter gives the new document a string id', async () => {
        const r = await items.updateOne(
          { $and: [{ tenantId: 't1' }, { 'ext.id': 'e1' }], kind: { $eq: 'msg' }, n: { $gt: 0 } },
          { $set: { text: 'hi' } },
          { upsert: true },
        );
        expect(typeof r.upsertedId).toBe('string');
        const doc = await items.findOne({ _id: r.upsertedId! });
        expect(doc).toMatchObject({ tenantId: 't1', ext: { id: 'e1' }, kind: 'msg', text: 'hi' });
        expect(doc).not.toHaveProperty('n');
        const again = await items.updateOne({ tenantId: 't1', 'ext.id': 'e1' }, { $set: { text: 'hi' } }, { upsert: true });
        expect(again).toEqual({ matched: 1, modified: 0 });
        const custom = await items.updateOne({ tenantId: 't2' }, { $setOnInsert: { _id: 'mine' } }, { upsert: true });
        expect(custom.upsertedId).toBe('mine');
      });

      it('findOneAndUpdate returns the document before or after and takes the first by sort', async () => {
        await items.insertOne({ _id: 'a', queue: 'q', prio: 1, state: 'ready' });
        await items.insertOne({ _id: 'b', queue: 'q', prio: 3, state: 'ready' });
        await items.insertOne({ _id: 'c', queue: 'q', prio: 2, state: 'ready' });
        const claimed = await items.findOneAndUpdate({ queue: 'q', state: 'ready' }, { $set: { state: 'taken' } }, { sort: { prio: -1 } });
        expect(claimed).toEqual({ _id: 'b', queue: 'q', prio: 3, state: 'taken' });
        const before = await items.findOneAndUpdate(
          { queue: 'q', state: 'ready' },
          { $set: { state: 'taken' } },
          { sort: { prio: -1 }, returnDocument: 'before' },
        );
        expect(before).toEqual({ _id: 'c', queue: 'q', prio: 2, state: 'ready' });
        expect((await items.findOne({ _id: 'c' }))!.state).toBe('taken');
        expect(await items.findOneAndUpdate({ queue: 'none' }, { $set: { x: 1 } })).toBeNull();
      });

      it('findOneAndUpdate with upsert returns the new document (null when asked for before)', async () => {
        const after = await items.findOneAndUpdate({ _id: 'n1' }, { $setOnInsert: { v: 1 } }, { upsert: true });
        expect(after).toEqual({ _id: 'n1', v: 1 });
        const before = await items.findOneAndUpdate({ _id: 'n2' }, { $set: { v: 2 } }, { upsert: true, returnDocument: 'before' });
        expect(before).toBeNull();
        expect(await items.findOne({ _id: 'n2' })).toEqual({ _id: 'n2', v: 2 });
      });
    });

    describe('indexes', () => {
      it('a unique index refuses duplicates on insert, update, upsert and findOneAndUpdate, writing nothing', async () => {
        await items.createIndex({ keys: { email: 1 }, unique: true, name: 'email_unique' });
        await items.insertOne({ _id: 'a', email: 'a@x' });
        await items.insertOne({ _id: 'b', email: 'b@x', v: 1 });
        await rejectsWith(items.insertOne({ _id: 'c', email: 'a@x' }), duplicate('items', 'email_unique'));
        await rejectsWith(items.updateOne({ _id: 'b' }, { $set: { email: 'a@x', v: 2 } }), duplicate('items', 'email_unique'));
        await rejectsWith(
          items.updateOne({ _id: 'n' }, { $set: { email: 'b@x' } }, { upsert: true }),
          duplicate('items', 'email_unique'),
        );
        await rejectsWith(
          items.findOneAndUpdate({ _id: 'b' }, { $set: { email: 'a@x' }, $inc: { v: 1 } }),
          duplicate('items', 'email_unique'),
        );
        expect(await items.find({}, { sort: { _id: 1 } })).toEqual([
          { _id: 'a', email: 'a@x' },
          { _id: 'b', email: 'b@x', v: 1 },
        ]);
        await items.updateOne({ _id: 'b' }, { $set: { email: 'c@x' } });
        await items.insertOne({ _id: 'c', email: 'b@x' });
        expect(await items.countDocuments({})).toBe(3);
      });

      it('a unique index takes the default MongoDB name and treats a missing field as null', async () => {
        await items.createIndex({ keys: { code: 1 }, unique: true });
        await items.insertOne({ _id: 'a' });
        await rejectsWith(items.insertOne({ _id: 'b' }), duplicate('items', 'code_1'));
        await rejectsWith(items.insertOne({ _id: 'c', code: null }), duplicate('items', 'code_1'));
        await items.insertOne({ _id: 'd', code: 'x' });
        expect(await items.countDocuments({})).toBe(2);
      });

      it('a unique index on an array field refuses a shared element', async () => {
        await items.createIndex({ keys: { aliases: 1 }, unique: true });
        await items.insertOne({ _id: 'a', aliases: ['x', 'y'] });
        await rejectsWith(items.insertOne({ _id: 'b', aliases: ['z', 'y'] }), duplicate('items', 'aliases_1'));
        await items.insertOne({ _id: 'c', aliases: ['z'] });
        await items.updateOne({ _id: 'a' }, { $push: { aliases: 'x' } });
        expect(await items.countDocuments({})).toBe(2);
      });

      it('a compound unique index refuses only the same combination', async () => {
        await items.createIndex({
          keys: { tenantId: 1, channel: 1, externalId: 1 },
          unique: true,
          name: 'inbound_once',
        });
        await items.insertOne({ _id: '1', tenantId: 't1', channel: 'telegram', externalId: 'm1' });
        await items.insertOne({ _id: '2', tenantId: 't1', channel: 'telegram', externalId: 'm2' });
        await items.insertOne({ _id: '3', tenantId: 't2', channel: 'telegram', externalId: 'm1' });
        await items.insertOne({ _id: '4', tenantId: 't1', channel: 'slack', externalId: 'm1' });
        await rejectsWith(
          items.insertOne({ _id: '5', tenantId: 't1', channel: 'telegram', externalId: 'm1' }),
          duplicate('items', 'inbound_once'),
        );
        await rejectsWith(items.updateOne({ _id: '2' }, { $set: { externalId: 'm1' } }), duplicate('items', 'inbound_once'));
        expect(await items.countDocuments({})).toBe(4);
        expect((await items.findOne({ _id: '2' }))!.externalId).toBe('m2');
        expect(await ids({ tenantId: 't1', channel: 'telegram' })).toEqual(['1', '2']);
      });

      it('createIndex is idempotent, fails on existing duplicates and on a conflicting definition', async () => {
        await items.createIndex({ keys: { a: 1, b: -1 } });
        await items.createIndex({ keys: { a: 1, b: -1 } });
        await items.insertOne({ _id: '1', k: 'same' });
        await items.insertOne({ _id: '2', k: 'same' });
        await rejectsWith(items.createIndex({ keys: { k: 1 }, unique: true }), duplicate('items', 'k_1'));
        await items.insertOne({ _id: '3', k: 'same' });
        await rejectsWith(items.createIndex({ keys: { z: 1 }, name: 'a_1_b_-1' }), storeError('SB_ERR_STORE_INDEX_CONFLICT'));
        await items.deleteMany({ k: 'same' });
        await items.createIndex({ keys: { k: 1 }, unique: true });
        await items.insertOne({ _id: '4', k: 'same' });
        await rejectsWith(items.insertOne({ _id: '5', k: 'same' }), duplicate('items', 'k_1'));
      });

      it('a partial unique index only constrains the documents its filter selects', async () => {
        await items.createIndex({ keys: { email: 1 }, unique: true, partial: { email: { $exists: true } } });
        await items.insertOne({ _id: '1' });
        await items.insertOne({ _id: '2' });
        await items.insertOne({ _id: '3', email: 'a@x' });
        await rejectsWith(items.insertOne({ _id: '4', email: 'a@x' }), duplicate('items', 'email_1'));

        await items.createIndex({ keys: { ticketNo: 1 }, unique: true, name: 'open_ticket', partial: { status: 'open' } });
        await items.insertOne({ _id: 't1', ticketNo: 7, status: 'closed' });
        await items.insertOne({ _id: 't2', ticketNo: 7, status: 'closed' });
        await items.insertOne({ _id: 't3', ticketNo: 7, status: 'open' });
        await rejectsWith(items.insertOne({ _id: 't4', ticketNo: 7, status: 'open' }), duplicate('items', 'open_ticket'));
        await rejectsWith(items.updateOne({ _id: 't1' }, { $set: { status: 'open' } }), duplicate('items', 'open_ticket'));
        await items.updateOne({ _id: 't3' }, { $set: { status: 'closed' } });
        await items.updateOne({ _id: 't1' }, { $set: { status: 'open' } });
        expect(await ids({ ticketNo: 7, status: 'open' })).toEqual(['t1']);
      });

      it('refuses partial filters neither adapter evaluates alike', async () => {
        await rejectsWith(
          items.createIndex({ keys: { a: 1 }, unique: true, partial: { a: { $exists: false } } }),
          storeError('SB_ERR_STORE_UNSUPPORTED'),
        );
        await rejectsWith(
          items.createIndex({ keys: { a: 1 }, unique: true, partial: { $or: [{ a: 1 }, { b: 1 }] } }),
          storeError('SB_ERR_STORE_UNSUPPORTED'),
        );
        await rejectsWith(
          items.createIndex({ keys: { a: 1 }, unique: true, partial: { a: { $in: [1] } } }),
          storeError('SB_ERR_STORE_UNSUPPORTED'),
        );
      });

      it('updateMany that would duplicate a unique key fails with DuplicateKeyError', async () => {
        await items.createIndex({ keys: { slot: 1 }, unique: true });
        await items.insertOne({ _id: 'a', slot: 1, group: 'g' });
        await items.insertOne({ _id: 'b', slot: 2, group: 'g' });
        await items.updateMany({ group: 'g' }, { $inc: { slot: 10 } });
        expect(await ids({ slot: { $in: [11, 12] } })).toEqual(['a', 'b']);
        // MongoDB may have updated some documents before the failing one; the embedded store none.
        await rejectsWith(items.updateMany({ group: 'g' }, { $set: { slot: 9 } }), duplicate('items', 'slot_1'));
      });

      it('queries through indexed fields return what a scan would', async () => {
        await items.createIndex({ keys: { tenantId: 1, conv: 1, at: 1 } });
        for (let i = 0; i < 30; i++) {
          await items.insertOne({ _id: `m${String(i).padStart(2, '0')}`, tenantId: `t${i % 2}`, conv: `c${i % 3}`, at: i, tags: [`g${i % 5}`] });
        }
        expect(await items.countDocuments({ tenantId: 't0', conv: 'c1' })).toBe(5);
        expect(await items.countDocuments({ tenantId: 't0', conv: { $in: ['c1', 'c2'] } })).toBe(10);
        expect(await items.countDocuments({ tenantId: 't1', conv: 'c0', at: { $gt: 10 } })).toBe(3);
        await items.updateMany({ tenantId: 't0', conv: 'c1' }, { $set: { conv: 'c9' } });
        expect(await items.countDocuments({ tenantId: 't0', conv: 'c1' })).toBe(0);
        expect(await items.countDocuments({ tenantId: 't0', conv: 'c9' })).toBe(5);
        await items.deleteMany({ tenantId: 't0', conv: 'c9' });
        expect(await items.countDocuments({ tenantId: 't0' })).toBe(10);
        await items.insertOne({ _id: 'no-tenant', conv: 'c0' });
        expect(await ids({ tenantId: null })).toEqual(['no-tenant']);
        expect(await ids({ tenantId: { $in: [null, 'tx'] }, conv: 'c0' })).toEqual(['no-tenant']);
      });
    });

    describe('concurrency', () => {
      it('20 concurrent upserts of one key leave exactly one document that saw all of them', async () => {
        await items.createIndex({ keys: { tenantId: 1, channel: 1, externalId: 1 }, unique: true });
        const key = { tenantId: 't1', channel: 'email', externalId: 'msg-1' };
        const results = await Promise.all(
          Array.from({ length: 20 }, (_, i) =>
            items.updateOne(key, { $setOnInsert: { firstWriter: i }, $inc: { seen: 1 } }, { upsert: true }),
          ),
        );
        expect(results.filter((r) => r.upsertedId !== undefined)).toHaveLength(1);
        const docs = await items.find(key);
        expect(docs).toHaveLength(1);
        expect(docs[0]!.seen).toBe(20);
      });

      it('20 concurrent findOneAndUpdate upserts of one _id create one document', async () => {
        await Promise.all(
          Array.from({ length: 20 }, () => items.findOneAndUpdate({ _id: 'one' }, { $inc: { n: 1 } }, { upsert: true })),
        );
        expect(await items.find({})).toEqual([{ _id: 'one', n: 20 }]);
      });

      it('100 concurrent $inc through findOneAndUpdate never lose an increment', async () => {
        await items.insertOne({ _id: 'counter', n: 0 });
        const values = await Promise.all(
          Array.from({ length: 100 }, () => items.findOneAndUpdate({ _id: 'counter' }, { $inc: { n: 1 } })),
        );
        const seen = values.map((d) => d!.n as number).sort((a, b) => a - b);
        expect(seen).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
        expect((await items.findOne({ _id: 'counter' }))!.n).toBe(100);
      });
    });

    describe('aggregate', () => {
      const hour = (h: number) => new Date(Date.UTC(2026, 0, 1, h));
      const seed = async () => {
        await items.insertOne({ _id: 'r1', t: 'x', at: hour(1), channel: 'web', agent: 'a', n: 2, v: 10, hist: [{ b: 1, n: 1 }, { b: 3, n: 2 }] });
        await items.insertOne({ _id: 'r2', t: 'x', at: hour(1), channel: 'email', agent: 'b', n: 3, v: 30, hist: [{ b: 3, n: 4 }] });
        await items.insertOne({ _id: 'r3', t: 'x', at: hour(2), channel: 'web', agent: null, n: 5, hist: [] });
        await items.insertOne({ _id: 'r4', t: 'y', at: hour(2), channel: 'web', agent: 'a', n: 7, v: 70 });
      };

      it('$match, $group with field and compound keys and every accumulator, $sort', async () => {
        await seed();
        const rows = await items.aggregate([
          { $match: { t: 'x' } },
          {
            $group: {
              _id: { at: '$at', channel: '$channel' },
              total: { $sum: '$n' },
              count: { $sum: 1 },
              avg: { $avg: '$v' },
              min: { $min: '$v' },
              max: { $max: '$n' },
              agents: { $push: '$agent' },
              first: { $first: '$_id' },
            },
          },
          { $sort: { '_id.at': 1, '_id.channel': 1 } },
        ]);
        expect(rows).toEqual([
          { _id: { at: hour(1), channel: 'email' }, total: 3, count: 1, avg: 30, min: 30, max: 3, agents: ['b'], first: 'r2' },
          { _id: { at: hour(1), channel: 'web' }, total: 2, count: 1, avg: 10, min: 10, max: 2, agents: ['a'], first: 'r1' },
          // v is missing: $avg and $min give null; $push keeps the null agent.
          { _id: { at: hour(2), channel: 'web' }, total: 5, count: 1, avg: null, min: null, max: 5, agents: [null], first: 'r3' },
        ]);
      });

      it('groups by one field or by null, missing fields group as null', async () => {
        await seed();
        expect(await items.aggregate([{ $group: { _id: null, total: { $sum: '$n' } } }])).toEqual([{ _id: null, total: 17 }]);
        const byAgent = await items.aggregate([{ $group: { _id: '$agent', n: { $sum: '$n' } } }, { $sort: { _id: 1 } }]);
        expect(byAgent).toEqual([
          { _id: null, n: 5 },
          { _id: 'a', n: 9 },
          { _id: 'b', n: 3 },
        ]);
        expect(await items.aggregate([{ $match: { t: 'none' } }, { $group: { _id: null, n: { $sum: 1 } } }])).toEqual([]);
      });

      it('$unwind an array of buckets and sums them; empty arrays and missing fields drop out', async () => {
        await seed();
        const buckets = await items.aggregate([
          { $match: { at: { $gte: hour(0), $lt: hour(3) } } },
          { $unwind: '$hist' },
          { $group: { _id: '$hist.b', n: { $sum: '$hist.n' } } },
          { $sort: { _id: -1 } },
        ]);
        expect(buckets).toEqual([
          { _id: 3, n: 6 },
          { _id: 1, n: 1 },
        ]);
      });

      it('$project keeps and renames top-level fields; $sort, $skip, $limit', async () => {
        await seed();
        const rows = await items.aggregate([
          { $sort: { n: -1 } },
          { $skip: 1 },
          { $limit: 2 },
          { $project: { _id: 0, n: 1, who: '$agent', when: '$at' } },
        ]);
        expect(rows).toEqual([
          { n: 5, who: null, when: hour(2) },
          { n: 3, who: 'b', when: hour(1) },
        ]);
      });

      it("runs the reports' pipelines: dates in $in and as group keys, $ne null, $project then $unwind into a compound $group", async () => {
        await seed();
        // The totals by hour (volume by day, heat-map): a date _id comes back a Date.
        const byHour = await items.aggregate([
          { $match: { at: { $in: [hour(1), hour(2), hour(5)] }, agent: { $ne: null }, n: { $gt: 1 } } },
          { $group: { _id: '$at', n: { $sum: '$n' }, v: { $sum: '$v' } } },
          { $sort: { _id: 1 } },
        ]);
        expect(byHour).toEqual([
          { _id: hour(1), n: 5, v: 40 },
          { _id: hour(2), n: 7, v: 70 },
        ]);
        // The histograms by agent: only the key and the buckets travel to $unwind.
        const buckets = await items.aggregate<{ _id: { k?: string | null; b: number }; n: number }>([
          { $match: { at: { $gte: hour(0), $lt: hour(3) }, t: 'x' } },
          { $project: { _id: 0, k: '$agent', hist: 1 } },
          { $unwind: '$hist' },
          { $group: { _id: { k: '$k', b: '$hist.b' }, n: { $sum: '$hist.n' } } },
          { $sort: { '_id.k': 1, '_id.b': 1 } },
        ]);
        expect(buckets).toEqual([
          { _id: { k: 'a', b: 1 }, n: 1 },
          { _id: { k: 'a', b: 3 }, n: 2 },
          { _id: { k: 'b', b: 3 }, n: 4 },
        ]);
        // Grouping by a date and by one field over the same rows agree with a plain sum.
        const [all] = await items.aggregate<{ n: number }>([{ $match: { t: { $in: ['x', 'y'] } } }, { $group: { _id: null, n: { $sum: '$n' } } }]);
        const perHour = await items.aggregate<{ n: number }>([{ $group: { _id: '$at', n: { $sum: '$n' } } }]);
        expect(perHour.reduce((s, r) => s + r.n, 0)).toBe(all!.n);
      });

      it('refuses stages and operators outside the subset with a StoreError', async () => {
        await seed();
        await rejectsWith(items.aggregate([{ $lookup: { from: 'x' } } as never]), storeError('SB_ERR_STORE_UNSUPPORTED'));
        await rejectsWith(
          items.aggregate([{ $group: { _id: null, s: { $stdDevPop: '$n' } } } as never]),
          storeError('SB_ERR_STORE_UNSUPPORTED'),
        );
        await rejectsWith(
          items.aggregate([{ $group: { _id: { $dateTrunc: { date: '$at', unit: 'day' } } } } as never]),
          storeError('SB_ERR_STORE_UNSUPPORTED'),
        );
        await rejectsWith(items.aggregate([{ $limit: 0 }]), storeError('SB_ERR_STORE_INVALID'));
        await rejectsWith(items.aggregate([{ $match: { n: 1 }, $limit: 1 } as never]), storeError('SB_ERR_STORE_INVALID'));
      });
    });

    describe('store', () => {
      it('keeps collections apart, answers ping, and drop empties everything', async () => {
        const other = store.collection<Row>('other');
        await items.insertOne({ _id: 'a' });
        await other.insertOne({ _id: 'a', where: 'other' });
        expect(await ids({})).toEqual(['a']);
        expect(await other.findOne({ _id: 'a' })).toEqual({ _id: 'a', where: 'other' });
        expect(store.collection('items').name).toBe('items');
        await store.ping();
        await store.drop();
        expect(await items.countDocuments({})).toBe(0);
        expect(await other.countDocuments({})).toBe(0);
        await items.insertOne({ _id: 'after-drop' });
        expect(await ids({})).toEqual(['after-drop']);
      });
    });
  });
}
