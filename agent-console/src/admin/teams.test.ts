import { describe, expect, it } from 'vitest';
import { teamBody, teamForm, teamSummary } from './teams.js';

describe('teams tab', () => {
  it('turns the form into a team: trimmed name, capacities as numbers, empty = no limit', () => {
    expect(
      teamBody({
        name: ' Billing ',
        strategy: 'load_balanced',
        members: [
          { agentId: 'a1', capacity: '5' },
          { agentId: 'a2', capacity: '' },
          { agentId: 'a1', capacity: '7' },
        ],
      }),
    ).toEqual({ ok: true, body: { name: 'Billing', strategy: 'load_balanced', members: [{ agentId: 'a1', capacity: 5 }, { agentId: 'a2', capacity: null }] } });
  });

  it('refuses a nameless team or a capacity that is not a count', () => {
    expect(teamBody({ name: ' ', strategy: 'manual', members: [] })).toEqual({ ok: false, error: 'Give the team a name.' });
    expect(teamBody({ name: 'A', strategy: 'manual', members: [{ agentId: 'a', capacity: '0' }] })).toMatchObject({ ok: false });
    expect(teamBody({ name: 'A', strategy: 'manual', members: [{ agentId: 'a', capacity: 'five' }] })).toMatchObject({ ok: false });
  });

  it('fills the form from a team and back without change', () => {
    const team = { id: 't', name: 'Sales', strategy: 'round_robin' as const, members: [{ agentId: 'a', capacity: 3 }, { agentId: 'b', capacity: null }] };
    const back = teamBody(teamForm(team));
    expect(back).toEqual({ ok: true, body: { name: 'Sales', strategy: 'round_robin', members: team.members } });
    expect(teamSummary(team)).toBe('2 members · Round robin');
  });
});
