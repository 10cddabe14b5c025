/** Coded errors of the SearchIndex seam: an SB_ERR_ code, an HTTP status and a sentence each. */
export type SearchErrorCode =
  | 'SB_ERR_SEARCH_UNAVAILABLE'
  | 'SB_ERR_SEARCH_INVALID'
  | 'SB_ERR_SEARCH_NO_INDEX'
  | 'SB_ERR_SEARCH_SCHEMA_CONFLICT'
  | 'SB_ERR_SEARCH_LOCKED'
  | 'SB_ERR_SEARCH_CLOSED';

const STATUS: Record<SearchErrorCode, number> = {
  SB_ERR_SEARCH_UNAVAILABLE: 503,
  SB_ERR_SEARCH_INVALID: 400,
  SB_ERR_SEARCH_NO_INDEX: 500,
  SB_ERR_SEARCH_SCHEMA_CONFLICT: 500,
  SB_ERR_SEARCH_LOCKED: 500,
  SB_ERR_SEARCH_CLOSED: 500,
};

export class SearchError extends Error {
  override readonly name = 'SearchError';
  readonly statusCode: number;
  constructor(
    readonly code: SearchErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.statusCode = STATUS[code];
  }
}

const text = (cause: unknown) => redactUrl(cause instanceof Error ? cause.message : String(cause));

/** A document, schema, name or query outside the rules of docs/search.md. */
export const invalid = (message: string) => new SearchError('SB_ERR_SEARCH_INVALID', message);

export const noIndex = (name: string) =>
  new SearchError('SB_ERR_SEARCH_NO_INDEX', `The search index "${name}" was not declared: call ensureIndex first.`);

export const schemaConflict = (name: string) =>
  new SearchError(
    'SB_ERR_SEARCH_SCHEMA_CONFLICT',
    `The search index "${name}" exists with another schema: call reset(name, schema) and reindex.`,
  );

export const closed = () => new SearchError('SB_ERR_SEARCH_CLOSED', 'The search index is closed.');

/** The configured server cannot be reached at start-up; names the variable to check. */
export const unreachable = (url: string, cause: unknown) =>
  new SearchError(
    'SB_ERR_SEARCH_UNAVAILABLE',
    `Search could not reach Elasticsearch at ${redactUrl(url)} (check ELASTICSEARCH_URL): ${text(cause)}`,
    { cause },
  );

/** A request that failed later (server down, cluster blocked, disk full). */
export const unavailable = (what: string, cause: unknown) =>
  new SearchError('SB_ERR_SEARCH_UNAVAILABLE', `${what}: ${text(cause)}`, { cause });

/** Hides the password of a connection URL in messages. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:/@]*):([^@/]*)@/, '//$1:***@');
}
