import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';

/** One request the stand-in received. */
export interface GraphCall {
  method: string;
  path: string;
  authorization: string | undefined;
  contentType: string | undefined;
  /** Parsed JSON for JSON bodies, the raw text for anything else (multipart uploads). */
  body: unknown;
}

interface Failure {
  method: string;
  path: RegExp;
  status: number;
  body: unknown;
}

/**
 * A Graph API stand-in on 127.0.0.1 that speaks the calls the Meta connector makes, the way
 * graph.facebook.com answers them: send (WhatsApp and Instagram shapes), media metadata, media
 * download (token required), media upload, account look-up. It records every call and can be told
 * to fail the next matching call with a Meta error body.
 */
export class GraphStandIn {
  readonly calls: GraphCall[] = [];
  private readonly media = new Map<string, { bytes: Buffer; mime: string }>();
  private readonly failures: Failure[] = [];
  private server!: Server;
  url = '';

  constructor(readonly token: string) {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      void this.handle(req).then(
        ({ status, body, type }) => {
          res.writeHead(status, { 'content-type': type ?? 'application/json' });
          res.end(Buffer.isBuffer(body) ? body : JSON.stringify(body));
        },
        (err: unknown) => {
          res.writeHead(500, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ error: { message: String(err), code: 1 } }));
        },
      );
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  /** Media a customer "sent": WhatsApp resolves it by id, Instagram by the returned CDN URL. */
  addMedia(id: string, bytes: Buffer, mime: string): string {
    this.media.set(id, { bytes, mime });
    return `${this.url}/cdn/${id}`;
  }

  /** The next call matching method and path answers `status` with Meta's error body. */
  failNext(method: string, path: RegExp, status: number, error: { message: string; code: number; error_subcode?: number; type?: string }): void {
    this.failures.push({ method, path, status, body: { error: { type: 'OAuthException', fbtrace_id: 'AbC123', ...error } } });
  }

  sends(): GraphCall[] {
    return this.calls.filter((c) => c.method === 'POST' && /\/messages$/.test(c.path));
  }

  private async handle(req: IncomingMessage): Promise<{ status: number; body: unknown; type?: string }> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks);
    const path = (req.url ?? '/').split('?')[0]!;
    const contentType = req.headers['content-type'];
    let body: unknown = raw.toString('utf8');
    if (contentType?.startsWith('application/json')) body = JSON.parse(raw.toString('utf8') || 'null');
    this.calls.push({ method: req.method ?? 'GET', path, authorization: req.headers.authorization, contentType, body });

    const failure = this.failures.findIndex((f) => f.method === req.method && f.path.test(path));
    if (failure >= 0) {
      const [f] = this.failures.splice(failure, 1);
      return { status: f!.status, body: f!.body };
    }
    if (req.headers.authorization !== `Bearer ${this.token}`) {
      return { status: 401, body: { error: { message: 'Invalid OAuth access token - Cannot parse access token', type: 'OAuthException', code: 190 } } };
    }

    const cdn = /^\/cdn\/([^/]+)$/.exec(path);
    if (cdn) {
      const m = this.media.get(cdn[1]!);
      return m ? { status: 200, body: m.bytes, type: m.mime } : { status: 404, body: { error: { message: 'not found', code: 100 } } };
    }
    const parts = path.split('/').filter(Boolean); // [version, id, edge?]
    const [, id, edge] = parts;
    if (req.method === 'POST' && edge === 'messages') {
      const b = body as { messaging_product?: string; to?: string; recipient?: { id?: string } };
      if (b.messaging_product === 'whatsapp') {
        return { status: 200, body: { messaging_product: 'whatsapp', contacts: [{ input: b.to, wa_id: b.to }], messages: [{ id: `wamid.${randomUUID().replace(/-/g, '')}` }] } };
      }
      return { status: 200, body: { recipient_id: b.recipient?.id, message_id: `aWdfZAG1faXRlbTo${randomUUID().replace(/-/g, '')}` } };
    }
    if (req.method === 'POST' && edge === 'media') {
      const mediaId = String(Date.now()) + String(Math.floor(Math.random() * 1000));
      const file = /Content-Type: ([^\r\n]+)\r\n\r\n/.exec(String(body));
      this.media.set(mediaId, { bytes: raw, mime: file?.[1] ?? 'application/octet-stream' });
      return { status: 200, body: { id: mediaId } };
    }
    if (req.method === 'GET' && id && !edge) {
      const m = this.media.get(id);
      if (m) {
        return { status: 200, body: { messaging_product: 'whatsapp', url: `${this.url}/cdn/${id}`, mime_type: m.mime, sha256: 'x', file_size: m.bytes.length, id } };
      }
      if (id === 'me') return { status: 200, body: { user_id: '17841405822304914', username: 'acme.shop', id: '17841405822304914' } };
      return { status: 200, body: { id, display_phone_number: '+1 555-078-3881', verified_name: 'Acme Shop', quality_rating: 'GREEN' } };
    }
    return { status: 404, body: { error: { message: `Unknown path components: ${path}`, code: 2500 } } };
  }
}
