import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { FastifyReply, FastifyRequest } from 'fastify';

interface Asset {
  mtimeMs: number;
  size: number;
  etag: string;
  identity: Buffer;
  br: Buffer;
  gzip: Buffer;
}

/**
 * The console's and the widget's built files, compressed once per build (brotli at its highest
 * quality, gzip -9) and kept in memory: the byte budgets are gzip figures, and a browser should
 * download what they measure, not three times as much. A file that changed on disk (a rebuild) is
 * read and compressed again on its next request.
 */
export class CompressedAssets {
  private readonly cache = new Map<string, Asset>();

  private load(file: string): Asset {
    const { mtimeMs, size } = statSync(file);
    const cached = this.cache.get(file);
    if (cached && cached.mtimeMs === mtimeMs && cached.size === size) return cached;
    const identity = readFileSync(file);
    const asset: Asset = {
      mtimeMs,
      size,
      etag: `"${createHash('sha256').update(identity).digest('base64url').slice(0, 22)}"`,
      identity,
      br: brotliCompressSync(identity, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: identity.length } }),
      gzip: gzipSync(identity, { level: 9 }),
    };
    this.cache.set(file, asset);
    return asset;
  }

  /** Sends `file` in the best encoding the client accepts, with an ETag (304 when it still matches). */
  send(req: FastifyRequest, reply: FastifyReply, file: string, type: string, headers: Record<string, string>): FastifyReply {
    const asset = this.load(file);
    reply.type(type).headers(headers).header('vary', 'accept-encoding').header('etag', asset.etag);
    if (req.headers['if-none-match'] === asset.etag) return reply.status(304).send();
    const encoding = pickEncoding(req.headers['accept-encoding']);
    if (encoding === 'identity') return reply.send(asset.identity);
    return reply.header('content-encoding', encoding).send(asset[encoding]);
  }
}

/** br when the client takes it, else gzip, else as it is; a q=0 refuses an encoding. */
export function pickEncoding(header: string | string[] | undefined): 'br' | 'gzip' | 'identity' {
  const accepted = new Map<string, number>();
  for (const part of (Array.isArray(header) ? header.join(',') : (header ?? '')).split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)).find(Boolean);
    accepted.set(name, q ? Number(q[1]) : 1);
  }
  const takes = (name: string) => (accepted.get(name) ?? accepted.get('*') ?? 0) > 0;
  if (takes('br')) return 'br';
  if (takes('gzip')) return 'gzip';
  return 'identity';
}
