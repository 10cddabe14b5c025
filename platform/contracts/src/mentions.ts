import { Type, type Static } from 'typebox';

/** @mentions in ticket notes and the CRM contact card, as the REST API, sockets and console see them. */

const Id = Type.String({ minLength: 1, maxLength: 200 });
const IsoTime = Type.String({ format: 'date-time' });

/** The most agents one note may mention. */
export const MAX_MENTIONS = 20;

/** An agent was @mentioned in a note of a ticket one of whose conversations this is. */
export const MentionView = Type.Object({
  id: Id,
  /** The mentioned agent. */
  agentId: Id,
  conversationId: Id,
  ticketId: Id,
  noteId: Id,
  byAgentId: Id,
  byName: Type.String(),
  /** The first 140 characters of the note. */
  excerpt: Type.String(),
  createdAt: IsoTime,
  readAt: Type.Union([IsoTime, Type.Null()]),
});
export type MentionView = Static<typeof MentionView>;

export const MentionList = Type.Object({ items: Type.Array(MentionView), unread: Type.Integer({ minimum: 0, description: 'Unread mentions of the caller in all.' }) });
export type MentionList = Static<typeof MentionList>;

/** A person as the tenant's CRM knows them (the built-in directory, HubSpot or Kommo). */
export const CrmContactView = Type.Object({
  id: Type.String(),
  name: Type.Optional(Type.String()),
  emails: Type.Array(Type.String()),
  phones: Type.Array(Type.String()),
  handles: Type.Array(Type.Object({ channel: Type.String(), id: Type.String() })),
  company: Type.Optional(Type.String()),
  /** Where a person opens the contact in the CRM's own UI, when it has one. */
  url: Type.Optional(Type.String()),
});
export type CrmContactView = Static<typeof CrmContactView>;

export const CrmContactCard = Type.Object({
  provider: Type.Union([Type.Literal('builtin'), Type.Literal('hubspot'), Type.Literal('kommo')]),
  contact: CrmContactView,
  /** The id asked for was merged into `contact` (built-in directory). */
  mergedFrom: Type.Optional(Type.String()),
  /** Contacts can be merged in Switchboard (only the built-in directory; HubSpot and Kommo merge in their own UI). */
  mergeable: Type.Boolean(),
});
export type CrmContactCard = Static<typeof CrmContactCard>;
