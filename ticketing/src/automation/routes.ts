import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import {
  AutomationDryRun,
  AutomationReorder,
  AutomationRuleCreate,
  AutomationRuleUpdate,
  AutomationRuleView,
  ErrorBody,
  MacroCreate,
  MacroRun,
  MacroRunResult,
  MacroUpdate,
  MacroView,
  newId,
  type AutomationAction,
  type AutomationCondition,
  type AutomationTrigger,
} from '@switchboard/contracts';
import { errors, SbError, type HttpServer } from '@switchboard/http';
import type { AuditType, Repositories, WebhookRepository } from '@switchboard/inbox-service';
import type { TicketStore } from '../tickets/repository.js';
import { evaluate, isValidPattern, plan, triggerFires, type PlannedAction, type TriggerEvent } from './engine.js';
import { ActionFailed, type AutomationExecutor } from './executor.js';
import { factsOf, loadSubject, type FactsDeps, type Subject } from './facts.js';
import type { AutomationRuleRecord, MacroRecord } from './records.js';
import type { AutomationStore } from './repository.js';

export interface AutomationRouteDeps {
  store: AutomationStore;
  inbox: Repositories;
  ticketStore: TicketStore;
  facts: FactsDeps;
  executor: AutomationExecutor;
  webhooks: WebhookRepository;
}

const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) });
const admin = { access: { roles: ['admin' as const], scope: 'tickets:write' } };
const adminRead = { access: { roles: ['admin' as const], scope: 'tickets:read' } };
const macroEditors = { access: { roles: ['admin' as const, 'supervisor' as const], scope: 'tickets:write' } };
const staffRead = { access: { scope: 'tickets:read' } };
// Macros act as the agent who runs them (replies carry their name): agents only, no API keys.
const agentsOnly = { access: {} };
const notFound = { 404: ErrorBody };
const invalid = { 422: ErrorBody };

/** A rule or macro that names things the team does not have, or a pattern that does not compile. */
export function automationInvalid(message: string, path: string): SbError {
  return new SbError('SB_ERR_AUTOMATION_INVALID', 422, message, { path });
}

const iso = (d: Date | string | null | undefined) => (d ? new Date(d).toISOString() : null);

export function ruleView(r: AutomationRuleRecord) {
  return {
    id: r._id,
    name: r.name,
    enabled: r.enabled,
    trigger: r.trigger,
    match: r.match,
    conditions: r.conditions,
    actions: r.actions,
    position: r.position,
    stats: { runs: r.stats.runs, lastRunAt: iso(r.stats.lastRunAt), lastError: r.stats.lastError, capped: r.stats.capped ?? 0 },
    createdAt: iso(r.createdAt)!,
    updatedAt: iso(r.updatedAt)!,
  };
}

export function macroView(m: MacroRecord) {
  return { id: m._id, name: m.name, actions: m.actions, createdAt: iso(m.createdAt)!, updatedAt: iso(m.updatedAt)! };
}

const actionView = (p: PlannedAction) => ({ index: p.index, type: p.type, description: p.description, ...(p.skipped ? { skipped: p.skipped } : {}) });

/** Rules (admins) and macros (every agent runs them; admins and supervisors edit them). */
export async function automationRoutes(app: HttpServer, deps: AutomationRouteDeps): Promise<void> {
  const { store, inbox } = deps;

  const audit = async (req: FastifyRequest, type: AuditType, details: Record<string, unknown>) => {
    try {
      await inbox.forTenant(req.principal.tenantId).audit.insertOne({
        _id: newId(),
        type,
        agentId: req.principal.agentId ?? null,
        details,
        ip: req.ip,
        userAgent: String(req.headers['user-agent'] ?? '').slice(0, 300),
        at: new Date(),
      });
    } catch (err) {
      req.log.error({ err, tenantId: req.principal.tenantId, type }, 'audit entry not stored');
    }
  };

  const checkActions = async (tenantId: string, actions: AutomationAction[], base = '/actions') => {
    const agents = inbox.forTenant(tenantId).agents;
    const teams = deps.ticketStore.forTenant(tenantId).teams;
    const hooks = deps.webhooks.forTenant(tenantId).webhooks;
    for (const [i, a] of actions.entries()) {
      if (a.type === 'assign_agent' && a.agentId) {
        const agent = await agents.findById(a.agentId);
        if (!agent || agent.active === false) throw automationInvalid(`Action ${i + 1} assigns to an agent this team does not have (or one deactivated).`, `${base}/${i}/agentId`);
      }
      if (a.type === 'assign_team' && !(await teams.findById(a.teamId))) throw automationInvalid(`Action ${i + 1} names a team this team does not have.`, `${base}/${i}/teamId`);
      if (a.type === 'send_webhook' && !(await hooks.findById(a.webhookId))) throw automationInvalid(`Action ${i + 1} names a webhook subscription this team does not have.`, `${base}/${i}/webhookId`);
    }
  };
  const checkConditions = (conditions: AutomationCondition[]) => {
    for (const [i, c] of conditions.entries()) {
      if (c.kind === 'text' && c.op === 'matches' && !isValidPattern(c.value)) throw automationInvalid(`Condition ${i + 1}: "${c.value}" is not a valid regular expression.`, `/conditions/${i}/value`);
      if (c.kind === 'contact_attribute' && (c.op === 'equals' || c.op === 'contains') && c.value === undefined) {
        throw automationInvalid(`Condition ${i + 1}: "${c.op}" needs a value to compare with.`, `/conditions/${i}/value`);
      }
    }
  };

  // ---- rules ----
  app.get(
    '/automation/rules',
    { config: adminRead, schema: { tags: ['automation'], summary: 'Automation rules in the order they run, with when each last ran and how often', response: { 200: Type.Object({ items: Type.Array(AutomationRuleView) }) } } },
    async (req) => ({ items: (await store.forTenant(req.principal.tenantId).rules.find({}, { sort: { position: 1, _id: 1 } })).map(ruleView) }),
  );
  app.get(
    '/automation/rules/:id',
    { config: adminRead, schema: { tags: ['automation'], summary: 'One automation rule', params: IdParams, response: { 200: AutomationRuleView, ...notFound } } },
    async (req) => {
      const rule = await store.forTenant(req.principal.tenantId).rules.findById(req.params.id);
      if (!rule) throw errors.notFound('The automation rule');
      return ruleView(rule);
    },
  );
  app.post(
    '/automation/rules',
    { config: admin, schema: { tags: ['automation'], summary: 'Create an automation rule (it runs after the existing ones)', body: AutomationRuleCreate, response: { 201: AutomationRuleView, ...invalid } } },
    async (req, reply) => {
      const tenantId = req.principal.tenantId;
      checkConditions(req.body.conditions ?? []);
      await checkActions(tenantId, req.body.actions);
      const r = store.forTenant(tenantId);
      const last = await r.rules.findOne({}, { sort: { position: -1 } });
      const now = new Date();
      const rule = await r.rules.insertOne({
        _id: newId(),
        name: req.body.name,
        enabled: req.body.enabled ?? true,
        trigger: req.body.trigger as AutomationTrigger,
        match: req.body.match ?? 'all',
        conditions: (req.body.conditions ?? []) as AutomationCondition[],
        actions: req.body.actions as AutomationAction[],
        position: (last?.position ?? 0) + 1,
        stats: { runs: 0, lastRunAt: null, lastError: null, capped: 0 },
        idleSweptUntil: null,
        createdAt: now,
        updatedAt: now,
      });
      await audit(req, 'automation.created', { target: rule._id, name: rule.name, trigger: rule.trigger.kind });
      return reply.status(201).send(ruleView(rule));
    },
  );
  app.patch(
    '/automation/rules/:id',
    { config: admin, schema: { tags: ['automation'], summary: 'Change, enable or disable an automation rule', params: IdParams, body: AutomationRuleUpdate, response: { 200: AutomationRuleView, ...notFound, ...invalid } } },
    async (req) => {
      const tenantId = req.principal.tenantId;
      const r = store.forTenant(tenantId);
      if (!(await r.rules.findById(req.params.id))) throw errors.notFound('The automation rule');
      if (req.body.conditions) checkConditions(req.body.conditions);
      if (req.body.actions) await checkActions(tenantId, req.body.actions);
      // A changed trigger starts its idle bookkeeping afresh.
      const set = { ...req.body, ...(req.body.trigger ? { idleSweptUntil: null } : {}), updatedAt: new Date() };
      const rule = await r.rules.findOneAndUpdate({ _id: req.params.id }, { $set: set }, { returnDocument: 'after' });
      if (!rule) throw errors.notFound('The automation rule');
      await audit(req, 'automation.updated', { target: rule._id, fields: Object.keys(req.body) });
      return ruleView(rule);
    },
  );
  app.delete(
    '/automation/rules/:id',
    { config: admin, schema: { tags: ['automation'], summary: 'Delete an automation rule', params: IdParams, response: { 204: Type.Null(), ...notFound } } },
    async (req, reply) => {
      if (!(await store.forTenant(req.principal.tenantId).rules.deleteOne({ _id: req.params.id }))) throw errors.notFound('The automation rule');
      await audit(req, 'automation.deleted', { target: req.params.id });
      return reply.status(204).send(null);
    },
  );
  app.post(
    '/automation/rules/reorder',
    {
      config: admin,
      schema: { tags: ['automation'], summary: 'Set the order rules run in: every rule id, first to last', body: AutomationReorder, response: { 200: Type.Object({ items: Type.Array(AutomationRuleView) }), 400: ErrorBody } },
    },
    async (req) => {
      const r = store.forTenant(req.principal.tenantId);
      const rules = await r.rules.find({});
      const given = new Set(req.body.ids);
      if (given.size !== req.body.ids.length || given.size !== rules.length || rules.some((x) => !given.has(x._id))) {
        throw new SbError('SB_ERR_AUTOMATION_ORDER', 400, `Name every rule of the team exactly once (${rules.length} rules); nothing was reordered.`, { path: '/ids' });
      }
      for (const [i, id] of req.body.ids.entries()) await r.rules.updateOne({ _id: id }, { $set: { position: i + 1 } });
      await audit(req, 'automation.reordered', { ids: req.body.ids });
      return { items: (await r.rules.find({}, { sort: { position: 1, _id: 1 } })).map(ruleView) };
    },
  );
  app.post(
    '/automation/rules/:id/dry-run',
    {
      config: adminRead,
      schema: {
        tags: ['automation'],
        summary: 'What the rule would do to a stored conversation now: whether it fires, each condition, the actions in order. Changes nothing.',
        params: IdParams,
        body: Type.Object({ conversationId: Type.String({ minLength: 1, maxLength: 100 }) }, { additionalProperties: false }),
        response: { 200: AutomationDryRun, ...notFound },
      },
    },
    async (req) => {
      const tenantId = req.principal.tenantId;
      const rule = await store.forTenant(tenantId).rules.findById(req.params.id);
      if (!rule) throw errors.notFound('The automation rule');
      const conv = await inbox.forPrincipal(req.principal).conversations.findById(req.body.conversationId);
      if (!conv) throw errors.notFound('The conversation');
      const subject = await loadSubject(deps.facts, tenantId, { conversationId: conv._id });
      const now = new Date();
      const event = await pastEvent(deps, rule, subject, now);
      const facts = await factsOf(deps.facts, subject, now);
      const { matched, conditions } = evaluate(rule, facts);
      return { ruleId: rule._id, triggered: triggerFires(rule._id, rule.trigger, event).fires, matched, conditions, actions: plan(rule.actions, facts, true).map(actionView) };
    },
  );

  // ---- macros ----
  app.get('/macros', { config: staffRead, schema: { tags: ['automation'], summary: "The team's macros", response: { 200: Type.Object({ items: Type.Array(MacroView) }) } } }, async (req) => ({
    items: (await store.forTenant(req.principal.tenantId).macros.find({}, { sort: { name: 1 } })).map(macroView),
  }));
  app.post('/macros', { config: macroEditors, schema: { tags: ['automation'], summary: 'Create a macro', body: MacroCreate, response: { 201: MacroView, ...invalid } } }, async (req, reply) => {
    await checkActions(req.principal.tenantId, req.body.actions);
    const now = new Date();
    const macro = await store.forTenant(req.principal.tenantId).macros.insertOne({ _id: newId(), name: req.body.name, actions: req.body.actions as AutomationAction[], createdAt: now, updatedAt: now });
    await audit(req, 'macro.created', { target: macro._id, name: macro.name });
    return reply.status(201).send(macroView(macro));
  });
  app.patch(
    '/macros/:id',
    { config: macroEditors, schema: { tags: ['automation'], summary: 'Change a macro', params: IdParams, body: MacroUpdate, response: { 200: MacroView, ...notFound, ...invalid } } },
    async (req) => {
      const r = store.forTenant(req.principal.tenantId);
      if (!(await r.macros.findById(req.params.id))) throw errors.notFound('The macro');
      if (req.body.actions) await checkActions(req.principal.tenantId, req.body.actions);
      const macro = await r.macros.findOneAndUpdate({ _id: req.params.id }, { $set: { ...req.body, updatedAt: new Date() } }, { returnDocument: 'after' });
      if (!macro) throw errors.notFound('The macro');
      await audit(req, 'macro.updated', { target: macro._id, fields: Object.keys(req.body) });
      return macroView(macro);
    },
  );
  app.delete('/macros/:id', { config: macroEditors, schema: { tags: ['automation'], summary: 'Delete a macro', params: IdParams, response: { 204: Type.Null(), ...notFound } } }, async (req, reply) => {
    if (!(await store.forTenant(req.principal.tenantId).macros.deleteOne({ _id: req.params.id }))) throw errors.notFound('The macro');
    await audit(req, 'macro.deleted', { target: req.params.id });
    return reply.status(204).send(null);
  });
  app.post(
    '/macros/:id/run',
    {
      config: agentsOnly,
      schema: {
        tags: ['automation'],
        summary: "Run a macro's actions, in order, on a conversation, as you",
        params: IdParams,
        body: MacroRun,
        response: { 200: MacroRunResult, ...notFound, ...invalid },
      },
    },
    async (req) => {
      const tenantId = req.principal.tenantId;
      const macro = await store.forTenant(tenantId).macros.findById(req.params.id);
      if (!macro) throw errors.notFound('The macro');
      const conv = await inbox.forPrincipal(req.principal).conversations.findById(req.body.conversationId);
      if (!conv) throw errors.notFound('The conversation');
      const subject = await loadSubject(deps.facts, tenantId, { conversationId: conv._id });
      const planned = plan(macro.actions, await factsOf(deps.facts, subject, new Date()), false);
      const agentId = req.principal.agentId!;
      const name = req.principal.name ?? (await inbox.forTenant(tenantId).agents.findById(agentId))?.name ?? 'Agent';
      try {
        await deps.executor.apply(subject, planned, { kind: 'agent', agentId, name, runId: newId(), macroId: macro._id, macroName: macro.name });
      } catch (err) {
        if (!(err instanceof ActionFailed)) throw err;
        const inner = err.reason instanceof SbError ? err.reason.message : 'an unexpected error';
        req.log.warn({ err: err.reason, tenantId, conversationId: conv._id, macroId: macro._id }, 'macro action failed');
        throw new SbError('SB_ERR_MACRO_ACTION_FAILED', 422, `Action ${err.index + 1} (${err.type}) failed: ${inner} The actions before it were applied; the ones after it were not.`, {
          index: err.index,
        });
      }
      req.log.info({ tenantId, conversationId: conv._id, macroId: macro._id }, 'macro ran');
      return { actions: planned.map(actionView) };
    },
  );
}

/**
 * The rule's trigger, as the conversation's history last offered it: its latest customer message,
 * its ticket's latest change or breach, how long it has been quiet.
 */
async function pastEvent(deps: AutomationRouteDeps, rule: AutomationRuleRecord, s: Subject, now: Date): Promise<TriggerEvent> {
  const id = `dry-run:${newId()}`;
  const t = rule.trigger;
  switch (t.kind) {
    case 'message_received': {
      const m = s.message;
      if (!m) return { kind: 'conversation_created', id }; // no customer message: the trigger cannot fit
      const earlier = await deps.inbox.forTenant(s.tenantId).messages.findOne({ conversationId: m.conversationId, direction: 'in', seq: { $lt: m.seq } });
      return { kind: 'message_received', id, first: !earlier };
    }
    case 'ticket_updated': {
      if (!s.ticket) return { kind: 'conversation_created', id };
      const history = await deps.ticketStore.forTenant(s.tenantId).events.find({ ticketId: s.ticket._id }, { sort: { at: -1 }, limit: 20 });
      const latest = history.find((h) => h.changes.length > 0);
      return { kind: 'ticket_updated', id, changedFields: latest?.changes.map((c) => c.field) ?? [] };
    }
    case 'sla_breached': {
      const breached = (s.ticket?.sla ?? []).filter((x) => x.breachedAt);
      const metric = breached.find((x) => x.metric === t.metric)?.metric ?? breached[0]?.metric;
      return metric ? { kind: 'sla_breached', id, metric } : { kind: 'conversation_created', id };
    }
    case 'conversation_idle': {
      const at = s.conversation?.status === 'open' ? s.conversation.lastMessage?.at : undefined;
      return { kind: 'conversation_idle', id, idleMinutes: at ? Math.floor((now.getTime() - new Date(at).getTime()) / 60_000) : 0 };
    }
    default:
      return { kind: t.kind, id };
  }
}
