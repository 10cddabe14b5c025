/**
 * Coded errors. Every error a client can see has a stable code (SB_ERR_…), an HTTP status and a
 * sentence. docs/errors.md lists them.
 */
export class SbError extends Error {
  override readonly name = 'SbError';
  constructor(
    readonly code: string,
    readonly statusCode: number,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export const errors = {
  notFound: (what: string) => new SbError('SB_ERR_NOT_FOUND', 404, `${what} was not found.`),
  validation: (message: string, details?: unknown) => new SbError('SB_ERR_VALIDATION', 400, message, details),
  unauthorized: (message = 'Sign in first: this request needs a valid access token.') =>
    new SbError('SB_ERR_UNAUTHORIZED', 401, message),
  tokenExpired: () => new SbError('SB_ERR_TOKEN_EXPIRED', 401, 'The access token has expired; refresh it.'),
  badCredentials: () => new SbError('SB_ERR_BAD_CREDENTIALS', 401, 'The email or password is not right.'),
  forbidden: (message = 'Your role does not allow this.') => new SbError('SB_ERR_FORBIDDEN', 403, message),
  conflict: (message: string) => new SbError('SB_ERR_CONFLICT', 409, message),
  unavailable: (message: string) => new SbError('SB_ERR_UNAVAILABLE', 503, message),
} as const;
