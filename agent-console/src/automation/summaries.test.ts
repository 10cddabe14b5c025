import { afterEach, describe, expect, it } from 'vitest';
import { setLocale } from '../i18n/index.js';
import { conversation } from '../test-fixtures.js';
import { conversationMatches } from './dry-run-pick.js';
import { macroResultText } from './macro-result.js';
import { actionsText, agoText, conditionsText, conditionText, dryRunVerdict, durationText, statsText, triggerText, type Names } from './summaries.js';

const names: Names = { agent: (id) => (id === 'a1' ? 'Ada' : undefined), team: (id) => (id === 't1' ? 'Billing' : undefined), inbox: (id) => (id === 'i1' ? 'Website' : undefined) };
const NOW = Date.parse('2026-03-12T12:00:00Z');

describe('automation in words', () => {
  it('says what each trigger waits for', () => {
    expect(triggerText({ kind: 'message_received' })).toBe('A customer message arrives');
    expect(triggerText({ kind: 'message_received', first: true })).toBe('A conversation’s first customer message arrives');
    expect(triggerText({ kind: 'conversation_idle', minutes: 150 })).toBe('A conversation is quiet for 2 h 30 min');
    expect(triggerText({ kind: 'ticket_updated', fields: ['status', 'priority'] })).toBe('A ticket’s status or priority changes');
    expect(triggerText({ kind: 'sla_breached', metric: 'first_response' })).toBe('The first response target is missed');
  });

  it('says the conditions, with names instead of ids, and "Always" without any', () => {
    expect(conditionsText({ match: 'all', conditions: [] })).toBe('Always');
    expect(conditionsText({ match: 'all', conditions: [{ kind: 'text', op: 'contains', value: 'refund' }] })).toBe('If the message contains “refund”');
    expect(
      conditionsText(
        {
          match: 'any',
          conditions: [
            { kind: 'inbox', in: ['i1', 'gone'] },
            { kind: 'waiting_time', op: 'more_than', minutes: 2880 },
          ],
        },
        names,
      ),
    ).toBe('If any of: the inbox is Website or an inbox no longer there; the customer has waited more than 2 days');
    expect(conditionText({ kind: 'contact_attribute', key: 'plan', op: 'equals', value: 'pro' })).toBe('the contact’s plan is “pro”');
    expect(conditionText({ kind: 'business_hours', open: false })).toBe('outside business hours');
  });

  it('says the actions in order, with the agent’s and team’s names', () => {
    expect(
      actionsText(
        [
          { type: 'add_tags', tags: ['refund'] },
          { type: 'assign_agent', agentId: 'a1' },
          { type: 'assign_team', teamId: 't1', runStrategy: false },
          { type: 'snooze', minutes: 60 },
          { type: 'close' },
        ],
        names,
      ),
    ).toBe('Add tag refund, then assign to Ada, then move to Billing, then snooze for 1 h, then resolve the conversation');
    expect(actionsText([{ type: 'assign_agent', agentId: 'gone' }], names)).toBe('Assign to an agent no longer on the team');
  });

  it('says when a rule last ran and how often', () => {
    expect(statsText({ runs: 0, lastRunAt: null, lastError: null, capped: 0 }, NOW)).toBe('Never ran');
    expect(statsText({ runs: 1, lastRunAt: '2026-03-12T11:59:40Z', lastError: null, capped: 0 }, NOW)).toBe('Ran once, last just now');
    expect(statsText({ runs: 12, lastRunAt: '2026-03-12T09:30:00Z', lastError: null, capped: 0 }, NOW)).toBe('Ran 12 times, last 2 h ago');
    expect(agoText('2026-03-12T11:55:00Z', NOW)).toBe('5 min ago');
    expect(agoText('2026-03-09T12:00:00Z', NOW)).toBe('3 days ago');
    expect(durationText(45)).toBe('45 min');
    expect(durationText(1440)).toBe('1 day');
  });

  it('sums up a dry run', () => {
    const base = { ruleId: 'r', conditions: [], actions: [{ index: 0, type: 'close', description: 'close' }] };
    expect(dryRunVerdict({ ...base, triggered: false, matched: true }, true)).toMatch(/^The trigger does not fit/);
    expect(dryRunVerdict({ ...base, triggered: true, matched: false }, true)).toBe('The trigger fits, but the conditions do not match: nothing would happen.');
    expect(dryRunVerdict({ ...base, triggered: true, matched: true }, true)).toBe('The rule matches. All actions would run.');
    const skipped = { ...base, triggered: true, matched: true, actions: [...base.actions, { index: 1, type: 'add_tags', description: 'add tags x', skipped: 'the conversation has no ticket' }] };
    expect(dryRunVerdict(skipped, false)).toBe('The rule matches (it is off, so it would not run now). 1 of 2 actions would run.');
  });

  it('tells the agent what a macro did and what it skipped', () => {
    expect(macroResultText('Thanks', { actions: [{ index: 0, type: 'auto_reply', description: 'reply "Thanks"' }, { index: 1, type: 'close', description: 'close' }] })).toBe('“Thanks” ran: 2 actions done.');
    expect(macroResultText('Tag', { actions: [{ index: 0, type: 'add_tags', description: 'add tags x', skipped: 'the conversation has no ticket' }] })).toBe(
      '“Tag” ran: 0 actions done, 1 skipped (the conversation has no ticket).',
    );
  });
});

describe('dry-run conversation search', () => {
  const list = [conversation('c-1', { contact: { id: 'k1', name: 'Dora Explorer', channel: 'web' } }), conversation('c-2', { contact: { id: 'k2', email: 'sam@example.com', channel: 'email' } })];

  it('finds conversations by the contact’s name or email, ignoring case, or by a pasted id', () => {
    expect(conversationMatches(list, 'dora').map((c) => c.id)).toEqual(['c-1']);
    expect(conversationMatches(list, 'SAM@').map((c) => c.id)).toEqual(['c-2']);
    expect(conversationMatches(list, ' c-2 ').map((c) => c.id)).toEqual(['c-2']);
    expect(conversationMatches(list, '  ')).toEqual([]);
  });

  describe('in Russian', () => {
    afterEach(() => setLocale('en'));
    it('rules, stats and errors speak Russian, plurals included', async () => {
      await setLocale('ru');
      expect(triggerText({ kind: 'conversation_idle', minutes: 2880 })).toBe('Диалог молчит 2 дня');
      expect(conditionsText({ match: 'any', conditions: [{ kind: 'assignee', present: false }, { kind: 'business_hours', open: true }] })).toBe('Если выполнено любое: исполнителя нет; в рабочие часы');
      expect(actionsText([{ type: 'add_tags', tags: ['vip'] }, { type: 'set_priority', priority: 'high' }])).toBe('Добавить тег vip, затем задать приоритет «высокий»');
      expect(statsText({ runs: 3, capped: 0, lastRunAt: new Date(NOW - 5 * 86_400_000).toISOString(), lastError: null } as never, NOW)).toBe('Сработало 3 раза, последний — 5 дней назад');
      expect(macroResultText('Спасибо', { actions: [{ index: 0, type: 'close', description: 'close' }] })).toBe('«Спасибо» выполнен: 1 действие.');
    });
  });
});
