import type { AutomationAction, AutomationCondition, AutomationDryRun, AutomationRuleView, AutomationTrigger } from '@switchboard/contracts';
import type { ActionType, ConditionKind, TriggerKind } from './rule-form.js';

/** Rules, conditions, actions and their results in words, as the admin and agents read them. */

/** Names of the team's agents, teams, webhooks and inboxes by id; unknown ids read as such. */
export interface Names {
  agent?(id: string): string | undefined;
  team?(id: string): string | undefined;
  webhook?(id: string): string | undefined;
  inbox?(id: string): string | undefined;
}

export const TRIGGER_NAMES: Record<TriggerKind, string> = {
  message_received: 'A customer message arrives',
  conversation_created: 'A conversation starts',
  contact_created: 'A new contact writes for the first time',
  ticket_updated: 'A ticket changes',
  sla_breached: 'An SLA target is missed',
  conversation_idle: 'A conversation goes quiet',
};

export const CONDITION_NAMES: Record<ConditionKind, string> = {
  text: 'Message text',
  channel: 'Channel',
  inbox: 'Inbox',
  language: 'Language',
  contact_attribute: 'Contact attribute',
  business_hours: 'Business hours',
  priority: 'Ticket priority',
  tags: 'Ticket tags',
  assignee: 'Assignee',
  waiting_time: 'Customer waiting time',
};

export const ACTION_NAMES: Record<ActionType, string> = {
  assign_agent: 'Assign to an agent',
  assign_team: 'Move to a team',
  add_tags: 'Add tags',
  remove_tags: 'Remove tags',
  set_priority: 'Set priority',
  set_status: 'Set ticket status',
  auto_reply: 'Reply to the customer',
  add_note: 'Add an internal note',
  send_webhook: 'Send a webhook',
  snooze: 'Snooze the conversation',
  close: 'Resolve the conversation',
};

/** Channel names as the conditions show them (the page's own labels stay out of the admin chunks). */
export const CHANNEL_NAMES: Record<string, string> = { web: 'Website', email: 'Email', telegram: 'Telegram', whatsapp: 'WhatsApp', 'whatsapp-web': 'WhatsApp Web', instagram: 'Instagram', slack: 'Slack' };

export const METRIC_NAMES: Record<string, string> = { first_response: 'first response', next_response: 'next response', resolution: 'resolution' };
export const STATUS_NAMES: Record<string, string> = { new: 'new', open: 'open', pending: 'pending', on_hold: 'on hold', solved: 'solved', closed: 'closed' };

/** The placeholders a reply or note may use (docs/automation.md). */
export const PLACEHOLDERS = ['{{contact.name}}', '{{contact.email}}', '{{contact.phone}}', '{{contact.handle}}', '{{contact.<attribute>}}', '{{ticket.number}}'];

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

/** 45 → "45 min", 120 → "2 h", 150 → "2 h 30 min", 2880 → "2 days". */
export function durationText(minutes: number): string {
  if (minutes > 0 && minutes % 1440 === 0) return plural(minutes / 1440, 'day');
  if (minutes < 60) return `${minutes} min`;
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return m ? `${h} h ${m} min` : `${h} h`;
}

/** "just now", "5 min ago", "2 h ago", "3 days ago". */
export function agoText(iso: string, now: number): string {
  const minutes = Math.floor((now - Date.parse(iso)) / 60_000);
  if (Number.isNaN(minutes)) return '';
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min ago`;
  if (minutes < 1440) return `${Math.floor(minutes / 60)} h ago`;
  return `${plural(Math.floor(minutes / 1440), 'day')} ago`;
}

const list = (xs: string[]) => (xs.length <= 1 ? (xs[0] ?? '') : `${xs.slice(0, -1).join(', ')} or ${xs[xs.length - 1]}`);
const quote = (s: string) => `“${s.length > 40 ? `${s.slice(0, 39)}…` : s}”`;

export function triggerText(t: AutomationTrigger): string {
  switch (t.kind) {
    case 'message_received':
      return t.first ? 'A conversation’s first customer message arrives' : TRIGGER_NAMES[t.kind];
    case 'ticket_updated':
      return t.fields?.length ? `A ticket’s ${list(t.fields)} changes` : TRIGGER_NAMES[t.kind];
    case 'sla_breached':
      return t.metric ? `The ${METRIC_NAMES[t.metric]} target is missed` : TRIGGER_NAMES[t.kind];
    case 'conversation_idle':
      return `A conversation is quiet for ${durationText(t.minutes)}`;
    default:
      return TRIGGER_NAMES[t.kind];
  }
}

export function conditionText(c: AutomationCondition, names: Names = {}): string {
  switch (c.kind) {
    case 'text':
      return c.op === 'contains' ? `the message contains ${quote(c.value)}` : `the message matches /${c.value}/`;
    case 'channel':
      return `the channel is ${list(c.in.map((x) => CHANNEL_NAMES[x] ?? x))}`;
    case 'inbox':
      return `the inbox is ${list(c.in.map((id) => names.inbox?.(id) ?? 'an inbox no longer there'))}`;
    case 'language':
      return `the language is ${list(c.in)}`;
    case 'contact_attribute':
      if (c.op === 'exists') return `the contact’s ${c.key} is set`;
      if (c.op === 'missing') return `the contact’s ${c.key} is not set`;
      return `the contact’s ${c.key} ${c.op === 'equals' ? 'is' : 'contains'} ${quote(c.value ?? '')}`;
    case 'business_hours':
      return c.open ? 'within business hours' : 'outside business hours';
    case 'priority':
      return `the priority is ${list(c.in)}`;
    case 'tags':
      return `the ticket has ${c.op === 'none' ? 'none' : c.op} of the tags ${c.tags.join(', ')}`;
    case 'assignee':
      return c.present ? 'someone is assigned' : 'nobody is assigned';
    case 'waiting_time':
      return `the customer has waited ${c.op === 'more_than' ? 'more' : 'less'} than ${durationText(c.minutes)}`;
  }
}

export function actionText(a: AutomationAction, names: Names = {}): string {
  switch (a.type) {
    case 'assign_agent':
      return a.agentId ? `assign to ${names.agent?.(a.agentId) ?? 'an agent no longer on the team'}` : 'unassign';
    case 'assign_team':
      return `move to ${names.team?.(a.teamId) ?? 'a team no longer there'}${a.runStrategy === false ? '' : ' (its strategy picks an agent)'}`;
    case 'add_tags':
      return `add ${a.tags.length === 1 ? 'tag' : 'tags'} ${a.tags.join(', ')}`;
    case 'remove_tags':
      return `remove ${a.tags.length === 1 ? 'tag' : 'tags'} ${a.tags.join(', ')}`;
    case 'set_priority':
      return `set priority ${a.priority}`;
    case 'set_status':
      return `set the ticket ${STATUS_NAMES[a.status]}`;
    case 'auto_reply':
      return `reply ${quote(a.text)}`;
    case 'add_note':
      return `add the note ${quote(a.text)}`;
    case 'send_webhook':
      return `send a webhook to ${names.webhook?.(a.webhookId) ?? 'a subscription no longer there'}`;
    case 'snooze':
      return `snooze for ${durationText(a.minutes)}`;
    case 'close':
      return 'resolve the conversation';
  }
}

/** "If all of: the message contains “refund”; the channel is web" or "Always". */
export function conditionsText(rule: Pick<AutomationRuleView, 'match' | 'conditions'>, names: Names = {}): string {
  if (rule.conditions.length === 0) return 'Always';
  if (rule.conditions.length === 1) return `If ${conditionText(rule.conditions[0]!, names)}`;
  return `If ${rule.match === 'all' ? 'all' : 'any'} of: ${rule.conditions.map((c) => conditionText(c, names)).join('; ')}`;
}

export function actionsText(actions: AutomationAction[], names: Names = {}): string {
  const s = actions.map((a) => actionText(a, names)).join(', then ');
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** "Never ran" or "Ran 12 times, last 2 h ago". */
export function statsText(stats: AutomationRuleView['stats'], now: number): string {
  if (stats.runs === 0 || !stats.lastRunAt) return 'Never ran';
  return `Ran ${stats.runs === 1 ? 'once' : `${stats.runs} times`}, last ${agoText(stats.lastRunAt, now)}`;
}

/** The dry run's answer in one sentence. */
export function dryRunVerdict(r: AutomationDryRun, enabled: boolean): string {
  if (!r.triggered) return 'The trigger does not fit this conversation’s history, so the rule would not be asked.';
  if (!r.matched) return 'The trigger fits, but the conditions do not match: nothing would happen.';
  const runs = r.actions.filter((a) => !a.skipped).length;
  const now = `${runs === r.actions.length ? 'All' : `${runs} of ${r.actions.length}`} actions would run.`;
  return enabled ? `The rule matches. ${now}` : `The rule matches (it is off, so it would not run now). ${now}`;
}
