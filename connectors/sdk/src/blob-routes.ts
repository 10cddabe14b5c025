import type { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { attachmentKindOf, BlobError, cleanFileName, fileHeaders, mimeOf, type BlobStore } from '@switchboard/blob';
import { ErrorBody } from '@switchboard/contracts';
import type { Platform } from '@switchboard/runtime';
import { agentsRead, agentsWrite, callerTenant, ensureCaller } from './access.js';
import { connectorErrors } from './errors.js';
import { errors } from '@switchboard/http';

/** What an upload answers: everything a reply's attachment will carry. */
const UploadedFile = Type.Object({
  /** What a reply's `attachments: [{ ref }]` names. */
  ref: Type.String(),
  name: Type.String(),
  mime: Type.String(),
  size: Type.Integer(),
  kind: Type.Union([Type.Literal('image'), Type.Literal('video'), Type.Literal('audio'), Type.Literal('file')]),
});

/**
 * GET /api/v1/blobs/:ref — a file of the caller's tenant (another tenant's answers 404); and
 * POST /api/v1/blobs — an agent's upload, kept for a reply to send (UPLOAD_MAX_BYTES at most).
 */
export async function blobRoutes(app: FastifyInstance, opts: { platform: Platform; blobs: BlobStore }): Promise<void> {
  const { blobs } = opts;
  await app.register(
    async (api) => {
      ensureCaller(api, opts.platform.tokens);
      api.get(
        '/:ref',
        {
          config: agentsRead,
          schema: {
            tags: ['blobs'],
            summary: 'Download a file a customer sent (images inline, other files as downloads)',
            params: Type.Object({ ref: Type.String({ minLength: 1, maxLength: 200 }) }),
          },
        },
        async (req, reply) => {
          const tenantId = callerTenant(req);
          const got = await blobs.get(tenantId, (req.params as { ref: string }).ref);
          if (!got) throw errors.notFound('The file');
          return reply.headers(fileHeaders(got.meta)).send(got.stream);
        },
      );
      // Raw bytes in, on this one route only: every other route keeps the JSON parser.
      await api.register(async (upload) => {
        upload.removeAllContentTypeParsers();
        upload.addContentTypeParser('*', (_req, payload, done) => done(null, payload));
        upload.post(
          '',
          {
            config: agentsWrite,
            schema: {
              tags: ['blobs'],
              summary: 'Upload a file to send with a reply: the raw bytes as the body, its type as Content-Type',
              consumes: ['*/*'],
              querystring: Type.Object(
                { name: Type.String({ minLength: 1, maxLength: 255, description: 'The file name the customer sees, e.g. invoice.pdf' }) },
                { additionalProperties: false },
              ),
              // Any bytes: an empty schema, there for the docs; the handler streams them to the store.
              body: Type.Unsafe<unknown>({ description: "The file's bytes, as they are (binary)" }),
              response: { 201: UploadedFile, 400: ErrorBody, 413: ErrorBody },
            },
          },
          async (req, reply) => {
            const tenantId = callerTenant(req);
            const name = fileName((req.query as { name: string }).name);
            const max = opts.platform.config.uploadMaxBytes;
            const declared = Number(req.headers['content-length'] ?? Number.NaN);
            if (declared > max) throw connectorErrors.fileTooLarge(max);
            if (req.body === undefined || req.body === null || declared === 0) throw connectorErrors.fileEmpty();
            const mime = mimeOf(req.headers['content-type']);
            let meta;
            try {
              meta = await blobs.put(req.body as Readable, { tenantId, mime, name, maxBytes: max });
            } catch (err) {
              if (err instanceof BlobError && err.code === 'SB_ERR_BLOB_TOO_LARGE') throw connectorErrors.fileTooLarge(max);
              throw err;
            }
            if (meta.size === 0) {
              await blobs.delete(tenantId, meta.ref);
              throw connectorErrors.fileEmpty();
            }
            return reply.status(201).send({ ref: meta.ref, name: meta.name, mime: meta.mime, size: meta.size, kind: attachmentKindOf(meta.mime) });
          },
        );
      });
    },
    { prefix: '/api/v1/blobs' },
  );
}

/** The last path segment, without control characters: a name to show, never a path. */
export function fileName(raw: string): string {
  const name = cleanFileName(raw);
  if (!name) throw errors.validation('name must be a file name, e.g. invoice.pdf.', { path: '/name' });
  return name;
}

export { mimeOf };
