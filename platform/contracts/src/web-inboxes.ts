import { Type, type Static } from 'typebox';

/**
 * Website inboxes (the chat widget's), as the REST API and the console see them. Routes, all
 * admin-only, under /api/v1:
 *
 *   GET   /web-inboxes                         { items: WebInboxView[] }
 *   POST  /web-inboxes                         WebInboxCreate → WebInboxView (201)
 *   PATCH /web-inboxes/:inboxId                WebInboxUpdate → WebInboxView
 *   POST  /web-inboxes/:inboxId/rotate-token   → WebInboxView (a new widget token; the old one stops working)
 *
 * When `allowedOrigins` is not empty, the widget opens a session with the inbox's token only from
 * a page on one of those origins (the handshake's Origin header), and the article suggestions
 * answer only those origins; other pages get SB_ERR_ORIGIN_NOT_ALLOWED.
 */

/** A web origin: scheme, host and port only, e.g. https://shop.example or http://localhost:8080. */
export const WebOrigin = Type.String({ pattern: '^https?://[a-z0-9.-]+(:[0-9]{1,5})?$', maxLength: 300 });

export const WebInboxView = Type.Object({
  id: Type.String(),
  name: Type.String(),
  widgetToken: Type.String(),
  /** Empty = any website may embed this widget. */
  allowedOrigins: Type.Array(WebOrigin),
  /** The HTML to paste before </body>. */
  snippet: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
});
export type WebInboxView = Static<typeof WebInboxView>;

export const WebInboxCreate = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 120 }), allowedOrigins: Type.Optional(Type.Array(WebOrigin, { maxItems: 50 })) },
  { additionalProperties: false },
);
export type WebInboxCreate = Static<typeof WebInboxCreate>;

export const WebInboxUpdate = Type.Partial(WebInboxCreate, { additionalProperties: false });
export type WebInboxUpdate = Static<typeof WebInboxUpdate>;
