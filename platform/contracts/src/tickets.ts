import { Type, type Static } from 'typebox';
import { Channel } from './messages.js';

/** Tickets as the REST API and the console see them. One source for types, validation, OpenAPI. */

const Id = Type.String({ minLength: 1, maxLength: 200 });
const IsoTime = Type.String({ format: 'date-time' });

export const TicketStatus = Type.Union(
  [Type.Literal('new'), Type.Literal('open'), Type.Literal('pending'), Type.Literal('on_hold'), Type.Literal('solved'), Type.Literal('closed')],
  { description: 'new → open → pending / on_hold → solved → closed (automatically after the tenant\'s days).' },
);
export type TicketStatus = Static<typeof TicketStatus>;

export const TicketPriority = Type.Union([Type.Literal('low'), Type.Literal('normal'), Type.Literal('high'), Type.Literal('urgent')]);
export type TicketPriority = Static<typeof TicketPriority>;

export const SlaMetricName = Type.Union([Type.Literal('first_response'), Type.Literal('next_response'), Type.Literal('resolution')]);

export const SlaTimerView = Type.Object({
  metric: SlaMetricName,
  status: Type.Union([Type.Literal('running'), Type.Literal('paused'), Type.Literal('met'), Type.Literal('breached')]),
  targetMinutes: Type.Number(),
  /** When it runs out if nothing pauses it; null while paused or finished. */
  dueAt: Type.Union([IsoTime, Type.Null()]),
  breachedAt: Type.Optional(IsoTime),
  metAt: Type.Optional(IsoTime),
});
export type SlaTimerView = Static<typeof SlaTimerView>;

export const SlaState = Type.Union([Type.Literal('none'), Type.Literal('ok'), Type.Literal('paused'), Type.Literal('breached')], {
  description: 'none: no running SLA; ok: running within target; paused: clocks stopped (pending, on hold); breached: a target was missed.',
});
export type SlaState = Static<typeof SlaState>;

export const CrmLinkView = Type.Object({
  status: Type.Union([Type.Literal('none'), Type.Literal('pending'), Type.Literal('linked'), Type.Literal('failed')], {
    description: 'pending: the CRM has not answered yet ("CRM link pending"); it is retried until it does.',
  }),
  provider: Type.Optional(Type.String()),
  contactId: Type.Optional(Type.String()),
  url: Type.Optional(Type.String()),
  error: Type.Optional(Type.String()),
});
export type CrmLinkView = Static<typeof CrmLinkView>;

/**
 * String first: the API's validator coerces types, and text such as "00420" must reach a text field
 * as written. A number arrives as its text (100 → "100") and null as "" (clear); the ticketing
 * service turns both back by the field's type.
 */
export const FieldValue = Type.Union([Type.String({ maxLength: 2000 }), Type.Number(), Type.Null()]);

export const TicketView = Type.Object({
  id: Id,
  /** Per-tenant number people say: "#1042". */
  number: Type.Integer(),
  subject: Type.String(),
  status: TicketStatus,
  priority: TicketPriority,
  assigneeId: Type.Union([Id, Type.Null()]),
  teamId: Type.Union([Id, Type.Null()]),
  tags: Type.Array(Type.String()),
  fields: Type.Record(Type.String(), FieldValue),
  conversationIds: Type.Array(Id),
  channels: Type.Array(Channel),
  requester: Type.Object({ name: Type.Optional(Type.String()), email: Type.Optional(Type.String()), phone: Type.Optional(Type.String()) }),
  crm: CrmLinkView,
  sla: Type.Array(SlaTimerView),
  slaState: SlaState,
  mergedInto: Type.Optional(Id),
  createdAt: IsoTime,
  updatedAt: IsoTime,
  solvedAt: Type.Optional(IsoTime),
  closedAt: Type.Optional(IsoTime),
});
export type TicketView = Static<typeof TicketView>;

export const TicketChange = Type.Object(
  {
    subject: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
    status: Type.Optional(TicketStatus),
    priority: Type.Optional(TicketPriority),
    assigneeId: Type.Optional(Type.Union([Id, Type.Null()])),
    teamId: Type.Optional(Type.Union([Id, Type.Null()])),
    tags: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 50, pattern: '^[^\\s,]+$' }), { maxItems: 50 })),
    /** Custom field values by key; null clears one. */
    fields: Type.Optional(Type.Record(Type.String({ pattern: '^[a-z][a-z0-9_]{0,49}$' }), FieldValue)),
  },
  { additionalProperties: false },
);
export type TicketChange = Static<typeof TicketChange>;

export const TicketHistoryEntry = Type.Object({
  id: Id,
  at: IsoTime,
  actor: Type.Object({ kind: Type.Union([Type.Literal('agent'), Type.Literal('apiKey'), Type.Literal('system')]), id: Type.Optional(Type.String()), name: Type.Optional(Type.String()) }),
  type: Type.String(),
  changes: Type.Array(Type.Object({ field: Type.String(), from: Type.Unknown(), to: Type.Unknown() })),
  note: Type.Optional(Type.String()),
});
export type TicketHistoryEntry = Static<typeof TicketHistoryEntry>;

export const TicketNoteView = Type.Object({
  id: Id,
  ticketId: Id,
  author: Type.Object({ id: Type.Optional(Type.String()), name: Type.Optional(Type.String()) }),
  text: Type.String(),
  /** Agents @mentioned in the note (each was notified). */
  mentions: Type.Optional(Type.Array(Id)),
  createdAt: IsoTime,
});
export type TicketNoteView = Static<typeof TicketNoteView>;
