import { describe, expect, it } from 'vitest';
import type { AutomationAction, AutomationCondition } from '@switchboard/contracts';
import { detectScriptLanguage, evaluate, plan, render, triggerFires, type Facts } from './engine.js';

const now = new Date('2026-03-02T10:00:00Z');
const facts = (over: Partial<Facts> = {}): Facts => ({
  now,
  hasConversation: true,
  channel: 'telegram',
  inboxId: 'inbox-1',
  text: 'Where is my ORDER 5521?',
  noise: null,
  contact: { name: 'Olga', email: 'olga@example.com', attributes: { plan: 'gold' } },
  businessHoursOpen: true,
  assigneeId: null,
  waitingSince: new Date(now.getTime() - 20 * 60_000),
  ticket: { number: 1042, status: 'open', priority: 'normal', tags: ['vip', 'billing'], assigneeId: null },
  ...over,
});
const holds = (c: AutomationCondition, f = facts()) => evaluate({ match: 'all', conditions: [c] }, f).matched;

describe('triggers', () => {
  it('fire only for their own kind of event', () => {
    expect(triggerFires('r', { kind: 'conversation_created' }, { kind: 'conversation_created', id: 'e' }).fires).toBe(true);
    expect(triggerFires('r', { kind: 'contact_created' }, { kind: 'contact_created', id: 'e' }).fires).toBe(true);
    expect(triggerFires('r', { kind: 'contact_created' }, { kind: 'conversation_created', id: 'e' }).fires).toBe(false);
  });

  it('message received: every customer message, or only the first', () => {
    expect(triggerFires('r', { kind: 'message_received' }, { kind: 'message_received', id: 'e', first: false }).fires).toBe(true);
    expect(triggerFires('r', { kind: 'message_received', first: true }, { kind: 'message_received', id: 'e', first: false }).fires).toBe(false);
    expect(triggerFires('r', { kind: 'message_received', first: true }, { kind: 'message_received', id: 'e', first: true }).fires).toBe(true);
  });

  it('ticket updated: any change, or only changes of the named fields', () => {
    const e = { kind: 'ticket_updated' as const, id: 'e', changedFields: ['priority'] };
    expect(triggerFires('r', { kind: 'ticket_updated' }, e).fires).toBe(true);
    expect(triggerFires('r', { kind: 'ticket_updated', fields: ['status'] }, e).fires).toBe(false);
    expect(triggerFires('r', { kind: 'ticket_updated', fields: ['status', 'priority'] }, e).fires).toBe(true);
  });

  it('SLA breached: any clock, or the named one', () => {
    const e = { kind: 'sla_breached' as const, id: 'e', metric: 'first_response' };
    expect(triggerFires('r', { kind: 'sla_breached' }, e).fires).toBe(true);
    expect(triggerFires('r', { kind: 'sla_breached', metric: 'resolution' }, e).fires).toBe(false);
  });

  it('idle: only once the conversation has been quiet long enough', () => {
    expect(triggerFires('r', { kind: 'conversation_idle', minutes: 30 }, { kind: 'conversation_idle', id: 'e', idleMinutes: 29 }).fires).toBe(false);
    expect(triggerFires('r', { kind: 'conversation_idle', minutes: 30 }, { kind: 'conversation_idle', id: 'e', idleMinutes: 30 }).fires).toBe(true);
  });

  it("never fire for an event the rule's own action caused; another rule's still counts", () => {
    const e = { kind: 'ticket_updated' as const, id: 'e', changedFields: ['tags'], causedByRuleId: 'rule-a' };
    expect(triggerFires('rule-a', { kind: 'ticket_updated' }, e)).toEqual({ fires: false, why: "the event was caused by this rule's own action" });
    expect(triggerFires('rule-b', { kind: 'ticket_updated' }, e).fires).toBe(true);
  });
});

describe('conditions', () => {
  it('channel and inbox', () => {
    expect(holds({ kind: 'channel', in: ['telegram', 'email'] })).toBe(true);
    expect(holds({ kind: 'channel', in: ['email'] })).toBe(false);
    expect(holds({ kind: 'inbox', in: ['inbox-1'] })).toBe(true);
    expect(holds({ kind: 'inbox', in: ['inbox-2'] })).toBe(false);
  });

  it('text contains (any case) and matches a regular expression', () => {
    expect(holds({ kind: 'text', op: 'contains', value: 'order' })).toBe(true);
    expect(holds({ kind: 'text', op: 'contains', value: 'refund' })).toBe(false);
    expect(holds({ kind: 'text', op: 'matches', value: 'order\\s+\\d{4}' })).toBe(true);
    expect(holds({ kind: 'text', op: 'matches', value: '^refund' })).toBe(false);
    expect(holds({ kind: 'text', op: 'matches', value: '(' })).toBe(false);
    expect(holds({ kind: 'text', op: 'contains', value: 'x' }, facts({ text: null }))).toBe(false);
  });

  it('language: the contact attribute first, else the writing system of the text', () => {
    expect(holds({ kind: 'language', in: ['en'] })).toBe(true);
    expect(holds({ kind: 'language', in: ['ru'] }, facts({ text: 'Где мой заказ?' }))).toBe(true);
    expect(holds({ kind: 'language', in: ['de'] }, facts({ contact: { attributes: { language: 'de-AT' } } }))).toBe(true);
    expect(holds({ kind: 'language', in: ['en'] }, facts({ contact: { attributes: { language: 'de' } } }))).toBe(false);
    expect(detectScriptLanguage('東京へようこそ')).toBe('ja');
    expect(detectScriptLanguage('12345')).toBeNull();
  });

  it('contact attribute: equals, contains, exists, missing — built-in fields and widget attributes', () => {
    expect(holds({ kind: 'contact_attribute', key: 'plan', op: 'equals', value: 'GOLD' })).toBe(true);
    expect(holds({ kind: 'contact_attribute', key: 'email', op: 'contains', value: '@example.com' })).toBe(true);
    expect(holds({ kind: 'contact_attribute', key: 'phone', op: 'exists' })).toBe(false);
    expect(holds({ kind: 'contact_attribute', key: 'phone', op: 'missing' })).toBe(true);
    expect(holds({ kind: 'contact_attribute', key: 'plan', op: 'equals', value: 'silver' })).toBe(false);
  });

  it('business hours', () => {
    expect(holds({ kind: 'business_hours', open: true })).toBe(true);
    expect(holds({ kind: 'business_hours', open: false })).toBe(false);
    expect(holds({ kind: 'business_hours', open: false }, facts({ businessHoursOpen: false }))).toBe(true);
  });

  it('priority and tags look at the ticket (no ticket: no priority, no tags)', () => {
    expect(holds({ kind: 'priority', in: ['normal', 'high'] })).toBe(true);
    expect(holds({ kind: 'priority', in: ['urgent'] })).toBe(false);
    expect(holds({ kind: 'priority', in: ['normal'] }, facts({ ticket: null }))).toBe(false);
    expect(holds({ kind: 'tags', op: 'any', tags: ['vip', 'x'] })).toBe(true);
    expect(holds({ kind: 'tags', op: 'all', tags: ['vip', 'x'] })).toBe(false);
    expect(holds({ kind: 'tags', op: 'all', tags: ['vip', 'billing'] })).toBe(true);
    expect(holds({ kind: 'tags', op: 'none', tags: ['spam'] })).toBe(true);
    expect(holds({ kind: 'tags', op: 'none', tags: ['spam'] }, facts({ ticket: null }))).toBe(true);
  });

  it('assignee present: the ticket’s, else the conversation’s', () => {
    expect(holds({ kind: 'assignee', present: false })).toBe(true);
    expect(holds({ kind: 'assignee', present: true }, facts({ assigneeId: 'agent-1', ticket: null }))).toBe(true);
  });

  it('customer waiting time', () => {
    expect(holds({ kind: 'waiting_time', op: 'more_than', minutes: 15 })).toBe(true);
    expect(holds({ kind: 'waiting_time', op: 'less_than', minutes: 15 })).toBe(false);
    expect(holds({ kind: 'waiting_time', op: 'more_than', minutes: 0 }, facts({ waitingSince: null }))).toBe(false);
  });

  it('all needs every condition, any needs one; none at all always matches', () => {
    const conditions: AutomationCondition[] = [
      { kind: 'channel', in: ['telegram'] },
      { kind: 'priority', in: ['urgent'] },
    ];
    expect(evaluate({ match: 'all', conditions }, facts()).matched).toBe(false);
    expect(evaluate({ match: 'any', conditions }, facts()).matched).toBe(true);
    expect(evaluate({ match: 'all', conditions: [] }, facts()).matched).toBe(true);
    expect(evaluate({ match: 'all', conditions }, facts()).conditions.map((c) => c.detail)).toEqual(['channel is telegram', 'priority is normal']);
  });
});

describe('plans', () => {
  const actions: AutomationAction[] = [
    { type: 'add_tags', tags: ['a'] },
    { type: 'auto_reply', text: 'Hi {{contact.name}}, about #{{ticket.number}} ({{contact.plan}}){{contact.nothing}}' },
    { type: 'close' },
  ];

  it('keeps the order and fills the reply from the contact and ticket', () => {
    const p = plan(actions, facts(), true);
    expect(p.map((x) => x.type)).toEqual(['add_tags', 'auto_reply', 'close']);
    expect(p[1]!.text).toBe('Hi Olga, about #1042 (gold)');
    expect(p.every((x) => !x.skipped)).toBe(true);
  });

  it('a rule never auto-replies to an auto-reply, a bounce or list mail; an agent’s macro still may', () => {
    for (const noise of ['auto-reply', 'bounce', 'list']) {
      expect(plan(actions, facts({ noise }), true)[1]!.skipped).toMatch(/never answers/);
      expect(plan(actions, facts({ noise }), false)[1]!.skipped).toBeUndefined();
    }
  });

  it('skips ticket actions without a ticket and conversation actions without a conversation', () => {
    const p = plan([{ type: 'set_priority', priority: 'high' }, { type: 'snooze', minutes: 5 }, { type: 'send_webhook', webhookId: 'w' }], facts({ ticket: null, hasConversation: false }), true);
    expect(p.map((x) => x.skipped ?? 'runs')).toEqual(['the conversation has no ticket', 'there is no conversation', 'runs']);
  });

  it('render leaves no placeholder behind', () => {
    expect(render('{{ contact.email }} {{agent.name}}', facts())).toBe('olga@example.com ');
  });
});
