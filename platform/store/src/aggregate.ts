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

/**
 * An expression turned into a function once per stage (not interpreted per document). Stages
 * hand it documents only (plain objects), so a top-level path is a property read; below the
 * top, anything but a plain object (an array, a date, a scalar) has no fields.
 */
function compile(expr: Expression): Compiled {
  if (typeof expr === 'string' && expr.startsWith('$')) {
    const path = expr.slice(1);
    if (!path.includes('.')) return (doc) => (doc as Plain)[path];
    const parts = path.split('.');
    const fieldOf = (value: unknown, field: string): unknown => {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
      const v = (value as Plain)[field];
      return v === undefined || value instanceof Date ? undefined : v;
    };
    if (parts.length === 2) {
      // `$hist.b` after an $unwind: the common case, without the loop.
      const [outer, inner] = parts as [string, string];
      return (doc) => fieldOf((doc as Plain)[outer], inner);
    }
    return (doc) => {
      let value = (doc as Plain)[parts[0]!];
      for (let i = 1; i < parts.length; i++) value = fieldOf(value, parts[i]!);
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
    const streamed = streamedIntoGroup(pipeline, i);
    if (streamed > i) {
      // $match / $project / $unwind stages ending in a $group: each document goes through them
      // into its group one at a time, with no list of intermediate documents between stages
      // (over a year of report rows those lists, kept alive, cost more than the work).
      const from = rows;
      const stages = pipeline.slice(i, streamed);
      rows = group((visit) => {
        let sink = visit;
        for (let k = stages.length - 1; k >= 0; k--) sink = streamStage(stages[k]!, sink);
        for (let r = 0; r < from.length; r++) sink(from[r]!);
      }, (pipeline[streamed] as Extract<PipelineStage, { $group: unknown }>).$group as Plain);
      i = streamed;
      continue;
    }
    const [op, arg] = Object.entries(pipeline[i]!)[0]! as [string, unknown];
    switch (op) {
      case '$match':
        rows = rows.filter(compileMatch(arg as Filter));
        break;
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

/** Where the $group is that stages from `i` on can stream into ($match, $project, top-level $unwind), or `i`. */
function streamedIntoGroup(pipeline: readonly PipelineStage[], i: number): number {
  for (let j = i; j < pipeline.length; j++) {
    const stage = pipeline[j]!;
    if ('$group' in stage) return j;
    if ('$match' in stage || '$project' in stage) continue;
    if ('$unwind' in stage && !stage.$unwind.slice(1).includes('.')) continue;
    return i;
  }
  return i;
}

/**
 * One streamable stage in front of `next`. An $unwind hands on one scratch copy of its document
 * per element (nothing downstream keeps it: $match and $group only read values out of it, and
 * $project builds new documents).
 */
function streamStage(stage: PipelineStage, next: (doc: Plain) => void): (doc: Plain) => void {
  if ('$match' in stage) {
    const test = compileMatch(stage.$match);
    return (doc) => {
      if (test(doc)) next(doc);
    };
  }
  if ('$project' in stage) {
    const project = compileProjection(stage.$project as Record<string, 0 | 1 | string>);
    return (doc) => next(project(doc));
  }
  const field = (stage as { $unwind: string }).$unwind.slice(1);
  return (doc) => {
    const value = doc[field];
    if (value === undefined || value === null) return;
    if (!Array.isArray(value)) return next(doc);
    if (value.length === 0) return;
    // Made with an element in the field (not the array): V8 then never changes the shape's
    // idea of what the field holds on every document.
    const scratch: Plain = { ...doc, [field]: value[0] };
    next(scratch);
    for (let i = 1; i < value.length; i++) {
      scratch[field] = value[i];
      next(scratch);
    }
  };
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

type Accumulate = (st: AccState, doc: unknown) => void;

/** An accumulator turned into one function per $group (no switch on its name per document). */
function accumulator(op: string, valueOf: Compiled): Accumulate {
  switch (op) {
    case '$sum':
    case '$avg':
      return (st, doc) => {
        const value = valueOf(doc);
        if (typeof value === 'number') {
          st.sum += value;
          st.count++;
        }
      };
    case '$min':
    case '$max': {
      const better = op === '$min' ? (c: number) => c < 0 : (c: number) => c > 0;
      return (st, doc) => {
        const value = valueOf(doc);
        if (value === undefined || value === null) return;
        if (st.best === undefined || better(compareValues(value, st.best))) st.best = value;
      };
    }
    case '$push':
      return (st, doc) => {
        const value = valueOf(doc);
        if (value !== undefined) st.list.push(value);
      };
    default: // $first
      return (st, doc) => {
        if (st.seen) return;
        const value = valueOf(doc);
        st.first = value === undefined ? null : value;
        st.seen = true;
      };
  }
}

interface Group {
  id: unknown;
  acc: AccState[];
}

/**
 * The sums of a $group made only of `$sum` of a field path (one or two levels) or of a number —
 * the reports' shape — added up in one loop over plain arrays instead of a closure per output.
 */
function sumsOnly(outputs: { op: string; expr: Expression }[]): ((acc: AccState[], doc: Plain) => void) | undefined {
  const n = outputs.length;
  const outer: (string | null)[] = [];
  const inner: (string | null)[] = [];
  const constant: number[] = [];
  for (const { op, expr } of outputs) {
    if (op !== '$sum') return undefined;
    if (typeof expr === 'number') {
      outer.push(null);
      inner.push(null);
      constant.push(expr);
      continue;
    }
    if (typeof expr !== 'string' || !expr.startsWith('$')) return undefined;
    const parts = expr.slice(1).split('.');
    if (parts.length > 2) return undefined;
    outer.push(parts[0]!);
    inner.push(parts[1] ?? null);
    constant.push(0);
  }
  return (acc, doc) => {
    for (let i = 0; i < n; i++) {
      const o = outer[i]!;
      let value: unknown;
      if (o === null) value = constant[i];
      else {
        value = doc[o];
        const f = inner[i]!;
        if (f !== null) value = value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Plain)[f] : undefined;
      }
      if (typeof value === 'number') {
        const st = acc[i]!;
        st.sum += value;
        st.count++;
      }
    }
  };
}

/** `rows` is the documents, or what hands them over one by one. */
function group(rows: Plain[] | ((visit: (doc: Plain) => void) => void), spec: Plain): Plain[] {
  const outputs = Object.entries(spec)
    .filter(([k]) => k !== '_id')
    .map(([field, acc]) => {
      const op = Object.keys(acc as Plain)[0]!;
      const expr = (acc as Plain)[op] as Expression;
      return { field, op, expr, add: accumulator(op, compile(expr)) };
    });
  const adds = outputs.map((o) => o.add);
  const sums = sumsOnly(outputs);
  // Groups in nested maps, one level per _id field, keyed by each field's value (dates by their
  // time in a map of their own, objects by a canonical string): no key string is built per
  // document for strings, numbers or dates.
  const idExpr = spec._id as Expression;
  const idOf = compile(idExpr);
  const compound = isPlainObject(idExpr);
  const parts = compound ? Object.values(idExpr).map((v) => compile(v as Expression)) : [idOf];
  const depth = parts.length;
  const root = new Map<unknown, unknown>();
  const groups: Group[] = [];
  // The path the previous document took: consecutive documents often share their leading keys
  // (an $unwind's elements share everything but the unwound field; rows come in _id order), and
  // a level whose key and the ones above it match is not looked up again.
  const pathKeys: unknown[] = [];
  const pathDates: boolean[] = [];
  const pathNodes: unknown[] = [];
  const add = (doc: Plain): void => {
    let node = root;
    let g: Group | undefined;
    let same = pathNodes.length === depth;
    for (let j = 0; j < depth; j++) {
      const value = parts[j]!(doc);
      const isDate = value instanceof Date;
      const key = isDate ? value.getTime() : mapKey(value, compound);
      const last = j === depth - 1;
      let next: unknown;
      if (same && pathKeys[j] === key && pathDates[j] === isDate) next = pathNodes[j];
      else {
        same = false;
        let level = node;
        if (isDate) {
          level = node.get(DATES) as Map<unknown, unknown>;
          if (level === undefined) node.set(DATES, (level = new Map()));
        }
        next = level.get(key);
        if (next === undefined) {
          if (last) {
            let id = idOf(doc);
            if (id === undefined) id = null;
            next = { id, acc: outputs.map(() => ({ sum: 0, count: 0, best: undefined, list: [], first: undefined, seen: false })) };
            groups.push(next as Group);
          } else next = new Map<unknown, unknown>();
          level.set(key, next);
        }
        pathKeys[j] = key;
        pathDates[j] = isDate;
        pathNodes[j] = next;
      }
      if (last) g = next as Group;
      else node = next as Map<unknown, unknown>;
    }
    const acc = g!.acc;
    if (sums) sums(acc, doc);
    else for (let i = 0; i < adds.length; i++) adds[i]!(acc[i]!, doc);
  };
  if (typeof rows === 'function') rows(add);
  else for (let r = 0; r < rows.length; r++) add(rows[r]!);
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
/** Where, in one level of the group maps, the dates are kept (by time). */
const DATES = Symbol('dates');

/** A Map key equal for equal _id values (not dates); in a compound _id a missing field differs from null. */
function mapKey(value: unknown, compound: boolean): unknown {
  if (value === undefined) return compound ? MISSING : null;
  // Objects become strings starting with NUL; a string that starts so is marked apart.
  if (typeof value === 'string') return value.charCodeAt(0) === 0 ? `\u0000S${value}` : value;
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
  const paths = tests.map(([path]) => path);
  const checks = tests.map(([, test]) => test);
  return (doc) => {
    const d = doc as Plain;
    for (let i = 0; i < paths.length; i++) {
      const v = d[paths[i]!];
      if (v !== null && typeof v === 'object' && !(v instanceof Date)) return general(doc);
      if (!checks[i]!(v)) return false;
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
  const range = dateRange(cond);
  if (range) return range;
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

/** `{ $gte: Date, $lt: Date }` and the like (the reports' hour ranges) as one comparison of times. */
function dateRange(cond: Plain): Test | undefined {
  let lo = Number.NEGATIVE_INFINITY;
  let hi = Number.POSITIVE_INFINITY;
  let loOpen = false;
  let hiOpen = false;
  const entries = Object.entries(cond);
  if (entries.length === 0) return undefined;
  for (const [op, q] of entries) {
    if (!(q instanceof Date)) return undefined;
    const t = q.getTime();
    if (op === '$gte' || op === '$gt') {
      if (t > lo || (t === lo && op === '$gt')) [lo, loOpen] = [t, op === '$gt'];
    } else if (op === '$lt' || op === '$lte') {
      if (t < hi || (t === hi && op === '$lt')) [hi, hiOpen] = [t, op === '$lt'];
    } else return undefined;
  }
  return (v) => {
    if (!(v instanceof Date)) return false;
    const t = v.getTime();
    return (loOpen ? t > lo : t >= lo) && (hiOpen ? t < hi : t <= hi);
  };
}
