import type { AutomationAction, AutomationCondition, AutomationDryRun, AutomationRuleView, AutomationTrigger } from '@switchboard/contracts';
import { t } from '../i18n/automation.js';
import type { ActionType, ConditionKind, TriggerKind } from './rule-form.js';

/** Rules, conditions, actions and their results in words, as the admin and agents read them. */

/** Names of the team's agents, teams, webhooks and inboxes by id; unknown ids read as such. */
export interface Names {
  agent?(id: string): string | undefined;
  team?(id: string): string | undefined;
  webhook?(id: string): string | undefined;
  inbox?(id: string): string | undefined;
}

/** Names in the console's language, for selects and sentences. */
export const triggerName = (k: TriggerKind): string => t(`trigger.${k}`);
export const conditionName = (k: ConditionKind): string => t(`cond.${k}`);
export const actionName = (k: ActionType): string => t(`action.${k}`);

/** Channel names as the conditions show them (the page's own labels stay out of the admin chunks). */
const CHANNEL_NAMES: Record<string, string> = { telegram: 'Telegram', whatsapp: 'WhatsApp', 'whatsapp-web': 'WhatsApp Web', instagram: 'Instagram', slack: 'Slack' };
export const channelName = (c: string): string => (c === 'web' || c === 'email' ? t(`ch.${c}`) : (CHANNEL_NAMES[c] ?? c));
export const metricName = (m: string): string => (m === 'first_response' || m === 'next_response' || m === 'resolution' ? t(`metric.${m}`) : m);
export const statusName = (s: string): string => (s in STATUS_KEYS ? t(`status.${s as keyof typeof STATUS_KEYS}`) : s);
export const priorityName = (p: string): string => (p === 'low' || p === 'normal' || p === 'high' || p === 'urgent' ? t(`prio.${p}`) : p);
const STATUS_KEYS = { new: 1, open: 1, pending: 1, on_hold: 1, solved: 1, closed: 1 };

/** The placeholders a reply or note may use (docs/automation.md). */
export const PLACEHOLDERS = ['{{contact.name}}', '{{contact.email}}', '{{contact.phone}}', '{{contact.handle}}', '{{contact.<attribute>}}', '{{ticket.number}}'];

/** 45 → "45 min", 120 → "2 h", 150 → "2 h 30 min", 2880 → "2 days". */
export function durationText(minutes: number): string {
  if (minutes > 0 && minutes % 1440 === 0) return t('days', { count: minutes / 1440 });
  if (minutes < 60) return t('dur.m', { m: minutes });
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return t(m ? 'dur.hm' : 'dur.h', { h, m });
}

/** "just now", "5 min ago", "2 h ago", "3 days ago". */
export function agoText(iso: string, now: number): string {
  const minutes = Math.floor((now - Date.parse(iso)) / 60_000);
  if (Number.isNaN(minutes)) return '';
  if (minutes < 1) return t('justNow');
  if (minutes < 60) return t('minAgo', { n: minutes });
  if (minutes < 1440) return t('hAgo', { n: Math.floor(minutes / 60) });
  return t('daysAgo', { days: t('days', { count: Math.floor(minutes / 1440) }) });
}

const list = (xs: string[]) => (xs.length <= 1 ? (xs[0] ?? '') : t('or', { list: xs.slice(0, -1).join(', '), last: xs[xs.length - 1]! }));
const quote = (s: string) => `“${s.length > 40 ? `${s.slice(0, 39)}…` : s}”`;

export function triggerText(tr: AutomationTrigger): string {
  switch (tr.kind) {
    case 'message_received':
      return tr.first ? t('firstMessage') : triggerName(tr.kind);
    case 'ticket_updated':
      return tr.fields?.length ? t('fieldsChange', { fields: list(tr.fields) }) : triggerName(tr.kind);
    case 'sla_breached':
      return tr.metric ? t('metricMissed', { metric: metricName(tr.metric) }) : triggerName(tr.kind);
    case 'conversation_idle':
      return t('quietFor', { d: durationText(tr.minutes) });
    default:
      return triggerName(tr.kind);
  }
}

export function conditionText(c: AutomationCondition, names: Names = {}): string {
  switch (c.kind) {
    case 'text':
      return c.op === 'contains' ? t('c.contains', { v: quote(c.value) }) : t('c.matches', { v: c.value });
    case 'channel':
      return t('c.channel', { list: list(c.in.map(channelName)) });
    case 'inbox':
      return t('c.inbox', { list: list(c.in.map((id) => names.inbox?.(id) ?? t('c.goneInbox'))) });
    case 'language':
      return t('c.language', { list: list(c.in) });
    case 'contact_attribute':
      if (c.op === 'exists') return t('c.attrSet', { key: c.key });
      if (c.op === 'missing') return t('c.attrMissing', { key: c.key });
      return t(c.op === 'equals' ? 'c.attrIs' : 'c.attrContains', { key: c.key, v: quote(c.value ?? '') });
    case 'business_hours':
      return t(c.open ? 'op.open' : 'op.closed');
    case 'priority':
      return t('c.priority', { list: list(c.in.map(priorityName)) });
    case 'tags':
      return t(`c.tags.${c.op}`, { tags: c.tags.join(', ') });
    case 'assignee':
      return t(c.present ? 'op.present' : 'op.absent');
    case 'waiting_time':
      return t(c.op === 'more_than' ? 'c.waitMore' : 'c.waitLess', { d: durationText(c.minutes) });
  }
}

export function actionText(a: AutomationAction, names: Names = {}): string {
  switch (a.type) {
    case 'assign_agent':
      return a.agentId ? t('a.assign', { name: names.agent?.(a.agentId) ?? t('a.goneAgent') }) : t('a.unassign');
    case 'assign_team':
      return t(a.runStrategy === false ? 'a.team' : 'a.teamStrategy', { name: names.team?.(a.teamId) ?? t('a.goneTeam') });
    case 'add_tags':
    case 'remove_tags':
      return t(a.type === 'add_tags' ? 'a.addTags' : 'a.removeTags', { count: a.tags.length, tags: a.tags.join(', ') });
    case 'set_priority':
      return t('a.priority', { p: priorityName(a.priority) });
    case 'set_status':
      return t('a.status', { s: statusName(a.status) });
    case 'auto_reply':
      return t('a.reply', { v: quote(a.text) });
    case 'add_note':
      return t('a.note', { v: quote(a.text) });
    case 'send_webhook':
      return t('a.webhook', { name: names.webhook?.(a.webhookId) ?? t('a.goneHook') });
    case 'snooze':
      return t('a.snooze', { d: durationText(a.minutes) });
    case 'close':
      return t('a.close');
  }
}

/** "If all of: the message contains “refund”; the channel is web" or "Always". */
export function conditionsText(rule: Pick<AutomationRuleView, 'match' | 'conditions'>, names: Names = {}): string {
  if (rule.conditions.length === 0) return t('always');
  if (rule.conditions.length === 1) return t('if', { c: conditionText(rule.conditions[0]!, names) });
  return t(rule.match === 'all' ? 'ifAll' : 'ifAny', { list: rule.conditions.map((c) => conditionText(c, names)).join('; ') });
}

export function actionsText(actions: AutomationAction[], names: Names = {}): string {
  const s = actions.map((a) => actionText(a, names)).join(t('then'));
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** "Never ran" or "Ran 12 times, last 2 h ago". */
export function statsText(stats: AutomationRuleView['stats'], now: number): string {
  if (stats.runs === 0 || !stats.lastRunAt) return t('neverRan');
  return t('ran', { count: stats.runs, ago: agoText(stats.lastRunAt, now) });
}

/** The dry run's answer in one sentence. */
export function dryRunVerdict(r: AutomationDryRun, enabled: boolean): string {
  if (!r.triggered) return t('dry.noTrigger');
  if (!r.matched) return t('dry.noMatch');
  const runs = r.actions.filter((a) => !a.skipped).length;
  const now = runs === r.actions.length ? t('dry.all') : t('dry.some', { runs, n: r.actions.length });
  return t(enabled ? 'dry.matches' : 'dry.matchesOff', { now });
}
