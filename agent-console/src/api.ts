import type { AgentView, ConversationStatus, ConversationView, ErrorBody, MessageView, TicketChange, TicketNoteView, TicketView } from '@switchboard/contracts';
import type { AssigneeFilter, ListSort, StatusFilter } from './conversations.js';
import { blobPath } from './attachments.js';
import { t } from './i18n/core.js';
import { readSession, writeSession, type KeyValueStorage, type Session } from './session.js';
import type { UploadedFile } from './uploads.js';

/**
 * The console's REST client. Every call carries the access token; when the server answers 401
 * SB_ERR_TOKEN_EXPIRED the client refreshes once (one refresh shared by all calls in flight) and
 * retries. A refused refresh, or any other 401, ends the session and the console shows the login.
 */

/** Client-side code: the request never got an answer (offline, DNS, server down). */
export const ERR_NETWORK = 'SB_ERR_NETWORK';
/** Client-side code: the session is over and the agent must sign in again. */
export const ERR_SESSION_ENDED = 'SB_ERR_SESSION_ENDED';
const ERR_TOKEN_EXPIRED = 'SB_ERR_TOKEN_EXPIRED';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface ConversationQuery {
  status: StatusFilter;
  assignee: AssigneeFilter;
  inboxId?: string;
  teamId?: string;
  mentioned?: 'me';
  sort?: ListSort;
  limit?: number;
  cursor?: string | null;
}
export interface MessageQuery {
  afterSeq?: number;
  beforeSeq?: number;
  limit?: number;
}
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
/** A reply: text, files uploaded before (their refs), or both. */
export interface ReplyBody {
  text?: string;
  attachments?: { ref: string }[];
  idempotencyKey: string;
  /** Conversations with threads (Slack): into this thread, or null for the top level. */
  thread?: string | null;
}

/** What the console needs from the server; ApiClient speaks it over HTTP, tests fake it. */
export interface ConsoleApi {
  login(email: string, password: string): Promise<Session>;
  me(): Promise<AgentView>;
  listConversations(q: ConversationQuery): Promise<Page<ConversationView>>;
  getConversation(id: string): Promise<ConversationView>;
  listMessages(id: string, q?: MessageQuery): Promise<{ items: MessageView[] }>;
  sendMessage(id: string, body: ReplyBody): Promise<MessageView>;
  /** Stores a file for a reply to send (POST /api/v1/blobs, the bytes as the body). */
  uploadFile(file: Blob, name: string): Promise<UploadedFile>;
  assign(id: string, agentId: string | null): Promise<ConversationView>;
  setStatus(id: string, status: ConversationStatus): Promise<ConversationView>;
  markRead(id: string): Promise<ConversationView>;
  /** A fresh access token; `stale` is the one that was refused, so a token refreshed meanwhile is reused. */
  refreshAccess(stale?: string): Promise<string>;
}

export interface ApiClientOptions {
  storage: KeyValueStorage;
  /** Called once when the session ends (refresh refused, token rejected). */
  onSignedOut: () => void;
  /** Default: the global fetch. */
  fetch?: typeof fetch;
  /** Prefix for every path. Default '' (same origin). */
  baseUrl?: string;
}

/** A channel account as GET /api/v1/channels lists it (connectors-sdk ChannelAccountView). */
export interface ChannelAccount {
  accountId: string;
  channel: string;
  inboxId: string;
  name: string;
  externalAccountId: string | null;
  status: 'active' | 'disabled' | 'error';
  lastError: string | null;
  lastInboundAt: string | null;
  lastOutboundAt: string | null;
  createdAt: string;
}

/** A WhatsApp Web session as the REST route and the 'channel:session' event send it. */
export interface WhatsappSession {
  accountId: string;
  state: string;
  /** PNG data URL, only while state is "qr". */
  qr: string | null;
  paired: boolean;
  health: { status: 'healthy' | 'degraded' | 'down' | 'pairing'; reason: string };
  lastError: string | null;
  lastReceivedAt: string | null;
  lastSentAt: string | null;
  stateSince: string;
}

/** Admin and file calls the UI makes directly (not part of the store's flow). */
export interface ExtraApi {
  /** The bytes of a stored file (`blob:<id>` ref), fetched with the agent's token. */
  fetchBlob(ref: string): Promise<Blob>;
  listChannels(): Promise<{ items: ChannelAccount[] }>;
  createWhatsappWeb(name: string): Promise<ChannelAccount>;
  whatsappSession(accountId: string): Promise<WhatsappSession>;
  /** Any other authenticated JSON call; lazily loaded screens (the knowledge base) build their paths on it. */
  call<T>(method: HttpMethod, path: string, body?: unknown): Promise<T>;
  /** A file the server makes (a report's CSV export), fetched with the agent's token. */
  download(path: string): Promise<Blob>;
}

/** An agent of the team as GET /api/v1/agents lists them (inbox-service TeamMemberView, the part the console reads). */
export interface TeamAgent {
  id: string;
  name: string;
  role: AgentView['role'];
  active: boolean;
}

/** A team as GET /api/v1/teams lists it; members are agent ids with their capacity. */
export interface Team {
  id: string;
  name: string;
  strategy: 'manual' | 'round_robin' | 'load_balanced';
  members: { agentId: string; capacity: number | null }[];
}

/** The ticketing calls of the ticket panel (docs/ticketing.md); ApiClient speaks them, tests fake them. */
export interface TicketApi {
  /** The tickets a conversation belongs to (GET /tickets?conversationId=). */
  ticketsOfConversation(conversationId: string): Promise<{ items: TicketView[] }>;
  getTicket(id: string): Promise<TicketView>;
  updateTicket(id: string, change: TicketChange): Promise<TicketView>;
  /** Make the conversation's ticket (teams in manual mode); the same call twice gives the same ticket. */
  createTicket(conversationId: string): Promise<TicketView>;
  listTicketNotes(id: string): Promise<{ items: TicketNoteView[] }>;
  /** `mentions`: ids of agents @mentioned in the note (each is notified). */
  addTicketNote(id: string, text: string, mentions?: string[]): Promise<TicketNoteView>;
  listAgents(): Promise<{ items: TeamAgent[] }>;
  listTeams(): Promise<{ items: Team[] }>;
}

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

const ticketPath = (id: string) => `/api/v1/tickets/${encodeURIComponent(id)}`;

export class ApiClient implements ConsoleApi, ExtraApi, TicketApi {
  private refreshing: Promise<string> | null = null;
  private readonly fetchFn: typeof fetch;
  private readonly baseUrl: string;

  constructor(private readonly opts: ApiClientOptions) {
    this.fetchFn = opts.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.baseUrl = opts.baseUrl ?? '';
  }

  async login(email: string, password: string): Promise<Session> {
    const res = await this.send('POST', '/api/v1/auth/login', { email, password });
    if (!res.ok) throw await readError(res);
    const session = (await res.json()) as Session;
    writeSession(this.opts.storage, { accessToken: session.accessToken, refreshToken: session.refreshToken, agent: session.agent });
    return session;
  }

  me(): Promise<AgentView> {
    return this.request('GET', '/api/v1/me');
  }

  listConversations(q: ConversationQuery): Promise<Page<ConversationView>> {
    const { status, assignee, inboxId, teamId, mentioned, sort } = q;
    return this.request('GET', `/api/v1/conversations${query({ status, assignee, inboxId, teamId, mentioned, sort, limit: q.limit ?? 50, cursor: q.cursor })}`);
  }

  getConversation(id: string): Promise<ConversationView> {
    return this.request('GET', `/api/v1/conversations/${encodeURIComponent(id)}`);
  }

  listMessages(id: string, q: MessageQuery = {}): Promise<{ items: MessageView[] }> {
    return this.request('GET', `/api/v1/conversations/${encodeURIComponent(id)}/messages${query({ afterSeq: q.afterSeq, beforeSeq: q.beforeSeq, limit: q.limit })}`);
  }

  sendMessage(id: string, body: ReplyBody): Promise<MessageView> {
    return this.request('POST', `/api/v1/conversations/${encodeURIComponent(id)}/messages`, body);
  }

  uploadFile(file: Blob, name: string): Promise<UploadedFile> {
    return this.request('POST', `/api/v1/blobs${query({ name })}`, file);
  }

  assign(id: string, agentId: string | null): Promise<ConversationView> {
    return this.request('POST', `/api/v1/conversations/${encodeURIComponent(id)}/assign`, { agentId });
  }

  setStatus(id: string, status: ConversationStatus): Promise<ConversationView> {
    return this.request('POST', `/api/v1/conversations/${encodeURIComponent(id)}/status`, { status });
  }

  markRead(id: string): Promise<ConversationView> {
    return this.request('POST', `/api/v1/conversations/${encodeURIComponent(id)}/read`);
  }

  async fetchBlob(ref: string): Promise<Blob> {
    const res = await this.authed('GET', blobPath(ref), undefined, '*/*');
    return res.blob();
  }

  listChannels(): Promise<{ items: ChannelAccount[] }> {
    return this.request('GET', '/api/v1/channels');
  }

  createWhatsappWeb(name: string): Promise<ChannelAccount> {
    return this.request('POST', '/api/v1/channels/whatsapp-web', { name, credentials: {} });
  }

  whatsappSession(accountId: string): Promise<WhatsappSession> {
    return this.request('GET', `/api/v1/channels/whatsapp-web/${encodeURIComponent(accountId)}/session`);
  }

  call<T>(method: HttpMethod, path: string, body?: unknown): Promise<T> {
    return this.request(method, path, body);
  }

  async download(path: string): Promise<Blob> {
    return (await this.authed('GET', path, undefined, '*/*')).blob();
  }

  ticketsOfConversation(conversationId: string): Promise<{ items: TicketView[] }> {
    return this.request('GET', `/api/v1/tickets${query({ conversationId, limit: 50 })}`);
  }

  getTicket(id: string): Promise<TicketView> {
    return this.request('GET', ticketPath(id));
  }

  updateTicket(id: string, change: TicketChange): Promise<TicketView> {
    return this.request('PATCH', ticketPath(id), change);
  }

  createTicket(conversationId: string): Promise<TicketView> {
    return this.request('POST', '/api/v1/tickets', { conversationId });
  }

  listTicketNotes(id: string): Promise<{ items: TicketNoteView[] }> {
    return this.request('GET', `${ticketPath(id)}/notes`);
  }

  addTicketNote(id: string, text: string, mentions: string[] = []): Promise<TicketNoteView> {
    return this.request('POST', `${ticketPath(id)}/notes`, { text, ...(mentions.length ? { mentions } : {}) });
  }

  listAgents(): Promise<{ items: TeamAgent[] }> {
    return this.request('GET', '/api/v1/agents');
  }

  listTeams(): Promise<{ items: Team[] }> {
    return this.request('GET', '/api/v1/teams');
  }

  async refreshAccess(stale?: string): Promise<string> {
    const session = readSession(this.opts.storage);
    if (!session) throw this.signOut();
    if (stale !== undefined && session.accessToken !== stale) return session.accessToken;
    this.refreshing ??= this.refresh(session.refreshToken).finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  private async refresh(refreshToken: string): Promise<string> {
    const res = await this.send('POST', '/api/v1/auth/refresh', { refreshToken });
    if (res.ok) {
      const tokens = (await res.json()) as { accessToken: string; refreshToken: string };
      const session = readSession(this.opts.storage);
      if (!session) throw this.signOut();
      writeSession(this.opts.storage, { ...session, accessToken: tokens.accessToken, refreshToken: tokens.refreshToken });
      return tokens.accessToken;
    }
    // A server in trouble is not a reason to sign the agent out; the next call tries again.
    if (res.status >= 500) throw await readError(res);
    // Another tab may have rotated the refresh token first; its tokens are in storage.
    const now = readSession(this.opts.storage);
    if (now && now.refreshToken !== refreshToken) return now.accessToken;
    throw this.signOut();
  }

  private async request<T>(method: HttpMethod, path: string, body?: unknown): Promise<T> {
    const res = await this.authed(method, path, body);
    if (res.status === 204) return undefined as T;
    return (await res.json()) as T;
  }

  /** An authenticated call answered 2xx (refreshing an expired token once), or an ApiError. */
  private async authed(method: HttpMethod, path: string, body?: unknown, accept?: string): Promise<Response> {
    let token = readSession(this.opts.storage)?.accessToken;
    if (!token) throw this.signOut();
    let res = await this.send(method, path, body, token, accept);
    if (res.status === 401) {
      const err = await readError(res);
      if (err.code !== ERR_TOKEN_EXPIRED) throw this.signOut();
      token = await this.refreshAccess(token);
      res = await this.send(method, path, body, token, accept);
      if (res.status === 401) throw this.signOut();
    }
    if (!res.ok) throw await readError(res);
    return res;
  }

  /** `body` is sent as JSON, or as raw bytes with its own type when it is a Blob (an upload). */
  private async send(method: HttpMethod, path: string, body?: unknown, token?: string, accept = 'application/json'): Promise<Response> {
    const headers: Record<string, string> = { accept };
    const raw = body instanceof Blob;
    if (raw) headers['content-type'] = body.type || 'application/octet-stream';
    else if (body !== undefined) headers['content-type'] = 'application/json';
    if (token) headers.authorization = `Bearer ${token}`;
    try {
      return await this.fetchFn(this.baseUrl + path, {
        method,
        headers,
        body: raw ? body : body === undefined ? undefined : JSON.stringify(body),
      });
    } catch {
      throw new ApiError(0, ERR_NETWORK, t('api.unreachable'));
    }
  }

  private signOut(): ApiError {
    writeSession(this.opts.storage, null);
    this.opts.onSignedOut();
    return new ApiError(401, ERR_SESSION_ENDED, t('app.sessionEnded'));
  }
}

function query(params: Record<string, string | number | null | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null) q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** Turn an error answer into an ApiError; a body that is not our error shape still gives a sentence. */
async function readError(res: Response): Promise<ApiError> {
  try {
    const body = (await res.json()) as Partial<ErrorBody>;
    if (body.error && typeof body.error.code === 'string') {
      return new ApiError(res.status, body.error.code, body.error.message || res.statusText, body.error.details);
    }
  } catch {
    // not JSON: fall through
  }
  const message = res.status >= 500 ? t('api.serverProblem') : t('api.failed', { status: res.status });
  return new ApiError(res.status, `SB_ERR_HTTP_${res.status}`, message);
}

/** A v4 UUID for idempotency keys; crypto.randomUUID is missing on plain-http origins other than localhost. */
export function newIdempotencyKey(): string {
  const c = globalThis.crypto;
  if (typeof c.randomUUID === 'function') return c.randomUUID();
  const b = c.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
