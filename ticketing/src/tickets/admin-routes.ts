import { Type } from 'typebox';
import { newId, ErrorBody } from '@switchboard/contracts';
import { errors, type HttpServer } from '@switchboard/http';
import type { Repositories } from '@switchboard/inbox-service';
import type { SecretBox } from '@switchboard/crypto';
import { DuplicateKeyError } from '@switchboard/store';
import { validateCalendar } from '../sla/calendar.js';
import type { TeamRecord, TicketFieldRecord, TicketSettingsRecord } from './records.js';
import type { TicketStore } from './repository.js';
import { SETTINGS_ID } from './settings.js';
import type { TicketService } from './service.js';

const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) });
const notFound = { 404: ErrorBody };
const admin = { access: { roles: ['admin' as const], scope: 'tickets:write' } };
const staffRead = { access: { scope: 'tickets:read' } };

const Strategy = Type.Union([Type.Literal('manual'), Type.Literal('round_robin'), Type.Literal('load_balanced')], {
  description: 'manual: agents take tickets; round_robin: online members in turn; load_balanced: the online member with the fewest open tickets for their capacity.',
});
const Member = Type.Object(
  {
    agentId: Type.String({ minLength: 1, maxLength: 100 }),
    capacity: Type.Union([Type.Integer({ minimum: 1, maximum: 1000 }), Type.Null()], { description: 'Most open tickets at once; null = no limit.' }),
  },
  { additionalProperties: false },
);
const TeamView = Type.Object({ id: Type.String(), name: Type.String(), strategy: Strategy, members: Type.Array(Member) });
const teamView = (t: TeamRecord) => ({ id: t._id, name: t.name, strategy: t.strategy, members: t.members });

const FieldType = Type.Union([Type.Literal('text'), Type.Literal('number'), Type.Literal('select'), Type.Literal('date')]);
const FieldView = Type.Object({ id: Type.String(), key: Type.String(), label: Type.String(), type: FieldType, options: Type.Optional(Type.Array(Type.String())) });
const fieldView = (f: TicketFieldRecord) => ({ id: f._id, key: f.key, label: f.label, type: f.type, ...(f.options ? { options: f.options } : {}) });

const HHMM = Type.String({ pattern: '^([01]\\d|2[0-3]):[0-5]\\d$|^24:00$' });
const Calendar = Type.Object(
  {
    timezone: Type.String({ minLength: 1, maxLength: 64 }),
    weekly: Type.Array(Type.Object({ day: Type.Integer({ minimum: 1, maximum: 7 }), start: HHMM, end: HHMM }, { additionalProperties: false }), { maxItems: 50 }),
    holidays: Type.Array(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' }), { maxItems: 400 }),
  },
  { additionalProperties: false },
);
const Targets = Type.Object(
  {
    first_response: Type.Optional(Type.Integer({ minimum: 1, maximum: 525_600 })),
    next_response: Type.Optional(Type.Integer({ minimum: 1, maximum: 525_600 })),
    resolution: Type.Optional(Type.Integer({ minimum: 1, maximum: 525_600 })),
  },
  { additionalProperties: false },
);
const SlaPolicy = Type.Object({ low: Targets, normal: Targets, high: Targets, urgent: Targets }, { additionalProperties: false, description: 'Business minutes per priority.' });
const CrmSettings = Type.Union([
  Type.Null(),
  Type.Object({ kind: Type.Literal('builtin') }, { additionalProperties: false }),
  Type.Object({ kind: Type.Literal('hubspot'), token: Type.String({ minLength: 10, maxLength: 500 }), baseUrl: Type.Optional(Type.String({ pattern: '^https?://\\S+$' })) }, { additionalProperties: false }),
  Type.Object({ kind: Type.Literal('kommo'), token: Type.String({ minLength: 10, maxLength: 2000 }), baseUrl: Type.String({ pattern: '^https?://\\S+$' }) }, { additionalProperties: false }),
]);
const SettingsView = Type.Object({
  mode: Type.Union([Type.Literal('auto'), Type.Literal('manual')]),
  autoCloseDays: Type.Integer(),
  reassignOfflineMinutes: Type.Union([Type.Integer(), Type.Null()]),
  defaultTeamId: Type.Union([Type.String(), Type.Null()]),
  calendar: Calendar,
  sla: SlaPolicy,
  crm: Type.Union([Type.Null(), Type.Object({ kind: Type.String(), baseUrl: Type.Optional(Type.String()) })]),
});
const settingsView = (s: TicketSettingsRecord) => ({
  mode: s.mode,
  autoCloseDays: s.autoCloseDays,
  reassignOfflineMinutes: s.reassignOfflineMinutes,
  defaultTeamId: s.defaultTeamId,
  calendar: s.calendar,
  sla: s.sla,
  // Credentials never leave the server.
  crm: s.crm ? { kind: s.crm.kind, ...(s.crm.settings.baseUrl ? { baseUrl: s.crm.settings.baseUrl } : {}) } : null,
});

export interface AdminRouteDeps {
  store: TicketStore;
  inbox: Repositories;
  tickets: TicketService;
  secrets: SecretBox;
  /** Makes the API key the built-in directory adapter uses for this tenant. */
  provisionDirectoryKey(tenantId: string): Promise<string>;
  /** Checks a CRM's credentials before they are saved. */
  checkCrm(settings: NonNullable<TicketSettingsRecord['crm']>, tenantId: string): Promise<{ ok: boolean; reason?: string }>;
}

/** Teams, custom fields and the tenant's ticket settings (mode, auto-close, calendar, SLA, CRM). */
export async function ticketAdminRoutes(app: HttpServer, deps: AdminRouteDeps): Promise<void> {
  const { store, inbox } = deps;

  // ---- teams ----
  const checkMembers = async (tenantId: string, members: { agentId: string }[]) => {
    const agents = inbox.forTenant(tenantId).agents;
    for (const [i, m] of members.entries()) {
      if (!(await agents.findById(m.agentId))) throw errors.validation(`members[${i}].agentId does not name an agent of this team.`, { path: `/members/${i}/agentId` });
    }
  };
  const TeamBody = Type.Object({ name: Type.String({ minLength: 1, maxLength: 100 }), strategy: Strategy, members: Type.Array(Member, { maxItems: 500 }) }, { additionalProperties: false });
  app.get('/teams', { config: staffRead, schema: { tags: ['teams'], summary: 'Teams and how they assign', response: { 200: Type.Object({ items: Type.Array(TeamView) }) } } }, async (req) => ({
    items: (await store.forTenant(req.principal.tenantId).teams.find({}, { sort: { name: 1 } })).map(teamView),
  }));
  app.post('/teams', { config: admin, schema: { tags: ['teams'], summary: 'Create a team', body: TeamBody, response: { 201: TeamView } } }, async (req, reply) => {
    await checkMembers(req.principal.tenantId, req.body.members);
    const now = new Date();
    const team = await store.forTenant(req.principal.tenantId).teams.insertOne({ _id: newId(), ...req.body, lastAssignedAgentId: null, createdAt: now, updatedAt: now });
    return reply.status(201).send(teamView(team));
  });
  app.patch(
    '/teams/:id',
    { config: admin, schema: { tags: ['teams'], summary: 'Change a team', params: IdParams, body: Type.Partial(TeamBody, { additionalProperties: false }), response: { 200: TeamView, ...notFound } } },
    async (req) => {
      if (req.body.members) await checkMembers(req.principal.tenantId, req.body.members);
      const team = await store.forTenant(req.principal.tenantId).teams.findOneAndUpdate({ _id: req.params.id }, { $set: { ...req.body, updatedAt: new Date() } }, { returnDocument: 'after' });
      if (!team) throw errors.notFound('The team');
      return teamView(team);
    },
  );
  app.delete('/teams/:id', { config: admin, schema: { tags: ['teams'], summary: 'Delete a team (its tickets keep their assignee, lose the team)', params: IdParams, response: { 204: Type.Null(), ...notFound } } }, async (req, reply) => {
    const r = store.forTenant(req.principal.tenantId);
    if (!(await r.teams.deleteOne({ _id: req.params.id }))) throw errors.notFound('The team');
    await r.tickets.updateMany({ teamId: req.params.id }, { $set: { teamId: null } });
    return reply.status(204).send(null);
  });

  // ---- custom fields ----
  const FieldBody = Type.Object(
    {
      key: Type.String({ pattern: '^[a-z][a-z0-9_]{0,49}$', description: 'Name in the API, e.g. "order_number".' }),
      label: Type.String({ minLength: 1, maxLength: 100 }),
      type: FieldType,
      options: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { minItems: 1, maxItems: 200 })),
    },
    { additionalProperties: false },
  );
  app.get('/ticket-fields', { config: staffRead, schema: { tags: ['tickets'], summary: 'Custom ticket fields of the team', response: { 200: Type.Object({ items: Type.Array(FieldView) }) } } }, async (req) => ({
    items: (await store.forTenant(req.principal.tenantId).fields.find({}, { sort: { createdAt: 1 } })).map(fieldView),
  }));
  app.post('/ticket-fields', { config: admin, schema: { tags: ['tickets'], summary: 'Define a custom field', body: FieldBody, response: { 201: FieldView } } }, async (req, reply) => {
    if (req.body.type === 'select' && !req.body.options) throw errors.validation('A select field needs options.', { path: '/options' });
    if (req.body.type !== 'select' && req.body.options) throw errors.validation('Only select fields have options.', { path: '/options' });
    try {
      const field = await store.forTenant(req.principal.tenantId).fields.insertOne({ _id: newId(), ...req.body, createdAt: new Date() });
      return reply.status(201).send(fieldView(field));
    } catch (err) {
      if (err instanceof DuplicateKeyError) throw errors.conflict(`A field with the key "${req.body.key}" exists.`);
      throw err;
    }
  });
  app.delete('/ticket-fields/:id', { config: admin, schema: { tags: ['tickets'], summary: 'Remove a custom field (values stay in history)', params: IdParams, response: { 204: Type.Null(), ...notFound } } }, async (req, reply) => {
    if (!(await store.forTenant(req.principal.tenantId).fields.deleteOne({ _id: req.params.id }))) throw errors.notFound('The field');
    return reply.status(204).send(null);
  });

  // ---- settings ----
  const SettingsBody = Type.Object(
    {
      mode: Type.Optional(Type.Union([Type.Literal('auto'), Type.Literal('manual')])),
      autoCloseDays: Type.Optional(Type.Integer({ minimum: 0, maximum: 365 })),
      reassignOfflineMinutes: Type.Optional(Type.Union([Type.Integer({ minimum: 1, maximum: 10_080 }), Type.Null()])),
      defaultTeamId: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 100 }), Type.Null()])),
      calendar: Type.Optional(Calendar),
      sla: Type.Optional(SlaPolicy),
      crm: Type.Optional(CrmSettings),
    },
    { additionalProperties: false },
  );
  app.get('/ticket-settings', { config: staffRead, schema: { tags: ['tickets'], summary: 'Ticket mode, auto-close, calendar, SLA targets and CRM', response: { 200: SettingsView } } }, async (req) =>
    settingsView(await deps.tickets.settings(store.forTenant(req.principal.tenantId))),
  );
  app.patch('/ticket-settings', { config: admin, schema: { tags: ['tickets'], summary: 'Change ticket settings (CRM credentials are checked first)', body: SettingsBody, response: { 200: SettingsView } } }, async (req) => {
    const tenantId = req.principal.tenantId;
    const r = store.forTenant(tenantId);
    const body = req.body;
    if (body.calendar) {
      const why = validateCalendar(body.calendar as never);
      if (why) throw errors.validation(why, { path: '/calendar' });
    }
    if (body.defaultTeamId && !(await r.teams.findById(body.defaultTeamId))) throw errors.validation('defaultTeamId does not name a team.', { path: '/defaultTeamId' });
    const set: Partial<TicketSettingsRecord> = { updatedAt: new Date() };
    for (const key of ['mode', 'autoCloseDays', 'reassignOfflineMinutes', 'defaultTeamId', 'calendar', 'sla'] as const) {
      if (body[key] !== undefined) (set as Record<string, unknown>)[key] = body[key];
    }
    if (body.crm !== undefined) {
      if (body.crm === null) set.crm = null;
      else {
        const crm: NonNullable<TicketSettingsRecord['crm']> =
          body.crm.kind === 'builtin'
            ? { kind: 'builtin', settings: {}, credentials: { apiKey: await deps.provisionDirectoryKey(tenantId) } }
            : { kind: body.crm.kind, settings: body.crm.baseUrl ? { baseUrl: body.crm.baseUrl } : {}, credentials: { token: body.crm.token } };
        const check = await deps.checkCrm(crm, tenantId);
        if (!check.ok) throw errors.validation(`The CRM did not accept these credentials: ${check.reason ?? 'no reason given'}`, { path: '/crm' });
        set.crm = { ...crm, credentials: deps.secrets.sealAll(crm.credentials) };
      }
    }
    const current = await deps.tickets.settings(r);
    const { _id, tenantId: _t, ...defaults } = current;
    const saved = await r.settings.findOneAndUpdate(
      { _id: `${tenantId}:${SETTINGS_ID}` },
      { $set: { ...defaults, ...set } },
      { upsert: true, returnDocument: 'after' },
    );
    return settingsView(saved!);
  });
}
