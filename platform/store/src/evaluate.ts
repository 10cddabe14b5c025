/**
 * The embedded store's query engine: evaluates the validated Filter/Update subset on documents in
 * memory with MongoDB's semantics (arrays match by element, null matches missing, $ne/$nin are
 * negations, BSON type order in sort and $min/$max, upserts seeded from the filter's equality
 * fields). Inputs are assumed to have passed core.ts's checks.
 */
import { copyStored, isOperatorObject, isPlainObject, regexFor, type Plain } from './core.js';
import { invalid } from './errors.js';
import type { Filter, Sort, Update } from './types.js';

/**
 * Values reached by a dotted path the MongoDB way: an array met on the way fans out over its
 * object elements (and a numeric segment also indexes it). `undefined` marks a branch where the
 * path is missing.
 */
export function reach(value: unknown, parts: readonly string[], i = 0): unknown[] {
  if (i === parts.length) return [value];
  const part = parts[i]!;
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    if (/^\d+$/.test(part)) out.push(...reach(value[Number(part)], parts, i + 1));
    for (const el of value) if (isPlainObject(el)) out.push(...reach(el, parts, i));
    return out.length > 0 ? out : [undefined];
  }
  if (isPlainObject(value)) return reach(value[part], parts, i + 1);
  return [undefined];
}

/** The reached values plus, for arrays, their elements: what equality and comparisons test. */
function candidates(reached: unknown[]): unknown[] {
  const out: unknown[] = [];
  for (const v of reached) {
    out.push(v);
    if (Array.isArray(v)) out.push(...v);
  }
  return out;
}

export function valueEquals(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a instanceof Date || b instanceof Date) {
    return a instanceof Date && b instanceof Date && a.getTime() === b.getTime();
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    return (
      Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => valueEquals(x, b[i]))
    );
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    // Embedded documents are equal only with the same fields in the same order, as in MongoDB.
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    return ka.length === kb.length && ka.every((k, i) => k === kb[i] && valueEquals(a[k], b[k]));
  }
  return false;
}

function eqMatches(values: unknown[], q: unknown): boolean {
  if (q === null) return values.some((v) => v === null || v === undefined);
  return values.some((v) => valueEquals(v, q));
}

type Bracket = 'number' | 'string' | 'date' | 'boolean' | 'other';
function bracket(v: unknown): Bracket {
  if (typeof v === 'number') return 'number';
  if (typeof v === 'string') return 'string';
  if (v instanceof Date) return 'date';
  if (typeof v === 'boolean') return 'boolean';
  return 'other';
}

function rangeMatches(values: unknown[], op: string, q: unknown): boolean {
  if (q === null) return op === '$gte' || op === '$lte' ? eqMatches(values, null) : false;
  const type = bracket(q);
  return values.some((v) => {
    if (bracket(v) !== type || type === 'other') return false;
    const c = compareValues(v, q);
    return op === '$gt' ? c > 0 : op === '$gte' ? c >= 0 : op === '$lt' ? c < 0 : c <= 0;
  });
}

/** One field's condition (literal or operator object) against the values its path reached. */
function conditionMatches(reached: unknown[], cond: unknown, path: string): boolean {
  if (!isOperatorObject(cond)) return eqMatches(candidates(reached), cond);
  const values = candidates(reached);
  for (const [op, q] of Object.entries(cond)) {
    let ok: boolean;
    switch (op) {
      case '$eq':
        ok = eqMatches(values, q);
        break;
      case '$ne':
        ok = !eqMatches(values, q);
        break;
      case '$in':
        ok = (q as unknown[]).some((item) => eqMatches(values, item));
        break;
      case '$nin':
        ok = !(q as unknown[]).some((item) => eqMatches(values, item));
        break;
      case '$gt':
      case '$gte':
      case '$lt':
      case '$lte':
        ok = rangeMatches(values, op, q);
        break;
      case '$exists':
        ok = reached.some((v) => v !== undefined) === q;
        break;
      case '$regex': {
        const re = regexFor(q as string, cond.$options, path);
        ok = values.some((v) => typeof v === 'string' && re.test(v));
        break;
      }
      case '$options':
        ok = true;
        break;
      default:
        throw invalid(`Unknown operator ${op}.`);
    }
    if (!ok) return false;
  }
  return true;
}

export function matches(doc: unknown, filter: Filter): boolean {
  for (const [key, cond] of Object.entries(filter)) {
    if (key === '$and') {
      if (!(cond as Filter[]).every((f) => matches(doc, f))) return false;
    } else if (key === '$or') {
      if (!(cond as Filter[]).some((f) => matches(doc, f))) return false;
    } else if (!conditionMatches(reach(doc, key.split('.')), cond, key)) {
      return false;
    }
  }
  return true;
}

/** BSON comparison order: null/missing < numbers < strings < objects < arrays < booleans < dates. */
function typeRank(v: unknown): number {
  if (v === null || v === undefined) return 1;
  if (typeof v === 'number') return 2;
  if (typeof v === 'string') return 3;
  if (Array.isArray(v)) return 5;
  if (typeof v === 'boolean') return 8;
  if (v instanceof Date) return 9;
  return 4;
}

export function compareValues(a: unknown, b: unknown): number {
  const ra = typeRank(a);
  const rb = typeRank(b);
  if (ra !== rb) return ra < rb ? -1 : 1;
  switch (ra) {
    case 1:
      return 0;
    case 2:
      return (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0;
    case 3:
      return (a as string) < (b as string) ? -1 : (a as string) > (b as string) ? 1 : 0;
    case 8:
      return Number(a) - Number(b);
    case 9:
      return Math.sign((a as Date).getTime() - (b as Date).getTime());
    case 5: {
      const x = a as unknown[];
      const y = b as unknown[];
      for (let i = 0; i < Math.min(x.length, y.length); i++) {
        const c = compareValues(x[i], y[i]);
        if (c !== 0) return c;
      }
      return Math.sign(x.length - y.length);
    }
    default: {
      const x = Object.entries(a as Plain);
      const y = Object.entries(b as Plain);
      for (let i = 0; i < Math.min(x.length, y.length); i++) {
        const [kx, vx] = x[i]!;
        const [ky, vy] = y[i]!;
        const c = compareValues(vx, vy) || (kx < ky ? -1 : kx > ky ? 1 : 0);
        if (c !== 0) return c;
      }
      return Math.sign(x.length - y.length);
    }
  }
}

/** A document's sort key for one field: arrays sort by their least (ascending) or greatest element. */
function sortKey(doc: unknown, parts: string[], dir: 1 | -1): unknown {
  const values: unknown[] = [];
  for (const v of reach(doc, parts)) {
    if (Array.isArray(v)) values.push(...(v.length > 0 ? v : [undefined]));
    else values.push(v);
  }
  let best: unknown = values[0];
  for (const v of values.slice(1)) {
    const c = compareValues(v, best);
    if (dir === 1 ? c < 0 : c > 0) best = v;
  }
  return best;
}

/** Stable sort; documents that tie on every key keep their order (by _id in the embedded store). */
export function sortDocuments<T>(docs: T[], sort: Sort | undefined): T[] {
  const keys = Object.entries(sort ?? {}) as [string, 1 | -1][];
  if (keys.length === 0) return docs;
  const decorated = docs.map((doc) => ({ doc, k: keys.map(([p, dir]) => sortKey(doc, p.split('.'), dir)) }));
  decorated.sort((a, b) => {
    for (let i = 0; i < keys.length; i++) {
      const c = compareValues(a.k[i], b.k[i]);
      if (c !== 0) return c * keys[i]![1];
    }
    return 0;
  });
  return decorated.map((d) => d.doc);
}

type ProjectionTree = { [field: string]: true | ProjectionTree };

function projectInto(value: Plain, tree: ProjectionTree): Plain {
  const out: Plain = {};
  for (const [key, item] of Object.entries(value)) {
    const sub = tree[key];
    if (sub === undefined) continue;
    if (sub === true) out[key] = item;
    else if (isPlainObject(item)) out[key] = projectInto(item, sub);
    else if (Array.isArray(item)) out[key] = item.filter(isPlainObject).map((el) => projectInto(el, sub));
  }
  return out;
}

/** Inclusion projection; _id always kept; fields come in document order as MongoDB returns them. */
export function project<T>(doc: T, projection: Record<string, 1> | undefined): T {
  if (!projection || Object.keys(projection).length === 0) return doc;
  const tree: ProjectionTree = { _id: true };
  for (const path of Object.keys(projection)) {
    const parts = path.split('.');
    let node = tree;
    parts.forEach((part, i) => {
      if (i === parts.length - 1) node[part] = true;
      else {
        const next = node[part];
        if (next === true) return;
        node = node[part] = next ?? {};
      }
    });
  }
  return projectInto(doc as Plain, tree) as T;
}

// ---- updates -------------------------------------------------------------------------------

function isIndex(part: string): boolean {
  return /^\d+$/.test(part);
}

function getPath(doc: Plain, parts: string[]): unknown {
  let cur: unknown = doc;
  for (const part of parts) {
    if (Array.isArray(cur) && isIndex(part)) cur = cur[Number(part)];
    else if (isPlainObject(cur)) cur = cur[part];
    else return undefined;
  }
  return cur;
}

function setPath(doc: Plain, parts: string[], value: unknown): void {
  let cur: unknown = doc;
  const path = parts.join('.');
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    const last = i === parts.length - 1;
    if (Array.isArray(cur)) {
      if (!isIndex(part)) throw invalid(`Cannot create field "${part}" of "${path}" inside an array.`);
      const idx = Number(part);
      while (cur.length < idx) cur.push(null);
      if (last) cur[idx] = value;
      else {
        if (cur[idx] === undefined) cur[idx] = {};
        cur = cur[idx];
      }
    } else if (isPlainObject(cur)) {
      if (last) cur[part] = value;
      else {
        if (cur[part] === undefined) cur[part] = {};
        cur = cur[part];
      }
    } else {
      throw invalid(`Cannot create field "${part}" of "${path}": its parent is not an object.`);
    }
  }
}

function unsetPath(doc: Plain, parts: string[]): void {
  const parent = getPath(doc, parts.slice(0, -1));
  const last = parts[parts.length - 1]!;
  if (Array.isArray(parent) && isIndex(last)) {
    if (Number(last) < parent.length) parent[Number(last)] = null;
  } else if (isPlainObject(parent)) {
    delete parent[last];
  }
}

function eachItems(value: unknown): unknown[] {
  return isPlainObject(value) && '$each' in value ? (value.$each as unknown[]) : [value];
}

function pullMatches(el: unknown, cond: unknown, path: string): boolean {
  if (isOperatorObject(cond)) return conditionMatches([el], cond, path);
  if (isPlainObject(cond)) return isPlainObject(el) && matches(el, cond as Filter);
  return valueEquals(el, cond);
}

function arrayAt(doc: Plain, parts: string[], op: string): unknown[] | undefined {
  const cur = getPath(doc, parts);
  if (cur === undefined) return undefined;
  if (!Array.isArray(cur)) throw invalid(`${op} needs "${parts.join('.')}" to be an array.`);
  return cur;
}

/**
 * Applies a validated update to a copy of `doc`. `inserting` turns on $setOnInsert. The copy
 * shares nothing with the input.
 */
export function applyUpdate<T>(doc: T, update: Update, inserting: boolean): T {
  const out = copyStored(doc) as Plain;
  for (const [op, fields] of Object.entries(update) as [string, Plain][]) {
    if (op === '$setOnInsert' && !inserting) continue;
    for (const [path, raw] of Object.entries(fields)) {
      const parts = path.split('.');
      const value = copyStored(raw);
      switch (op) {
        case '$set':
        case '$setOnInsert':
          setPath(out, parts, value);
          break;
        case '$unset':
          unsetPath(out, parts);
          break;
        case '$inc': {
          const cur = getPath(out, parts);
          if (cur !== undefined && typeof cur !== 'number') {
            throw invalid(`$inc needs "${path}" to be a number.`);
          }
          setPath(out, parts, (cur ?? 0) + (value as number));
          break;
        }
        case '$push': {
          const arr = arrayAt(out, parts, '$push');
          if (arr) arr.push(...eachItems(value));
          else setPath(out, parts, [...eachItems(value)]);
          break;
        }
        case '$addToSet': {
          const arr = arrayAt(out, parts, '$addToSet') ?? [];
          for (const item of eachItems(value)) if (!arr.some((x) => valueEquals(x, item))) arr.push(item);
          setPath(out, parts, arr);
          break;
        }
        case '$pull': {
          const arr = arrayAt(out, parts, '$pull');
          if (arr) setPath(out, parts, arr.filter((el) => !pullMatches(el, value, path)));
          break;
        }
        case '$max':
        case '$min': {
          const cur = getPath(out, parts);
          const c = compareValues(value, cur);
          if (cur === undefined || (op === '$max' ? c > 0 : c < 0)) setPath(out, parts, value);
          break;
        }
        default:
          throw invalid(`Unknown update operator ${op}.`);
      }
    }
  }
  return out as T;
}

/** What an upsert inserts before the update applies: the filter's equality fields (also in $and). */
export function upsertSeed(filter: Filter): Plain {
  const doc: Plain = {};
  const visit = (f: Filter): void => {
    for (const [key, cond] of Object.entries(f)) {
      if (key === '$and') (cond as Filter[]).forEach(visit);
      else if (key.startsWith('$')) continue;
      else if (!isOperatorObject(cond)) setPath(doc, key.split('.'), copyStored(cond));
      else if ('$eq' in cond) setPath(doc, key.split('.'), copyStored(cond.$eq));
    }
  };
  visit(filter);
  return doc;
}

/** Type-tagged, order-preserving text form of a value, so 1 and '1' never collide in an index. */
function token(v: unknown): string {
  if (v === null || v === undefined) return 'z';
  if (typeof v === 'number') return `n${v === 0 ? 0 : v}`;
  if (typeof v === 'string') return `s${v}`;
  if (typeof v === 'boolean') return `b${v}`;
  if (v instanceof Date) return `d${v.getTime()}`;
  if (Array.isArray(v)) return `a[${v.map(token).join(',')}]`;
  return `o{${Object.entries(v as Plain)
    .map(([k, x]) => `${JSON.stringify(k)}:${token(x)}`)
    .join(',')}}`;
}

/**
 * The keys a document contributes to an index on `fields`: one per combination of values, with
 * arrays contributing each element (multikey) and a missing field indexed as null, as in MongoDB.
 */
export function indexKeys(doc: unknown, fields: readonly string[][]): string[] {
  return fields.length > 0 ? indexKeysByPrefix(doc, fields)[fields.length - 1]! : [JSON.stringify([])];
}

/** indexKeys of every prefix of `fields` in one pass: [k] holds the keys of the first k+1 fields. */
export function indexKeysByPrefix(doc: unknown, fields: readonly string[][]): string[][] {
  // A key is JSON.stringify of its tokens; built as text prefix by prefix, since this runs for
  // every index on every write (most fields reach one plain value: no sets, no arrays then).
  let prefixes: string[] = [];
  const out: string[][] = [];
  for (const [i, parts] of fields.entries()) {
    const encoded = encodedTokens(reach(doc, parts));
    const next: string[] = [];
    if (i === 0) next.push(...encoded);
    else for (const prefix of prefixes) for (const e of encoded) next.push(`${prefix},${e}`);
    prefixes = next;
    out.push(next.map((k) => `[${k}]`));
  }
  return out;
}

/** The JSON-encoded index tokens of a field's reached values (arrays contribute each element). */
function encodedTokens(reached: unknown[]): string[] {
  if (reached.length === 1 && !Array.isArray(reached[0])) return [JSON.stringify(token(reached[0]))];
  const tokens = new Set<string>();
  for (const v of reached) {
    if (Array.isArray(v)) {
      if (v.length === 0) tokens.add('a[]');
      for (const el of v) tokens.add(token(el));
    } else tokens.add(token(v));
  }
  return [...tokens].map((t) => JSON.stringify(t));
}

/**
 * Whether two versions of a document hold the same values in these fields, compared cheaply:
 * true only for plain values that are equal (or the same object); anything else answers false,
 * and the caller then compares index keys.
 */
export function sameFieldValues(a: unknown, b: unknown, fields: readonly string[][]): boolean {
  for (const parts of fields) {
    const x = reach(a, parts);
    const y = reach(b, parts);
    if (x.length !== 1 || y.length !== 1) return false;
    const [u, v] = [x[0], y[0]];
    if (u === v) continue;
    if (u instanceof Date && v instanceof Date && u.getTime() === v.getTime()) continue;
    return false;
  }
  return true;
}

/** Equality constraints of a filter usable for an index lookup: path → allowed values. */
export function equalityConstraints(filter: Filter): Map<string, unknown[]> {
  const out = new Map<string, unknown[]>();
  collectEqualities(filter, out);
  return out;
}

// Module-level rather than closures made per call: a lookup runs for every store operation.
function usableForLookup(v: unknown): boolean {
  return v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || v instanceof Date;
}

function collectEqualities(f: Filter, out: Map<string, unknown[]>): void {
  for (const [key, cond] of Object.entries(f)) {
    if (key === '$and') for (const part of cond as Filter[]) collectEqualities(part, out);
    else if (key.startsWith('$') || out.has(key)) continue;
    else if (usableForLookup(cond)) out.set(key, [cond]);
    else if (isOperatorObject(cond)) {
      if ('$eq' in cond && usableForLookup(cond.$eq)) out.set(key, [cond.$eq]);
      else if (Array.isArray(cond.$in) && cond.$in.every(usableForLookup)) out.set(key, cond.$in);
    }
  }
}

/** Index keys (as indexKeys builds them) for the given per-field values. */
export function lookupKeys(valuesPerField: unknown[][]): string[] {
  let keys: string[] = [];
  for (const [i, values] of valuesPerField.entries()) {
    const encoded = values.map((v) => JSON.stringify(token(v)));
    keys = i === 0 ? encoded : keys.flatMap((prefix) => encoded.map((e) => `${prefix},${e}`));
  }
  return valuesPerField.length === 0 ? ['[]'] : keys.map((k) => `[${k}]`);
}
