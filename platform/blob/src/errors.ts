/** Coded errors of the blob seam (listed in docs/errors.md); dependency-free like the bus's. */
export class BlobError extends Error {
  override readonly name = 'BlobError';
  constructor(
    readonly code: 'SB_ERR_BLOB_TOO_LARGE' | 'SB_ERR_BLOB_CONFIG' | 'SB_ERR_BLOB_UNREACHABLE',
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
  }
}

export const blobErrors = {
  tooLarge: (maxBytes: number) => new BlobError('SB_ERR_BLOB_TOO_LARGE', 413, `The file is larger than ${maxBytes} bytes.`),
  config: (detail: string) => new BlobError('SB_ERR_BLOB_CONFIG', 500, `Blob store configuration is invalid: ${detail}.`),
  unreachable: (detail: string) => new BlobError('SB_ERR_BLOB_UNREACHABLE', 503, `The blob store could not be reached: ${detail}.`),
};
