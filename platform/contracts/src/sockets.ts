import type { TicketView } from './tickets.js';
import type { ConversationView, MessageView } from './models.js';

/**
 * Typed socket.io event maps, shared by inbox-service, widget and console.
 * Client → server events that need an answer take an ack callback with Ack<T>.
 */
export type Ack<T> = (res: { ok: true; data: T } | { ok: false; error: { code: string; message: string } }) => void;

/** Namespace /widget — a visitor on a website. Handshake auth: { inboxToken, visitorToken? }. */
export interface WidgetSession {
  visitorToken: string;
  conversationId: string | null;
  /** Messages the visitor has, oldest first (the tail of the conversation). */
  messages: MessageView[];
  agentName?: string;
}
export interface WidgetClientToServer {
  /** Start or resume. `afterSeq` = last seq the widget holds; the answer carries what it missed. */
  'session:resume': (req: { afterSeq?: number }, ack: Ack<WidgetSession>) => void;
  /** `clientId` is a UUID made by the widget; sending the same one twice stores one message. */
  'message:send': (req: { clientId: string; text: string }, ack: Ack<{ clientId: string }>) => void;
  'typing': (req: { typing: boolean }) => void;
}
export interface WidgetServerToClient {
  'message:new': (msg: MessageView) => void;
  'message:updated': (msg: MessageView) => void;
  'typing': (ev: { typing: boolean; name?: string }) => void;
}

/** Namespace /agent — agents in the console. Handshake auth: { token: <JWT access token> }. */
export interface AgentClientToServer {
  /** Join a conversation's room (typing, collision); refused unless the conversation is the agent's tenant's. */
  'conversation:join': (req: { conversationId: string }, ack: Ack<{ conversationId: string }>) => void;
  /** The ack is optional; with one, a refusal answers { ok: false, error }. */
  'conversation:leave': (req: { conversationId: string }, ack?: Ack<{ conversationId: string }>) => void;
  'typing': (req: { conversationId: string; typing: boolean }, ack?: Ack<{ conversationId: string }>) => void;
}
export interface AgentServerToClient {
  /** A conversation was created or changed (status, assignee, unread, last message). */
  'conversation:updated': (conv: ConversationView) => void;
  'message:new': (msg: MessageView) => void;
  'message:updated': (msg: MessageView) => void;
  'typing': (ev: { conversationId: string; typing: boolean; who: 'contact' | 'agent'; name?: string; agentId?: string }) => void;
  /** A ticket of a conversation the agent has open changed (status, SLA clocks, CRM link …). */
  'ticket:updated': (ticket: TicketView) => void;
}
