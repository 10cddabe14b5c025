import { Type, type Static } from 'typebox';

/**
 * Canned responses: replies a team keeps ready, inserted in the console's composer by typing
 * "/" and the shortcut. Routes under /api/v1 (reading for every agent, changes for admins):
 *
 *   GET    /canned-responses?q=    { items: CannedResponseView[] } (q: part of a shortcut or title)
 *   POST   /canned-responses       CannedResponseCreate → CannedResponseView (201)
 *   PATCH  /canned-responses/:id   CannedResponseUpdate → CannedResponseView
 *   DELETE /canned-responses/:id   → 204
 *
 * The text may hold placeholders the console fills at insert time: {{contact.name}},
 * {{contact.email}}, {{agent.name}}.
 */

/** Lowercase letters, digits and single dashes: "refund", "order-status". Unique per team. */
export const CannedShortcut = Type.String({ minLength: 1, maxLength: 40, pattern: '^[a-z0-9]+(-[a-z0-9]+)*$' });

export const CANNED_TEXT_MAX = 5000;

const Title = Type.String({ minLength: 1, maxLength: 120, pattern: '\\S' });
const Text = Type.String({ minLength: 1, maxLength: CANNED_TEXT_MAX, pattern: '\\S' });

export const CannedResponseView = Type.Object({
  id: Type.String(),
  shortcut: Type.String(),
  title: Type.String(),
  text: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});
export type CannedResponseView = Static<typeof CannedResponseView>;

export const CannedResponseCreate = Type.Object({ shortcut: CannedShortcut, title: Title, text: Text }, { additionalProperties: false });
export type CannedResponseCreate = Static<typeof CannedResponseCreate>;

export const CannedResponseUpdate = Type.Object(
  { shortcut: Type.Optional(CannedShortcut), title: Type.Optional(Title), text: Type.Optional(Text) },
  { additionalProperties: false, minProperties: 1 },
);
export type CannedResponseUpdate = Static<typeof CannedResponseUpdate>;
