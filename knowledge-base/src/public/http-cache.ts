import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';

export interface CachedBody {
  body: string;
  type: string;
  status?: number;
  /** Seconds a browser or shared cache may reuse it; stale-while-revalidate is ten times that. */
  maxAge: number;
}

/** A strong validator: the hash of the exact bytes sent. */
export function etagOf(body: string): string {
  return `"${createHash('sha256').update(body).digest('base64url').slice(0, 32)}"`;
}

function matches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.split(',').some((tag) => {
    const t = tag.trim();
    return t === '*' || t === etag || t === `W/${etag}`;
  });
}

/**
 * Sends a public GET answer with an ETag and cache-control; a request that already holds this
 * version (If-None-Match) gets 304 without a body.
 */
export function sendCached(req: FastifyRequest, reply: FastifyReply, page: CachedBody): FastifyReply {
  const etag = etagOf(page.body);
  const status = page.status ?? 200;
  reply
    .header('etag', etag)
    .header('cache-control', `public, max-age=${page.maxAge}, stale-while-revalidate=${page.maxAge * 10}`)
    .type(page.type);
  if (status === 200 && matches(req.headers['if-none-match'], etag)) return reply.status(304).send();
  return reply.status(status).send(page.body);
}
