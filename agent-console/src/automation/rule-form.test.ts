import type { AutomationRuleCreate, AutomationTrigger } from '@switchboard/contracts';
import { describe, expect, it } from 'vitest';
import { fieldPaths, fromAmount, macroBody, macroForm, move, newAction, newCondition, placeServerError, ruleBody, ruleForm, toAmount, type RuleForm } from './rule-form.js';

const refundRule: Required<AutomationRuleCreate> = {
  name: 'Refunds',
  enabled: true,
  trigger: { kind: 'message_received' },
  match: 'all',
  conditions: [{ kind: 'text', op: 'contains', value: 'refund' }],
  actions: [
    { type: 'add_tags', tags: ['refund'] },
    { type: 'assign_agent', agentId: 'agent-1' },
  ],
};

const form = (patch: Partial<RuleForm> = {}): RuleForm => ({ ...ruleForm(refundRule), ...patch });

describe('rule form', () => {
  it('turns every kind of trigger, condition and action into the form and back unchanged', () => {
    const rule: Required<AutomationRuleCreate> = {
      name: 'Everything',
      enabled: false,
      trigger: { kind: 'conversation_idle', minutes: 90 },
      match: 'any',
      conditions: [
        { kind: 'channel', in: ['web', 'email'] },
        { kind: 'inbox', in: ['i1'] },
        { kind: 'text', op: 'matches', value: 'refund|money back' },
        { kind: 'language', in: ['en', 'de-AT'] },
        { kind: 'contact_attribute', key: 'plan', op: 'equals', value: 'pro' },
        { kind: 'contact_attribute', key: 'email', op: 'missing' },
        { kind: 'business_hours', open: false },
        { kind: 'priority', in: ['urgent'] },
        { kind: 'tags', op: 'none', tags: ['spam', 'test'] },
        { kind: 'assignee', present: true },
        { kind: 'waiting_time', op: 'more_than', minutes: 120 },
        { kind: 'waiting_time', op: 'less_than', minutes: 0 },
      ],
      actions: [
        { type: 'assign_agent', agentId: null },
        { type: 'assign_team', teamId: 't1', runStrategy: false },
        { type: 'assign_team', teamId: 't2' },
        { type: 'add_tags', tags: ['a', 'b'] },
        { type: 'remove_tags', tags: ['c'] },
        { type: 'set_priority', priority: 'high' },
        { type: 'set_status', status: 'pending' },
        { type: 'auto_reply', text: 'Hi {{contact.name}}' },
        { type: 'add_note', text: 'Check #{{ticket.number}}' },
        { type: 'send_webhook', webhookId: 'w1' },
        { type: 'snooze', minutes: 2880 },
        { type: 'close' },
      ],
    };
    expect(ruleBody(ruleForm(rule))).toEqual({ ok: true, body: rule });
    const triggers: AutomationTrigger[] = [{ kind: 'message_received', first: true }, { kind: 'ticket_updated', fields: ['status', 'tags'] }, { kind: 'sla_breached', metric: 'resolution' }, { kind: 'contact_created' }];
    for (const trigger of triggers) {
      expect(ruleBody(ruleForm({ ...rule, trigger }))).toMatchObject({ ok: true, body: { trigger } });
    }
  });

  it('a new rule starts on, on every customer message, with one action to fill in', () => {
    const f = ruleForm();
    expect(f).toMatchObject({ name: '', enabled: true, trigger: { kind: 'message_received' }, match: 'all', conditions: [] });
    expect(f.actions).toHaveLength(1);
  });

  it('trims the name and splits tags and languages on commas, dropping repeats', () => {
    const f = form({ name: '  Refunds  ' });
    f.actions[0]!.value = ' refund, billing ,refund,';
    f.conditions = [{ ...newCondition('language'), value: 'en, de_AT' }];
    expect(ruleBody(f)).toMatchObject({ ok: true, body: { name: 'Refunds', conditions: [{ kind: 'language', in: ['en', 'de-AT'] }], actions: [{ type: 'add_tags', tags: ['refund', 'billing'] }, { type: 'assign_agent', agentId: 'agent-1' }] } });
  });

  it('names every field to fix, at the path the server would name', () => {
    const f = form({ name: ' ', trigger: { ...ruleForm().trigger, kind: 'conversation_idle', amount: '0' } });
    f.conditions = [
      { ...newCondition('text'), op: 'matches', value: 'refund(' },
      { ...newCondition('contact_attribute'), key: 'plan', op: 'equals', value: '' },
      { ...newCondition('channel'), in: [] },
    ];
    f.actions = [{ ...newAction('add_tags'), value: ' , ' }, newAction('assign_team'), { ...newAction('auto_reply'), value: '  ' }, { ...newAction('snooze'), value: '1.5', unit: 'min' }];
    const r = ruleBody(f);
    expect(r.ok).toBe(false);
    expect(Object.keys(!r.ok ? r.errors : {}).sort()).toEqual([
      '/actions/0/tags',
      '/actions/1/teamId',
      '/actions/2/text',
      '/actions/3/minutes',
      '/conditions/0/value',
      '/conditions/1/value',
      '/conditions/2/in',
      '/name',
      '/trigger/minutes',
    ]);
    expect(!r.ok && r.errors['/conditions/0/value']).toBe('"refund(" is not a valid regular expression.');
  });

  it('refuses a rule or macro without actions', () => {
    expect(ruleBody(form({ actions: [] }))).toEqual({ ok: false, errors: { '/actions': 'Add at least one action.' } });
    expect(macroBody({ name: 'Empty', actions: [] })).toEqual({ ok: false, errors: { '/actions': 'Add at least one action.' } });
  });

  it('an empty agent means unassign; a team keeps its strategy unless told not to', () => {
    const f = form({ actions: [{ ...newAction('assign_agent'), value: '' }, { ...newAction('assign_team'), value: 't1' }] });
    expect(ruleBody(f)).toMatchObject({ ok: true, body: { actions: [{ type: 'assign_agent', agentId: null }, { type: 'assign_team', teamId: 't1' }] } });
  });

  it('builds a macro: name and actions', () => {
    const m = { name: 'Resolve with thanks', actions: [{ type: 'auto_reply' as const, text: 'Thanks!' }, { type: 'close' as const }] };
    expect(macroBody(macroForm(m))).toEqual({ ok: true, body: m });
    expect(macroForm().actions.map((a) => a.type)).toEqual(['auto_reply']);
  });
});

describe('durations', () => {
  it('shows minutes in the largest unit that divides them, and reads them back', () => {
    expect(toAmount(45)).toEqual({ amount: '45', unit: 'min' });
    expect(toAmount(120)).toEqual({ amount: '2', unit: 'h' });
    expect(toAmount(4320)).toEqual({ amount: '3', unit: 'd' });
    expect(fromAmount('1.5', 'h', 1, 1000)).toBe(90);
    expect(fromAmount('2', 'd', 1, 43_200)).toBe(2880);
    expect(fromAmount('0', 'min', 1, 100)).toBeNull();
    expect(fromAmount('31', 'd', 1, 43_200)).toBeNull();
    expect(fromAmount('ten', 'min', 1, 100)).toBeNull();
  });
});

describe('server refusals at the right field', () => {
  const paths = fieldPaths(form());

  it('places SB_ERR_AUTOMATION_INVALID at the field its path names', () => {
    const err = { message: 'Action 2 assigns to an agent this team does not have (or one deactivated).', details: { path: '/actions/1/agentId' } };
    expect(placeServerError(err, paths)).toEqual({ fields: { '/actions/1/agentId': err.message }, general: null });
  });

  it('places a schema refusal at the nearest field the editor shows, else says it in general', () => {
    const err = { message: 'The request is not valid: body/actions/0/tags/0 must match pattern "\\S".', details: [{ path: '/actions/0/tags/0', message: 'must match pattern' }] };
    expect(placeServerError(err, paths).fields).toEqual({ '/actions/0/tags': err.message });
    expect(placeServerError({ message: 'Too many rules.', details: { path: '/somewhere' } }, paths)).toEqual({ fields: {}, general: 'Too many rules.' });
    expect(placeServerError({ message: 'Switchboard had a problem.' }, paths)).toEqual({ fields: {}, general: 'Switchboard had a problem.' });
  });
});

describe('moving rows', () => {
  it('swaps with the neighbour and leaves the ends alone', () => {
    expect(move(['a', 'b', 'c'], 2, -1)).toEqual(['a', 'c', 'b']);
    expect(move(['a', 'b', 'c'], 0, 1)).toEqual(['b', 'a', 'c']);
    expect(move(['a', 'b', 'c'], 0, -1)).toEqual(['a', 'b', 'c']);
    expect(move(['a', 'b', 'c'], 2, 1)).toEqual(['a', 'b', 'c']);
  });
});
