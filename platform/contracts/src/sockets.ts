import type { CsatAnswer, WidgetCsat } from './csat.js';
import type { MentionView } from './mentions.js';
import type { TicketNoteView, TicketView } from './tickets.js';
import type { ConversationView, MessageView } from './models.js';
import type { PreChatField } from './web-inboxes.js';
import type { AgentPresenceView, PresenceStatus } from './presence.js';

/**
 * Typed socket.io event maps, shared by inbox-service, widget and console.
 * Client → server events that need an answer take an ack callback with Ack<T>.
 */
export type Ack<T> = (res: { ok: true; data: T } | { ok: false; error: { code: string; message: string } }) => void;

/** Namespace /widget — a visitor on a website. Handshake auth: { inboxToken, visitorToken? }. */

/** Who the visitor is, as far as the hub knows (pre-chat form, identify, setAttributes). */
export interface WidgetVisitor {
  name?: string;
  email?: string;
  phone?: string;
  /** The site's own user id, once identify() named one. */
  userId?: string;
  /** identify() carried a hash that matched the inbox secret. */
  verified: boolean;
  /** Custom pre-chat fields and setAttributes() values. */
  attributes: Record<string, string>;
}

/** What the inbox asks of the widget, evaluated when the session starts. */
export interface WidgetInboxSettings {
  preChatForm: PreChatField[];
  /** Inside business hours (or none set). */
  online: boolean;
  /** Offline: when the team is next in (ISO time), if within the coming week. */
  nextOpenAt?: string;
  /** Offline: the inbox's sentence, or empty for the widget's own. */
  offlineMessage: string;
  /** identify() without a good hash is refused. */
  identityVerification: boolean;
  /** Largest attachment the visitor may upload, bytes. */
  maxUploadBytes: number;
}

export interface WidgetSession {
  visitorToken: string;
  conversationId: string | null;
  /** Messages the visitor has, oldest first (the tail of the conversation). */
  messages: MessageView[];
  agentName?: string;
  agentAvatarUrl?: string;
  visitor: WidgetVisitor;
  inbox: WidgetInboxSettings;
  /** The highest seq an agent has read: the visitor's messages up to it show "Seen". */
  agentReadSeq?: number;
  /** The rating survey of the resolved conversation, while unanswered or still editable (docs/csat.md). */
  csat?: WidgetCsat;
}

/** Values of identify(): `hash` = hex HMAC-SHA256 of `id` keyed with the inbox's identity secret. */
export interface WidgetIdentify {
  id: string;
  name?: string;
  email?: string;
  phone?: string;
  hash?: string;
}

/** Contact details and custom attributes (pre-chat form, offline email, setAttributes()). */
export interface WidgetVisitorUpdate {
  name?: string;
  email?: string;
  phone?: string;
  attributes?: Record<string, string>;
}

/** A file the visitor uploaded with POST /api/v1/widget/uploads, named in message:send. */
export interface WidgetUploadRef {
  ref: string;
}

export interface WidgetClientToServer {
  /** Start or resume. `afterSeq` = last seq the widget holds; the answer carries what it missed. */
  'session:resume': (req: { afterSeq?: number }, ack: Ack<WidgetSession>) => void;
  /**
   * `clientId` is a UUID made by the widget; sending the same one twice stores one message.
   * Text, uploaded files, or both.
   */
  'message:send': (req: { clientId: string; text?: string; attachments?: WidgetUploadRef[] }, ack: Ack<{ clientId: string }>) => void;
  'typing': (req: { typing: boolean }) => void;
  /**
   * Name the visitor as the site's user. Answers a visitor token for that user (the widget stores
   * it and reconnects: the user's conversation follows them across devices). Refused with
   * SB_ERR_IDENTITY_UNVERIFIED when the inbox verifies identities and the hash is wrong.
   */
  'visitor:identify': (req: WidgetIdentify, ack: Ack<{ visitorToken: string; visitor: WidgetVisitor }>) => void;
  'visitor:update': (req: WidgetVisitorUpdate, ack: Ack<{ visitor: WidgetVisitor }>) => void;
  /**
   * The visitor has seen the conversation up to this seq: the agents' replies up to it become
   * "read". The optional ack tells how many changed; SB_ERR_VALIDATION for a bad upToSeq.
   */
  'messages:read': (req: { upToSeq: number }, ack?: Ack<{ marked: number }>) => void;
  /** Rate the resolved conversation (or change the rating within a day); SB_ERR_VALIDATION, SB_ERR_CSAT_NOT_FOUND, SB_ERR_CSAT_CLOSED. */
  'csat:answer': (req: CsatAnswer, ack: Ack<WidgetCsat>) => void;
}
export interface WidgetServerToClient {
  'message:new': (msg: MessageView) => void;
  'message:updated': (msg: MessageView) => void;
  'typing': (ev: { typing: boolean; name?: string }) => void;
  /** An agent read the conversation up to this seq. */
  'messages:read': (ev: { upToSeq: number }) => void;
  /** The conversation was resolved: ask the visitor to rate it. */
  'csat:request': (survey: WidgetCsat) => void;
  /** Live events may have been lost between instances in this window (Redis was down): fetch after the last seq. */
  'resync': (ev: ResyncEvent) => void;
}

/** Namespace /agent — agents in the console. Handshake auth: { token: <JWT access token> }. */
export interface AgentClientToServer {
  /** Join a conversation's room (typing, collision); refused unless the conversation is the agent's tenant's. */
  'conversation:join': (req: { conversationId: string }, ack: Ack<{ conversationId: string }>) => void;
  /** The ack is optional; with one, a refusal answers { ok: false, error }. */
  'conversation:leave': (req: { conversationId: string }, ack?: Ack<{ conversationId: string }>) => void;
  'typing': (req: { conversationId: string; typing: boolean }, ack?: Ack<{ conversationId: string }>) => void;
  /**
   * The agent's presence: 'away' or 'offline' (appear offline) until set 'online' again. `auto`
   * = the console decided it for idleness; an automatic change never overrides the agent's own
   * choice (the answer then carries the presence unchanged).
   */
  'presence:set': (req: { status: PresenceStatus; auto?: boolean }, ack: Ack<AgentPresenceView>) => void;
  /**
   * The console is still there (PRESENCE_TTL_MS of silence counts as offline). Sent on connect
   * and then every `everyMs` of the answer.
   */
  'presence:heartbeat': (req: Record<string, never>, ack: Ack<{ everyMs: number }>) => void;
}
export interface AgentServerToClient {
  /** A conversation was created or changed (status, assignee, unread, last message). */
  'conversation:updated': (conv: ConversationView) => void;
  'message:new': (msg: MessageView) => void;
  'message:updated': (msg: MessageView) => void;
  'typing': (ev: { conversationId: string; typing: boolean; who: 'contact' | 'agent'; name?: string; agentId?: string }) => void;
  /** A ticket of a conversation the agent has open changed (status, SLA clocks, CRM link …). */
  'ticket:updated': (ticket: TicketView) => void;
  /** An agent of the team came online, stepped away or went offline. */
  'presence': (p: AgentPresenceView) => void;
  /** A note was added to a ticket of a conversation the agent has open. */
  'ticket:note': (note: TicketNoteView) => void;
  /** Someone @mentioned the agent in a note (sent to the agent's own room only). */
  'mention': (mention: MentionView) => void;
  /** Live events may have been lost between instances in this window (Redis was down): refetch as after a reconnect. */
  'resync': (ev: ResyncEvent) => void;
}

/** The window (ISO 8601) in which cross-instance fan-out was down; the socket itself stayed connected. */
export interface ResyncEvent {
  since: string;
  until: string;
}
