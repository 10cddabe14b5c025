import type { Attachment, BusinessHours, Channel, ConversationStatus, CsatRating, DeliveryStatus, EmailMeta, MessageThread, PreChatField, Role } from '@switchboard/contracts';
import type { Doc } from '@switchboard/store';
import type { TenantDoc } from '@switchboard/tenancy';

/** Documents as stored. Views sent to clients are built in views.ts. */

export interface TenantRecord extends Doc {
  name: string;
  /** IANA time zone the team works in (reports, business hours); default UTC. */
  timezone?: string;
  /** Default language of the team's texts, e.g. "en". */
  locale?: string;
  /** Ask customers to rate resolved conversations (CSAT); absent = on. */
  csatEnabled?: boolean;
  createdAt: Date;
  updatedAt?: Date;
}

export interface AgentRecord extends TenantDoc {
  email: string;
  name: string;
  /** Photo shown to website visitors beside the agent's replies (https URL); absent = initials. */
  avatarUrl?: string;
  role: Role;
  /** Empty while an invitation is pending: no password signs in until the invitee sets one. */
  passwordHash: string;
  /** false = deactivated: cannot sign in, every token stops working. Absent = active. */
  active?: boolean;
  /** Inboxes a role-'agent' agent may see; null or absent = all. */
  inboxIds?: string[] | null;
  /** Raised by sign-out-everywhere, password reset and deactivation; access tokens carry it. */
  tokenVersion?: number;
  /** TOTP second factor; secrets sealed with SECRETS_KEY. */
  totp?: { enabled: boolean; secret: string | null; pendingSecret: string | null };
  createdAt: Date;
  updatedAt?: Date;
}

export interface InboxRecord extends TenantDoc {
  name: string;
  channel: Channel;
  /** The channel account this inbox receives on (bot id, phone number id, mailbox …); for web, the inbox id. */
  channelAccountId: string;
  /** Public token of a website inbox, put in the widget snippet. */
  widgetToken?: string;
  /** Website inbox: the only origins (normalized, e.g. https://shop.example) whose pages may use it; absent or empty = any. */
  allowedOrigins?: string[];
  /** Website inbox: fields asked before the first message; absent = none. */
  preChatForm?: PreChatField[];
  /** Website inbox: when the team answers; absent or null = always. */
  businessHours?: BusinessHours | null;
  /** Website inbox: the sentence shown offline; absent or empty = the widget's own. */
  offlineMessage?: string;
  /** Website inbox: identify() must carry a hash made with identitySecret. */
  identityVerification?: boolean;
  /** Website inbox: key the site signs its user ids with (hex); made on first use when absent. */
  identitySecret?: string;
  createdAt: Date;
  updatedAt?: Date;
}

export interface ContactRecord extends TenantDoc {
  channel: Channel;
  externalId: string;
  name?: string;
  handle?: string;
  phone?: string;
  email?: string;
  avatarUrl?: string;
  /** Website visitor: the site's user id, from identify(). */
  userId?: string;
  /** Website visitor: identify() carried a hash that matched the inbox secret. */
  verified?: boolean;
  /** Website visitor: pre-chat answers and setAttributes() values. */
  attributes?: Record<string, string>;
  /** When contact.created went out on sb.events (with the contact's first stored message). */
  announcedAt?: Date;
  createdAt: Date;
  updatedAt: Date;
}

export interface ContactSummary {
  id: string;
  name?: string;
  handle?: string;
  phone?: string;
  email?: string;
  avatarUrl?: string;
  userId?: string;
  verified?: boolean;
  attributes?: Record<string, string>;
}

export interface ConversationRecord extends TenantDoc {
  inboxId: string;
  channel: Channel;
  channelAccountId: string;
  threadKey: string;
  contact: ContactSummary;
  /** Set by ticketing once the sender is linked to a CRM contact. */
  crmContactId?: string;
  status: ConversationStatus;
  /** While status is 'snoozed': when the waker opens it again. */
  snoozedUntil?: Date;
  assigneeId: string | null;
  unreadCount: number;
  /** Highest message seq handed out; seqs are increasing, not necessarily dense. */
  lastSeq: number;
  lastMessage: { text?: string; direction: 'in' | 'out'; at: Date } | null;
  /** Highest seq an agent has read (website visitors see "Seen" up to it). */
  agentReadSeq?: number;
  /** Highest seq the contact has read (the widget reports it). */
  contactReadSeq?: number;
  /** When the customer's oldest unanswered message arrived: set on inbound when null, cleared by an agent's reply. */
  waitingSince?: Date | null;
  /** Copied from the conversation's ticket by ticketing: its team, and its nearest running SLA due time. */
  teamId?: string | null;
  slaDueAt?: Date | null;
  /** The customer's latest CSAT answer (csat/), shown on the conversation. */
  csat?: { rating: CsatRating; comment?: string; answeredAt: Date };
  createdAt: Date;
  updatedAt: Date;
}

export interface MessageRecord extends TenantDoc {
  conversationId: string;
  seq: number;
  direction: 'in' | 'out';
  channel: Channel;
  channelAccountId: string;
  /** The channel's id for inbound; "out:<idempotencyKey>" for agent replies. Unique with tenant/channel/account. */
  externalId: string;
  author: { kind: 'contact' | 'agent' | 'system'; id?: string; name?: string };
  text?: string;
  html?: string;
  attachments: Attachment[];
  replyTo?: string;
  /** Channels with threads inside a conversation (Slack): the thread it is in. */
  thread?: MessageThread;
  /** An agent's reply posted at the channel's top level, not in a thread (kept for Retry). */
  topLevel?: true;
  clientId?: string;
  status?: DeliveryStatus;
  error?: string;
  /** Times an agent retried a failed delivery (POST …/messages/:messageId/retry). */
  retries?: number;
  reactions?: { emoji: string; by: string }[];
  email?: EmailMeta;
  /** Set once the conversation counters and the domain event reflect this message (crash-safe ingest). */
  applied: boolean;
  traceId?: string;
  sentAt: Date;
  createdAt: Date;
  editedAt?: Date;
  deletedAt?: Date;
}

export interface RefreshTokenRecord extends TenantDoc {
  agentId: string;
  familyId: string;
  expiresAt: Date;
  usedAt: Date | null;
  revokedAt: Date | null;
  createdAt: Date;
}

export interface ApiKeyRecord extends TenantDoc {
  name: string;
  scopes: string[];
  /** sha256 of the whole key; the key itself is shown once and never stored. */
  hash: string;
  /** Last four characters, so people can tell keys apart. */
  hint: string;
  createdBy: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

export type AuditType =
  | 'login.success'
  | 'login.failure'
  | 'login.lockout'
  | 'logout'
  | 'logout.all'
  | 'password.changed'
  | 'password.reset.requested'
  | 'password.reset.completed'
  | 'totp.enrolled'
  | 'totp.enabled'
  | 'totp.disabled'
  | 'agent.created'
  | 'agent.updated'
  | 'agent.deactivated'
  | 'agent.invited'
  | 'invitation.accepted'
  | 'apikey.created'
  | 'apikey.revoked'
  | 'tenant.created'
  | 'tenant.updated'
  | 'inbox.created'
  | 'inbox.updated'
  | 'inbox.token.rotated'
  | 'inbox.secret.rotated'
  | 'canned.created'
  | 'canned.updated'
  | 'canned.deleted'
  | 'automation.created'
  | 'automation.updated'
  | 'automation.deleted'
  | 'automation.reordered'
  | 'macro.created'
  | 'macro.updated'
  | 'macro.deleted'
  | 'deadletter.retried'
  | 'deadletter.discarded'
  | 'webhook.created'
  | 'webhook.updated'
  | 'webhook.deleted'
  | 'webhook.tested'
  | 'webhook.secret.rotated'
  | 'channel.updated';

export interface AuditRecord extends TenantDoc {
  type: AuditType;
  /** The agent who acted (or whose account it was). */
  agentId: string | null;
  email?: string;
  ip: string;
  userAgent: string;
  details?: Record<string, unknown>;
  at: Date;
}

export interface PasswordResetRecord extends TenantDoc {
  agentId: string;
  expiresAt: Date;
  usedAt: Date | null;
  createdAt: Date;
}

/** An agent named with @ in a ticket note: one per (note, mentioned agent, conversation of the ticket). */
export interface MentionRecord extends TenantDoc {
  /** The mentioned agent. */
  agentId: string;
  conversationId: string;
  ticketId: string;
  noteId: string;
  byAgentId: string;
  byName: string;
  /** The first 140 characters of the note. */
  excerpt: string;
  createdAt: Date;
  readAt: Date | null;
}

/** A one-time invitation link; `_id` is the token's hash. Re-inviting sets `usedAt` on the old ones. */
export interface InvitationRecord extends TenantDoc {
  agentId: string;
  expiresAt: Date;
  usedAt: Date | null;
  createdAt: Date;
}

/** A reply kept ready by the team, inserted in the console by "/" + shortcut. */
export interface CannedResponseRecord extends TenantDoc {
  /** Lowercase slug, unique per tenant. */
  shortcut: string;
  title: string;
  text: string;
  createdBy: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/**
 * One CSAT survey: a resolution of a conversation the customer is asked to rate (collection
 * `csat`; the shape reports read is documented in platform/contracts/src/csat.ts and docs/csat.md).
 */
export interface CsatRecord extends TenantDoc {
  conversationId: string;
  inboxId: string;
  channel: Channel;
  /** The conversation's assignee when it was resolved. */
  agentId: string | null;
  /** The conversation's team when it was resolved. */
  teamId: string | null;
  /** 1 for the conversation's first survey; a conversation resolved again after the customer wrote again is asked again. */
  round: number;
  requestedAt: Date;
  /** sha256 (hex) of the link's token; the token itself is never stored. */
  tokenHash: string;
  /** Language of the link message and page: the team's. */
  locale: 'en' | 'ru';
  rating: CsatRating | null;
  comment: string | null;
  answeredAt: Date | null;
  updatedAt: Date | null;
  /** answeredAt + 24 h: until then the customer may change the answer. */
  editableUntil: Date | null;
}
