import { readFileSync } from 'node:fs';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import type { KbSuggestion, MessageView, WidgetClientToServer, WidgetServerToClient } from '@switchboard/contracts';

/**
 * A stand-in for inbox-service's /widget namespace, just enough to drive the widget through real
 * socket.io: visitors by token, one conversation each, one message per clientId, resume by seq.
 * It can restart on the same port with its data intact, like the hub after a deploy. Over HTTP it
 * serves the built bundle as /widget.js, for browser tests any page given to `page()`, and the
 * knowledge base's widget suggestions (GET /api/v1/widget/kb/suggestions) over `ARTICLES`, with
 * their public pages under /help/acme/en/articles/<slug>.
 */
export interface StandInHub {
  url: string;
  /** Every visitor token the hub handed out or recognised, per handshake. */
  handshakes: Array<{ inboxToken: unknown; visitorToken: unknown }>;
  resumes: Array<number | undefined>;
  typing: boolean[];
  /** Messages of the (single) conversation, as stored. */
  stored(): MessageView[];
  agentReply(text: string): MessageView;
  agentTyping(typing: boolean): void;
  /** Cut every connection as a network drop would (socket.io-client reconnects by itself). */
  dropConnections(): void;
  /** Store the next visitor message but cut the connection before acknowledging it. */
  loseNextAck(): void;
  /** Answer the next visitor message with this error code instead of storing it. */
  failNextSend(code: string): void;
  /** Refuse handshakes (as the hub does for an unknown inbox) until called with false. */
  refuse(on: boolean): void;
  /** Lose all data (a wiped database): known tokens become unknown, the conversation empty. */
  forgetEverything(): void;
  /** Serve `html` at `path` (a customer's web page). */
  page(path: string, html: string): void;
  /** Query string of every suggestions request, in order. */
  suggestionRequests: Array<{ token: string | null; q: string | null; locale: string | null }>;
  /** Answer suggestions requests with this HTTP status (500 …) until called with null. */
  failSuggestions(status: number | null): void;
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

export async function startStandInHub(): Promise<StandInHub> {
  const messages: MessageView[] = [];
  const visitors = new Set<string>();
  let seq = 0;
  let refusing = false;
  /** Tokens handed out after a wipe differ from those before it. */
  let generation = 1;
  let loseAck = false;
  let failCode: string | null = null;
  let suggestionsStatus: number | null = null;
  let port = 0;
  let http: HttpServer;
  let io: Server<WidgetClientToServer, WidgetServerToClient>;
  const pages = new Map<string, string>();
  const bundle = new URL('../dist/widget.js', import.meta.url);

  const add = (m: Omit<MessageView, 'id' | 'seq' | 'conversationId' | 'attachments' | 'createdAt'>) => {
    seq++;
    const view = { id: `srv-${seq}`, conversationId: 'conv-1', seq, attachments: [], createdAt: new Date().toISOString(), ...m };
    messages.push(view);
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

  const hub: StandInHub = {
    url: '',
    suggestionRequests: [],
    failSuggestions(status) {
      suggestionsStatus = status;
    },
    handshakes: [],
    resumes: [],
    typing: [],
    stored: () => [...messages],
    agentReply(text) {
      const view = add({ direction: 'out', author: { kind: 'agent', name: 'Anna' }, text });
      io.of('/widget').to('visitors').emit('message:new', view);
      return view;
    },
    agentTyping(typing) {
      io.of('/widget').to('visitors').emit('typing', { typing, name: 'Anna' });
    },
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
      messages.length = 0;
      seq = 0;
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
        if (path === '/widget.js') {
          res.writeHead(200, { 'content-type': 'text/javascript' }).end(readFileSync(bundle));
        } else if (path === '/api/v1/widget/kb/suggestions' && req.method === 'GET') {
          const { status, body } = suggest(url.searchParams);
          res.writeHead(status, { 'content-type': 'application/json', 'access-control-allow-origin': '*' }).end(JSON.stringify(body));
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
        if (refusing || auth.inboxToken !== INBOX) return next(new Error('unknown inbox'));
        next();
      });
      nsp.on('connection', (socket) => {
        const auth = socket.handshake.auth as { visitorToken?: string };
        const visitorToken = auth.visitorToken && visitors.has(auth.visitorToken) ? auth.visitorToken : `visitor-${generation}-${visitors.size + 1}`;
        visitors.add(visitorToken);
        void socket.join('visitors');
        socket.on('session:resume', ({ afterSeq }, ack) => {
          hub.resumes.push(afterSeq);
          ack({
            ok: true,
            data: {
              visitorToken,
              conversationId: messages.length ? 'conv-1' : null,
              messages: messages.filter((m) => m.seq > (afterSeq ?? 0)),
              agentName: 'Anna',
            },
          });
        });
        socket.on('message:send', ({ clientId, text }, ack) => {
          if (failCode) {
            ack({ ok: false, error: { code: failCode, message: `failed with ${failCode}` } });
            failCode = null;
            return;
          }
          const known = messages.some((m) => (m as { clientId?: string }).clientId === clientId);
          if (!known) {
            const view = add({ direction: 'in', author: { kind: 'contact' }, text, ...{ clientId } });
            nsp.to('visitors').emit('message:new', view);
          }
          if (loseAck) {
            loseAck = false;
            socket.conn.close();
            return;
          }
          ack({ ok: true, data: { clientId } });
        });
        socket.on('typing', ({ typing }) => hub.typing.push(typing));
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
