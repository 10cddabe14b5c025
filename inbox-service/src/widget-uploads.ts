import type { Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import multipart from '@fastify/multipart';
import { fileTypeStream } from 'file-type/node';
import { Type } from 'typebox';
import { attachmentKindOf, BlobError, cleanFileName, fileHeaders, mimeOf, type BlobStore } from '@switchboard/blob';
import { ErrorBody, type MessageView } from '@switchboard/contracts';
import type { TokenService, VisitorClaims } from '@switchboard/auth';
import { safeEqual } from '@switchboard/crypto';
import { errors, rateLimited, SbError, type HttpServer, type RateLimiter } from '@switchboard/http';
import type { Logger } from '@switchboard/logging';
import type { Repositories } from './repositories/index.js';
import { originAllowed } from './web-origins.js';

/**
 * Files website visitors send from the widget. A visitor uploads with its visitor token and gets
 * a ref signed for it, which only that visitor's message:send accepts. What the widget shows is
 * a link signed for the conversation (or, before there is one, the visitor), so the browser can
 * open a file without any credential of its own, and nobody can guess another file's link.
 */
export class WidgetFiles {
  constructor(
    private readonly tokens: TokenService,
    private readonly publicUrl: string,
  ) {}

  private uploadSignature(v: VisitorClaims, blobRef: string): string {
    return this.tokens.signature('widget-upload', `${v.tenantId}\n${v.inboxId}\n${v.visitorId}\n${blobRef}`);
  }

  /** The ref the visitor gets: the blob's ref, then a signature only this visitor's sends accept. */
  uploadRef(v: VisitorClaims, blobRef: string): string {
    return `${blobRef}.${this.uploadSignature(v, blobRef)}`;
  }

  /** The blob ref inside a ref this visitor was given by an upload; null for anything else. */
  blobRefOf(v: VisitorClaims, ref: string): string | null {
    const dot = ref.lastIndexOf('.');
    if (dot <= 0) return null;
    const blobRef = ref.slice(0, dot);
    return safeEqual(ref.slice(dot + 1), this.uploadSignature(v, blobRef)) ? blobRef : null;
  }

  private linkSignature(tenantId: string, scope: string, blobRef: string): string {
    return this.tokens.signature('widget-file', `${tenantId}\n${scope}\n${blobRef}`);
  }

  /** A link to a stored file for the widget; `scope` is the conversation id (or the visitor id before there is one). */
  url(tenantId: string, scope: string, blobRef: string): string {
    const q = new URLSearchParams({ t: tenantId, c: scope, s: this.linkSignature(tenantId, scope, blobRef) });
    return `${this.publicUrl}/api/v1/widget/files/${encodeURIComponent(blobRef)}?${q}`;
  }

  verifyLink(tenantId: string, scope: string, blobRef: string, signature: string): boolean {
    return safeEqual(signature, this.linkSignature(tenantId, scope, blobRef));
  }

  /** The message as the widget gets it: each stored file with a link the visitor's browser can open. */
  forVisitor(tenantId: string, msg: MessageView): MessageView {
    if (!msg.attachments.some((a) => a.ref.startsWith('blob:'))) return msg;
    return {
      ...msg,
      attachments: msg.attachments.map((a) => (a.ref.startsWith('blob:') ? { ...a, url: this.url(tenantId, msg.conversationId, a.ref) } : a)),
    };
  }
}

/**
 * Never stored from a visitor: programs, and types a browser would run as a page or script if
 * someone opened them (HTML, SVG, JavaScript). Checked on the declared type, the name and, for
 * binaries, the bytes themselves.
 */
const REFUSED_MIME =
  /^(text\/html|application\/xhtml\+xml|image\/svg\+xml|text\/(x-)?javascript|application\/(x-)?(javascript|ecmascript)|text\/xsl|application\/xslt\+xml|application\/x-(msdownload|msdos-program|msi|ms-installer|dosexec|executable|elf|mach-binary|sh|csh|bat|shockwave-flash|ms-shortcut|apple-diskimage)|application\/vnd\.microsoft\.portable-executable|application\/java-archive|application\/hta|application\/vnd\.android\.package-archive)$/;
const REFUSED_EXTENSION =
  /\.(exe|dll|com|bat|cmd|msi|msp|scr|pif|cpl|ps1|psm1|vbs|vbe|js|mjs|cjs|jse|wsf|wsh|hta|jar|sh|bash|csh|app|apk|elf|lnk|reg|msc|swf|html?|xhtml|shtml|svgz?|xsl|xslt|dmg)$/i;

/** Room for the multipart boundary and part headers around the file itself. */
const MULTIPART_OVERHEAD = 64 * 1024;

export const widgetUploadErrors = {
  unauthorized: () => errors.unauthorized('The visitor token is missing or not valid; reconnect the chat to get a new one.'),
  tooLarge: (maxBytes: number) =>
    new SbError('SB_ERR_BLOB_TOO_LARGE', 413, `The file is larger than ${megabytes(maxBytes)}, the most a chat upload may be.`, { maxBytes }),
  unsupported: (what: string) =>
    new SbError('SB_ERR_UNSUPPORTED_MEDIA', 415, `${what} cannot be sent in the chat: programs, web pages and SVG images are refused.`),
  empty: () => new SbError('SB_ERR_FILE_EMPTY', 400, 'The file is empty.'),
  noFile: () => errors.validation('Send the file as multipart/form-data in a field named "file".', { path: '/file' }),
  originNotAllowed: () => new SbError('SB_ERR_ORIGIN_NOT_ALLOWED', 403, 'This website may not use this chat.'),
  badLink: () => errors.notFound('The file'),
};

function megabytes(bytes: number): string {
  const mb = bytes / 1024 / 1024;
  return mb >= 1 ? `${Number.isInteger(mb) ? mb : mb.toFixed(1)} MB` : `${bytes} bytes`;
}

export interface WidgetUploadDeps {
  repos: Repositories;
  tokens: TokenService;
  blobs: BlobStore;
  files: WidgetFiles;
  limiter: RateLimiter;
  /** Uploads per minute per visitor; 0 = no limit. */
  perMinute: number;
  maxBytes: number;
  logger: Logger;
}

/**
 * The upload answers any origin's preflight and CORS request (it takes no cookies: the visitor
 * token is the credential); the inbox's own allowed-origins list is then checked on the upload.
 */
function allowAnyOrigin(req: FastifyRequest, reply: FastifyReply): void {
  const origin = req.headers.origin;
  if (typeof origin !== 'string') return;
  reply.header('access-control-allow-origin', origin).header('vary', 'origin').header('access-control-expose-headers', 'retry-after');
}

/**
 * POST /api/v1/widget/uploads (a visitor's file, multipart field "file", Bearer visitor token)
 * and GET /api/v1/widget/files/:ref (a signed link the widget shows).
 */
export async function widgetUploadRoutes(app: HttpServer, deps: WidgetUploadDeps): Promise<void> {
  const { blobs, files, maxBytes } = deps;

  app.options(
    '/widget/uploads',
    { config: { public: true }, schema: { tags: ['widget'], summary: 'CORS preflight of a widget upload', security: [] } },
    async (req, reply) => {
      allowAnyOrigin(req, reply);
      return reply
        .header('access-control-allow-methods', 'POST')
        .header('access-control-allow-headers', 'authorization, content-type')
        .header('access-control-max-age', '600')
        .status(204)
        .send();
    },
  );

  await app.register(async (scope) => {
    await scope.register(multipart, { limits: { files: 1, fields: 5, fileSize: maxBytes, parts: 6, headerPairs: 50 } });
    scope.post(
      '/widget/uploads',
      {
        config: { public: true },
        onRequest: async (req, reply) => allowAnyOrigin(req, reply),
        schema: {
          tags: ['widget'],
          summary: 'A website visitor uploads a file to send in the chat (multipart field "file", Bearer visitor token)',
          consumes: ['multipart/form-data'],
          security: [],
          response: {
            201: Type.Object({
              /** What message:send names in `attachments: [{ ref }]`; only this visitor's sends accept it. */
              ref: Type.String(),
              name: Type.String(),
              mime: Type.String(),
              size: Type.Integer(),
              kind: Type.Union([Type.Literal('image'), Type.Literal('video'), Type.Literal('audio'), Type.Literal('file')]),
              url: Type.String(),
            }),
            400: ErrorBody,
            401: ErrorBody,
            403: ErrorBody,
            413: ErrorBody,
            415: ErrorBody,
            429: ErrorBody,
          },
        },
      },
      async (req, reply) => {
        const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
        const visitor = match?.[1] ? await deps.tokens.verifyVisitor(match[1]).catch(() => null) : null;
        if (!visitor) throw widgetUploadErrors.unauthorized();
        const r = deps.repos.forTenant(visitor.tenantId);
        const inbox = await r.inboxes.findOne({ _id: visitor.inboxId, channel: 'web' });
        // A rotated or deleted inbox's visitors cannot upload any more than they can connect.
        if (!inbox?.widgetToken) throw widgetUploadErrors.unauthorized();
        if (!originAllowed(inbox.allowedOrigins, req.headers.origin)) throw widgetUploadErrors.originNotAllowed();
        if (deps.perMinute) {
          const decision = await deps.limiter.hit(`widget-upload:${visitor.tenantId}:${visitor.visitorId}`, deps.perMinute);
          if (!decision.allowed) {
            reply.header('retry-after', String(decision.retryAfterSeconds));
            throw rateLimited(decision.retryAfterSeconds);
          }
        }
        const declared = Number(req.headers['content-length'] ?? Number.NaN);
        if (declared > maxBytes + MULTIPART_OVERHEAD) throw widgetUploadErrors.tooLarge(maxBytes);
        if (!req.isMultipart()) throw widgetUploadErrors.noFile();
        const part = await req.file();
        if (!part || part.fieldname !== 'file') {
          part?.file.resume();
          throw widgetUploadErrors.noFile();
        }
        const name = cleanFileName(part.filename ?? '') || 'file';
        const declaredMime = mimeOf(part.mimetype);
        if (REFUSED_MIME.test(declaredMime) || REFUSED_EXTENSION.test(name)) {
          part.file.resume();
          throw widgetUploadErrors.unsupported(`"${name}"`);
        }
        let meta;
        try {
          // The bytes decide the type when they are recognisable (a program renamed photo.jpg is still a program).
          const sniffed = await fileTypeStream(part.file, { sampleSize: 4100 });
          const mime = sniffed.fileType?.mime ?? declaredMime;
          if (REFUSED_MIME.test(mime)) {
            sniffed.resume();
            throw widgetUploadErrors.unsupported(`"${name}"`);
          }
          meta = await blobs.put(sniffed as unknown as Readable, { tenantId: visitor.tenantId, mime, name, maxBytes });
        } catch (err) {
          const code = (err as { code?: string }).code;
          if ((err instanceof BlobError && code === 'SB_ERR_BLOB_TOO_LARGE') || code === 'FST_REQ_FILE_TOO_LARGE') throw widgetUploadErrors.tooLarge(maxBytes);
          throw err;
        }
        if (part.file.truncated) {
          await blobs.delete(visitor.tenantId, meta.ref);
          throw widgetUploadErrors.tooLarge(maxBytes);
        }
        if (meta.size === 0) {
          await blobs.delete(visitor.tenantId, meta.ref);
          throw widgetUploadErrors.empty();
        }
        const conv = await r.conversations.findOne({ channel: 'web', channelAccountId: visitor.inboxId, threadKey: visitor.visitorId });
        deps.logger.info({ tenantId: visitor.tenantId, inboxId: visitor.inboxId, visitorId: visitor.visitorId, size: meta.size, mime: meta.mime }, 'visitor uploaded a file');
        return reply.status(201).send({
          ref: files.uploadRef(visitor, meta.ref),
          name: meta.name,
          mime: meta.mime,
          size: meta.size,
          kind: attachmentKindOf(meta.mime),
          url: files.url(visitor.tenantId, conv?._id ?? visitor.visitorId, meta.ref),
        });
      },
    );
  });

  app.get(
    '/widget/files/:ref',
    {
      config: { public: true },
      schema: {
        tags: ['widget'],
        summary: 'A file of a widget conversation, by the signed link the widget was given (images inline, other files as downloads)',
        security: [],
        params: Type.Object({ ref: Type.String({ minLength: 1, maxLength: 200 }) }),
        querystring: Type.Object(
          {
            t: Type.String({ minLength: 1, maxLength: 200, description: 'The team the file belongs to.' }),
            c: Type.String({ minLength: 1, maxLength: 200, description: 'The conversation (or visitor) the link was made for.' }),
            s: Type.String({ minLength: 1, maxLength: 200, description: 'The hub’s signature of the link.' }),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (req, reply) => {
      const { t, c, s } = req.query;
      if (!files.verifyLink(t, c, req.params.ref, s)) throw widgetUploadErrors.badLink();
      const got = await blobs.get(t, req.params.ref);
      if (!got) throw widgetUploadErrors.badLink();
      // Opened from the visitor's page on another origin: an <img> there must be allowed to load it.
      reply.headers(fileHeaders(got.meta)).header('cross-origin-resource-policy', 'cross-origin').header('access-control-allow-origin', '*');
      return reply.send(got.stream);
    },
  );
}
