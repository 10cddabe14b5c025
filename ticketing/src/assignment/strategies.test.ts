import { describe, expect, it } from 'vitest';
import { pickLoadBalanced, pickRoundRobin, shouldReassign } from './strategies.js';
import type { AssignmentCandidate } from './types.js';

function agent(agentId: string, over: Partial<AssignmentCandidate> = {}): AssignmentCandidate {
  return { agentId, online: true, load: 0, capacity: null, lastAssignedAt: null, ...over };
}

describe('pickRoundRobin', () => {
  it('goes in agentId order from the one after the last, wrapping around', () => {
    const team = [agent('carol'), agent('alice'), agent('bob')];
    expect(pickRoundRobin(team, null)).toBe('alice');
    expect(pickRoundRobin(team, 'alice')).toBe('bob');
    expect(pickRoundRobin(team, 'bob')).toBe('carol');
    expect(pickRoundRobin(team, 'carol')).toBe('alice');
  });

  it('skips agents offline or at capacity', () => {
    const team = [agent('alice'), agent('bob', { online: false }), agent('carol', { load: 3, capacity: 3 }), agent('dave', { load: 2, capacity: 3 })];
    expect(pickRoundRobin(team, 'alice')).toBe('dave');
    expect(pickRoundRobin(team, 'dave')).toBe('alice');
  });

  it('passes the turn on even when the last agent is no longer a candidate', () => {
    expect(pickRoundRobin([agent('alice'), agent('carol')], 'bob')).toBe('carol');
    expect(pickRoundRobin([agent('alice'), agent('carol')], 'zed')).toBe('alice');
  });

  it('gives each of three agents 10 of 30 tickets', () => {
    const team = [agent('b'), agent('c'), agent('a')];
    const counts = new Map<string, number>();
    let last: string | null = null;
    for (let i = 0; i < 30; i++) {
      last = pickRoundRobin(team, last);
      expect(last).not.toBeNull();
      counts.set(last!, (counts.get(last!) ?? 0) + 1);
    }
    expect(Object.fromEntries(counts)).toEqual({ a: 10, b: 10, c: 10 });
  });

  it('gives null when nobody can take a ticket', () => {
    expect(pickRoundRobin([], null)).toBeNull();
    expect(pickRoundRobin([agent('alice', { online: false }), agent('bob', { load: 1, capacity: 1 })], 'alice')).toBeNull();
  });
});

describe('pickLoadBalanced', () => {
  it('sends to the least loaded online agent', () => {
    const team = [agent('alice', { load: 4 }), agent('bob', { load: 2 }), agent('carol', { load: 1, online: false }), agent('dave', { load: 3 })];
    expect(pickLoadBalanced(team)).toBe('bob');
  });

  it('compares load relative to capacity when everyone has one', () => {
    // alice 3/10 = 0.3, bob 1/2 = 0.5: alice, although her absolute load is higher.
    expect(pickLoadBalanced([agent('alice', { load: 3, capacity: 10 }), agent('bob', { load: 1, capacity: 2 })])).toBe('alice');
  });

  it('compares absolute load as soon as someone has no capacity', () => {
    expect(pickLoadBalanced([agent('alice', { load: 3, capacity: 10 }), agent('bob', { load: 1, capacity: null })])).toBe('bob');
  });

  it('never goes over capacity, and gives null when everyone is full', () => {
    const team = [agent('alice', { load: 2, capacity: 2 }), agent('bob', { load: 5, capacity: 6 })];
    expect(pickLoadBalanced(team)).toBe('bob');
    expect(pickLoadBalanced([agent('alice', { load: 2, capacity: 2 }), agent('bob', { load: 6, capacity: 6 })])).toBeNull();
    expect(pickLoadBalanced([])).toBeNull();
  });

  it('breaks ties by the least recently assigned (never assigned first), then agentId', () => {
    const team = [
      agent('dave', { load: 1, lastAssignedAt: new Date('2025-01-13T09:00:00Z') }),
      agent('carol', { load: 1, lastAssignedAt: new Date('2025-01-13T08:00:00Z') }),
      agent('bob', { load: 1 }),
      agent('alice', { load: 1, lastAssignedAt: new Date('2025-01-13T07:00:00Z') }),
    ];
    expect(pickLoadBalanced(team)).toBe('bob');
    expect(pickLoadBalanced(team.filter((c) => c.agentId !== 'bob'))).toBe('alice');
    expect(pickLoadBalanced([agent('bob', { load: 1 }), agent('anna', { load: 1 })])).toBe('anna');
    // Equal ratios tie exactly (1/3 and 2/6), so the older assignment decides.
    expect(
      pickLoadBalanced([
        agent('x', { load: 1, capacity: 3, lastAssignedAt: new Date('2025-01-13T09:00:00Z') }),
        agent('y', { load: 2, capacity: 6, lastAssignedAt: new Date('2025-01-13T08:00:00Z') }),
      ]),
    ).toBe('y');
  });

  it('fills a team evenly, each up to their capacity', () => {
    const team = [agent('a', { capacity: 4 }), agent('b', { capacity: 8 }), agent('c', { capacity: 4, load: 2 })];
    let now = Date.parse('2025-01-13T09:00:00Z');
    for (let i = 0; i < 14; i++) {
      const id = pickLoadBalanced(team);
      const picked = team.find((c) => c.agentId === id)!;
      picked.load += 1;
      picked.lastAssignedAt = new Date((now += 60_000));
    }
    expect(team.map((c) => c.load)).toEqual([4, 8, 4]);
    expect(pickLoadBalanced(team)).toBeNull();
  });
});

describe('shouldReassign', () => {
  const now = new Date('2025-01-13T12:00:00Z');

  it('keeps tickets with online agents', () => {
    expect(shouldReassign(null, now, 0)).toBe(false);
  });

  it('reassigns only once an agent has been offline longer than the tenant allows', () => {
    expect(shouldReassign(new Date('2025-01-13T11:45:00Z'), now, 30)).toBe(false);
    expect(shouldReassign(new Date('2025-01-13T11:30:00Z'), now, 30)).toBe(false);
    expect(shouldReassign(new Date('2025-01-13T11:29:59Z'), now, 30)).toBe(true);
  });
});
