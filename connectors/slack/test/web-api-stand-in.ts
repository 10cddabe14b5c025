import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { StandIn } from '@switchboard/connectors-sdk/testing';

export interface WebApiCall {
  method: string;
  token: string;
  args: Record<string, string>;
  ok: boolean;
}

/**
 * The Slack Web API on 127.0.0.1 in its documented wire format (HTTP 200 with { ok, error } for
 * platform errors, 429 with Retry-After when rate limited): records calls, knows a few users and
 * files, serves url_private downloads to the bot token only.
 */
export interface WebApiStandIn extends StandIn {
  /** `slackApiUrl` for the client (ends with /api/). */
  apiUrl: string;
  botToken: string;
  calls: WebApiCall[];
  users: Map<string, { name: string; real_name: string; email?: string }>;
  files: Map<string, { name: string; mimetype: string; bytes: Buffer }>;
  /** Answers for the next chat.postMessage calls: a Slack error name, or an HTTP status. */
  failPosts: Array<string | number>;
  posts(): WebApiCall[];
  /** Files the app uploaded through files.getUploadURLExternal, by file id. */
  uploads: Map<string, { filename: string; bytes: Buffer }>;
  /** Socket Mode: the App-Level Token apps.connections.open accepts, and the URL it hands out. */
  appToken: string;
  socketUrl: string;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export const TEAM = { id: 'T0ACME', name: 'Acme Inc' };
export const BOT = { userId: 'U0SWITCHB', botId: 'B0SWITCHB', name: 'switchboard' };

export async function startWebApiStandIn(botToken = 'xoxb-1111-2222-standintoken', appToken = 'xapp-1-A0SWITCHB-3333-standin', socketUrl = ''): Promise<WebApiStandIn> {
  const calls: WebApiCall[] = [];
  const users = new Map<string, { name: string; real_name: string; email?: string }>();
  const files = new Map<string, { name: string; mimetype: string; bytes: Buffer }>();
  const failPosts: Array<string | number> = [];
  const uploads = new Map<string, { filename: string; bytes: Buffer }>();
  let tsCounter = 0;
  let base = '';

  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers }).end(JSON.stringify(body));
    const token = /^Bearer (.+)$/.exec(String(req.headers.authorization ?? ''))?.[1] ?? '';

    const download = /^\/files-pri\/[A-Z0-9]+-([A-Z0-9]+)\/(.+)$/.exec(url.pathname);
    if (download) {
      const f = files.get(download[1] as string);
      if (token !== botToken || !f) return res.writeHead(404).end('Not Found');
      return res.writeHead(200, { 'content-type': f.mimetype }).end(f.bytes);
    }
    const upload = /^\/upload\/(F[A-Z0-9]+)$/.exec(url.pathname);
    if (upload) {
      const u = uploads.get(upload[1] as string);
      if (!u) return res.writeHead(404).end('Not Found');
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const raw = Buffer.concat(chunks);
      const type = String(req.headers['content-type'] ?? '');
      // Slack takes the bytes raw or as a multipart form with one file part.
      if (type.startsWith('multipart/form-data')) {
        const form = await new Request('http://x/', { method: 'POST', headers: { 'content-type': type }, body: new Uint8Array(raw) }).formData();
        const part = [...form.values()].find((v): v is File => typeof v !== 'string');
        u.bytes = part ? Buffer.from(await part.arrayBuffer()) : Buffer.alloc(0);
      } else {
        u.bytes = raw;
      }
      return res.writeHead(200, { 'content-type': 'text/plain' }).end(`OK - ${u.bytes.length}`);
    }
    const m = /^\/api\/([\w.]+)$/.exec(url.pathname);
    if (!m) return json({ ok: false, error: 'unknown_method' }, 404);
    const method = m[1] as string;
    const raw = await readBody(req);
    const args: Record<string, string> = String(req.headers['content-type']).includes('json')
      ? (JSON.parse(raw || '{}') as Record<string, string>)
      : Object.fromEntries(new URLSearchParams(raw));
    const call: WebApiCall = { method, token, args, ok: true };
    calls.push(call);
    const fail = (error: string) => {
      call.ok = false;
      return json({ ok: false, error });
    };
    if (method === 'apps.connections.open') return token === appToken ? json({ ok: true, url: socketUrl }) : fail('invalid_auth');
    if (token !== botToken) return fail('invalid_auth');

    switch (method) {
      case 'auth.test':
        return json({ ok: true, url: 'https://acme.slack.com/', team: TEAM.name, user: BOT.name, team_id: TEAM.id, user_id: BOT.userId, bot_id: BOT.botId });
      case 'users.info': {
        const u = users.get(args.user ?? '');
        if (!u) return fail('user_not_found');
        return json({
          ok: true,
          user: { id: args.user, team_id: 'T0CUSTOMER', name: u.name, real_name: u.real_name, profile: { real_name: u.real_name, display_name: u.name, ...(u.email ? { email: u.email } : {}), image_72: `https://avatars.example/${u.name}.png` } },
        });
      }
      case 'files.info': {
        const f = files.get(args.file ?? '');
        if (!f) return fail('file_not_found');
        return json({
          ok: true,
          file: { id: args.file, name: f.name, title: f.name, mimetype: f.mimetype, size: f.bytes.length, url_private: `${base}/files-pri/${TEAM.id}-${args.file}/${f.name}`, url_private_download: `${base}/files-pri/${TEAM.id}-${args.file}/download/${f.name}` },
        });
      }
      case 'chat.postMessage': {
        const failure = failPosts.shift();
        if (typeof failure === 'string') return fail(failure);
        if (typeof failure === 'number') {
          call.ok = false;
          return json({ ok: false, error: failure === 429 ? 'ratelimited' : 'internal_error' }, failure, failure === 429 ? { 'retry-after': '1' } : {});
        }
        const ts = `${Math.floor(Date.now() / 1000)}.${String(++tsCounter).padStart(6, '0')}`;
        return json({ ok: true, channel: args.channel, ts, message: { type: 'message', text: args.text, user: BOT.userId, bot_id: BOT.botId, ts, thread_ts: args.thread_ts } });
      }
      case 'files.getUploadURLExternal': {
        const id = `F0UP${uploads.size + 1}`;
        uploads.set(id, { filename: args.filename ?? '', bytes: Buffer.alloc(0) });
        return json({ ok: true, upload_url: `${base}/upload/${id}`, file_id: id });
      }
      case 'files.completeUploadExternal': {
        const listed = JSON.parse(args.files ?? '[]') as Array<{ id: string; title?: string }>;
        if (listed.some((f) => !uploads.get(f.id)?.bytes.length)) return fail('file_not_found');
        return json({ ok: true, files: listed.map((f) => ({ id: f.id, title: f.title ?? uploads.get(f.id)?.filename })) });
      }
      default:
        return fail('unknown_method');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    apiUrl: `${base}/api/`,
    botToken,
    calls,
    users,
    files,
    failPosts,
    posts: () => calls.filter((c) => c.method === 'chat.postMessage' && c.ok),
    appToken,
    socketUrl,
    uploads,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
