import { Type, type Static } from 'typebox';

/** Version of the wire contracts. Bump with a new schema, never change a published one. */
export const CONTRACT_VERSION = 1 as const;

export const Channel = Type.Union(
  [
    Type.Literal('web'),
    Type.Literal('telegram'),
    Type.Literal('whatsapp'),
    /** WhatsApp through a linked WhatsApp Web session (whatsapp-web.js), not the Cloud API. */
    Type.Literal('whatsapp-web'),
    Type.Literal('instagram'),
    Type.Literal('slack'),
    Type.Literal('email'),
    Type.Literal('loopback'),
  ],
  { description: 'The messaging channel a conversation lives on.' },
);
export type Channel = Static<typeof Channel>;

const Id = Type.String({ minLength: 1, maxLength: 200 });
const Text = Type.String({ maxLength: 65_536 });
const IsoTime = Type.String({ format: 'date-time' });

export const Sender = Type.Object(
  {
    externalId: Id,
    name: Type.Optional(Type.String({ maxLength: 300 })),
    handle: Type.Optional(Type.String({ maxLength: 300 })),
    phone: Type.Optional(Type.String({ maxLength: 50 })),
    email: Type.Optional(Type.String({ maxLength: 320 })),
    avatarUrl: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: false },
);
export type Sender = Static<typeof Sender>;

export const Attachment = Type.Object(
  {
    kind: Type.Union([
      Type.Literal('image'),
      Type.Literal('video'),
      Type.Literal('audio'),
      Type.Literal('file'),
      Type.Literal('sticker'),
      Type.Literal('location'),
      Type.Literal('contact'),
    ]),
    name: Type.Optional(Type.String({ maxLength: 500 })),
    mime: Type.Optional(Type.String({ maxLength: 200 })),
    size: Type.Optional(Type.Integer({ minimum: 0 })),
    /** Where the bytes are: a blob-store key (blob:…) or the channel's own reference. */
    ref: Type.String({ maxLength: 2000 }),
    /** A link the reader may open. Set only in message views sent to the widget: signed by the hub for that conversation. */
    url: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: false },
);
export type Attachment = Static<typeof Attachment>;

/** Why a mail must never trigger an automatic reply (and is shown as such). */
export const EmailNoise = Type.Union([
  Type.Literal('auto-reply'),
  Type.Literal('bounce'),
  Type.Literal('list'),
]);
export type EmailNoise = Static<typeof EmailNoise>;

/** What an email carries beyond text and files: headers agents see, and how the console folds it. */
export const EmailMeta = Type.Object(
  {
    subject: Type.Optional(Type.String({ maxLength: 2000 })),
    /** RFC 5322 Message-ID, without angle brackets. */
    messageId: Type.Optional(Type.String({ maxLength: 1000 })),
    /** "Name <address>" of the sender, as written in From. */
    from: Type.Optional(Type.String({ maxLength: 1000 })),
    to: Type.Optional(Type.Array(Type.String({ maxLength: 1000 }), { maxItems: 100 })),
    cc: Type.Optional(Type.Array(Type.String({ maxLength: 1000 }), { maxItems: 100 })),
    /** Where the quoted history and signature start in `text`: the console folds them; the text stays whole. */
    quoteStart: Type.Optional(Type.Integer({ minimum: 0 })),
    /** Auto-reply, bounce (DSN) or list mail: marked, and never answered automatically. */
    noise: Type.Optional(EmailNoise),
    /** Which header or part gave the noise away, e.g. "Auto-Submitted: auto-replied". */
    noiseReason: Type.Optional(Type.String({ maxLength: 300 })),
    /** The mail could not be read in full; the raw message is attached as an .eml file. */
    parseError: Type.Optional(Type.String({ maxLength: 1000 })),
  },
  { additionalProperties: false },
);
export type EmailMeta = Static<typeof EmailMeta>;

/** A message's place in a thread inside its conversation (Slack): the thread's id, and whether it starts it. */
export const MessageThread = Type.Object(
  {
    /** The channel's id for the thread: the externalId of its first message (Slack "C…:ts"). */
    ref: Type.String({ minLength: 1, maxLength: 200 }),
    /** This message is the thread's first one. */
    root: Type.Optional(Type.Literal(true)),
  },
  { additionalProperties: false },
);
export type MessageThread = Static<typeof MessageThread>;

export const InboundKind = Type.Union([
  Type.Literal('message'),
  Type.Literal('edit'),
  Type.Literal('delete'),
  Type.Literal('status'),
  Type.Literal('reaction'),
  Type.Literal('read'),
  Type.Literal('typing'),
]);
export type InboundKind = Static<typeof InboundKind>;

export const DeliveryStatus = Type.Union([
  Type.Literal('queued'),
  Type.Literal('sent'),
  Type.Literal('delivered'),
  Type.Literal('read'),
  Type.Literal('failed'),
]);
export type DeliveryStatus = Static<typeof DeliveryStatus>;

/**
 * A normalized event from any channel. (tenantId, channel, channelAccountId, externalId) is the
 * idempotency key: the same event delivered twice changes nothing the second time.
 */
export const InboundEvent = Type.Object(
  {
    id: Id,
    v: Type.Literal(CONTRACT_VERSION),
    tenantId: Id,
    channel: Channel,
    channelAccountId: Id,
    kind: InboundKind,
    externalId: Id,
    /** Identifies the conversation on the channel (chat id, thread ts, visitor id …). */
    threadKey: Id,
    sender: Sender,
    text: Type.Optional(Text),
    html: Type.Optional(Type.String({ maxLength: 1_000_000 })),
    attachments: Type.Optional(Type.Array(Attachment, { maxItems: 50 })),
    /** externalId of the message this one answers, edits, deletes or reacts to. */
    replyTo: Type.Optional(Id),
    /**
     * Channels with threads inside a conversation (Slack thread_ts): the externalId of the thread's
     * first message, on that message too. Absent = not in a thread. Optional, so v1 stays valid.
     */
    thread: Type.Optional(Id),
    /** For kind=reaction: the emoji. For kind=status: the delivery status. */
    reaction: Type.Optional(Type.String({ maxLength: 50 })),
    status: Type.Optional(DeliveryStatus),
    /** Email only: subject, addresses, quote folding, noise and parse-error marks. */
    email: Type.Optional(EmailMeta),
    sentAt: IsoTime,
    receivedAt: IsoTime,
    traceId: Type.Optional(Type.String({ maxLength: 100 })),
  },
  { additionalProperties: false },
);
export type InboundEvent = Static<typeof InboundEvent>;

/** An agent's reply on its way to the channel that must deliver it. */
export const OutboundCommand = Type.Object(
  {
    id: Id,
    v: Type.Literal(CONTRACT_VERSION),
    tenantId: Id,
    conversationId: Id,
    messageId: Id,
    channel: Channel,
    channelAccountId: Id,
    threadKey: Id,
    text: Type.Optional(Text),
    html: Type.Optional(Type.String({ maxLength: 1_000_000 })),
    attachments: Type.Optional(Type.Array(Attachment, { maxItems: 50 })),
    replyTo: Type.Optional(Id),
    /**
     * Channels with threads: post into this thread (a `thread` inbound messages carried); null =
     * the top level of the channel or DM; absent = where the channel always answers (Slack: the
     * conversation's thread).
     */
    thread: Type.Optional(Type.Union([Id, Type.Null()])),
    /** Who wrote the reply: email puts the agent's name on From. */
    author: Type.Optional(Type.Object({ name: Type.String({ maxLength: 300 }) }, { additionalProperties: false })),
    /** The channel connector never sends twice for one key. */
    idempotencyKey: Id,
    traceId: Type.Optional(Type.String({ maxLength: 100 })),
    /**
     * Email only: a mail to this address that opens (or continues) the thread `threadKey`, instead
     * of an answer to mail received. A website reply to a visitor who left the chat travels so.
     */
    mailTo: Type.Optional(
      Type.Object(
        {
          address: Type.String({ minLength: 3, maxLength: 320, pattern: '^[^\\s@<>]+@[^\\s@<>]+$' }),
          name: Type.Optional(Type.String({ maxLength: 300 })),
          /** Subject of the first mail; later ones answer it ("Re: …"). */
          subject: Type.String({ minLength: 1, maxLength: 500 }),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);
export type OutboundCommand = Static<typeof OutboundCommand>;

/** What became of an OutboundCommand. Travels back on sb.inbound as kind=status. */
export const StatusEvent = Type.Object(
  {
    v: Type.Literal(CONTRACT_VERSION),
    tenantId: Id,
    outboundId: Id,
    messageId: Id,
    status: DeliveryStatus,
    error: Type.Optional(Type.String({ maxLength: 2000 })),
    externalId: Type.Optional(Id),
    at: IsoTime,
  },
  { additionalProperties: false },
);
export type StatusEvent = Static<typeof StatusEvent>;

/** A domain event on sb.events (message.created, conversation.updated …). */
export const DomainEvent = Type.Object(
  {
    id: Id,
    v: Type.Literal(CONTRACT_VERSION),
    type: Type.String({ pattern: '^[a-z]+(\\.[a-z_]+)+$', maxLength: 100 }),
    tenantId: Id,
    at: IsoTime,
    data: Type.Record(Type.String(), Type.Unknown()),
    traceId: Type.Optional(Type.String({ maxLength: 100 })),
  },
  { additionalProperties: false },
);
export type DomainEvent = Static<typeof DomainEvent>;
