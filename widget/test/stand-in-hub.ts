import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import type {
  KbSuggestion,
  MessageView,
  WidgetClientToServer,
  WidgetIdentify,
  WidgetInboxSettings,
  WidgetCsat,
  WidgetServerToClient,
  WidgetVisitor,
  WidgetVisitorUpdate,
} from '@switchboard/contracts';

/**
 * A stand-in for inbox-service's /widget namespace, just enough to drive the widget through real
 * socket.io: visitors by token, one conversation each, one message per clientId, resume by seq,
 * identify (a token per site user, HMAC check when `identitySecret` is set), update, read marks,
 * and file uploads with the hub's wire shapes (POST /api/v1/widget/uploads, signed file links).
 * It can restart on the same port with its data intact, like the hub after a deploy. Over HTTP it
 * serves the built loader as /widget.js and the chat's modules as /widget/<name>.js, for browser tests
 * any page given to `page()`, and the knowledge base's widget suggestions
 * (GET /api/v1/widget/kb/suggestions) over `ARTICLES`, with their public pages under
 * /help/acme/en/articles/<slug>.
 */
export interface StandInHub {
  url: string;
  /** Every visitor token the hub handed out or recognised, per handshake. */
  handshakes: Array<{ inboxToken: unknown; visitorToken: unknown }>;
  resumes: Array<number | undefined>;
  typing: boolean[];
  /** Every `visitor:identify` and `visitor:update` request, in order. */
  identifies: WidgetIdentify[];
  updates: WidgetVisitorUpdate[];
  /** `upToSeq` of every `messages:read` from a visitor. */
  reads: number[];
  /** Every upload request: the visitor token it carried, and the file (or the refusal's code). */
  uploads: Array<{ visitorToken: string | null; name: string; size: number; refused?: string }>;
  /** Messages of a visitor's conversation, as stored; default: the visitor who connected last. */
  stored(visitorToken?: string): MessageView[];
  /** The visitor record of a token (default: the visitor who connected last). */
  visitor(visitorToken?: string): WidgetVisitor | undefined;
  /** The token of the visitor who connected last. */
  lastVisitor(): string | undefined;
  agentReply(text: string, visitorToken?: string): MessageView;
  /** A reply stored while the hub's instances could not reach each other: no live event reaches the widget. */
  agentReplyLost(text: string, visitorToken?: string): MessageView;
  /** The hub's instances can reach each other again: every widget is told to `resync`. */
  resync(): void;
  agentTyping(typing: boolean): void;
  /** An agent read the conversation up to this seq (server → widget `messages:read`). */
  agentRead(upToSeq: number, visitorToken?: string): void;
  /** A site user who already chatted (on another device): their conversation holds these agent messages. */
  seedUser(userId: string, texts: string[]): void;
  /** What the session answer says about the inbox (offline mode, pre-chat form, upload limit …). */
  inbox: WidgetInboxSettings;
  /** The agent the session answer names, who replies and types (default Anna, with a photo). */
  agent: { name: string; avatarUrl?: string };
  /** identify() needs hash = hex HMAC-SHA256(secret, id) when set (identity verification on). */
  identitySecret: string | null;
  /** An agent resolved the visitor's conversation: the survey is asked (`csat:request`) and in the session answer while it may be answered. */
  resolve(visitorToken?: string): void;
  /** Every `csat:answer` request, in order. */
  csatAnswers: Array<{ rating: unknown; comment?: unknown }>;
  /** Cut every connection as a network drop would (the widget reconnects by itself). */
  dropConnections(): void;
  /** Store the next visitor message but cut the connection before acknowledging it. */
  loseNextAck(): void;
  /** Answer the next visitor message with this error code instead of storing it. */
  failNextSend(code: string): void;
  /** Refuse handshakes (as the hub does for an unknown inbox) until called with false. */
  refuse(on: boolean): void;
  /** Lose all data (a wiped database): known tokens become unknown, the conversations empty. */
  forgetEverything(): void;
  /** Serve `html` at `path` (a customer's web page). */
  page(path: string, html: string): void;
  /** Query string of every suggestions request, in order. */
  suggestionRequests: Array<{ token: string | null; q: string | null; locale: string | null }>;
  /** Answer suggestions requests with this HTTP status (500 …) until called with null. */
  failSuggestions(status: number | null): void;
  /** Paths of every request for the widget's scripts (/widget.js, /widget/<name>.js), in order. */
  scriptRequests: string[];
  stop(): Promise<void>;
  start(): Promise<void>;
}

export const INBOX = 'inbox-token-1';

/** The stand-in's published help articles: a suggestion matches when its title holds every word of the query. */
export const ARTICLES = [
  { title: 'Refund policy', slug: 'refund-policy', text: 'How a refund works & when you get it.' },
  { title: 'Requesting a refund', slug: 'requesting-a-refund', text: 'Ask for a refund from your orders page.' },
  { title: 'Refunds for gift cards', slug: 'refunds-for-gift-cards', text: 'Gift cards are refunded as store credit.' },
  { title: 'Refund to a closed account', slug: 'refund-to-a-closed-account', text: 'We send a cheque.' },
  { title: 'Shipping times', slug: 'shipping-times', text: 'Two to five days.' },
];

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function markFirst(html: string, word: string): string {
  const at = html.toLowerCase().indexOf(word);
  return at < 0 ? html : `${html.slice(0, at)}<mark>${html.slice(at, at + word.length)}</mark>${html.slice(at + word.length)}`;
}

const MiB = 1024 * 1024;
const EXECUTABLE = /\.(exe|msi|bat|cmd|sh|scr|dll)$/i;

interface VisitorRecord {
  token: string;
  visitor: WidgetVisitor;
  conversationId: string;
  messages: MessageView[];
  readSeq: number;
  csat?: WidgetCsat;
}

interface Upload {
  ref: string;
  name: string;
  mime: string;
  size: number;
  kind: 'image' | 'file';
  bytes: Buffer;
}

export async function startStandInHub(): Promise<StandInHub> {
  const visitors = new Map<string, VisitorRecord>();
  const files = new Map<string, Upload>();
  let seq = 0;
  let conversations = 0;
  let refusing = false;
  /** Tokens handed out after a wipe differ from those before it. */
  let generation = 1;
  let made = 0;
  let last: string | undefined;
  let loseAck = false;
  let failCode: string | null = null;
  let suggestionsStatus: number | null = null;
  let port = 0;
  let http: HttpServer;
  let io: Server<WidgetClientToServer, WidgetServerToClient>;
  const pages = new Map<string, string>();
  const dist = new URL('../dist/', import.meta.url);

  const record = (token: string, visitor: Partial<WidgetVisitor> = {}): VisitorRecord => {
    const existing = visitors.get(token);
    if (existing) return existing;
    const fresh: VisitorRecord = { token, visitor: { verified: false, attributes: {}, ...visitor }, conversationId: `conv-${++conversations}`, messages: [], readSeq: 0 };
    visitors.set(token, fresh);
    return fresh;
  };
  const of = (token = last) => (token ? visitors.get(token) : undefined);

  const add = (v: VisitorRecord, m: Omit<MessageView, 'id' | 'seq' | 'conversationId' | 'attachments' | 'createdAt'> & { attachments?: MessageView['attachments'] }) => {
    seq++;
    const view: MessageView = { id: `srv-${seq}`, conversationId: v.conversationId, seq, attachments: [], createdAt: new Date().toISOString(), ...m };
    v.messages.push(view);
    return view;
  };

  /** The contract of knowledge-base's widget suggestions: at most 3, snippet HTML with <mark>, ACAO *. */
  const suggest = (params: URLSearchParams): { status: number; body: unknown } => {
    const token = params.get('token');
    const q = (params.get('q') ?? '').trim().toLowerCase();
    hub.suggestionRequests.push({ token, q: params.get('q'), locale: params.get('locale') });
    if (suggestionsStatus) return { status: suggestionsStatus, body: { error: { code: 'SB_ERR_INTERNAL', message: 'stand-in failure' } } };
    if (token !== INBOX) return { status: 404, body: { error: { code: 'SB_ERR_UNKNOWN_INBOX', message: 'No inbox has this token.' } } };
    if (q.length < 3) return { status: 200, body: { items: [] } };
    const words = q.split(/\s+/);
    const items: KbSuggestion[] = ARTICLES.filter((a) => words.every((w) => a.title.toLowerCase().includes(w)))
      .slice(0, 3)
      .map((a) => ({
        articleId: `art-${a.slug}`,
        locale: 'en',
        title: a.title,
        url: `${hub.url}/help/acme/en/articles/${a.slug}`,
        snippet: markFirst(escapeHtml(a.text), words[0]!),
      }));
    return { status: 200, body: { items } };
  };

  const json = (res: ServerResponse, status: number, body: unknown) =>
    res.writeHead(status, { 'content-type': 'application/json', 'access-control-allow-origin': '*' }).end(JSON.stringify(body));

  /** POST /api/v1/widget/uploads as inbox-service answers it: 201 { ref, name, mime, size, kind, url }, 413, 415, 401. */
  async function receiveUpload(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const visitorToken = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? null;
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const form = await new Response(Buffer.concat(chunks), { headers: { 'content-type': req.headers['content-type'] ?? '' } })
      .formData()
      .catch(() => null);
    const file = form?.get('file');
    if (!(file instanceof File)) return void json(res, 400, { error: { code: 'SB_ERR_VALIDATION', message: 'Send the file in a multipart field named "file".' } });
    const refuse = (status: number, code: string, message: string) => {
      hub.uploads.push({ visitorToken, name: file.name, size: file.size, refused: code });
      json(res, status, { error: { code, message } });
    };
    if (!visitorToken || !visitors.has(visitorToken)) return refuse(401, 'SB_ERR_UNAUTHORIZED', 'Start the chat before sending files.');
    if (file.size > hub.inbox.maxUploadBytes) return refuse(413, 'SB_ERR_BLOB_TOO_LARGE', `This file is larger than the ${hub.inbox.maxUploadBytes / MiB} MiB allowed.`);
    if (EXECUTABLE.test(file.name)) return refuse(415, 'SB_ERR_UNSUPPORTED_MEDIA', 'This kind of file cannot be sent.');
    hub.uploads.push({ visitorToken, name: file.name, size: file.size });
    const mime = file.type || 'application/octet-stream';
    const ref = `blob:upload-${files.size + 1}`;
    const upload: Upload = { ref, name: file.name, mime, size: file.size, kind: mime.startsWith('image/') ? 'image' : 'file', bytes: Buffer.from(await file.arrayBuffer()) };
    files.set(ref, upload);
    json(res, 201, { ref, name: upload.name, mime, size: upload.size, kind: upload.kind, url: fileUrl(ref) });
  }
  const fileUrl = (ref: string) => `${hub.url}/api/v1/widget/files/${encodeURIComponent(ref)}?sig=stand-in`;

  const hub: StandInHub = {
    url: '',
    suggestionRequests: [],
    failSuggestions(status) {
      suggestionsStatus = status;
    },
    handshakes: [],
    resumes: [],
    typing: [],
    identifies: [],
    updates: [],
    reads: [],
    uploads: [],
    scriptRequests: [],
    inbox: { preChatForm: [], online: true, offlineMessage: '', identityVerification: false, maxUploadBytes: MiB },
    identitySecret: null,
    agent: { name: 'Anna', avatarUrl: '/avatars/anna.png' },
    stored: (token) => [...(of(token)?.messages ?? [])],
    visitor: (token) => of(token)?.visitor,
    lastVisitor: () => last,
    agentReply(text, token) {
      const v = of(token);
      if (!v) throw new Error('no visitor to reply to');
      const view = add(v, { direction: 'out', author: { kind: 'agent', name: hub.agent.name }, text });
      io.of('/widget').to(v.token).emit('message:new', view);
      return view;
    },
    agentReplyLost(text, token) {
      const v = of(token);
      if (!v) throw new Error('no visitor to reply to');
      return add(v, { direction: 'out', author: { kind: 'agent', name: hub.agent.name }, text });
    },
    resync() {
      const now = new Date().toISOString();
      io.of('/widget').emit('resync', { since: now, until: now });
    },
    agentTyping(typing) {
      io.of('/widget').to('visitors').emit('typing', { typing, name: hub.agent.name });
    },
    agentRead(upToSeq, token) {
      const v = of(token);
      if (!v) throw new Error('no visitor');
      v.readSeq = upToSeq;
      io.of('/widget').to(v.token).emit('messages:read', { upToSeq });
    },
    seedUser(userId, texts) {
      const v = record(`user-${userId}`, { userId });
      for (const text of texts) add(v, { direction: 'out', author: { kind: 'agent', name: 'Anna' }, text });
    },
    resolve(token) {
      const v = of(token);
      if (!v) throw new Error('no visitor');
      v.csat = { rating: null };
      io.of('/widget').to(v.token).emit('csat:request', v.csat);
    },
    csatAnswers: [],
    dropConnections() {
      for (const s of io.of('/widget').sockets.values()) s.conn.close();
    },
    failNextSend(code) {
      failCode = code;
    },
    loseNextAck() {
      loseAck = true;
    },
    refuse(on) {
      refusing = on;
    },
    forgetEverything() {
      visitors.clear();
      seq = 0;
      made = 0;
      generation++;
    },
    page(path, html) {
      pages.set(path, html);
    },
    async start() {
      http = createServer((req, res) => {
        const url = new URL(req.url ?? '/', 'http://stand-in');
        const path = url.pathname;
        const article = ARTICLES.find((a) => path === `/help/acme/en/articles/${a.slug}`);
        const file = path.startsWith('/api/v1/widget/files/') ? files.get(decodeURIComponent(path.slice('/api/v1/widget/files/'.length))) : undefined;
        if (path === '/widget.js' || /^\/widget\/[\w-]+\.js$/.test(path)) {
          hub.scriptRequests.push(path);
          // The chat's modules are imported across origins: a module script needs CORS.
          res.writeHead(200, { 'content-type': 'text/javascript', 'access-control-allow-origin': '*' }).end(readFileSync(new URL(`.${path}`, dist)));
        } else if (path === '/api/v1/widget/kb/suggestions' && req.method === 'GET') {
          const { status, body } = suggest(url.searchParams);
          json(res, status, body);
        } else if (path === '/api/v1/widget/uploads' && req.method === 'OPTIONS') {
          res
            .writeHead(204, { 'access-control-allow-origin': '*', 'access-control-allow-methods': 'POST', 'access-control-allow-headers': 'authorization' })
            .end();
        } else if (path === '/api/v1/widget/uploads' && req.method === 'POST') {
          void receiveUpload(req, res);
        } else if (file) {
          res.writeHead(200, { 'content-type': file.mime, 'access-control-allow-origin': '*' }).end(file.bytes);
        } else if (path === '/avatars/anna.png') {
          // A 1×1 PNG: the agent's photo; any other /avatars/ address is missing (404).
          res
            .writeHead(200, { 'content-type': 'image/png' })
            .end(Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64'));
        } else if (article) {
          res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(`<!doctype html><title>${article.title}</title><h1>${article.title}</h1>`);
        } else if (pages.has(path)) {
          res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(pages.get(path));
        } else if (!path.startsWith('/socket.io')) {
          res.writeHead(404).end();
        }
      });
      io = new Server(http, { cors: { origin: '*' } });
      const nsp = io.of('/widget');
      nsp.use((socket, next) => {
        const auth = socket.handshake.auth as { inboxToken?: unknown; visitorToken?: unknown };
        hub.handshakes.push({ inboxToken: auth.inboxToken, visitorToken: auth.visitorToken });
        if (refusing || auth.inboxToken !== INBOX) return next(new Error('SB_ERR_UNKNOWN_INBOX'));
        next();
      });
      nsp.on('connection', (socket) => {
        const auth = socket.handshake.auth as { visitorToken?: string };
        const token = auth.visitorToken && visitors.has(auth.visitorToken) ? auth.visitorToken : `visitor-${generation}-${++made}`;
        const v = record(token);
        last = token;
        void socket.join(['visitors', token]);
        socket.on('session:resume', ({ afterSeq }, ack) => {
          hub.resumes.push(afterSeq);
          const withLinks = (m: MessageView): MessageView => ({ ...m, attachments: m.attachments.map((a) => ({ ...a, url: fileUrl(a.ref) })) });
          ack({
            ok: true,
            data: {
              visitorToken: token,
              conversationId: v.messages.length ? v.conversationId : null,
              messages: v.messages.filter((m) => m.seq > (afterSeq ?? 0)).map(withLinks),
              agentName: hub.agent.name,
              ...(hub.agent.avatarUrl ? { agentAvatarUrl: `${hub.url}${hub.agent.avatarUrl}` } : {}),
              visitor: v.visitor,
              inbox: hub.inbox,
              ...(v.readSeq ? { agentReadSeq: v.readSeq } : {}),
              ...(v.csat ? { csat: v.csat } : {}),
            },
          });
        });
        socket.on('csat:answer', (req, ack) => {
          hub.csatAnswers.push(req);
          if (!v.csat) return ack({ ok: false, error: { code: 'SB_ERR_NOT_FOUND', message: 'The survey was not found.' } });
          if (!Number.isInteger(req.rating) || req.rating < 1 || req.rating > 5) {
            return ack({ ok: false, error: { code: 'SB_ERR_VALIDATION', message: 'rating must be a whole number from 1 to 5.' } });
          }
          v.csat = { rating: req.rating as WidgetCsat['rating'], ...(req.comment ? { comment: req.comment } : {}), editableUntil: new Date(Date.now() + 86_400_000).toISOString() };
          io.of('/widget').to(v.token).emit('csat:request', v.csat);
          ack({ ok: true, data: v.csat });
        });
        socket.on('message:send', ({ clientId, text, attachments }, ack) => {
          if (failCode) {
            ack({ ok: false, error: { code: failCode, message: `failed with ${failCode}` } });
            failCode = null;
            return;
          }
          const uploaded = (attachments ?? []).map((a) => files.get(a.ref));
          if (uploaded.some((f) => !f)) {
            ack({ ok: false, error: { code: 'SB_ERR_VALIDATION', message: 'An attachment was not uploaded first.' } });
            return;
          }
          const known = v.messages.some((m) => m.clientId === clientId);
          if (!known) {
            const view = add(v, {
              direction: 'in',
              author: { kind: 'contact' },
              ...(text ? { text } : {}),
              clientId,
              attachments: uploaded.map((f) => ({ kind: f!.kind, name: f!.name, mime: f!.mime, size: f!.size, ref: f!.ref, url: fileUrl(f!.ref) })),
            });
            nsp.to(token).emit('message:new', view);
          }
          if (loseAck) {
            loseAck = false;
            socket.conn.close();
            return;
          }
          ack({ ok: true, data: { clientId } });
        });
        socket.on('typing', ({ typing }) => hub.typing.push(typing));
        socket.on('messages:read', ({ upToSeq }) => hub.reads.push(upToSeq));
        socket.on('visitor:identify', (req, ack) => {
          hub.identifies.push(req);
          if (hub.identitySecret !== null && req.hash !== createHmac('sha256', hub.identitySecret).update(req.id).digest('hex')) {
            ack({ ok: false, error: { code: 'SB_ERR_IDENTITY_UNVERIFIED', message: 'The identity hash does not match this visitor id.' } });
            return;
          }
          const userToken = `user-${req.id}`;
          const details = { ...(req.name ? { name: req.name } : {}), ...(req.email ? { email: req.email } : {}), ...(req.phone ? { phone: req.phone } : {}) };
          let user = visitors.get(userToken);
          if (!user) {
            // A first identify: what the visitor wrote before logging in becomes the user's conversation.
            user = { ...v, token: userToken };
            visitors.set(userToken, user);
          }
          user.visitor = { ...user.visitor, ...details, userId: req.id, verified: hub.identitySecret !== null };
          ack({ ok: true, data: { visitorToken: userToken, visitor: user.visitor } });
        });
        socket.on('visitor:update', (req, ack) => {
          hub.updates.push(req);
          if (req.email !== undefined && !/^[^@\s]+@[^@\s]+$/.test(req.email)) {
            ack({ ok: false, error: { code: 'SB_ERR_VALIDATION', message: 'Enter a valid email address.' } });
            return;
          }
          const { attributes, ...details } = req;
          v.visitor = { ...v.visitor, ...details, attributes: { ...v.visitor.attributes, ...attributes } };
          ack({ ok: true, data: { visitor: v.visitor } });
        });
      });
      await new Promise<void>((resolve) => http.listen(port, '127.0.0.1', resolve));
      port = (http.address() as AddressInfo).port;
      hub.url = `http://127.0.0.1:${port}`;
    },
    async stop() {
      const closed = new Promise<void>((resolve) => {
        io.close(() => resolve());
      });
      // A keep-alive or in-flight request (a page asset, a suggestion) would hold close() open: a hub going down drops them.
      http.closeAllConnections();
      await closed;
    },
  };
  await hub.start();
  return hub;
}
