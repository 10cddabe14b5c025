import { describe, expect, it } from 'vitest';
import { accessChange, agentState, inboxAccessText, inviteBody, toggleId } from './agents.js';

const inboxes = [
  { id: 'i1', name: 'Website' },
  { id: 'i2', name: 'Telegram' },
];

describe('agents tab', () => {
  it('says whether an agent is invited, active or deactivated', () => {
    expect(agentState({ active: true, invitationPending: true })).toBe('pending');
    expect(agentState({ active: true, invitationPending: false })).toBe('active');
    expect(agentState({ active: false, invitationPending: true })).toBe('deactivated');
  });

  it('names the inboxes an agent sees', () => {
    expect(inboxAccessText({ role: 'agent', inboxIds: null }, inboxes)).toBe('All inboxes');
    expect(inboxAccessText({ role: 'agent', inboxIds: ['i2', 'gone'] }, inboxes)).toBe('Telegram, A removed inbox');
    expect(inboxAccessText({ role: 'agent', inboxIds: [] }, inboxes)).toBe('No inbox');
    expect(inboxAccessText({ role: 'supervisor', inboxIds: ['i1'] }, inboxes)).toBe('All inboxes');
  });

  it('builds an invitation, limited to inboxes only for role agent', () => {
    const base = { email: ' Ivy@Example.COM ', name: ' Ivy ', role: 'agent' as const, allInboxes: true, inboxIds: ['i1'] };
    expect(inviteBody(base)).toEqual({ ok: true, body: { email: 'ivy@example.com', name: 'Ivy', role: 'agent' } });
    expect(inviteBody({ ...base, allInboxes: false })).toEqual({ ok: true, body: { email: 'ivy@example.com', name: 'Ivy', role: 'agent', inboxIds: ['i1'] } });
    expect(inviteBody({ ...base, role: 'admin', allInboxes: false })).toEqual({ ok: true, body: { email: 'ivy@example.com', name: 'Ivy', role: 'admin' } });
  });

  it('refuses an invitation with what to fix', () => {
    const base = { email: 'ivy@example.com', name: 'Ivy', role: 'agent' as const, allInboxes: true, inboxIds: [] };
    expect(inviteBody({ ...base, email: 'ivy' })).toMatchObject({ ok: false, field: 'email' });
    expect(inviteBody({ ...base, name: '  ' })).toMatchObject({ ok: false, field: 'name' });
    expect(inviteBody({ ...base, allInboxes: false })).toMatchObject({ ok: false, field: 'inboxes' });
  });

  it('an access change sends null for all inboxes', () => {
    expect(accessChange('agent', true, ['i1'])).toEqual({ ok: true, change: { role: 'agent', inboxIds: null } });
    expect(accessChange('agent', false, ['i1'])).toEqual({ ok: true, change: { role: 'agent', inboxIds: ['i1'] } });
    expect(accessChange('supervisor', false, [])).toEqual({ ok: true, change: { role: 'supervisor', inboxIds: null } });
    expect(accessChange('agent', false, [])).toMatchObject({ ok: false });
    // Renaming: the trimmed name only when it changed; a blank or overlong one is refused in words.
    expect(accessChange('admin', true, [], { now: ' Ada Lovelace ', was: 'Ada' })).toEqual({ ok: true, change: { name: 'Ada Lovelace', role: 'admin', inboxIds: null } });
    expect(accessChange('agent', false, ['i1'], { now: 'Ada', was: 'Ada' })).toEqual({ ok: true, change: { role: 'agent', inboxIds: ['i1'] } });
    expect(accessChange('agent', true, [], { now: '  ', was: 'Ada' })).toEqual({ ok: false, error: 'Enter the name the team will see.' });
  });

  it('ticks and unticks inboxes', () => {
    expect(toggleId(['a'], 'b', true)).toEqual(['a', 'b']);
    expect(toggleId(['a', 'b'], 'a', false)).toEqual(['b']);
    expect(toggleId(['a'], 'a', true)).toEqual(['a']);
  });
});
