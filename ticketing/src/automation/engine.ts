/**
 * The pure core of automation: does a trigger fire for an event, do the conditions hold for the
 * facts of a conversation, and which actions would run, in order, with their texts filled in.
 * Nothing here reads a store, the clock or the network: the runner gathers the facts, the
 * executor applies the plan, and a dry run is this plan without the executor.
 */
import type { AutomationAction, AutomationCondition, AutomationTrigger, AutomationTriggerKind, Channel, TicketPriority, TicketStatus } from '@switchboard/contracts';

/** Something that happened, as rules see it. */
export interface TriggerEvent {
  kind: AutomationTriggerKind;
  /** The domain event's id (or the idle sweeper's key): with the rule id, a run's idempotency key. */
  id: string;
  /** message_received: the conversation's first customer message. */
  first?: boolean;
  /** ticket_updated: the fields that changed. */
  changedFields?: string[];
  /** The rule whose action caused this event (its actor was automation:<ruleId>), if any. */
  causedByRuleId?: string | null;
  /** sla_breached: which clock. */
  metric?: string;
  /** conversation_idle: minutes since the last message. */
  idleMinutes?: number;
}

/** What conditions and templates look at: one conversation (and its ticket) at one moment. */
export interface Facts {
  now: Date;
  hasConversation: boolean;
  channel: Channel | null;
  inboxId: string | null;
  /** The triggering message's text, else the customer's latest message's. */
  text: string | null;
  /** That message's mark when it is an auto-reply, bounce or list mail. */
  noise: string | null;
  contact: { name?: string; email?: string; phone?: string; handle?: string; attributes?: Record<string, string> } | null;
  businessHoursOpen: boolean;
  assigneeId: string | null;
  waitingSince: Date | null;
  ticket: { number: number; status: TicketStatus; priority: TicketPriority; tags: string[]; assigneeId: string | null } | null;
}

export interface RuleLike {
  _id: string;
  trigger: AutomationTrigger;
  match: 'all' | 'any';
  conditions: AutomationCondition[];
  actions: AutomationAction[];
}

export interface ConditionResult {
  index: number;
  kind: string;
  passed: boolean;
  detail: string;
}

export interface PlannedAction {
  index: number;
  action: AutomationAction;
  type: string;
  description: string;
  /** Why it would not run; absent = it runs. */
  skipped?: string;
  /** auto_reply and add_note: the text with its placeholders filled. */
  text?: string;
}

/** Whether `trigger` fires for `event`. A rule's own actions never trigger it again. */
export function triggerFires(ruleId: string, trigger: AutomationTrigger, event: TriggerEvent): { fires: boolean; why: string } {
  if (trigger.kind !== event.kind) return { fires: false, why: `the rule waits for ${trigger.kind}, this is ${event.kind}` };
  if (event.causedByRuleId === ruleId) return { fires: false, why: "the event was caused by this rule's own action" };
  switch (trigger.kind) {
    case 'message_received':
      if (trigger.first && !event.first) return { fires: false, why: "not the conversation's first customer message" };
      return { fires: true, why: 'a customer message arrived' };
    case 'ticket_updated': {
      const changed = event.changedFields ?? [];
      if (trigger.fields && !trigger.fields.some((f) => changed.includes(f))) return { fires: false, why: `none of ${trigger.fields.join(', ')} changed` };
      return { fires: true, why: `the ticket changed (${changed.join(', ') || 'no fields'})` };
    }
    case 'sla_breached':
      if (trigger.metric && trigger.metric !== event.metric) return { fires: false, why: `the ${event.metric ?? 'unknown'} clock ran out, not ${trigger.metric}` };
      return { fires: true, why: `the ${event.metric ?? ''} SLA clock ran out` };
    case 'conversation_idle':
      if ((event.idleMinutes ?? 0) < trigger.minutes) return { fires: false, why: `idle for ${event.idleMinutes ?? 0} of ${trigger.minutes} minutes` };
      return { fires: true, why: `no message for ${event.idleMinutes} minutes` };
    default:
      return { fires: true, why: trigger.kind.replace('_', ' ') };
  }
}

export function evaluate(rule: Pick<RuleLike, 'match' | 'conditions'>, facts: Facts): { matched: boolean; conditions: ConditionResult[] } {
  const conditions = rule.conditions.map((c, index) => ({ index, kind: c.kind, ...check(c, facts) }));
  if (conditions.length === 0) return { matched: true, conditions };
  const matched = rule.match === 'any' ? conditions.some((c) => c.passed) : conditions.every((c) => c.passed);
  return { matched, conditions };
}

function check(c: AutomationCondition, f: Facts): { passed: boolean; detail: string } {
  switch (c.kind) {
    case 'channel':
      return result(f.channel !== null && c.in.includes(f.channel), `channel is ${f.channel ?? 'unknown'}`);
    case 'inbox':
      return result(f.inboxId !== null && c.in.includes(f.inboxId), `inbox is ${f.inboxId ?? 'unknown'}`);
    case 'text': {
      const text = f.text ?? '';
      if (c.op === 'contains') return result(text.toLowerCase().includes(c.value.toLowerCase()), `text ${text ? 'is' : 'is empty'} ${quote(text)}`);
      const re = safeRegExp(c.value);
      return result(re !== null && re.test(text), re ? `text ${quote(text)}` : 'the pattern is not a valid regular expression');
    }
    case 'language': {
      const lang = languageOf(f);
      return result(lang !== null && c.in.some((l) => l === lang || l.split('-')[0] === lang), `language is ${lang ?? 'unknown'}`);
    }
    case 'contact_attribute': {
      const value = contactValue(f, c.key);
      if (c.op === 'exists') return result(value !== undefined, value !== undefined ? `${c.key} is set` : `${c.key} is not set`);
      if (c.op === 'missing') return result(value === undefined, value !== undefined ? `${c.key} is set` : `${c.key} is not set`);
      const want = (c.value ?? '').toLowerCase();
      const have = (value ?? '').toLowerCase();
      const passed = value !== undefined && (c.op === 'equals' ? have === want : have.includes(want));
      return result(passed, `${c.key} is ${value === undefined ? 'not set' : quote(value)}`);
    }
    case 'business_hours':
      return result(f.businessHoursOpen === c.open, f.businessHoursOpen ? 'within business hours' : 'outside business hours');
    case 'priority':
      return result(f.ticket !== null && c.in.includes(f.ticket.priority), f.ticket ? `priority is ${f.ticket.priority}` : 'no ticket');
    case 'tags': {
      const tags = f.ticket?.tags ?? [];
      const has = (t: string) => tags.includes(t);
      const passed = c.op === 'any' ? c.tags.some(has) : c.op === 'all' ? c.tags.every(has) : !c.tags.some(has);
      return result(passed, f.ticket ? `tags are ${tags.length ? tags.join(', ') : 'none'}` : 'no ticket (no tags)');
    }
    case 'assignee': {
      const assignee = f.ticket?.assigneeId ?? f.assigneeId;
      return result(Boolean(assignee) === c.present, assignee ? 'someone is assigned' : 'nobody is assigned');
    }
    case 'waiting_time': {
      const minutes = f.waitingSince ? Math.floor((f.now.getTime() - f.waitingSince.getTime()) / 60_000) : 0;
      const passed = f.waitingSince !== null && (c.op === 'more_than' ? minutes > c.minutes : minutes < c.minutes);
      return result(passed, f.waitingSince ? `the customer has waited ${minutes} minutes` : 'the customer is not waiting');
    }
  }
}

const result = (passed: boolean, detail: string) => ({ passed, detail });
const quote = (s: string) => `"${s.length > 60 ? `${s.slice(0, 59)}…` : s}"`;

function safeRegExp(source: string): RegExp | null {
  try {
    return new RegExp(source, 'i');
  } catch {
    return null;
  }
}

/** Whether a rule's text pattern compiles (checked when a rule is saved). */
export function isValidPattern(source: string): boolean {
  return safeRegExp(source) !== null;
}

function contactValue(f: Facts, key: string): string | undefined {
  const c = f.contact;
  if (!c) return undefined;
  const builtin = key === 'name' || key === 'email' || key === 'phone' || key === 'handle' ? c[key] : undefined;
  const value = builtin ?? c.attributes?.[key];
  return value === undefined || value === '' ? undefined : value;
}

/**
 * The conversation's language: the contact's `language` (or `locale`) attribute when the widget set
 * one, else guessed from the writing system of the text (Cyrillic ru, Greek el, Arabic ar, Hebrew
 * he, Hangul ko, kana ja, Han zh, Latin en). Latin text counts as English: rules for other Latin
 * languages should use the attribute.
 */
export function languageOf(f: Pick<Facts, 'contact' | 'text'>): string | null {
  const attr = f.contact?.attributes?.language ?? f.contact?.attributes?.locale;
  if (attr) return attr.toLowerCase().split(/[-_]/)[0] ?? null;
  return detectScriptLanguage(f.text ?? '');
}

const SCRIPTS: [RegExp, string][] = [
  [/\p{Script=Cyrillic}/gu, 'ru'],
  [/\p{Script=Greek}/gu, 'el'],
  [/\p{Script=Arabic}/gu, 'ar'],
  [/\p{Script=Hebrew}/gu, 'he'],
  [/\p{Script=Hangul}/gu, 'ko'],
  [/[\p{Script=Hiragana}\p{Script=Katakana}]/gu, 'ja'],
  [/\p{Script=Han}/gu, 'zh'],
  [/\p{Script=Latin}/gu, 'en'],
];

export function detectScriptLanguage(text: string): string | null {
  let best: string | null = null;
  let count = 0;
  for (const [re, lang] of SCRIPTS) {
    const n = text.match(re)?.length ?? 0;
    // Kana beats Han: Japanese text mixes both.
    if (n > count || (lang === 'ja' && n > 0 && best === 'zh')) {
      best = lang;
      count = Math.max(n, count);
    }
  }
  return best;
}

/** {{contact.name}}, {{contact.<attribute>}}, {{ticket.number}}; unknown placeholders become empty. */
export function render(template: string, f: Facts): string {
  return template.replace(/\{\{\s*([a-zA-Z]+)\.([a-zA-Z0-9_]+)\s*\}\}/g, (_m, scope: string, key: string) => {
    if (scope === 'contact') return contactValue(f, key) ?? '';
    if (scope === 'ticket' && key === 'number' && f.ticket) return String(f.ticket.number);
    return '';
  });
}

const TICKET_ACTIONS = new Set(['assign_team', 'add_tags', 'remove_tags', 'set_priority', 'set_status', 'add_note']);
const CONVERSATION_ACTIONS = new Set(['assign_agent', 'auto_reply', 'snooze', 'close']);

/**
 * The actions in order, each with what it would do or why it would not. `automated` is true for
 * rules (auto-replies never answer auto-replies or bounces) and false for an agent's macro.
 */
export function plan(actions: AutomationAction[], f: Facts, automated: boolean): PlannedAction[] {
  return actions.map((action, index) => {
    const base = { index, action, type: action.type, description: describe(action) };
    if (CONVERSATION_ACTIONS.has(action.type) && !f.hasConversation) return { ...base, skipped: 'there is no conversation' };
    if (TICKET_ACTIONS.has(action.type) && !f.ticket) return { ...base, skipped: 'the conversation has no ticket' };
    if (action.type === 'auto_reply') {
      if (automated && f.noise) return { ...base, skipped: `the customer's message is ${f.noise === 'list' ? 'list mail' : `an ${f.noise}`}; automation never answers those` };
      const text = render(action.text, f);
      return text.trim() ? { ...base, text, description: `reply "${text}"` } : { ...base, skipped: 'the reply is empty once its placeholders are filled' };
    }
    if (action.type === 'add_note') return { ...base, text: render(action.text, f), description: `add the note "${render(action.text, f)}"` };
    return base;
  });
}

function describe(a: AutomationAction): string {
  switch (a.type) {
    case 'assign_agent':
      return a.agentId ? `assign to agent ${a.agentId}` : 'unassign';
    case 'assign_team':
      return `move to team ${a.teamId}${a.runStrategy === false ? '' : " and let the team's strategy pick an agent"}`;
    case 'add_tags':
      return `add tags ${a.tags.join(', ')}`;
    case 'remove_tags':
      return `remove tags ${a.tags.join(', ')}`;
    case 'set_priority':
      return `set priority ${a.priority}`;
    case 'set_status':
      return `set the ticket's status to ${a.status}`;
    case 'auto_reply':
      return 'reply';
    case 'add_note':
      return 'add a note';
    case 'send_webhook':
      return `send webhook ${a.webhookId}`;
    case 'snooze':
      return `snooze for ${a.minutes} minutes`;
    case 'close':
      return 'resolve the conversation and solve its ticket';
  }
}
