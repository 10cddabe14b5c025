/**
 * What both SearchIndex adapters share, so a call refused by one is refused by the other and a
 * query means the same on both: name, schema, document and query rules; the languages with a
 * stemmer; the word splitting and typo allowance of a query; and how highlights are cut into
 * HTML-escaped fragments.
 */
import { stemmer as arabic } from '@orama/stemmers/arabic';
import { stemmer as armenian } from '@orama/stemmers/armenian';
import { stemmer as bulgarian } from '@orama/stemmers/bulgarian';
import { stemmer as danish } from '@orama/stemmers/danish';
import { stemmer as dutch } from '@orama/stemmers/dutch';
import { stemmer as english } from '@orama/stemmers/english';
import { stemmer as finnish } from '@orama/stemmers/finnish';
import { stemmer as french } from '@orama/stemmers/french';
import { stemmer as german } from '@orama/stemmers/german';
import { stemmer as greek } from '@orama/stemmers/greek';
import { stemmer as hungarian } from '@orama/stemmers/hungarian';
import { stemmer as indonesian } from '@orama/stemmers/indonesian';
import { stemmer as irish } from '@orama/stemmers/irish';
import { stemmer as italian } from '@orama/stemmers/italian';
import { stemmer as lithuanian } from '@orama/stemmers/lithuanian';
import { stemmer as norwegian } from '@orama/stemmers/norwegian';
import { stemmer as portuguese } from '@orama/stemmers/portuguese';
import { stemmer as romanian } from '@orama/stemmers/romanian';
import { stemmer as russian } from '@orama/stemmers/russian';
import { stemmer as serbian } from '@orama/stemmers/serbian';
import { stemmer as spanish } from '@orama/stemmers/spanish';
import { stemmer as swedish } from '@orama/stemmers/swedish';
import { stemmer as turkish } from '@orama/stemmers/turkish';
import { invalid } from './errors.js';
import type { FieldType, IndexSchema, SearchDoc, SearchQuery } from './types.js';

// ---- languages -------------------------------------------------------------------------------

export interface Language {
  /** Elasticsearch's built-in analyzer of this language. */
  analyzer: string;
  /** The embedded adapter's stemmer (Snowball/Porter family, from @orama/stemmers); input lowercased. */
  stem: (word: string) => string;
}

/** English drops a trailing possessive before stemming, as Elasticsearch's english analyzer does. */
const englishStem = (word: string) => english(word.replace(/['’＇]s$/u, ''));

/**
 * Languages stemmed on both adapters: those with an Elasticsearch built-in analyzer and an
 * @orama/stemmers stemmer. Keyed by the BCP 47 primary language subtag.
 */
export const LANGUAGES: Readonly<Record<string, Language>> = Object.freeze({
  ar: { analyzer: 'arabic', stem: arabic },
  bg: { analyzer: 'bulgarian', stem: bulgarian },
  da: { analyzer: 'danish', stem: danish },
  de: { analyzer: 'german', stem: german },
  el: { analyzer: 'greek', stem: greek },
  en: { analyzer: 'english', stem: englishStem },
  es: { analyzer: 'spanish', stem: spanish },
  fi: { analyzer: 'finnish', stem: finnish },
  fr: { analyzer: 'french', stem: french },
  ga: { analyzer: 'irish', stem: irish },
  hu: { analyzer: 'hungarian', stem: hungarian },
  hy: { analyzer: 'armenian', stem: armenian },
  id: { analyzer: 'indonesian', stem: indonesian },
  it: { analyzer: 'italian', stem: italian },
  lt: { analyzer: 'lithuanian', stem: lithuanian },
  nl: { analyzer: 'dutch', stem: dutch },
  no: { analyzer: 'norwegian', stem: norwegian },
  pt: { analyzer: 'portuguese', stem: portuguese },
  ro: { analyzer: 'romanian', stem: romanian },
  ru: { analyzer: 'russian', stem: russian },
  sr: { analyzer: 'serbian', stem: serbian },
  sv: { analyzer: 'swedish', stem: swedish },
  tr: { analyzer: 'turkish', stem: turkish },
});

export const LANGUAGE_CODES: readonly string[] = Object.freeze(Object.keys(LANGUAGES).sort());

const ALIASES: Record<string, string> = { nb: 'no', nn: 'no' };

/** The stemmed language of a locale tag ("en-GB" → "en", "nb" → "no"), or null (standard analysis only). */
export function languageOf(locale: string): string | null {
  const primary = locale.split(/[-_]/)[0]!.toLowerCase();
  const code = ALIASES[primary] ?? primary;
  return Object.hasOwn(LANGUAGES, code) ? code : null;
}

// ---- words -----------------------------------------------------------------------------------

const segmenter = new Intl.Segmenter('und', { granularity: 'word' });

export interface Word {
  /** Lowercased, as the standard analyzer indexes it. */
  term: string;
  start: number;
  end: number;
}

/** Splits text into words at Unicode word boundaries (UAX #29, like Elasticsearch's standard tokenizer). */
export function words(text: string): Word[] {
  const out: Word[] = [];
  for (const s of segmenter.segment(text)) {
    if (s.isWordLike) out.push({ term: s.segment.toLowerCase(), start: s.index, end: s.index + s.segment.length });
  }
  return out;
}

/** Edits a query word may be off by: none below 4 characters, 1 up to 6, 2 from 7 (Elasticsearch's AUTO:4,7). */
export function fuzziness(term: string): 0 | 1 | 2 {
  const length = [...term].length;
  return length < 4 ? 0 : length < 7 ? 1 : 2;
}

// ---- names and schemas -----------------------------------------------------------------------

const INDEX_NAME = /^[a-z][a-z0-9_-]{0,62}$/;
const FIELD_NAME = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;
const TYPES: readonly FieldType[] = ['text', 'keyword', 'date', 'number'];

export function checkIndexName(name: unknown): string {
  if (typeof name !== 'string' || !INDEX_NAME.test(name)) {
    throw invalid(`An index name is a lowercase letter, then lowercase letters, digits, "_" or "-" (64 at most), not ${JSON.stringify(name)}.`);
  }
  return name;
}

/** A checked schema with sorted keys, so two equal schemas serialize the same. */
export function normalizeSchema(schema: IndexSchema): IndexSchema {
  if (!schema || typeof schema !== 'object' || !schema.fields || typeof schema.fields !== 'object') {
    throw invalid('A schema is { fields: { name: "text" | "keyword" | "date" | "number" }, boost? }.');
  }
  const fields: Record<string, FieldType> = {};
  for (const [name, type] of Object.entries(schema.fields).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (!FIELD_NAME.test(name)) throw invalid(`A field name is a letter, then letters, digits or "_", not "${name}".`);
    if (name === 'locale') throw invalid('"locale" is every document\'s own field (filter on it as a keyword); choose another name.');
    if (!TYPES.includes(type)) throw invalid(`Field "${name}" has type ${JSON.stringify(type)}; use one of ${TYPES.join(', ')}.`);
    fields[name] = type;
  }
  if (!Object.values(fields).includes('text')) throw invalid('A schema needs at least one "text" field.');
  const boost: Record<string, number> = {};
  for (const [name, value] of Object.entries(schema.boost ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (fields[name] !== 'text') throw invalid(`Boost is for text fields; "${name}" is not one.`);
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > 100) {
      throw invalid(`The boost of "${name}" must be a number above 0 and at most 100.`);
    }
    if (value !== 1) boost[name] = value;
  }
  return Object.keys(boost).length > 0 ? { fields, boost } : { fields };
}

export const sameSchema = (a: IndexSchema, b: IndexSchema) => JSON.stringify(a) === JSON.stringify(b);

export const fieldsOfType = (schema: IndexSchema, type: FieldType) =>
  Object.entries(schema.fields)
    .filter(([, t]) => t === type)
    .map(([name]) => name);

/** The declared type of a field, or undefined (never an Object.prototype member). */
export const typeOf = (schema: IndexSchema, field: string): FieldType | undefined =>
  Object.hasOwn(schema.fields, field) ? schema.fields[field] : undefined;

export const boostOf = (schema: IndexSchema, field: string) => schema.boost?.[field] ?? 1;

// ---- documents -------------------------------------------------------------------------------

/** Longest text field value (Elasticsearch highlights at most 1,000,000 characters by default). */
export const MAX_TEXT = 1_000_000;
/** Longest keyword value (a Lucene term is at most 32,766 bytes). */
export const MAX_KEYWORD = 1024;
const MAX_ID = 256;

/** A stored value: text and keywords as given, dates as epoch milliseconds. */
export type StoredValue = string | number | string[];

export interface PreparedDoc {
  tenantId: string;
  id: string;
  locale: string;
  /** languageOf(locale) */
  language: string | null;
  fields: Record<string, StoredValue>;
}

function checkKey(what: string, value: unknown): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_ID) {
    throw invalid(`${what} must be a non-empty string of at most ${MAX_ID} characters, not ${JSON.stringify(value)}.`);
  }
  return value;
}

export const checkTenant = (tenantId: unknown) => checkKey('tenantId', tenantId);
export const checkId = (id: unknown) => checkKey('id', id);

function checkLocale(locale: unknown): string {
  if (typeof locale !== 'string' || !/^[A-Za-z]{2,8}([-_][A-Za-z0-9]{1,8})*$/.test(locale)) {
    throw invalid(`locale must be a BCP 47 tag such as "en" or "pt-BR", not ${JSON.stringify(locale)}.`);
  }
  return locale;
}

function dateValue(field: string, value: unknown): number {
  const ms =
    value instanceof Date ? value.getTime() : typeof value === 'string' ? Date.parse(value) : typeof value === 'number' ? value : NaN;
  if (!Number.isFinite(ms) || !Number.isInteger(ms)) {
    throw invalid(`Field "${field}" is a date: give a Date, an ISO 8601 string or epoch milliseconds.`);
  }
  return ms;
}

function keywordValue(field: string, value: unknown): string | string[] {
  const ok = (v: unknown): v is string => typeof v === 'string' && v.length <= MAX_KEYWORD;
  if (ok(value)) return value;
  if (Array.isArray(value) && value.every(ok)) return [...value];
  throw invalid(`Field "${field}" is a keyword: give a string or an array of strings (each at most ${MAX_KEYWORD} characters).`);
}

/** Checks a document against its index's schema and converts it to stored values. */
export function prepareDoc(schema: IndexSchema, doc: SearchDoc): PreparedDoc {
  if (!doc || typeof doc !== 'object') throw invalid('A document is { tenantId, id, locale, fields }.');
  const tenantId = checkTenant(doc.tenantId);
  const id = checkId(doc.id);
  const locale = checkLocale(doc.locale);
  if (!doc.fields || typeof doc.fields !== 'object') throw invalid(`Document "${id}" has no fields object.`);
  const fields: Record<string, StoredValue> = {};
  for (const [name, value] of Object.entries(doc.fields)) {
    const type = typeOf(schema, name);
    if (!type) throw invalid(`Field "${name}" of document "${id}" is not in the index schema.`);
    if (value === null || value === undefined) continue;
    switch (type) {
      case 'text':
        if (typeof value !== 'string' || value.length > MAX_TEXT) {
          throw invalid(`Field "${name}" is text: give a string of at most ${MAX_TEXT} characters.`);
        }
        fields[name] = value;
        break;
      case 'keyword':
        fields[name] = keywordValue(name, value);
        break;
      case 'date':
        fields[name] = dateValue(name, value);
        break;
      case 'number':
        if (typeof value !== 'number' || !Number.isFinite(value)) throw invalid(`Field "${name}" is a number: give a finite number.`);
        fields[name] = value;
        break;
    }
  }
  return { tenantId, id, locale, language: languageOf(locale), fields };
}

/** Stored values as a hit returns them: dates become Date objects again. */
export function hitFields(schema: IndexSchema, stored: Record<string, unknown>): Record<string, string | number | Date | string[]> {
  const out: Record<string, string | number | Date | string[]> = {};
  for (const [name, type] of Object.entries(schema.fields)) {
    const value = stored[name];
    if (value === undefined || value === null) continue;
    out[name] = type === 'date' ? new Date(value as number) : (value as string | number | string[]);
  }
  return out;
}

// ---- queries ---------------------------------------------------------------------------------

export const DEFAULT_LIMIT = 20;
export const MAX_LIMIT = 100;
/** Elasticsearch's index.max_result_window. */
export const MAX_WINDOW = 10_000;
const MAX_WORDS = 32;

export interface PreparedQuery {
  tenantId: string;
  /** Lowercased words; the last one is also matched as a prefix. Empty = every document. */
  words: string[];
  /** [keyword field or "locale", values (any of)] — all must hold. */
  filters: [string, string[]][];
  sort: { field: string; order: 'asc' | 'desc' } | null;
  limit: number;
  offset: number;
  highlight: boolean;
}

export function prepareQuery(schema: IndexSchema, q: SearchQuery): PreparedQuery {
  if (!q || typeof q !== 'object') throw invalid('A query is { tenantId, text, filters?, sort?, limit?, offset? }.');
  const tenantId = checkTenant(q.tenantId);
  if (typeof q.text !== 'string') throw invalid('The query text must be a string (empty for every document).');
  const terms = words(q.text).map((w) => w.term);
  if (terms.length > MAX_WORDS) throw invalid(`A query has at most ${MAX_WORDS} words.`);
  const filters: [string, string[]][] = [];
  for (const [field, value] of Object.entries(q.filters ?? {})) {
    if (field !== 'locale' && typeOf(schema, field) !== 'keyword') {
      throw invalid(`Filters are on keyword fields (or "locale"); "${field}" is not one.`);
    }
    const values = Array.isArray(value) ? value : [value];
    if (values.length === 0 || values.length > 1024 || !values.every((v) => typeof v === 'string')) {
      throw invalid(`Filter "${field}" takes a string or a non-empty array of strings (1024 at most).`);
    }
    filters.push([field, [...new Set(values)]]);
  }
  let sort: PreparedQuery['sort'] = null;
  if (q.sort !== undefined) {
    const field: unknown = q.sort?.field;
    const type = typeof field === 'string' ? typeOf(schema, field) : undefined;
    if (typeof field !== 'string' || (type !== 'date' && type !== 'number')) {
      throw invalid(`Sort is by a date or number field; ${JSON.stringify(field)} is not one.`);
    }
    const order = q.sort.order ?? 'desc';
    if (order !== 'asc' && order !== 'desc') throw invalid('Sort order is "asc" or "desc".');
    sort = { field, order };
  }
  const limit = q.limit ?? DEFAULT_LIMIT;
  const offset = q.offset ?? 0;
  if (!Number.isInteger(limit) || limit < 0 || limit > MAX_LIMIT) throw invalid(`limit is a whole number from 0 to ${MAX_LIMIT}.`);
  if (!Number.isInteger(offset) || offset < 0 || offset + limit > MAX_WINDOW) {
    throw invalid(`offset is a whole number ≥ 0, and offset + limit at most ${MAX_WINDOW}.`);
  }
  return { tenantId, words: terms, filters, sort, limit, offset, highlight: q.highlight ?? true };
}

// ---- highlights ------------------------------------------------------------------------------

/** A matched span [start, end) of a text field. */
export type Range = [number, number];

const FRAGMENT = 160;
const MAX_FRAGMENTS = 3;

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&#39;'));
}

/** Sorted, overlapping or touching ranges joined. */
export function mergeRanges(ranges: Range[]): Range[] {
  const sorted = ranges.filter(([s, e]) => e > s).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const out: Range[] = [];
  for (const [s, e] of sorted) {
    const last = out[out.length - 1];
    if (last && s <= last[1]) last[1] = Math.max(last[1], e);
    else out.push([s, e]);
  }
  return out;
}

function render(text: string, from: number, to: number, ranges: Range[]): string {
  let out = '';
  let at = from;
  for (const [s, e] of ranges) {
    if (e <= from || s >= to) continue;
    const ms = Math.max(s, from);
    const me = Math.min(e, to);
    out += `${escapeHtml(text.slice(at, ms))}<mark>${escapeHtml(text.slice(ms, me))}</mark>`;
    at = me;
  }
  return out + escapeHtml(text.slice(at, to));
}

/**
 * Fragments of `text` around the matched ranges: the whole text when short, else up to three
 * windows of about 160 characters cut at spaces, in text order, with "…" where text was cut.
 */
export function fragments(text: string, matched: Range[]): string[] {
  const ranges = mergeRanges(matched);
  if (ranges.length === 0) return [];
  if (text.length <= FRAGMENT) return [render(text, 0, text.length, ranges)];
  const windows: Range[] = [];
  for (const [s] of ranges) {
    const last = windows[windows.length - 1];
    if (last && s < last[1] - 10) continue; // already inside a window
    let from = Math.max(0, s - 40);
    let to = Math.min(text.length, from + FRAGMENT);
    from = Math.max(0, to - FRAGMENT);
    // Cut at a space within 20 characters, so no word is split.
    const space = text.lastIndexOf(' ', from);
    if (from > 0 && space >= 0 && from - space <= 20) from = space + 1;
    const next = text.indexOf(' ', to);
    if (to < text.length && next >= 0 && next - to <= 20) to = next;
    if (last && from <= last[1]) last[1] = Math.max(last[1], to);
    else windows.push([from, to]);
    if (windows.length > MAX_FRAGMENTS) break;
  }
  return windows.slice(0, MAX_FRAGMENTS).map(([from, to]) => {
    const body = render(text, from, to, ranges).trim();
    return `${from > 0 ? '…' : ''}${body}${to < text.length ? '…' : ''}`;
  });
}
