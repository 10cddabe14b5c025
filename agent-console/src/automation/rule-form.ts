import { t } from '../i18n/automation.js';
import type { AutomationAction, AutomationCondition, AutomationRuleCreate, AutomationRuleView, AutomationTrigger, Channel, MacroCreate, MacroView } from '@switchboard/contracts';

/**
 * The rule and macro editors' form state (what the inputs hold, as typed) and the payload the
 * server takes, both ways, with the checks the server would make. Errors are keyed by the JSON
 * path the server names in `details.path` (/name, /trigger/minutes, /conditions/0/value,
 * /actions/1/agentId), so a refusal from either side shows at the same field.
 */

export type TriggerKind = AutomationTrigger['kind'];
export type ConditionKind = AutomationCondition['kind'];
export type ActionType = AutomationAction['type'];
/** Minutes, hours or days: how a duration is typed. */
export type Unit = 'min' | 'h' | 'd';
export const UNIT_MINUTES: Record<Unit, number> = { min: 1, h: 60, d: 1440 };

export interface TriggerRow {
  kind: TriggerKind;
  /** message_received: only the first customer message. */
  first: boolean;
  /** ticket_updated: comma-separated field names, empty = any. */
  fields: string;
  /** sla_breached: '' = any target. */
  metric: string;
  /** conversation_idle: the amount in `unit`. */
  amount: string;
  unit: Unit;
}

/** One condition row; which fields count depends on `kind`. */
export interface ConditionRow {
  /** Stable key for the list while rows move. */
  rid: number;
  kind: ConditionKind;
  /** contains/matches, equals/contains/exists/missing, any/all/none, more_than/less_than, open/closed, present/absent. */
  op: string;
  /** Text, pattern, attribute value, comma-separated tags or languages, minutes amount. */
  value: string;
  /** contact_attribute: the attribute's name. */
  key: string;
  /** channel, inbox, priority: the chosen values. */
  in: string[];
  unit: Unit;
}

export interface ActionRow {
  rid: number;
  type: ActionType;
  /** Agent id ('' = unassign), team id, comma-separated tags, priority, status, text, webhook id or snooze amount. */
  value: string;
  /** assign_team: let the team's strategy pick an agent. */
  runStrategy: boolean;
  unit: Unit;
}

export interface RuleForm {
  name: string;
  enabled: boolean;
  trigger: TriggerRow;
  match: 'all' | 'any';
  conditions: ConditionRow[];
  actions: ActionRow[];
}

export interface MacroForm {
  name: string;
  actions: ActionRow[];
}

/** JSON path → the sentence to show there. */
export type FieldErrors = Record<string, string>;
export type Checked<T> = { ok: true; body: T } | { ok: false; errors: FieldErrors };

export const TRIGGER_KINDS: TriggerKind[] = ['message_received', 'conversation_created', 'contact_created', 'ticket_updated', 'sla_breached', 'conversation_idle'];
export const CONDITION_KINDS: ConditionKind[] = ['text', 'channel', 'inbox', 'language', 'contact_attribute', 'business_hours', 'priority', 'tags', 'assignee', 'waiting_time'];
export const ACTION_TYPES: ActionType[] = ['assign_agent', 'assign_team', 'add_tags', 'remove_tags', 'set_priority', 'set_status', 'auto_reply', 'add_note', 'send_webhook', 'snooze', 'close'];
export const CHANNELS: Channel[] = ['web', 'email', 'telegram', 'whatsapp', 'whatsapp-web', 'instagram', 'slack'];
export const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export const STATUSES = ['new', 'open', 'pending', 'on_hold', 'solved', 'closed'] as const;
export const METRICS = ['first_response', 'next_response', 'resolution'] as const;
export const MAX_ACTIONS = 20;
export const MAX_CONDITIONS = 30;

let rowSeq = 0;
const rid = () => ++rowSeq;

/** A whole number of minutes as an amount in the largest unit that divides it. */
export function toAmount(minutes: number): { amount: string; unit: Unit } {
  const unit: Unit = minutes % 1440 === 0 ? 'd' : minutes % 60 === 0 ? 'h' : 'min';
  return { amount: String(minutes / UNIT_MINUTES[unit]), unit };
}

/** Minutes from an amount and unit, or null when it is not a whole number of minutes within [min, max]. */
export function fromAmount(amount: string, unit: Unit, min: number, max: number): number | null {
  const a = amount.trim();
  if (!/^\d+(\.\d+)?$/.test(a)) return null;
  const minutes = Number(a) * UNIT_MINUTES[unit];
  return Number.isInteger(minutes) && minutes >= min && minutes <= max ? minutes : null;
}

/** "a, b ,a" → ["a", "b"]. */
export function splitList(s: string): string[] {
  return [...new Set(s.split(',').map((x) => x.trim()).filter(Boolean))];
}

// ---- rows from scratch and from the server ------------------------------------------------------

export function newTrigger(kind: TriggerKind = 'message_received'): TriggerRow {
  return { kind, first: false, fields: '', metric: '', amount: '30', unit: 'min' };
}

export function newCondition(kind: ConditionKind = 'text'): ConditionRow {
  const row: ConditionRow = { rid: rid(), kind, op: '', value: '', key: '', in: [], unit: 'min' };
  switch (kind) {
    case 'text':
      return { ...row, op: 'contains' };
    case 'channel':
      return { ...row, in: ['web'] };
    case 'contact_attribute':
      return { ...row, key: 'email', op: 'exists' };
    case 'business_hours':
      return { ...row, op: 'closed' };
    case 'priority':
      return { ...row, in: ['urgent'] };
    case 'tags':
      return { ...row, op: 'any' };
    case 'assignee':
      return { ...row, op: 'absent' };
    case 'waiting_time':
      return { ...row, op: 'more_than', value: '30' };
    default:
      return row;
  }
}

export function newAction(type: ActionType = 'add_tags'): ActionRow {
  const row: ActionRow = { rid: rid(), type, value: '', runStrategy: true, unit: 'min' };
  if (type === 'set_priority') return { ...row, value: 'high' };
  if (type === 'set_status') return { ...row, value: 'solved' };
  if (type === 'snooze') return { ...row, value: '1', unit: 'h' };
  return row;
}

function triggerRow(t: AutomationTrigger): TriggerRow {
  const row = newTrigger(t.kind);
  if (t.kind === 'message_received') return { ...row, first: t.first === true };
  if (t.kind === 'ticket_updated') return { ...row, fields: (t.fields ?? []).join(', ') };
  if (t.kind === 'sla_breached') return { ...row, metric: t.metric ?? '' };
  if (t.kind === 'conversation_idle') return { ...row, ...toAmount(t.minutes) };
  return row;
}

function conditionRow(c: AutomationCondition): ConditionRow {
  const row = { ...newCondition(c.kind), op: '', value: '', key: '', in: [] as string[] };
  switch (c.kind) {
    case 'channel':
    case 'inbox':
    case 'priority':
      return { ...row, in: [...c.in] };
    case 'language':
      return { ...row, value: c.in.join(', ') };
    case 'text':
      return { ...row, op: c.op, value: c.value };
    case 'contact_attribute':
      return { ...row, key: c.key, op: c.op, value: c.value ?? '' };
    case 'business_hours':
      return { ...row, op: c.open ? 'open' : 'closed' };
    case 'tags':
      return { ...row, op: c.op, value: c.tags.join(', ') };
    case 'assignee':
      return { ...row, op: c.present ? 'present' : 'absent' };
    case 'waiting_time': {
      const { amount, unit } = toAmount(c.minutes || 1);
      return { ...row, op: c.op, value: c.minutes === 0 ? '0' : amount, unit: c.minutes === 0 ? 'min' : unit };
    }
  }
}

export function actionRow(a: AutomationAction): ActionRow {
  const row = { ...newAction(a.type), value: '' };
  switch (a.type) {
    case 'assign_agent':
      return { ...row, value: a.agentId ?? '' };
    case 'assign_team':
      return { ...row, value: a.teamId, runStrategy: a.runStrategy !== false };
    case 'add_tags':
    case 'remove_tags':
      return { ...row, value: a.tags.join(', ') };
    case 'set_priority':
      return { ...row, value: a.priority };
    case 'set_status':
      return { ...row, value: a.status };
    case 'auto_reply':
    case 'add_note':
      return { ...row, value: a.text };
    case 'send_webhook':
      return { ...row, value: a.webhookId };
    case 'snooze':
      return { ...row, value: toAmount(a.minutes).amount, unit: toAmount(a.minutes).unit };
    case 'close':
      return row;
  }
}

/** The editor's state for a rule, or a new rule (one empty action to start from). */
export function ruleForm(r?: Pick<AutomationRuleView, 'name' | 'enabled' | 'trigger' | 'match' | 'conditions' | 'actions'>): RuleForm {
  if (!r) return { name: '', enabled: true, trigger: newTrigger(), match: 'all', conditions: [], actions: [newAction()] };
  return { name: r.name, enabled: r.enabled, trigger: triggerRow(r.trigger), match: r.match, conditions: r.conditions.map(conditionRow), actions: r.actions.map(actionRow) };
}

export function macroForm(m?: Pick<MacroView, 'name' | 'actions'>): MacroForm {
  return m ? { name: m.name, actions: m.actions.map(actionRow) } : { name: '', actions: [newAction('auto_reply')] };
}

// ---- form → payload, with the server's checks ---------------------------------------------------

function checkName(name: string, errors: FieldErrors): string {
  const n = name.trim();
  if (!n) errors['/name'] = t('e.name');
  else if (n.length > 120) errors['/name'] = t('e.nameLong');
  return n;
}

function tagsOf(value: string, path: string, errors: FieldErrors): string[] {
  const tags = splitList(value);
  if (tags.length === 0) errors[path] = t('e.noTag');
  else if (tags.length > 20) errors[path] = t('e.manyTags');
  else if (tags.some((tag) => tag.length > 60)) errors[path] = t('e.tagLong');
  return tags;
}

function triggerBody(tr: TriggerRow, errors: FieldErrors): AutomationTrigger {
  switch (tr.kind) {
    case 'message_received':
      return tr.first ? { kind: tr.kind, first: true } : { kind: tr.kind };
    case 'ticket_updated': {
      const fields = splitList(tr.fields);
      if (fields.length > 20) errors['/trigger/fields'] = t('e.manyFields');
      return fields.length ? { kind: tr.kind, fields } : { kind: tr.kind };
    }
    case 'sla_breached':
      return tr.metric ? { kind: tr.kind, metric: tr.metric as (typeof METRICS)[number] } : { kind: tr.kind };
    case 'conversation_idle': {
      const minutes = fromAmount(tr.amount, tr.unit, 1, 43_200);
      if (minutes === null) errors['/trigger/minutes'] = t('e.quiet');
      return { kind: tr.kind, minutes: minutes ?? 1 };
    }
    default:
      return { kind: tr.kind };
  }
}

function conditionBody(c: ConditionRow, i: number, errors: FieldErrors): AutomationCondition {
  const at = `/conditions/${i}`;
  switch (c.kind) {
    case 'channel':
    case 'inbox':
    case 'priority':
      if (c.in.length === 0) errors[`${at}/in`] = t(`e.in.${c.kind}`);
      return { kind: c.kind, in: c.in } as AutomationCondition;
    case 'text': {
      const value = c.value;
      if (!value.trim()) errors[`${at}/value`] = t(c.op === 'matches' ? 'e.pattern' : 'e.words');
      else if (value.length > 500) errors[`${at}/value`] = t('e.long500');
      else if (c.op === 'matches' && !isPattern(value)) errors[`${at}/value`] = t('e.badPattern', { v: value });
      return { kind: 'text', op: c.op as 'contains' | 'matches', value };
    }
    case 'language': {
      const langs = splitList(c.value).map((l) => l.replace('_', '-'));
      if (langs.length === 0) errors[`${at}/in`] = t('e.noLang');
      else if (langs.some((l) => !/^[a-z]{2,3}(-[A-Za-z0-9]+)?$/.test(l))) errors[`${at}/in`] = t('e.badLang');
      return { kind: 'language', in: langs };
    }
    case 'contact_attribute': {
      const key = c.key.trim();
      if (!key) errors[`${at}/key`] = t('e.key');
      const op = c.op as 'equals' | 'contains' | 'exists' | 'missing';
      if ((op === 'equals' || op === 'contains') && !c.value.trim()) errors[`${at}/value`] = t('e.needValue', { op });
      return op === 'equals' || op === 'contains' ? { kind: 'contact_attribute', key, op, value: c.value.trim() } : { kind: 'contact_attribute', key, op };
    }
    case 'business_hours':
      return { kind: 'business_hours', open: c.op === 'open' };
    case 'tags':
      return { kind: 'tags', op: c.op as 'any' | 'all' | 'none', tags: tagsOf(c.value, `${at}/tags`, errors) };
    case 'assignee':
      return { kind: 'assignee', present: c.op === 'present' };
    case 'waiting_time': {
      const minutes = fromAmount(c.value, c.unit, 0, 525_600);
      if (minutes === null) errors[`${at}/minutes`] = t('e.wait');
      return { kind: 'waiting_time', op: c.op as 'more_than' | 'less_than', minutes: minutes ?? 0 };
    }
  }
}

function actionBody(a: ActionRow, i: number, errors: FieldErrors, base: string): AutomationAction {
  const at = `${base}/${i}`;
  const need = (field: string, sentence: string) => {
    if (!a.value.trim()) errors[`${at}/${field}`] = sentence;
    return a.value.trim();
  };
  switch (a.type) {
    case 'assign_agent':
      return { type: a.type, agentId: a.value || null };
    case 'assign_team':
      return { type: a.type, teamId: need('teamId', t('e.team')), ...(a.runStrategy ? {} : { runStrategy: false }) };
    case 'add_tags':
    case 'remove_tags':
      return { type: a.type, tags: tagsOf(a.value, `${at}/tags`, errors) };
    case 'set_priority':
      return { type: a.type, priority: need('priority', t('e.priority')) as (typeof PRIORITIES)[number] };
    case 'set_status':
      return { type: a.type, status: need('status', t('e.status')) as (typeof STATUSES)[number] };
    case 'auto_reply':
    case 'add_note': {
      const text = need('text', t(a.type === 'auto_reply' ? 'e.reply' : 'e.note'));
      if (text.length > 5000) errors[`${at}/text`] = t('e.long5000');
      return { type: a.type, text };
    }
    case 'send_webhook':
      return { type: a.type, webhookId: need('webhookId', t('e.webhook')) };
    case 'snooze': {
      const minutes = fromAmount(a.value, a.unit, 1, 525_600);
      if (minutes === null) errors[`${at}/minutes`] = t('e.snooze');
      return { type: a.type, minutes: minutes ?? 1 };
    }
    case 'close':
      return { type: a.type };
  }
}

/** The actions as the server takes them; at least one, at most 20. */
export function actionsBody(rows: ActionRow[], errors: FieldErrors, base = '/actions'): AutomationAction[] {
  if (rows.length === 0) errors[base] = t('e.noAction');
  else if (rows.length > MAX_ACTIONS) errors[base] = t('e.manyActions', { n: MAX_ACTIONS });
  return rows.map((a, i) => actionBody(a, i, errors, base));
}

/** The rule as POST/PATCH take it, or every field to fix. */
export function ruleBody(f: RuleForm): Checked<AutomationRuleCreate> {
  const errors: FieldErrors = {};
  const name = checkName(f.name, errors);
  const trigger = triggerBody(f.trigger, errors);
  if (f.conditions.length > MAX_CONDITIONS) errors['/conditions'] = t('e.manyConditions', { n: MAX_CONDITIONS });
  const conditions = f.conditions.map((c, i) => conditionBody(c, i, errors));
  const actions = actionsBody(f.actions, errors);
  if (Object.keys(errors).length) return { ok: false, errors };
  return { ok: true, body: { name, enabled: f.enabled, trigger, match: f.match, conditions, actions } };
}

export function macroBody(f: MacroForm): Checked<MacroCreate> {
  const errors: FieldErrors = {};
  const name = checkName(f.name, errors);
  const actions = actionsBody(f.actions, errors);
  return Object.keys(errors).length ? { ok: false, errors } : { ok: true, body: { name, actions } };
}

function isPattern(source: string): boolean {
  try {
    new RegExp(source, 'i');
    return true;
  } catch {
    return false;
  }
}

// ---- the server's refusals at the right field ---------------------------------------------------

/** The paths the editor shows errors at, for this form (the rows' own fields, then each row). */
export function fieldPaths(f: { trigger?: TriggerRow; conditions?: ConditionRow[]; actions: ActionRow[] }): string[] {
  const paths = ['/name', '/trigger/minutes', '/trigger/fields', '/conditions', '/actions'];
  f.conditions?.forEach((c, i) => paths.push(...['in', 'value', 'key', 'tags', 'minutes'].map((k) => `/conditions/${i}/${k}`), `/conditions/${i}`));
  f.actions.forEach((_a, i) => paths.push(...['agentId', 'teamId', 'tags', 'priority', 'status', 'text', 'webhookId', 'minutes'].map((k) => `/actions/${i}/${k}`), `/actions/${i}`));
  return paths;
}

/**
 * Places a refusal (SB_ERR_AUTOMATION_INVALID with `details.path`, or SB_ERR_VALIDATION with a
 * list of `{ path, message }`) at the deepest field the editor shows; what fits nowhere is general.
 */
export function placeServerError(err: { message: string; details?: unknown }, paths: string[]): { fields: FieldErrors; general: string | null } {
  const known = new Set(paths);
  const d = err.details as { path?: unknown } | { path?: unknown }[] | undefined;
  const found = (Array.isArray(d) ? d : d ? [d] : []).map((x) => x?.path).filter((p): p is string => typeof p === 'string');
  const fields: FieldErrors = {};
  for (const path of found) {
    let p = path;
    while (p && !known.has(p)) p = p.slice(0, p.lastIndexOf('/'));
    if (p && !fields[p]) fields[p] = err.message;
  }
  return { fields, general: Object.keys(fields).length ? null : err.message };
}

/** The list with the item at `i` moved by `delta` (−1 up, +1 down); unchanged at the ends. */
export function move<T>(list: readonly T[], i: number, delta: number): T[] {
  const j = i + delta;
  if (i < 0 || i >= list.length || j < 0 || j >= list.length) return [...list];
  const out = [...list];
  [out[i], out[j]] = [out[j]!, out[i]!];
  return out;
}
