import { isOperatorObject, isPlainObject, assertFilter, assertSort, type Plain } from './core.js';
import { invalid, unsupported } from './errors.js';
import { compareValues, matches, sortDocuments } from './evaluate.js';
import type { Expression, Filter, PipelineStage, Sort } from './types.js';

/** Evaluates the aggregation subset of types.ts (`PipelineStage`) for the embedded adapter; checks it for both. */


const ACCUMULATORS = new Set(['$sum', '$avg', '$min', '$max', '$push', '$first']);

/** Throws StoreError for anything outside the subset, before either adapter runs it. */
export function assertPipeline(pipeline: readonly PipelineStage[]): void {
  if (!Array.isArray(pipeline)) throw invalid('An aggregation pipeline must be an array of stages.');
  pipeline.forEach((stage, i) => {
    const keys = isPlainObject(stage) ? Object.keys(stage) : [];
    if (keys.length !== 1) throw invalid(`Pipeline stage ${i} must be an object with exactly one stage operator.`);
    const op = keys[0]!;
    const arg = (stage as unknown as Plain)[op];
    switch (op) {
      case '$match':
        if (!isPlainObject(arg)) throw invalid(`$match at stage ${i} needs a filter object.`);
        assertFilter(arg as Filter, `$match at stage ${i}`);
        return;
      case '$group': {
        if (!isPlainObject(arg) || !('_id' in arg)) throw invalid(`$group at stage ${i} needs an _id.`);
        assertExpression(arg._id as Expression, true, `$group _id at stage ${i}`);
        for (const [field, acc] of Object.entries(arg)) {
          if (field === '_id') continue;
          if (field.includes('.') || field.startsWith('$')) throw invalid(`$group output ${field} at stage ${i} must be a plain field name.`);
          const accKeys = isPlainObject(acc) ? Object.keys(acc) : [];
          if (accKeys.length !== 1 || !ACCUMULATORS.has(accKeys[0]!)) {
            throw unsupported(`The $group accumulator of ${field} at stage ${i} (supported: ${[...ACCUMULATORS].join(', ')})`);
          }
          assertExpression((acc as Plain)[accKeys[0]!] as Expression, false, `${accKeys[0]} of ${field} at stage ${i}`);
        }
        return;
      }
      case '$sort':
        if (!isPlainObject(arg) || Object.keys(arg).length === 0) throw invalid(`$sort at stage ${i} needs at least one field.`);
        assertSort(arg as Sort);
        return;
      case '$limit':
      case '$skip':
        if (!Number.isInteger(arg) || (arg as number) < (op === '$limit' ? 1 : 0)) throw invalid(`${op} at stage ${i} needs a ${op === '$limit' ? 'positive' : 'non-negative'} integer.`);
        return;
      case '$project':
        if (!isPlainObject(arg) || Object.keys(arg).length === 0) throw invalid(`$project at stage ${i} needs at least one field.`);
        for (const [field, spec] of Object.entries(arg)) {
          if (field.includes('.') || field.startsWith('$')) throw unsupported(`The $project field ${field} at stage ${i} (top-level names only)`);
          const ok = spec === 1 || (spec === 0 && field === '_id') || (typeof spec === 'string' && isPath(spec));
          if (!ok) throw unsupported(`The $project value of ${field} at stage ${i} (1, '$path', or _id: 0)`);
        }
        return;
      case '$unwind':
        if (typeof arg !== 'string' || !isPath(arg)) throw unsupported(`$unwind at stage ${i} other than a '$path' string`);
        return;
      default:
        throw unsupported(`The aggregation stage ${op}`);
    }
  });
}

function isPath(s: string): boolean {
  return /^\$[A-Za-z_][\w]*(\.[A-Za-z_][\w]*)*$/.test(s);
}

function assertExpression(expr: Expression, allowObject: boolean, where: string): void {
  if (expr === null || typeof expr === 'number' || typeof expr === 'boolean') return;
  if (typeof expr === 'string') {
    if (expr.startsWith('$') && !isPath(expr)) throw unsupported(`The expression ${expr} in ${where}`);
    return;
  }
  if (allowObject && isPlainObject(expr)) {
    for (const [k, v] of Object.entries(expr)) {
      if (k.startsWith('$')) throw unsupported(`The operator ${k} in ${where}`);
      assertExpression(v as Expression, false, where);
    }
    return;
  }
  throw unsupported(`The expression in ${where} (field paths and literals only)`);
}

const pathParts = new Map<string, string[]>();

function getPath(doc: unknown, path: string): unknown {
  let parts = pathParts.get(path);
  if (!parts) {
    parts = path.split('.');
    if (pathParts.size < 1_000) pathParts.set(path, parts);
  }
  let value: unknown = doc;
  for (const part of parts) {
    if (value === null || typeof value !== 'object' || Array.isArray(value) || value instanceof Date) return undefined;
    value = (value as Plain)[part];
  }
  return value;
}

type Compiled = (doc: unknown) => unknown;

/** An expression turned into a function once per stage (not interpreted per document). */
function compile(expr: Expression): Compiled {
  if (typeof expr === 'string' && expr.startsWith('$')) {
    const path = expr.slice(1);
    if (!path.includes('.')) {
      return (doc) => (doc !== null && typeof doc === 'object' && !Array.isArray(doc) && !(doc instanceof Date) ? (doc as Plain)[path] : undefined);
    }
    const parts = path.split('.');
    return (doc) => {
      let value = doc;
      for (const part of parts) {
        if (value === null || typeof value !== 'object' || Array.isArray(value) || value instanceof Date) return undefined;
        value = (value as Plain)[part];
      }
      return value;
    };
  }
  if (isPlainObject(expr)) {
    const fields = Object.entries(expr).map(([k, v]) => [k, compile(v as Expression)] as const);
    return (doc) => {
      const out: Plain = {};
      for (const [k, fn] of fields) {
        const value = fn(doc);
        if (value !== undefined) out[k] = value;
      }
      return out;
    };
  }
  return () => expr;
}

/** The embedded adapter's evaluator; `docs` must be copies the caller may hand out. */
export function runPipeline(docs: unknown[], pipeline: readonly PipelineStage[]): Plain[] {
  let rows = docs as Plain[];
  for (let i = 0; i < pipeline.length; i++) {
    const [op, arg] = Object.entries(pipeline[i]!)[0]! as [string, unknown];
    switch (op) {
      case '$match': {
        const test = compileMatch(arg as Filter);
        rows = rows.filter(test);
        break;
      }
      case '$group':
        rows = group(rows, arg as Plain);
        break;
      case '$sort':
        rows = sortDocuments(rows, arg as Sort);
        break;
      case '$limit':
        rows = rows.slice(0, arg as number);
        break;
      case '$skip':
        rows = rows.slice(arg as number);
        break;
      case '$project': {
        const project = compileProjection(arg as Record<string, 0 | 1 | string>);
        rows = rows.map(project);
        break;
      }
      case '$unwind': {
        const path = (arg as string).slice(1);
        const next = pipeline[i + 1];
        if (next && '$group' in next && !path.includes('.')) {
          // $unwind then $group: each element is grouped from one scratch copy of its document
          // instead of a new document per element (a $group only reads values out of it).
          rows = group(unwoundTopLevel(rows, path), next.$group as Plain);
          i++;
          break;
        }
        const out: Plain[] = [];
        for (const d of rows) {
          const value = getPath(d, path);
          if (value === undefined || value === null) continue;
          if (!Array.isArray(value)) {
            out.push(d);
            continue;
          }
          for (const item of value) out.push(setPath(d, path, item));
        }
        rows = out;
        break;
      }
    }
  }
  return rows;
}

/** The documents $unwind of a top-level field would make, yielded through one reused scratch object each. */
function* unwoundTopLevel(rows: Plain[], field: string): Iterable<Plain> {
  for (const d of rows) {
    const value = d[field];
    if (value === undefined || value === null) continue;
    if (!Array.isArray(value)) {
      yield d;
      continue;
    }
    if (value.length === 0) continue;
    const scratch: Plain = { ...d };
    for (const item of value) {
      scratch[field] = item;
      yield scratch;
    }
  }
}

function setPath(doc: Plain, path: string, value: unknown): Plain {
  const [head, ...rest] = path.split('.');
  return { ...doc, [head!]: rest.length === 0 ? value : setPath((doc[head!] as Plain) ?? {}, rest.join('.'), value) };
}

function compileProjection(spec: Record<string, 0 | 1 | string>): (doc: Plain) => Plain {
  const keepId = spec._id !== 0;
  const fields = Object.entries(spec)
    .filter(([, how]) => how !== 0)
    .map(([field, how]) => [field, how === 1 ? compile(`$${field}`) : compile(how as string)] as const);
  return (doc) => {
    const out: Plain = {};
    if (keepId && doc._id !== undefined) out._id = doc._id;
    for (const [field, valueOf] of fields) {
      const value = valueOf(doc);
      if (value !== undefined) out[field] = value;
    }
    return out;
  };
}

interface AccState {
  sum: number;
  count: number;
  best: unknown;
  list: unknown[];
  first: unknown;
  seen: boolean;
}

function group(rows: Iterable<Plain>, spec: Plain): Plain[] {
  const outputs = Object.entries(spec)
    .filter(([k]) => k !== '_id')
    .map(([field, acc]) => {
      const op = Object.keys(acc as Plain)[0]!;
      return { field, op, value: compile((acc as Plain)[op] as Expression) };
    });
  // Groups in nested maps, one level per _id field, keyed by each field's value (dates and
  // objects by a canonical string): no key string is built per document.
  const idExpr = spec._id as Expression;
  const idOf = compile(idExpr);
  const compound = isPlainObject(idExpr);
  const parts = compound ? Object.values(idExpr).map((v) => compile(v as Expression)) : [idOf];
  const root = new Map<unknown, unknown>();
  const groups: { id: unknown; acc: AccState[] }[] = [];
  for (const doc of rows) {
    let node = root;
    let g: { id: unknown; acc: AccState[] } | undefined;
    for (let j = 0; j < parts.length; j++) {
      const key = mapKey(parts[j]!(doc), compound);
      const last = j === parts.length - 1;
      let next = node.get(key);
      if (next === undefined) {
        if (last) {
          let id = idOf(doc);
          if (id === undefined) id = null;
          next = { id, acc: outputs.map(() => ({ sum: 0, count: 0, best: undefined, list: [], first: undefined, seen: false })) };
          groups.push(next as { id: unknown; acc: AccState[] });
        } else next = new Map<unknown, unknown>();
        node.set(key, next);
      }
      if (last) g = next as { id: unknown; acc: AccState[] };
      else node = next as Map<unknown, unknown>;
    }
    if (!g) continue;
    for (let i = 0; i < outputs.length; i++) {
      const { op, value: valueOf } = outputs[i]!;
      const st = g.acc[i]!;
      const value = valueOf(doc);
      switch (op) {
        case '$sum':
        case '$avg':
          if (typeof value === 'number') {
            st.sum += value;
            st.count++;
          }
          break;
        case '$min':
        case '$max':
          if (value === undefined || value === null) break;
          if (st.best === undefined || (op === '$min' ? compareValues(value, st.best) < 0 : compareValues(value, st.best) > 0)) st.best = value;
          break;
        case '$push':
          if (value !== undefined) st.list.push(value);
          break;
        case '$first':
          if (!st.seen) {
            st.first = value === undefined ? null : value;
            st.seen = true;
          }
          break;
      }
    }
  }
  return groups.map((g) => {
    const out: Plain = { _id: g.id };
    outputs.forEach(({ field, op }, i) => {
      const st = g.acc[i]!;
      out[field] =
        op === '$sum' ? st.sum
        : op === '$avg' ? (st.count === 0 ? null : st.sum / st.count)
        : op === '$push' ? st.list
        : op === '$first' ? st.first
        : st.best === undefined ? null
        : st.best;
    });
    return out;
  });
}

const MISSING = Symbol('missing');

/** A Map key equal for equal _id values; in a compound _id a missing field differs from null. */
function mapKey(value: unknown, compound: boolean): unknown {
  if (value === undefined) return compound ? MISSING : null;
  // Dates and objects become strings starting with NUL; a string that starts so is marked apart.
  if (typeof value === 'string') return value.charCodeAt(0) === 0 ? `\u0000S${value}` : value;
  if (value instanceof Date) return `\u0000D${value.getTime()}`;
  if (value !== null && typeof value === 'object') return `\u0000O${groupKey(value)}`;
  return value;
}

/** A string that is equal for equal group ids (strings, numbers, booleans, null, dates, objects of them). */
function groupKey(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return `s${value}`;
    case 'number':
      return `n${value}`;
    case 'boolean':
      return value ? 'T' : 'F';
  }
  if (value === null) return 'z';
  if (value instanceof Date) return `D${value.getTime()}`;
  if (Array.isArray(value)) return `[${value.map(groupKey).join('\u0000,')}]`;
  if (isPlainObject(value)) {
    let key = '{';
    for (const k in value) key += `${k}\u0000${groupKey(value[k])}\u0001`;
    return `${key}}`;
  }
  return `?${String(value)}`;
}

type Test = (value: unknown) => boolean;

/**
 * A $match of top-level fields with scalar conditions, compiled to direct comparisons (reports
 * scan hundreds of thousands of hourly rows). A document whose tested field holds an array or an
 * object goes through the general matcher, so the semantics stay those of `matches`.
 */
export function compileMatch(filter: Filter): (doc: unknown) => boolean {
  const general = (doc: unknown) => matches(doc, filter);
  const tests: [string, Test][] = [];
  for (const [path, cond] of Object.entries(filter)) {
    if (path.startsWith('$') || path.includes('.')) return general;
    const test = isOperatorObject(cond) ? operatorTest(cond) : scalarEq(cond);
    if (!test) return general;
    tests.push([path, test]);
  }
  return (doc) => {
    const d = doc as Plain;
    for (const [path, test] of tests) {
      const v = d[path];
      if (v !== null && typeof v === 'object' && !(v instanceof Date)) return general(doc);
      if (!test(v)) return false;
    }
    return true;
  };
}

function isScalar(q: unknown): q is string | number | boolean | Date | null {
  return q === null || typeof q === 'string' || typeof q === 'number' || typeof q === 'boolean' || q instanceof Date;
}

function scalarEq(q: unknown): Test | undefined {
  if (!isScalar(q)) return undefined;
  if (q === null) return (v) => v === null || v === undefined;
  if (q instanceof Date) {
    const t = q.getTime();
    return (v) => v instanceof Date && v.getTime() === t;
  }
  return (v) => v === q;
}

function operatorTest(cond: Plain): Test | undefined {
  const tests: Test[] = [];
  for (const [op, q] of Object.entries(cond)) {
    if (op === '$eq' || op === '$ne') {
      const eq = scalarEq(q);
      if (!eq) return undefined;
      tests.push(op === '$eq' ? eq : (v) => !eq(v));
    } else if (op === '$in' && Array.isArray(q) && q.every(isScalar)) {
      const eqs = q.map((item) => scalarEq(item)!);
      tests.push((v) => eqs.some((eq) => eq(v)));
    } else if ((op === '$gt' || op === '$gte' || op === '$lt' || op === '$lte') && q !== null && isScalar(q) && typeof q !== 'boolean') {
      const key = (v: unknown) => (q instanceof Date ? (v instanceof Date ? v.getTime() : undefined) : typeof v === typeof q ? (v as number | string) : undefined);
      const bound = key(q)!;
      tests.push((v) => {
        const k = key(v);
        if (k === undefined) return false;
        return op === '$gt' ? k > bound : op === '$gte' ? k >= bound : op === '$lt' ? k < bound : k <= bound;
      });
    } else return undefined;
  }
  return (v) => tests.every((t) => t(v));
}
