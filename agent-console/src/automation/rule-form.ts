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
  if (!n) errors['/name'] = 'Give it a name.';
  else if (n.length > 120) errors['/name'] = 'A name has at most 120 characters.';
  return n;
}

function tagsOf(value: string, path: string, errors: FieldErrors): string[] {
  const tags = splitList(value);
  if (tags.length === 0) errors[path] = 'Name at least one tag (several: separate them with commas).';
  else if (tags.length > 20) errors[path] = 'At most 20 tags.';
  else if (tags.some((t) => t.length > 60)) errors[path] = 'A tag has at most 60 characters.';
  return tags;
}

function triggerBody(t: TriggerRow, errors: FieldErrors): AutomationTrigger {
  switch (t.kind) {
    case 'message_received':
      return t.first ? { kind: t.kind, first: true } : { kind: t.kind };
    case 'ticket_updated': {
      const fields = splitList(t.fields);
      if (fields.length > 20) errors['/trigger/fields'] = 'At most 20 fields.';
      return fields.length ? { kind: t.kind, fields } : { kind: t.kind };
    }
    case 'sla_breached':
      return t.metric ? { kind: t.kind, metric: t.metric as (typeof METRICS)[number] } : { kind: t.kind };
    case 'conversation_idle': {
      const minutes = fromAmount(t.amount, t.unit, 1, 43_200);
      if (minutes === null) errors['/trigger/minutes'] = 'A quiet time from 1 minute to 30 days, in whole minutes.';
      return { kind: t.kind, minutes: minutes ?? 1 };
    }
    default:
      return { kind: t.kind };
  }
}

function conditionBody(c: ConditionRow, i: number, errors: FieldErrors): AutomationCondition {
  const at = `/conditions/${i}`;
  switch (c.kind) {
    case 'channel':
    case 'inbox':
    case 'priority':
      if (c.in.length === 0) errors[`${at}/in`] = `Choose at least one ${c.kind}.`;
      return { kind: c.kind, in: c.in } as AutomationCondition;
    case 'text': {
      const value = c.value;
      if (!value.trim()) errors[`${at}/value`] = c.op === 'matches' ? 'Type the pattern to look for.' : 'Type the words to look for.';
      else if (value.length > 500) errors[`${at}/value`] = 'At most 500 characters.';
      else if (c.op === 'matches' && !isPattern(value)) errors[`${at}/value`] = `"${value}" is not a valid regular expression.`;
      return { kind: 'text', op: c.op as 'contains' | 'matches', value };
    }
    case 'language': {
      const langs = splitList(c.value).map((l) => l.replace('_', '-'));
      if (langs.length === 0) errors[`${at}/in`] = 'Name at least one language code (en, ru, de-AT…).';
      else if (langs.some((l) => !/^[a-z]{2,3}(-[A-Za-z0-9]+)?$/.test(l))) errors[`${at}/in`] = 'Language codes look like en, ru or de-AT, in lower case.';
      return { kind: 'language', in: langs };
    }
    case 'contact_attribute': {
      const key = c.key.trim();
      if (!key) errors[`${at}/key`] = 'Name the attribute (name, email, phone, handle, or one the widget sets).';
      const op = c.op as 'equals' | 'contains' | 'exists' | 'missing';
      if ((op === 'equals' || op === 'contains') && !c.value.trim()) errors[`${at}/value`] = `"${op}" needs a value to compare with.`;
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
      if (minutes === null) errors[`${at}/minutes`] = 'A waiting time up to a year, in whole minutes.';
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
      return { type: a.type, teamId: need('teamId', 'Choose a team.'), ...(a.runStrategy ? {} : { runStrategy: false }) };
    case 'add_tags':
    case 'remove_tags':
      return { type: a.type, tags: tagsOf(a.value, `${at}/tags`, errors) };
    case 'set_priority':
      return { type: a.type, priority: need('priority', 'Choose a priority.') as (typeof PRIORITIES)[number] };
    case 'set_status':
      return { type: a.type, status: need('status', 'Choose a status.') as (typeof STATUSES)[number] };
    case 'auto_reply':
    case 'add_note': {
      const text = need('text', a.type === 'auto_reply' ? 'Write the reply.' : 'Write the note.');
      if (text.length > 5000) errors[`${at}/text`] = 'At most 5000 characters.';
      return { type: a.type, text };
    }
    case 'send_webhook':
      return { type: a.type, webhookId: need('webhookId', 'Choose a webhook subscription.') };
    case 'snooze': {
      const minutes = fromAmount(a.value, a.unit, 1, 525_600);
      if (minutes === null) errors[`${at}/minutes`] = 'Snooze for 1 minute to a year, in whole minutes.';
      return { type: a.type, minutes: minutes ?? 1 };
    }
    case 'close':
      return { type: a.type };
  }
}

/** The actions as the server takes them; at least one, at most 20. */
export function actionsBody(rows: ActionRow[], errors: FieldErrors, base = '/actions'): AutomationAction[] {
  if (rows.length === 0) errors[base] = 'Add at least one action.';
  else if (rows.length > MAX_ACTIONS) errors[base] = `At most ${MAX_ACTIONS} actions.`;
  return rows.map((a, i) => actionBody(a, i, errors, base));
}

/** The rule as POST/PATCH take it, or every field to fix. */
export function ruleBody(f: RuleForm): Checked<AutomationRuleCreate> {
  const errors: FieldErrors = {};
  const name = checkName(f.name, errors);
  const trigger = triggerBody(f.trigger, errors);
  if (f.conditions.length > MAX_CONDITIONS) errors['/conditions'] = `At most ${MAX_CONDITIONS} conditions.`;
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
