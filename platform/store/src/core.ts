/**
 * Logic both adapters share: validation of names, documents, filters, updates and options against
 * the supported subset, upsert ids, and index names and partial filters. Both adapters call these
 * before touching storage, so an application that works on the embedded store works on MongoDB
 * and the reverse: anything outside the subset fails the same way on both.
 */
import { randomBytes } from 'node:crypto';
import { invalid, unsupported } from './errors.js';
import type { Doc, Filter, FindOptions, IndexSpec, Sort, Update } from './types.js';

export type Plain = Record<string, unknown>;

export function isPlainObject(value: unknown): value is Plain {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** `{ $gt: 1, $lt: 5 }`: a plain object whose keys all start with `$`. */
export function isOperatorObject(value: unknown): value is Plain {
  if (!isPlainObject(value)) return false;
  const keys = Object.keys(value);
  return keys.length > 0 && keys.every((k) => k.startsWith('$'));
}

const COLLECTION_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,119}$/;

/** Collection names double as file names on the embedded store, so they are kept simple. */
export function assertCollectionName(name: string): void {
  if (!COLLECTION_NAME.test(name)) {
    throw invalid(
      `Collection name "${name}" is invalid: use a letter then letters, digits, "_" or "-" (at most 120).`,
    );
  }
}

function assertFieldName(key: string, where: string): void {
  if (key === '' || key.startsWith('$') || key.includes('.') || key.includes('\0')) {
    throw invalid(`Field name "${key}" in ${where} is invalid: no leading "$", no ".", not empty.`);
  }
}

/**
 * A copy of a stored value with `undefined` removed from objects (turned into null inside
 * arrays), as the MongoDB driver does with ignoreUndefined; rejects what neither adapter stores
 * the same way (functions, class instances, Buffers, NaN, invalid Dates).
 */
export function cleanValue(value: unknown, where: string): unknown {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw invalid(`${where} holds ${value}; only finite numbers are stored.`);
    return value;
  }
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw invalid(`${where} holds an invalid Date.`);
    return new Date(value.getTime());
  }
  if (Array.isArray(value)) {
    return value.map((item, i) => (item === undefined ? null : cleanValue(item, `${where}[${i}]`)));
  }
  if (isPlainObject(value)) {
    const out: Plain = {};
    for (const [key, item] of Object.entries(value)) {
      assertFieldName(key, where);
      if (item !== undefined) out[key] = cleanValue(item, `${where}.${key}`);
    }
    return out;
  }
  throw invalid(
    `${where} holds a ${typeof value === 'object' ? (value.constructor?.name ?? 'object') : typeof value}; ` +
      'only strings, finite numbers, booleans, null, Dates, arrays and plain objects are stored.',
  );
}

/**
 * A deep copy of stored values (plain objects, arrays, Dates and primitives, as cleanValue
 * admits, plus the RegExps a filter may hold), sharing nothing with the input, with each Date
 * turned into what `date` makes of it. One walk for the store's copies and its datafile lines.
 */
export function mapStored(value: unknown, date: (d: Date) => unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Date) return date(value);
  if (Array.isArray(value)) return value.map((item) => mapStored(item, date));
  if (value instanceof RegExp) return new RegExp(value.source, value.flags);
  const out: Plain = {};
  for (const key of Object.keys(value)) out[key] = mapStored((value as Plain)[key], date);
  return out;
}

const copyDate = (d: Date): Date => new Date(d.getTime());

/**
 * A deep copy of stored values. It replaces structuredClone on every read and update of the
 * embedded store: the values' shapes are known, so it copies about 5× faster and leaves less
 * garbage (structuredClone was ≈6 % of a busy hub's CPU in bench/ingest.ts).
 */
export function copyStored<T>(value: T): T {
  return mapStored(value, copyDate) as T;
}

/** Validated copy of a document to insert: a non-empty string _id and storable values. */
export function cleanDocument<T extends Doc>(doc: T, collection: string): T {
  if (!isPlainObject(doc)) throw invalid(`A document for ${collection} must be a plain object.`);
  if (typeof doc._id !== 'string' || doc._id === '') {
    throw invalid(`A document for ${collection} needs a non-empty string _id chosen by the application.`);
  }
  return cleanValue(doc, 'document') as T;
}

function splitPath(path: string, where: string): string[] {
  const parts = path.split('.');
  for (const part of parts) {
    if (part === '') throw invalid(`Path "${path}" in ${where} has an empty segment.`);
    if (part.startsWith('$')) throw unsupported(`The positional path "${path}" in ${where}`);
  }
  return parts;
}

const FIELD_OPERATORS = new Set([
  '$eq',
  '$ne',
  '$in',
  '$nin',
  '$gt',
  '$gte',
  '$lt',
  '$lte',
  '$exists',
  '$regex',
  '$options',
]);

function isScalarOrDate(value: unknown): boolean {
  return (
    value === null ||
    typeof value === 'string' ||
    typeof value === 'number' ||
    typeof value === 'boolean' ||
    value instanceof Date
  );
}

function assertFieldCondition(path: string, cond: unknown, where: string): void {
  if (cond === undefined) {
    // A filter field left undefined would match every document on MongoDB with ignoreUndefined
    // (the field is dropped): for a tenantId that is a data leak, so it is refused.
    throw invalid(`Filter field "${path}" in ${where} is undefined; leave it out or give a value.`);
  }
  if (isPlainObject(cond) && Object.keys(cond).some((k) => k.startsWith('$'))) {
    for (const [op, operand] of Object.entries(cond)) {
      if (!op.startsWith('$')) throw invalid(`Filter field "${path}" mixes operators and fields.`);
      if (!FIELD_OPERATORS.has(op)) throw unsupported(`The filter operator ${op} (on "${path}")`);
      if (operand === undefined) throw invalid(`Operator ${op} on "${path}" is undefined.`);
      if (op === '$in' || op === '$nin') {
        if (!Array.isArray(operand)) throw invalid(`${op} on "${path}" needs an array.`);
        operand.forEach((item, i) => cleanValue(item, `${op}[${i}] on "${path}"`));
      } else if (op === '$exists') {
        if (typeof operand !== 'boolean') throw invalid(`$exists on "${path}" needs true or false.`);
      } else if (op === '$regex') {
        if (typeof operand !== 'string') throw invalid(`$regex on "${path}" needs a string pattern.`);
        regexFor(operand, cond.$options, path);
      } else if (op === '$options') {
        if (!('$regex' in cond)) throw invalid(`$options on "${path}" needs $regex beside it.`);
      } else if (op === '$gt' || op === '$gte' || op === '$lt' || op === '$lte') {
        if (!isScalarOrDate(operand)) throw unsupported(`Comparing "${path}" with an array or object`);
      } else {
        cleanValue(operand, `${op} on "${path}"`);
      }
    }
    return;
  }
  cleanValue(cond, `filter field "${path}"`);
}

/** The RegExp for `$regex`/`$options`; only the i, m and s flags mean the same in both engines. */
export function regexFor(pattern: string, options: unknown, path: string): RegExp {
  const flags = options === undefined ? '' : options;
  if (typeof flags !== 'string' || !/^[ims]*$/.test(flags)) {
    throw unsupported(`$options "${String(flags)}" on "${path}" (only i, m and s are supported)`);
  }
  try {
    return new RegExp(pattern, flags);
  } catch (err) {
    throw invalid(`$regex on "${path}" is not a valid pattern: ${(err as Error).message}`);
  }
}

/** Throws unless the filter stays inside the supported subset. */
export function assertFilter(filter: Filter, where = 'the filter'): void {
  if (!isPlainObject(filter)) throw invalid(`${where} must be a plain object.`);
  for (const [key, cond] of Object.entries(filter)) {
    if (key === '$and' || key === '$or') {
      if (!Array.isArray(cond) || cond.length === 0) {
        throw invalid(`${key} in ${where} needs a non-empty array of filters.`);
      }
      for (const sub of cond) assertFilter(sub as Filter, `${key} in ${where}`);
    } else if (key.startsWith('$')) {
      throw unsupported(`The top-level filter operator ${key}`);
    } else {
      splitPath(key, where);
      assertFieldCondition(key, cond, where);
    }
  }
}

const UPDATE_OPERATORS = [
  '$set',
  '$unset',
  '$inc',
  '$push',
  '$addToSet',
  '$pull',
  '$max',
  '$min',
  '$setOnInsert',
] as const;
type UpdateOperator = (typeof UPDATE_OPERATORS)[number];

/**
 * Validated copy of an update: operators only (no whole-document replacement), fields that do
 * not collide, no change of _id (only $setOnInsert may give one), `undefined` values dropped.
 */
export function cleanUpdate(update: Update): Update {
  if (!isPlainObject(update)) throw invalid('An update must be a plain object of operators.');
  const keys = Object.keys(update);
  if (keys.length === 0) throw invalid('An update needs at least one operator such as $set.');
  const out: Record<string, Plain> = {};
  const paths: string[][] = [];
  for (const op of keys) {
    if (!op.startsWith('$')) {
      throw invalid(`Updates must use operators ($set, $inc …); "${op}" looks like a whole-document replacement.`);
    }
    if (!(UPDATE_OPERATORS as readonly string[]).includes(op)) throw unsupported(`The update operator ${op}`);
    const fields = update[op as UpdateOperator];
    if (!isPlainObject(fields)) throw invalid(`${op} needs an object of fields.`);
    const cleaned: Plain = {};
    for (const [path, value] of Object.entries(fields)) {
      if (value === undefined) continue;
      const parts = splitPath(path, op);
      if (parts[0] === '_id' && op !== '$setOnInsert') {
        throw invalid(`${op} may not touch _id: a document's _id never changes (give it in $setOnInsert).`);
      }
      cleaned[path] = cleanOperand(op as UpdateOperator, path, value);
      paths.push(parts);
    }
    if (Object.keys(cleaned).length > 0) out[op] = cleaned;
  }
  assertNoConflicts(paths);
  return out as Update;
}

function cleanOperand(op: UpdateOperator, path: string, value: unknown): unknown {
  const where = `${op} "${path}"`;
  switch (op) {
    case '$inc':
      if (typeof value !== 'number' || !Number.isFinite(value)) throw invalid(`${where} needs a finite number.`);
      return value;
    case '$unset':
      if (value !== true && value !== 1 && value !== '') throw invalid(`${where} takes true, 1 or "".`);
      return value;
    case '$push':
    case '$addToSet':
      if (isPlainObject(value) && Object.keys(value).some((k) => k.startsWith('$'))) {
        const mods = Object.keys(value);
        if (mods.length !== 1 || mods[0] !== '$each') {
          throw unsupported(`${where} with ${mods.filter((m) => m !== '$each').join(', ') || 'modifiers'} (only $each is)`);
        }
        if (!Array.isArray(value.$each)) throw invalid(`${where} $each needs an array.`);
        return { $each: cleanValue(value.$each, where) };
      }
      return cleanValue(value, where);
    case '$pull':
      // A condition ({ $in: [...] }) or a query on array elements ({ kind: 'x' }): kept as given.
      if (isOperatorObject(value)) assertFieldCondition(path, value, where);
      else if (isPlainObject(value)) assertFilter(value as Filter, where);
      else return cleanValue(value, where);
      return copyStored(value);
    default:
      return cleanValue(value, where);
  }
}

function assertNoConflicts(paths: string[][]): void {
  for (let i = 0; i < paths.length; i++) {
    for (let j = i + 1; j < paths.length; j++) {
      const a = paths[i]!;
      const b = paths[j]!;
      const n = Math.min(a.length, b.length);
      if (a.slice(0, n).join('.') === b.slice(0, n).join('.')) {
        throw invalid(`Updating "${a.join('.')}" and "${b.join('.')}" in one update would conflict.`);
      }
    }
  }
}

/** The _id an upsert would insert, when the filter or $setOnInsert fixes one. */
function fixedUpsertId(filter: Filter, update: Update): boolean {
  if (update.$setOnInsert && '_id' in update.$setOnInsert) return true;
  const visit = (f: Filter): boolean => {
    const id = f._id;
    if (typeof id === 'string') return true;
    if (isPlainObject(id) && typeof id.$eq === 'string') return true;
    return (f.$and ?? []).some(visit);
  };
  return visit(filter);
}

/**
 * Documents have string ids chosen by the application; an upsert whose filter does not fix the
 * _id gets a new UUIDv7 through $setOnInsert, so MongoDB never invents an ObjectId.
 */
export function withUpsertId(filter: Filter, update: Update): Update {
  if (fixedUpsertId(filter, update)) {
    const given = update.$setOnInsert?._id;
    if (given !== undefined && (typeof given !== 'string' || given === '')) {
      throw invalid('$setOnInsert._id must be a non-empty string.');
    }
    return update;
  }
  return { ...update, $setOnInsert: { ...update.$setOnInsert, _id: newId() } };
}

/** UUIDv7: 48 bits of milliseconds then randomness, so ids sort by creation time. */
export function newId(): string {
  const bytes = randomBytes(16);
  const ms = Date.now();
  bytes.writeUIntBE(ms, 0, 6);
  bytes[6] = (bytes[6]! & 0x0f) | 0x70;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function assertSort(sort: Sort | undefined): void {
  if (sort === undefined) return;
  if (!isPlainObject(sort)) throw invalid('sort must be an object such as { createdAt: -1 }.');
  for (const [path, dir] of Object.entries(sort)) {
    splitPath(path, 'sort');
    if (dir !== 1 && dir !== -1) throw invalid(`sort "${path}" must be 1 or -1.`);
  }
}

export function assertFindOptions(opts: FindOptions | undefined): void {
  if (!opts) return;
  assertSort(opts.sort);
  for (const key of ['limit', 'skip'] as const) {
    const n = opts[key];
    if (n !== undefined && (!Number.isInteger(n) || n < 0)) throw invalid(`${key} must be a whole number ≥ 0.`);
  }
  if (opts.projection !== undefined) {
    if (!isPlainObject(opts.projection)) throw invalid('projection must be an object such as { name: 1 }.');
    const paths = Object.entries(opts.projection).map(([path, v]) => {
      if (v !== 1) throw unsupported(`The projection "${path}: ${String(v)}" (inclusion with 1 only)`);
      return splitPath(path, 'projection');
    });
    assertNoConflicts(paths);
  }
}

/** MongoDB's default index name: `tenantId_1_createdAt_-1`. */
export function indexName(spec: IndexSpec): string {
  return spec.name ?? Object.entries(spec.keys).map(([k, v]) => `${k}_${v}`).join('_');
}

export function assertIndexSpec(spec: IndexSpec): void {
  if (!isPlainObject(spec) || !isPlainObject(spec.keys) || Object.keys(spec.keys).length === 0) {
    throw invalid('An index needs keys such as { tenantId: 1, createdAt: -1 }.');
  }
  for (const [path, dir] of Object.entries(spec.keys)) {
    splitPath(path, 'index keys');
    if (dir !== 1 && dir !== -1) throw invalid(`Index key "${path}" must be 1 or -1.`);
  }
  if (spec.name !== undefined && (typeof spec.name !== 'string' || spec.name === '')) {
    throw invalid('An index name must be a non-empty string.');
  }
}

/**
 * The partial filter as MongoDB's partialFilterExpression: field equality, $eq, $exists: true
 * and comparisons, joined by $and, which is what MongoDB accepts there and the embedded store
 * evaluates identically. Nested $and are flattened to the top level MongoDB requires.
 */
export function translatePartial(partial: Filter): Filter {
  assertFilter(partial, 'the partial index filter');
  const clauses: Filter[] = [];
  const visit = (f: Filter): void => {
    for (const [key, cond] of Object.entries(f)) {
      if (key === '$and') {
        (cond as Filter[]).forEach(visit);
        continue;
      }
      if (key === '$or') throw unsupported('$or in a partial index filter');
      if (isOperatorObject(cond)) {
        for (const [op, operand] of Object.entries(cond)) {
          if (op === '$exists' && operand !== true) throw unsupported('$exists: false in a partial index filter');
          if (!['$eq', '$exists', '$gt', '$gte', '$lt', '$lte'].includes(op)) {
            throw unsupported(`${op} in a partial index filter`);
          }
          clauses.push({ [key]: { [op]: operand } } as Filter);
        }
      } else {
        if (Array.isArray(cond) || isPlainObject(cond)) {
          throw unsupported(`Matching "${key}" against an array or object in a partial index filter`);
        }
        clauses.push({ [key]: { $eq: cond } } as Filter);
      }
    }
  };
  visit(partial);
  if (clauses.length === 0) throw invalid('A partial index filter needs at least one condition.');
  return clauses.length === 1 ? clauses[0]! : { $and: clauses };
}
