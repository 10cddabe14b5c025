/**
 * The SearchIndex seam: full-text search for tickets and knowledge-base articles.
 * Elasticsearch in production, an in-process engine (MiniSearch) persisted under DATA_DIR/search
 * by default. Both adapters pass search.contract.ts.
 */

export type SearchConfig =
  | {
      driver: 'elasticsearch';
      /** ELASTICSEARCH_URL, e.g. http://elastic:secret@127.0.0.1:9200. */
      url: string;
      /** Prepended to every index name on the cluster (lowercase); default `sb-`. */
      prefix?: string;
      /** Time allowed for the start-up check (GET /); default 5000 ms. */
      connectTimeoutMs?: number;
      /** Time allowed for one request afterwards; default 30000 ms. */
      requestTimeoutMs?: number;
    }
  | {
      driver: 'embedded';
      /** Folder of the snapshots, e.g. DATA_DIR/search; created when missing. */
      dir: string;
      /** Debounce of the snapshot write after a change: at most this much is lost on a crash; default 1000 ms. */
      flushAfterMs?: number;
    };

/**
 * - `text`: full-text, analyzed by the document's locale (stemming) and by a standard analyzer
 *   (exact words, prefix, typos); highlighted. A string.
 * - `keyword`: exact-match filter values. A string or an array of strings (any element matches).
 * - `date`: a Date, an ISO 8601 string or epoch milliseconds; sortable. Returned as a Date.
 * - `number`: a finite number; sortable.
 */
export type FieldType = 'text' | 'keyword' | 'date' | 'number';

export interface IndexSchema {
  /** Field name (a letter, then letters, digits, `_`) → its type. At least one `text` field. */
  fields: Record<string, FieldType>;
  /** Relevance weight of a text field, e.g. `{ title: 3 }`; default 1. */
  boost?: Record<string, number>;
}

export type FieldValue = string | number | Date | string[] | null | undefined;

export interface SearchDoc {
  tenantId: string;
  /** Unique within (index, tenantId): indexing the same id again replaces the document. */
  id: string;
  /**
   * BCP 47 tag as the source has it ("en", "ru", "pt-BR", …). Its language picks the stemmer;
   * a language without one (or "und") is analyzed by the standard analyzer only. Filterable as
   * the keyword `locale`.
   */
  locale: string;
  /** Values of the fields the schema declares (others are refused); null/undefined = absent. */
  fields: Record<string, FieldValue>;
}

export interface SearchQuery {
  /** Only this tenant's documents are ever searched. */
  tenantId: string;
  /**
   * What the person typed. Every word must match (in any text field): by its stem in the
   * document's language, as the exact word, with a typo or two (by length), and the last word
   * also as a prefix (search as you type). Empty = every document (filters and sort apply).
   */
  text: string;
  /** keyword field (or `locale`) → a value, or an array meaning any of them. All must hold. */
  filters?: Record<string, string | string[]>;
  /** Default: by relevance (score, then id). A date or number field: missing values last, then id. */
  sort?: { field: string; order?: 'asc' | 'desc' };
  /** Default 20, at most 100; offset + limit at most 10,000. */
  limit?: number;
  offset?: number;
  /** Compute highlights; default true. */
  highlight?: boolean;
}

export interface SearchHit {
  id: string;
  locale: string;
  /** Relevance; only comparable within one result (0 when the text was empty). */
  score: number;
  /** The stored fields (dates as Date). */
  fields: Record<string, string | number | Date | string[]>;
  /**
   * text field → fragments (at most 3, in text order) with matches in `<mark>…</mark>`; all other
   * text HTML-escaped, so a fragment can be inserted as HTML. Only fields with a match appear.
   */
  highlights: Record<string, string[]>;
}

export interface SearchResult {
  /** All matching documents, regardless of limit/offset. */
  total: number;
  hits: SearchHit[];
}

export interface SearchIndex {
  readonly driver: SearchConfig['driver'];
  /**
   * Declares an index. The same schema again is a no-op; a different one is
   * SB_ERR_SEARCH_SCHEMA_CONFLICT (call `reset(name, schema)` and reindex).
   */
  ensureIndex(name: string, schema: IndexSchema): Promise<void>;
  /** Upserts by (tenantId, id). Visible to `query` once the promise resolved. */
  index(name: string, doc: SearchDoc): Promise<void>;
  /** Upserts many (all are validated before any is written). */
  indexMany(name: string, docs: SearchDoc[]): Promise<void>;
  /** Removes one document; a missing one is not an error. */
  delete(name: string, tenantId: string, id: string): Promise<void>;
  /** Removes every document of one tenant; returns how many. */
  deleteTenant(name: string, tenantId: string): Promise<number>;
  query(name: string, q: SearchQuery): Promise<SearchResult>;
  /** Empties the index (with a new schema when given); the caller then re-feeds it. */
  reset(name: string, schema?: IndexSchema): Promise<void>;
  ping(): Promise<void>;
  close(): Promise<void>;
}
