import { Type, type Static } from 'typebox';
import { Channel } from './messages.js';
import { TicketPriority, TicketStatus } from './tickets.js';

/**
 * Automation rules and macros (docs/automation.md). A rule waits for a trigger, checks its
 * conditions (all or any) and runs its actions in order; a macro is a named list of actions an
 * agent runs on one conversation. Routes under /api/v1:
 *
 *   GET/POST /automation/rules · GET/PATCH/DELETE /automation/rules/:id (admins)
 *   POST /automation/rules/reorder { ids } · POST /automation/rules/:id/dry-run { conversationId }
 *   GET /macros (every agent) · POST /macros · PATCH/DELETE /macros/:id (admins, supervisors)
 *   POST /macros/:id/run { conversationId } (every agent who may see the conversation)
 */

const Id = Type.String({ minLength: 1, maxLength: 100 });
const Name = Type.String({ minLength: 1, maxLength: 120, pattern: '\\S' });
const Tag = Type.String({ minLength: 1, maxLength: 60, pattern: '\\S' });
const Tags = Type.Array(Tag, { minItems: 1, maxItems: 20 });
const Template = Type.String({ minLength: 1, maxLength: 5000, pattern: '\\S' });

// ---- triggers ------------------------------------------------------------------------------------

export const AutomationTrigger = Type.Union([
  Type.Object(
    {
      kind: Type.Literal('message_received'),
      /** Only the conversation's first customer message (default false: every one). */
      first: Type.Optional(Type.Boolean()),
    },
    { additionalProperties: false },
  ),
  Type.Object({ kind: Type.Literal('conversation_created') }, { additionalProperties: false }),
  Type.Object(
    {
      kind: Type.Literal('ticket_updated'),
      /** Only when one of these fields changed (status, priority, assigneeId, teamId, tags, subject, fields.<key>); absent = any. */
      fields: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { minItems: 1, maxItems: 20 })),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    { kind: Type.Literal('sla_breached'), metric: Type.Optional(Type.Union([Type.Literal('first_response'), Type.Literal('next_response'), Type.Literal('resolution')])) },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      kind: Type.Literal('conversation_idle'),
      /** An open conversation without any message, either way, for this long. */
      minutes: Type.Integer({ minimum: 1, maximum: 43_200 }),
    },
    { additionalProperties: false },
  ),
  Type.Object({ kind: Type.Literal('contact_created') }, { additionalProperties: false }),
]);
export type AutomationTrigger = Static<typeof AutomationTrigger>;
export type AutomationTriggerKind = AutomationTrigger['kind'];

// ---- conditions ----------------------------------------------------------------------------------

export const AutomationCondition = Type.Union([
  Type.Object({ kind: Type.Literal('channel'), in: Type.Array(Channel, { minItems: 1 }) }, { additionalProperties: false }),
  Type.Object({ kind: Type.Literal('inbox'), in: Type.Array(Id, { minItems: 1, maxItems: 100 }) }, { additionalProperties: false }),
  Type.Object(
    {
      kind: Type.Literal('text'),
      /** contains: case-insensitive substring; matches: a regular expression (case-insensitive). */
      op: Type.Union([Type.Literal('contains'), Type.Literal('matches')]),
      value: Type.String({ minLength: 1, maxLength: 500 }),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    { kind: Type.Literal('language'), in: Type.Array(Type.String({ minLength: 2, maxLength: 10, pattern: '^[a-z]{2,3}(-[A-Za-z0-9]+)?$' }), { minItems: 1, maxItems: 50 }) },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      kind: Type.Literal('contact_attribute'),
      /** name, email, phone, handle, or any attribute the widget set (pre-chat answers, setAttributes). */
      key: Type.String({ minLength: 1, maxLength: 100 }),
      op: Type.Union([Type.Literal('equals'), Type.Literal('contains'), Type.Literal('exists'), Type.Literal('missing')]),
      value: Type.Optional(Type.String({ maxLength: 500 })),
    },
    { additionalProperties: false },
  ),
  Type.Object({ kind: Type.Literal('business_hours'), open: Type.Boolean() }, { additionalProperties: false }),
  Type.Object({ kind: Type.Literal('priority'), in: Type.Array(TicketPriority, { minItems: 1 }) }, { additionalProperties: false }),
  Type.Object(
    { kind: Type.Literal('tags'), op: Type.Union([Type.Literal('any'), Type.Literal('all'), Type.Literal('none')]), tags: Tags },
    { additionalProperties: false },
  ),
  Type.Object({ kind: Type.Literal('assignee'), present: Type.Boolean() }, { additionalProperties: false }),
  Type.Object(
    {
      kind: Type.Literal('waiting_time'),
      /** How long the customer has waited for an answer (since their oldest unanswered message). */
      op: Type.Union([Type.Literal('more_than'), Type.Literal('less_than')]),
      minutes: Type.Integer({ minimum: 0, maximum: 525_600 }),
    },
    { additionalProperties: false },
  ),
]);
export type AutomationCondition = Static<typeof AutomationCondition>;

// ---- actions -------------------------------------------------------------------------------------

export const AutomationAction = Type.Union([
  Type.Object({ type: Type.Literal('assign_agent'), agentId: Type.Union([Id, Type.Null()]) }, { additionalProperties: false }),
  Type.Object(
    {
      type: Type.Literal('assign_team'),
      teamId: Id,
      /** Then let the team's strategy (round robin, load balanced) pick an agent: default true. */
      runStrategy: Type.Optional(Type.Boolean()),
    },
    { additionalProperties: false },
  ),
  Type.Object({ type: Type.Literal('add_tags'), tags: Tags }, { additionalProperties: false }),
  Type.Object({ type: Type.Literal('remove_tags'), tags: Tags }, { additionalProperties: false }),
  Type.Object({ type: Type.Literal('set_priority'), priority: TicketPriority }, { additionalProperties: false }),
  Type.Object({ type: Type.Literal('set_status'), status: TicketStatus }, { additionalProperties: false }),
  Type.Object(
    {
      type: Type.Literal('auto_reply'),
      /** Placeholders: {{contact.name}}, {{contact.email}}, {{contact.phone}}, {{contact.handle}}, {{contact.<attribute>}}, {{ticket.number}}. */
      text: Template,
    },
    { additionalProperties: false },
  ),
  Type.Object({ type: Type.Literal('add_note'), text: Template }, { additionalProperties: false }),
  Type.Object({ type: Type.Literal('send_webhook'), webhookId: Id }, { additionalProperties: false }),
  Type.Object({ type: Type.Literal('snooze'), minutes: Type.Integer({ minimum: 1, maximum: 525_600 }) }, { additionalProperties: false }),
  Type.Object({ type: Type.Literal('close') }, { additionalProperties: false }),
]);
export type AutomationAction = Static<typeof AutomationAction>;
export type AutomationActionType = AutomationAction['type'];

const Conditions = Type.Array(AutomationCondition, { maxItems: 30 });
const Actions = Type.Array(AutomationAction, { minItems: 1, maxItems: 20 });
const Match = Type.Union([Type.Literal('all'), Type.Literal('any')], { description: 'all: every condition must hold; any: at least one (no conditions = always).' });

// ---- rules ---------------------------------------------------------------------------------------

export const AutomationRuleStats = Type.Object({
  runs: Type.Integer(),
  lastRunAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  lastError: Type.Union([Type.String(), Type.Null()]),
  /** Matches skipped by the per-conversation cap (see docs/automation.md, loop prevention). */
  capped: Type.Integer(),
});

export const AutomationRuleView = Type.Object({
  id: Type.String(),
  name: Type.String(),
  enabled: Type.Boolean(),
  trigger: AutomationTrigger,
  match: Match,
  conditions: Conditions,
  actions: Actions,
  position: Type.Integer(),
  stats: AutomationRuleStats,
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});
export type AutomationRuleView = Static<typeof AutomationRuleView>;

export const AutomationRuleCreate = Type.Object(
  {
    name: Name,
    enabled: Type.Optional(Type.Boolean()),
    trigger: AutomationTrigger,
    match: Type.Optional(Match),
    conditions: Type.Optional(Conditions),
    actions: Actions,
  },
  { additionalProperties: false },
);
export type AutomationRuleCreate = Static<typeof AutomationRuleCreate>;

export const AutomationRuleUpdate = Type.Object(
  {
    name: Type.Optional(Name),
    enabled: Type.Optional(Type.Boolean()),
    trigger: Type.Optional(AutomationTrigger),
    match: Type.Optional(Match),
    conditions: Type.Optional(Conditions),
    actions: Type.Optional(Actions),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type AutomationRuleUpdate = Static<typeof AutomationRuleUpdate>;

export const AutomationReorder = Type.Object({ ids: Type.Array(Id, { minItems: 1, maxItems: 500 }) }, { additionalProperties: false });

/** What a rule would do to one stored conversation: nothing is changed, sent or delivered. */
export const AutomationDryRun = Type.Object({
  ruleId: Type.String(),
  /** The trigger fits the conversation's latest event of its kind (false: the rule would not even be asked). */
  triggered: Type.Boolean(),
  matched: Type.Boolean(),
  conditions: Type.Array(Type.Object({ index: Type.Integer(), kind: Type.String(), passed: Type.Boolean(), detail: Type.String() })),
  /** In order; `skipped` says why an action would not run. */
  actions: Type.Array(Type.Object({ index: Type.Integer(), type: Type.String(), description: Type.String(), skipped: Type.Optional(Type.String()) })),
});
export type AutomationDryRun = Static<typeof AutomationDryRun>;

// ---- macros --------------------------------------------------------------------------------------

export const MacroView = Type.Object({
  id: Type.String(),
  name: Type.String(),
  actions: Actions,
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});
export type MacroView = Static<typeof MacroView>;

export const MacroCreate = Type.Object({ name: Name, actions: Actions }, { additionalProperties: false });
export type MacroCreate = Static<typeof MacroCreate>;
export const MacroUpdate = Type.Object({ name: Type.Optional(Name), actions: Type.Optional(Actions) }, { additionalProperties: false, minProperties: 1 });
export type MacroUpdate = Static<typeof MacroUpdate>;

export const MacroRun = Type.Object({ conversationId: Id }, { additionalProperties: false });
export const MacroRunResult = Type.Object({
  actions: Type.Array(Type.Object({ index: Type.Integer(), type: Type.String(), description: Type.String(), skipped: Type.Optional(Type.String()) })),
});
export type MacroRunResult = Static<typeof MacroRunResult>;
