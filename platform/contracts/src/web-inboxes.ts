import { Type, type Static } from 'typebox';

/**
 * Website inboxes (the chat widget's), as the REST API and the console see them. Routes, all
 * admin-only, under /api/v1:
 *
 *   GET   /web-inboxes                         { items: WebInboxView[] }
 *   POST  /web-inboxes                         WebInboxCreate → WebInboxView (201)
 *   PATCH /web-inboxes/:inboxId                WebInboxUpdate → WebInboxView
 *   POST  /web-inboxes/:inboxId/rotate-token   → WebInboxView (a new widget token; the old one stops working)
 *   POST  /web-inboxes/:inboxId/rotate-secret  → WebInboxView (a new identity secret; hashes made with the old one stop verifying)
 *
 * When `allowedOrigins` is not empty, the widget opens a session with the inbox's token only from
 * a page on one of those origins (the handshake's Origin header), and the article suggestions
 * answer only those origins; other pages get SB_ERR_ORIGIN_NOT_ALLOWED.
 */

/** A web origin: scheme, host and port only, e.g. https://shop.example or http://localhost:8080. */
export const WebOrigin = Type.String({ pattern: '^https?://[a-z0-9.-]+(:[0-9]{1,5})?$', maxLength: 300 });

/**
 * One field of the pre-chat form. `name`, `email` and `phone` fill the contact; any other key is
 * kept as a custom attribute of the contact (agents see it beside the conversation).
 */
export const PreChatField = Type.Object(
  {
    key: Type.String({ pattern: '^[a-z][a-z0-9_]{0,39}$' }),
    label: Type.String({ minLength: 1, maxLength: 80 }),
    type: Type.Union([Type.Literal('text'), Type.Literal('email'), Type.Literal('tel')]),
    required: Type.Boolean(),
  },
  { additionalProperties: false },
);
export type PreChatField = Static<typeof PreChatField>;

/** "09:00" … "24:00", local time of the business-hours time zone. */
const ClockTime = Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$|^24:00$' });

/** One opening interval: day 0 = Sunday … 6 = Saturday; `to` after `from` (no interval spans midnight). */
export const OpeningInterval = Type.Object(
  { day: Type.Integer({ minimum: 0, maximum: 6 }), from: ClockTime, to: ClockTime },
  { additionalProperties: false },
);
export type OpeningInterval = Static<typeof OpeningInterval>;

/** When the team answers the chat. Outside these hours the widget is in offline mode. */
export const BusinessHours = Type.Object(
  {
    /** IANA time zone, e.g. Europe/Berlin. */
    timezone: Type.String({ minLength: 1, maxLength: 64 }),
    intervals: Type.Array(OpeningInterval, { maxItems: 50 }),
  },
  { additionalProperties: false },
);
export type BusinessHours = Static<typeof BusinessHours>;

export const WebInboxView = Type.Object({
  id: Type.String(),
  name: Type.String(),
  widgetToken: Type.String(),
  /** Empty = any website may embed this widget. */
  allowedOrigins: Type.Array(WebOrigin),
  /** Asked before the first message; empty = no form. */
  preChatForm: Type.Array(PreChatField),
  /** null = always open. */
  businessHours: Type.Union([BusinessHours, Type.Null()]),
  /** Shown in offline mode above the email field; empty = the widget's default sentence. */
  offlineMessage: Type.String(),
  /** When true, window.Switchboard.identify() must carry hash = HMAC-SHA256(identitySecret, id) in hex. */
  identityVerification: Type.Boolean(),
  /** The key the site's server signs visitor ids with. Admin-only, like this whole view. */
  identitySecret: Type.String(),
  /** The HTML to paste before </body>. */
  snippet: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
});
export type WebInboxView = Static<typeof WebInboxView>;

export const WebInboxCreate = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 120 }),
    allowedOrigins: Type.Optional(Type.Array(WebOrigin, { maxItems: 50 })),
    preChatForm: Type.Optional(Type.Array(PreChatField, { maxItems: 10 })),
    businessHours: Type.Optional(Type.Union([BusinessHours, Type.Null()])),
    offlineMessage: Type.Optional(Type.String({ maxLength: 500 })),
    identityVerification: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type WebInboxCreate = Static<typeof WebInboxCreate>;

export const WebInboxUpdate = Type.Partial(WebInboxCreate, { additionalProperties: false });
export type WebInboxUpdate = Static<typeof WebInboxUpdate>;

/**
 * The inline script the snippet puts before widget.js: it defines window.Switchboard with the
 * API's method names, each of which only queues its call in `q`; widget.js replays the queue when
 * it loads. So the page can call Switchboard.identify(…) before (or without waiting for) the widget.
 */
export const WIDGET_API_METHODS = ['open', 'close', 'toggle', 'identify', 'setAttributes', 'setLocale', 'reset', 'on'] as const;
export const WIDGET_QUEUE_STUB =
  `window.Switchboard=window.Switchboard||function(q,s){` +
  `${JSON.stringify(WIDGET_API_METHODS.join(' '))}.split(' ').forEach(function(m){s[m]=function(){q.push([m,[].slice.call(arguments)])}});` +
  `s.q=q;return s}([],{});`;
