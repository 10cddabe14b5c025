import { Type, type Static } from 'typebox';
import { CsatView } from './csat.js';
import { Attachment, Channel, DeliveryStatus, EmailMeta, MessageThread } from './messages.js';

/** Shapes the REST API and the sockets send to clients. One source for types, validation, OpenAPI. */

const Id = Type.String({ minLength: 1, maxLength: 200 });
const IsoTime = Type.String({ format: 'date-time' });

export const ConversationStatus = Type.Union([
  Type.Literal('open'),
  Type.Literal('pending'),
  Type.Literal('resolved'),
  /** Set aside until `snoozedUntil`, or until the customer writes; then open again. */
  Type.Literal('snoozed'),
]);
export type ConversationStatus = Static<typeof ConversationStatus>;

export const Role = Type.Union([Type.Literal('admin'), Type.Literal('supervisor'), Type.Literal('agent')]);
export type Role = Static<typeof Role>;

export const ContactView = Type.Object(
  {
    id: Id,
    name: Type.Optional(Type.String()),
    email: Type.Optional(Type.String()),
    phone: Type.Optional(Type.String()),
    avatarUrl: Type.Optional(Type.String()),
    channel: Channel,
    handle: Type.Optional(Type.String()),
    /** Website visitor named by identify() with a hash that matched the inbox secret. */
    verified: Type.Optional(Type.Boolean()),
    /** The site's user id (widget identify()). */
    userId: Type.Optional(Type.String()),
    /** Pre-chat answers and values the site set with setAttributes(). */
    attributes: Type.Optional(Type.Record(Type.String(), Type.String())),
  },
  {},
);
export type ContactView = Static<typeof ContactView>;

export const MessageView = Type.Object(
  {
    id: Id,
    conversationId: Id,
    /** Position in the conversation; strictly increasing, used as the resume cursor. */
    seq: Type.Integer({ minimum: 1 }),
    direction: Type.Union([Type.Literal('in'), Type.Literal('out')]),
    /** Who wrote it: the contact for inbound, an agent for outbound. */
    author: Type.Object({
      kind: Type.Union([Type.Literal('contact'), Type.Literal('agent'), Type.Literal('system')]),
      id: Type.Optional(Id),
      name: Type.Optional(Type.String()),
    }),
    text: Type.Optional(Type.String()),
    html: Type.Optional(Type.String()),
    attachments: Type.Array(Attachment),
    replyTo: Type.Optional(Id),
    /** Channels with threads inside a conversation (Slack): the thread this message is in. */
    thread: Type.Optional(MessageThread),
    /** For a visitor's widget message: the id the widget chose when sending (dedupes its pending copy). */
    clientId: Type.Optional(Type.String()),
    status: Type.Optional(DeliveryStatus),
    error: Type.Optional(Type.String()),
    /** Times an agent retried this reply's failed delivery; a newer attempt's status replaces an older one's. */
    retries: Type.Optional(Type.Integer({ minimum: 1 })),
    /** Email messages: subject, addresses, where the quote starts, noise and parse-error marks. */
    email: Type.Optional(EmailMeta),
    createdAt: IsoTime,
    editedAt: Type.Optional(IsoTime),
    deletedAt: Type.Optional(IsoTime),
  },
  {},
);
export type MessageView = Static<typeof MessageView>;

export const ConversationView = Type.Object(
  {
    id: Id,
    inboxId: Id,
    channel: Channel,
    status: ConversationStatus,
    /** When a snoozed conversation opens again by itself; only while status is 'snoozed'. */
    snoozedUntil: Type.Optional(IsoTime),
    contact: ContactView,
    /** The person in the tenant's CRM, once ticketing linked them (same id across channels). */
    crmContactId: Type.Optional(Type.String()),
    assigneeId: Type.Union([Id, Type.Null()]),
    unreadCount: Type.Integer({ minimum: 0 }),
    lastMessage: Type.Union([
      Type.Object({
        text: Type.Optional(Type.String()),
        direction: Type.Union([Type.Literal('in'), Type.Literal('out')]),
        at: IsoTime,
      }),
      Type.Null(),
    ]),
    lastSeq: Type.Integer({ minimum: 0 }),
    /** The team of the conversation's ticket (ticketing keeps it current). */
    teamId: Type.Optional(Type.Union([Id, Type.Null()])),
    /** When the customer's oldest unanswered message arrived; null once an agent replied. */
    waitingSince: Type.Optional(Type.Union([IsoTime, Type.Null()])),
    /** The nearest running SLA due time of the conversation's ticket; null when none runs. */
    slaDueAt: Type.Optional(Type.Union([IsoTime, Type.Null()])),
    /** The customer's rating of the conversation (CSAT), once they answered the survey. */
    csat: Type.Optional(CsatView),
    createdAt: IsoTime,
    updatedAt: IsoTime,
  },
  {},
);
export type ConversationView = Static<typeof ConversationView>;

export const AgentView = Type.Object(
  {
    id: Id,
    tenantId: Id,
    email: Type.String(),
    name: Type.String(),
    role: Role,
  },
  {},
);
export type AgentView = Static<typeof AgentView>;

export const ErrorBody = Type.Object(
  {
    error: Type.Object({
      code: Type.String({ description: 'Machine-readable code, e.g. SB_ERR_NOT_FOUND.' }),
      message: Type.String({ description: 'A sentence for people.' }),
      details: Type.Optional(Type.Unknown()),
    }),
  },
  {},
);
export type ErrorBody = Static<typeof ErrorBody>;
