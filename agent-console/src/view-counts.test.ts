import { signal } from '@preact/signals';
import { describe, expect, it } from 'vitest';
import type { ListFilter } from './conversations.js';
import type { ConnectionState } from './realtime.js';
import type { Clock } from './typing.js';
import { COUNTS_DEBOUNCE_MS, followStore, navItems, viewGone, ViewCounts, type ConversationCounts } from './view-counts.js';

function counts(over: Partial<ConversationCounts> = {}): ConversationCounts {
  return {
    mine: { open: 2, unread: 1 },
    unassigned: { open: 3, unread: 0 },
    all: { open: 7, unread: 2 },
    mentions: { open: 1, unread: 1 },
    inboxes: [
      { inboxId: 'in-web', name: 'Website', channel: 'web', open: 5, unread: 2 },
      { inboxId: 'in-tg', name: 'Telegram', channel: 'telegram', open: 2, unread: 0 },
    ],
    teams: [{ teamId: 't-billing', open: 4, unread: 1 }],
    ...over,
  };
}

/** A clock whose timers run when the test says so. */
function manualClock() {
  let t = 0;
  const timers = new Map<number, { at: number; fn: () => void }>();
  let seq = 0;
  const clock: Clock = {
    now: () => t,
    setTimeout: (fn, ms) => {
      timers.set(++seq, { at: t + ms, fn });
      return seq;
    },
    clearTimeout: (h) => void timers.delete(h as number),
  };
  const advance = (ms: number) => {
    t += ms;
    for (const [id, timer] of [...timers]) {
      if (timer.at <= t) {
        timers.delete(id);
        timer.fn();
      }
    }
  };
  return { clock, advance, pending: () => timers.size };
}

const settle = () => new Promise((r) => setTimeout(r, 0));

describe('the views nav', () => {
  it('lists the fixed views, the inboxes and the teams by name, each with its counts', () => {
    const items = navItems(counts(), [
      { id: 't-support', name: 'Support' },
      { id: 't-billing', name: 'Billing' },
    ]);
    expect(items.map((i) => [i.key, i.label, i.count?.unread ?? null])).toEqual([
      ['mine', 'Mine', 1],
      ['unassigned', 'Unassigned', 0],
      ['all', 'All', 2],
      ['mentions', 'Mentions', 1],
      ['inbox:in-web', 'Website', 2],
      ['inbox:in-tg', 'Telegram', 0],
      ['team:t-support', 'Support', 0],
      ['team:t-billing', 'Billing', 1],
    ]);
    expect(items.find((i) => i.key === 'team:t-support')?.count).toEqual({ open: 0, unread: 0 });
  });

  it('shows the fixed views without numbers before the counts answer', () => {
    expect(navItems(null, []).map((i) => [i.key, i.count])).toEqual([
      ['mine', null],
      ['unassigned', null],
      ['all', null],
      ['mentions', null],
    ]);
  });

  it('knows when a remembered inbox or team view is gone', () => {
    expect(viewGone('inbox:in-web', counts(), null)).toBe(false);
    expect(viewGone('inbox:in-old', counts(), null)).toBe(true);
    expect(viewGone('inbox:in-old', null, null)).toBe(false);
    expect(viewGone('team:t-old', null, [{ id: 't-billing' }])).toBe(true);
    expect(viewGone('team:t-old', null, null)).toBe(false);
    expect(viewGone('mentions', null, [])).toBe(false);
  });
});

describe('keeping the counts current', () => {
  function setup() {
    const { clock, advance, pending } = manualClock();
    let fetched = 0;
    let answer = counts();
    const view = new ViewCounts({
      fetchCounts: async () => {
        fetched++;
        return answer;
      },
      fetchTeams: async () => [{ id: 't-billing', name: 'Billing' }],
      clock,
    });
    const listeners = new Map<string, ((p: unknown) => void)[]>();
    const filter = signal<ListFilter>({ status: 'open', assignee: 'all', view: 'all', sort: 'newest' });
    const store = {
      connection: signal<ConnectionState>('connecting'),
      agent: signal<{ id: string } | null>({ id: 'ada' }),
      filter,
      loads: 0,
      onServerEvent(event: string, fn: (p: unknown) => void) {
        listeners.set(event, [...(listeners.get(event) ?? []), fn]);
        return () => {};
      },
      setFilter(change: Partial<ListFilter>) {
        filter.value = { ...filter.value, ...change };
      },
      async loadList() {
        store.loads++;
      },
    };
    const emit = (event: string) => (listeners.get(event) ?? []).forEach((fn) => fn({}));
    const dispose = followStore(view, store);
    return {
      view,
      store,
      emit,
      advance,
      pending,
      dispose,
      fetched: () => fetched,
      answer: (c: ConversationCounts) => {
        answer = c;
      },
    };
  }

  it('fetches when the socket is live, and again after a reconnect', async () => {
    const s = setup();
    await settle();
    expect(s.fetched()).toBe(0);
    s.store.connection.value = 'live';
    await settle();
    expect(s.fetched()).toBe(1);
    expect(s.view.counts.value?.all).toEqual({ open: 7, unread: 2 });
    expect(s.view.teams.value).toEqual([{ id: 't-billing', name: 'Billing' }]);
    s.store.connection.value = 'reconnecting';
    s.store.connection.value = 'live';
    await settle();
    expect(s.fetched()).toBe(2);
  });

  it('a burst of message and conversation events refreshes once, a second later', async () => {
    const s = setup();
    s.store.connection.value = 'live';
    await settle();
    s.answer(counts({ all: { open: 8, unread: 3 } }));
    for (let i = 0; i < 5; i++) {
      s.emit('message:new');
      s.emit('conversation:updated');
    }
    s.advance(COUNTS_DEBOUNCE_MS - 1);
    await settle();
    expect(s.fetched()).toBe(1);
    s.advance(1);
    await settle();
    expect(s.fetched()).toBe(2);
    expect(s.view.counts.value?.all).toEqual({ open: 8, unread: 3 });
    expect(s.pending()).toBe(0);
  });

  it('a new mention refreshes the counts and reloads the Mentions view', async () => {
    const s = setup();
    s.store.setFilter({ view: 'mentions' });
    s.emit('mention');
    expect(s.store.loads).toBe(1);
    s.store.setFilter({ view: 'all' });
    s.emit('mention');
    expect(s.store.loads).toBe(1);
    s.advance(COUNTS_DEBOUNCE_MS);
    await settle();
    expect(s.fetched()).toBe(1);
  });

  it('goes back to All when the remembered inbox is no longer the agent’s', async () => {
    const s = setup();
    s.store.setFilter({ view: 'inbox:in-gone' });
    s.store.connection.value = 'live';
    await settle();
    expect(s.store.filter.value.view).toBe('all');
  });

  it('forgets the counts when the agent signs out', async () => {
    const s = setup();
    s.store.connection.value = 'live';
    await settle();
    s.store.agent.value = null;
    expect(s.view.counts.value).toBeNull();
    expect(s.view.teams.value).toBeNull();
  });
});
