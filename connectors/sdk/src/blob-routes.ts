import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { blobConfigFor, createBlobStore, describeBlobStore, type BlobStore } from '@switchboard/blob';
import type { Platform } from '@switchboard/runtime';
import { agentsRead, callerTenant, ensureCaller } from './access.js';
import { errors } from '@switchboard/http';

const opened = new WeakMap<Platform, Promise<BlobStore>>();

/**
 * One blob store per process, shared by every connector mounted on the same platform; closed
 * with the server that opened it first.
 */
export function sharedBlobStore(app: FastifyInstance, platform: Platform): Promise<BlobStore> {
  let store = opened.get(platform);
  if (!store) {
    const config = blobConfigFor(platform.config);
    store = createBlobStore(config).then((s) => {
      platform.logger.info({ blob: s.driver }, describeBlobStore(config));
      return s;
    });
    opened.set(platform, store);
    app.addHook('onClose', async () => {
      opened.delete(platform);
      await (await store!).close();
    });
  }
  return store;
}

/** Inline types the browser may render; anything else downloads. */
const INLINE = /^(image\/(png|jpeg|gif|webp)|video\/(mp4|webm)|audio\/(ogg|mpeg|mp4|webm)|application\/pdf)$/;

/** GET /api/v1/blobs/:ref — a file of the caller's tenant (another tenant's answers 404). */
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
          const { meta, stream } = got;
          const inline = INLINE.test(meta.mime);
          const filename = encodeURIComponent(meta.name);
          return reply
            .header('content-type', inline ? meta.mime : 'application/octet-stream')
            .header('content-length', String(meta.size))
            .header('content-disposition', `${inline ? 'inline' : 'attachment'}; filename*=UTF-8''${filename}`)
            .header('x-content-type-options', 'nosniff')
            .header('content-security-policy', "default-src 'none'; sandbox")
            .header('cache-control', 'private, max-age=3600')
            .send(stream);
        },
      );
    },
    { prefix: '/api/v1/blobs' },
  );
}
