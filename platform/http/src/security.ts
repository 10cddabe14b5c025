import helmet from '@fastify/helmet';
import cors from '@fastify/cors';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import sanitize from 'sanitize-html';

export interface SecurityOptions {
  /** Public base URL; HSTS and upgrade-insecure-requests are sent only when it is https. */
  publicUrl: string;
  /** Browser origins allowed to call the REST API (CORS). Empty: same origin only. */
  allowedOrigins: string[];
  /** URL prefix of the REST API, the only place CORS answers; default `/api/`. */
  apiPrefix?: string;
  /** Paths other sites may load (e.g. the widget script): Cross-Origin-Resource-Policy cross-origin. */
  crossOriginPaths?: string[];
}

/**
 * Security headers on every response and a strict Content-Security-Policy for the pages we serve
 * (console, docs, knowledge base): scripts only from our own origin, no inline script, no
 * framing. Inline *styles* stay allowed: the widget's shadow DOM and the demo page use a <style>
 * element, and a style cannot run code.
 */
export async function registerSecurity(app: FastifyInstance, opts: SecurityOptions): Promise<void> {
  const https = opts.publicUrl.startsWith('https://');
  const apiPrefix = opts.apiPrefix ?? '/api/';
  const crossOrigin = new Set(opts.crossOriginPaths ?? []);
  const allowed = new Set(opts.allowedOrigins.map((o) => o.replace(/\/$/, '')));

  await app.register(helmet, {
    global: true,
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        scriptSrcAttr: ["'none'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'https:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        mediaSrc: ["'self'", 'https:'],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        ...(https ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    strictTransportSecurity: https ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    crossOriginResourcePolicy: { policy: 'same-origin' },
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
  });

  if (crossOrigin.size) {
    app.addHook('onSend', async (req, reply) => {
      if (crossOrigin.has(req.url.split('?')[0] ?? '')) reply.header('cross-origin-resource-policy', 'cross-origin');
    });
  }

  await app.register(cors, {
    delegator: (req: FastifyRequest, cb) => {
      const origin = req.headers.origin;
      const api = req.url.startsWith(apiPrefix);
      cb(null, {
        origin: api && typeof origin === 'string' && allowed.has(origin) ? origin : false,
        methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
        allowedHeaders: ['authorization', 'content-type', 'idempotency-key'],
        exposedHeaders: ['retry-after', 'ratelimit-remaining'],
        maxAge: 600,
        credentials: false,
      });
    },
  });
}

/** registerSecurity as a plugin whose hooks apply to the whole server, not one scope. */
export const securityPlugin = fp(registerSecurity, { name: 'switchboard-security', fastify: '5.x' });

/**
 * An image source the console may load: a file of ours (`/api/v1/blobs/<ref>`, one path segment)
 * or an inline raster data: image. Remote images stay out: they are tracking pixels in mail.
 */
export function isSafeImageSrc(src: string): boolean {
  const blob = /^\/api\/v1\/blobs\/([A-Za-z0-9\-_.!~*'()%]+)$/.exec(src);
  if (blob) return !/^(?:\.|%2e){1,2}$/i.test(blob[1] ?? '');
  return /^data:image\/(?:png|jpeg|gif|webp);base64,[A-Za-z0-9+/]+=*$/i.test(src);
}

const htmlPolicy: sanitize.IOptions = {
  allowedTags: [...sanitize.defaults.allowedTags, 'img'],
  allowedAttributes: {
    a: ['href', 'title', 'rel', 'target'],
    td: ['colspan', 'rowspan'],
    th: ['colspan', 'rowspan'],
    img: ['src', 'alt', 'width', 'height'],
  },
  allowedSchemes: ['http', 'https', 'mailto', 'tel'],
  allowedSchemesByTag: { img: ['data'] },
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  transformTags: {
    a: sanitize.simpleTransform('a', { rel: 'noopener noreferrer nofollow', target: '_blank' }, true),
  },
  exclusiveFilter: (frame) => frame.tag === 'img' && !isSafeImageSrc(frame.attribs['src'] ?? ''),
};

/**
 * HTML from channels (email bodies, rich messages) reduced to harmless formatting: no scripts,
 * styles, event handlers, iframes or javascript: links. Applied wherever html is shown.
 */
export function sanitizeHtml(html: string): string {
  return sanitize(html, htmlPolicy);
}
