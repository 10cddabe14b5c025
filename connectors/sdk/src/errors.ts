import { SbError } from '@switchboard/http';

/**
 * Coded errors of the connectors SDK (listed in docs/errors.md). Webhook answers use the HTTP
 * status so providers retry what may succeed later (503) and give up on what never will (4xx).
 */
export const connectorErrors = {
  unknownAccount: (channel: string, accountId: string) =>
    new SbError('SB_ERR_CHANNEL_ACCOUNT_NOT_FOUND', 404, `No ${channel} account "${accountId}" is connected here.`),
  badSignature: (channel: string) =>
    new SbError('SB_ERR_WEBHOOK_SIGNATURE', 401, `The ${channel} webhook signature is missing or does not match.`),
  malformed: (channel: string, detail: string) =>
    new SbError('SB_ERR_WEBHOOK_MALFORMED', 400, `The ${channel} webhook body could not be read: ${detail}.`),
  unavailable: () =>
    new SbError('SB_ERR_WEBHOOK_UNAVAILABLE', 503, 'The message could not be queued right now; retry later.'),
  busy: () =>
    new SbError('SB_ERR_WEBHOOK_BUSY', 503, 'Too many messages are waiting to be processed for this conversation; retry later.'),
  overloaded: () =>
    new SbError('SB_ERR_WEBHOOK_BUSY', 503, 'This server is handling as many webhooks as it can right now; retry later.'),
  credentialsRejected: (channel: string, reason: string) =>
    new SbError('SB_ERR_CHANNEL_CREDENTIALS', 422, `${channel} did not accept these credentials: ${reason}`),
  fileTooLarge: (maxBytes: number) =>
    new SbError('SB_ERR_BLOB_TOO_LARGE', 413, `The file is larger than ${megabytes(maxBytes)}, the most an upload may be.`, { maxBytes }),
  fileEmpty: () => new SbError('SB_ERR_FILE_EMPTY', 400, 'The file is empty: send its bytes as the request body.'),
};

/** 26214400 → "25 MB" (1024-based, as the console shows sizes). */
function megabytes(bytes: number): string {
  const mb = bytes / 1024 / 1024;
  return mb >= 1 ? `${Number.isInteger(mb) ? mb : mb.toFixed(1)} MB` : `${bytes} bytes`;
}

/** Thrown by Connector.parse for a body that cannot be understood (answers 400, nothing published). */
export class MalformedPayload extends Error {
  override readonly name = 'MalformedPayload';
}

export function malformed(detail: string): MalformedPayload {
  return new MalformedPayload(detail);
}

/**
 * A delivery failure. `permanent` ones (the provider refused: 4xx except 429) become a visible
 * "failed" status with the provider's reason; transient ones (5xx, 429, network) are retried by
 * the bus with backoff.
 */
export class DeliveryError extends Error {
  override readonly name = 'DeliveryError';
  constructor(
    message: string,
    readonly permanent: boolean,
    readonly providerStatus?: number,
  ) {
    super(message);
  }
}

export const transient = (reason: string, status?: number) => new DeliveryError(reason, false, status);
export const permanent = (reason: string, status?: number) => new DeliveryError(reason, true, status);

/** HTTP status → DeliveryError, the rule every connector shares: 429 and 5xx retry, other 4xx do not. */
export function deliveryErrorFor(status: number, reason: string): DeliveryError {
  return status === 429 || status >= 500 || status === 408 ? transient(reason, status) : permanent(reason, status);
}
