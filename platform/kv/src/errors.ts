/** Coded errors of the KeyValue seam: an SB_ERR_ code, an HTTP status and a sentence each. */
export type KvErrorCode =
  | 'SB_ERR_KV_UNAVAILABLE'
  | 'SB_ERR_KV_WRONG_TYPE'
  | 'SB_ERR_KV_NOT_INTEGER'
  | 'SB_ERR_KV_INVALID'
  | 'SB_ERR_KV_CLOSED';

const STATUS: Record<KvErrorCode, number> = {
  SB_ERR_KV_UNAVAILABLE: 503,
  SB_ERR_KV_WRONG_TYPE: 500,
  SB_ERR_KV_NOT_INTEGER: 500,
  SB_ERR_KV_INVALID: 400,
  SB_ERR_KV_CLOSED: 500,
};

export class KvError extends Error {
  override readonly name = 'KvError';
  readonly statusCode: number;
  constructor(
    readonly code: KvErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.statusCode = STATUS[code];
  }
}

export const wrongType = (key: string, cause?: unknown) =>
  new KvError('SB_ERR_KV_WRONG_TYPE', `Key "${key}" holds another kind of value (string, hash or set).`, { cause });

export const notInteger = (key: string, cause?: unknown) =>
  new KvError('SB_ERR_KV_NOT_INTEGER', `Key "${key}" does not hold an integer, or the result would overflow.`, {
    cause,
  });

export const invalidArgument = (message: string) => new KvError('SB_ERR_KV_INVALID', message);

export const closed = () => new KvError('SB_ERR_KV_CLOSED', 'The key-value store is closed.');

/** Hides the password of a connection URL in messages. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:/@]*):([^@/]*)@/, '//$1:***@');
}
