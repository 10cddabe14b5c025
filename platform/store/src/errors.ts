/**
 * Coded errors of the DocumentStore seam. Every one carries an SB_ERR_ code, an HTTP status and a
 * sentence; DuplicateKeyError (SB_ERR_STORE_DUPLICATE, 409) lives in types.ts with the API.
 */
export { DuplicateKeyError } from './types.js';

export type StoreErrorCode =
  | 'SB_ERR_STORE_UNAVAILABLE'
  | 'SB_ERR_STORE_INVALID'
  | 'SB_ERR_STORE_UNSUPPORTED'
  | 'SB_ERR_STORE_INDEX_CONFLICT'
  | 'SB_ERR_STORE_LOCKED'
  | 'SB_ERR_STORE_CLOSED';

const STATUS: Record<StoreErrorCode, number> = {
  SB_ERR_STORE_UNAVAILABLE: 503,
  SB_ERR_STORE_INVALID: 400,
  SB_ERR_STORE_UNSUPPORTED: 400,
  SB_ERR_STORE_INDEX_CONFLICT: 500,
  SB_ERR_STORE_LOCKED: 500,
  SB_ERR_STORE_CLOSED: 500,
};

export class StoreError extends Error {
  override readonly name = 'StoreError';
  readonly statusCode: number;
  constructor(
    readonly code: StoreErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.statusCode = STATUS[code];
  }
}

/** The configured server cannot be reached; `variable` names the setting to check. */
export const unavailable = (what: string, variable: string, url: string, cause: unknown) =>
  new StoreError(
    'SB_ERR_STORE_UNAVAILABLE',
    `The document store could not reach ${what} at ${redactUrl(url)} (check ${variable}): ${
      cause instanceof Error ? cause.message : String(cause)
    }`,
    { cause },
  );

/** A filter, update, document or option outside what the seam accepts. */
export const invalid = (message: string) => new StoreError('SB_ERR_STORE_INVALID', message);

/** A MongoDB feature outside the supported subset (so both adapters behave the same). */
export const unsupported = (what: string) =>
  new StoreError(
    'SB_ERR_STORE_UNSUPPORTED',
    `${what} is outside the DocumentStore subset (see docs/store.md).`,
  );

/** Hides the password of a connection URL in messages. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:/@]+):([^@/]*)@/, '//$1:***@');
}
