import { describe, expect, it } from 'vitest';
import {
  avatarHue,
  comparatorFor,
  contactDetail,
  contactName,
  initials,
  listParams,
  matchesFilter,
  mergePage,
  preview,
  totalUnread,
  upsertConversation,
  type ListFilter,
} from './conversations.js';
import { conversation as conv } from './test-fixtures.js';

const openAll: ListFilter = { status: 'open', assignee: 'all' };
const ids = (list: { id: string }[]) => list.map((c) => c.id);

describe('which conversations a filter shows', () => {
  it('matches status tabs and the All tab', () => {
    const pending = conv('a', { status: 'pending' });
    expect(matchesFilter(pending, { status: 'pending', assignee: 'all' }, 'me')).toBe(true);
    expect(matchesFilter(pending, { status: 'open', assignee: 'all' }, 'me')).toBe(false);
    expect(matchesFilter(pending, { status: 'all', assignee: 'all' }, 'me')).toBe(true);
  });

  it('Mine shows only mine, Unassigned only nobody’s', () => {
    const mine = conv('a', { assigneeId: 'agent-1' });
    const theirs = conv('b', { assigneeId: 'agent-2' });
    const nobody = conv('c');
    const mineFilter: ListFilter = { status: 'all', assignee: 'me' };
    const unassigned: ListFilter = { status: 'all', assignee: 'unassigned' };
    expect([mine, theirs, nobody].filter((c) => matchesFilter(c, mineFilter, 'agent-1')).map((c) => c.id)).toEqual(['a']);
    expect([mine, theirs, nobody].filter((c) => matchesFilter(c, unassigned, 'agent-1')).map((c) => c.id)).toEqual(['c']);
  });
});

describe('live updates to the list', () => {
  const list = [
    conv('a', { updatedAt: '2025-03-12T10:03:00.000Z' }),
    conv('b', { updatedAt: '2025-03-12T10:02:00.000Z' }),
    conv('c', { updatedAt: '2025-03-12T10:01:00.000Z' }),
  ];

  it('moves a conversation with a new message to the top with its unread count', () => {
    const next = upsertConversation(list, conv('c', { updatedAt: '2025-03-12T10:05:00.000Z', unreadCount: 2 }), openAll, 'me');
    expect(ids(next)).toEqual(['c', 'a', 'b']);
    expect(next[0]?.unreadCount).toBe(2);
  });

  it('adds a brand-new conversation in its place', () => {
    const next = upsertConversation(list, conv('new', { updatedAt: '2025-03-12T10:02:30.000Z' }), openAll, 'me');
    expect(ids(next)).toEqual(['a', 'new', 'b', 'c']);
  });

  it('removes a conversation resolved while the Open tab is showing', () => {
    const next = upsertConversation(list, conv('a', { status: 'resolved', updatedAt: '2025-03-12T10:06:00.000Z' }), openAll, 'me');
    expect(ids(next)).toEqual(['b', 'c']);
  });

  it('does not add a conversation that does not match the filters', () => {
    const next = upsertConversation(list, conv('x', { assigneeId: 'someone' }), { status: 'open', assignee: 'me' }, 'me');
    expect(ids(next)).toEqual(['a', 'b', 'c']);
  });

  it('ignores a late, older version (e.g. an action response overtaken by a socket event)', () => {
    const newer = upsertConversation(list, conv('b', { updatedAt: '2025-03-12T10:09:00.000Z', unreadCount: 3 }), openAll, 'me');
    const stale = upsertConversation(newer, conv('b', { updatedAt: '2025-03-12T10:02:00.000Z', unreadCount: 0 }), openAll, 'me');
    expect(stale[0]).toMatchObject({ id: 'b', unreadCount: 3 });
  });

  it('takes a same-time update, such as unread going to 0 after reading', () => {
    const next = upsertConversation(list, conv('b', { updatedAt: '2025-03-12T10:02:00.000Z', unreadCount: 0 }), openAll, 'me');
    expect(next.find((c) => c.id === 'b')?.unreadCount).toBe(0);
  });

  it('sums unread for the tab title', () => {
    expect(totalUnread([conv('a', { unreadCount: 2 }), conv('b', { unreadCount: 0 }), conv('c', { unreadCount: 5 })])).toBe(7);
  });
});

describe('views and sorts', () => {
  const at = (m: number) => new Date(Date.parse('2025-03-12T10:00:00.000Z') + m * 60_000).toISOString();

  it('asks the server for each view with its parameters', () => {
    expect(listParams({ status: 'open', assignee: 'me' })).toEqual({ status: 'open', assignee: 'me', sort: 'newest' });
    expect(listParams({ status: 'all', assignee: 'all', view: 'mentions', sort: 'sla' })).toEqual({ status: 'all', assignee: 'all', mentioned: 'me', sort: 'sla' });
    expect(listParams({ status: 'open', assignee: 'all', view: 'inbox:in-1' })).toEqual({ status: 'open', assignee: 'all', inboxId: 'in-1', sort: 'newest' });
    expect(listParams({ status: 'pending', assignee: 'all', view: 'team:t-1', sort: 'oldest' })).toEqual({ status: 'pending', assignee: 'all', teamId: 't-1', sort: 'oldest' });
  });

  it('an inbox or team view shows its own conversations; Mentions keeps only what the server listed', () => {
    const inbox: ListFilter = { status: 'open', assignee: 'all', view: 'inbox:in-1' };
    const team: ListFilter = { status: 'open', assignee: 'all', view: 'team:t-1' };
    const mentions: ListFilter = { status: 'open', assignee: 'all', view: 'mentions' };
    expect(matchesFilter(conv('a', { inboxId: 'in-1' }), inbox, 'me')).toBe(true);
    expect(matchesFilter(conv('a', { inboxId: 'in-2' }), inbox, 'me')).toBe(false);
    expect(matchesFilter(conv('a', { teamId: 't-1' }), team, 'me')).toBe(true);
    expect(matchesFilter(conv('a', { teamId: null }), team, 'me')).toBe(false);
    expect(matchesFilter(conv('a'), mentions, 'me')).toBe(false);
    expect(matchesFilter(conv('a'), mentions, 'me', true)).toBe(true);
    expect(matchesFilter(conv('a', { status: 'resolved' }), mentions, 'me', true)).toBe(false);
  });

  it('a conversation moved to another team leaves the team view; one moved in appears', () => {
    const team: ListFilter = { status: 'open', assignee: 'all', view: 'team:t-1' };
    const list = [conv('a', { teamId: 't-1' }), conv('b', { teamId: 't-1' })];
    expect(ids(upsertConversation(list, conv('a', { teamId: 't-2' }), team, 'me'))).toEqual(['b']);
    expect(ids(upsertConversation(list, conv('c', { teamId: 't-1', updatedAt: at(5) }), team, 'me'))).toEqual(['c', 'a', 'b']);
  });

  it('orders like the server: oldest created, waiting longest, nearest SLA, the rest newest first', () => {
    const list = [
      conv('answered-old', { createdAt: at(1), updatedAt: at(10), waitingSince: null, slaDueAt: null }),
      conv('waits-short', { createdAt: at(2), updatedAt: at(30), waitingSince: at(25), slaDueAt: at(90) }),
      conv('waits-long', { createdAt: at(3), updatedAt: at(20), waitingSince: at(5), slaDueAt: at(60) }),
      conv('answered-new', { createdAt: at(4), updatedAt: at(40) }),
    ];
    const sorted = (sort: 'newest' | 'oldest' | 'waiting' | 'sla') => ids([...list].sort(comparatorFor(sort)));
    expect(sorted('newest')).toEqual(['answered-new', 'waits-short', 'waits-long', 'answered-old']);
    expect(sorted('oldest')).toEqual(['answered-old', 'waits-short', 'waits-long', 'answered-new']);
    expect(sorted('waiting')).toEqual(['waits-long', 'waits-short', 'answered-new', 'answered-old']);
    expect(sorted('sla')).toEqual(['waits-long', 'waits-short', 'answered-new', 'answered-old']);
  });

  it('live updates keep the chosen sort: an agent reply moves a conversation behind the waiting ones', () => {
    const waiting: ListFilter = { status: 'open', assignee: 'all', sort: 'waiting' };
    const list = [conv('long', { waitingSince: at(1) }), conv('short', { waitingSince: at(5) })];
    const replied = upsertConversation(list, conv('long', { waitingSince: null, updatedAt: at(50) }), waiting, 'me');
    expect(ids(replied)).toEqual(['short', 'long']);
    expect(ids(mergePage([], [conv('x'), conv('y', { waitingSince: at(2) })], { replace: true, sort: 'waiting' }))).toEqual(['y', 'x']);
  });
});

describe('merging fetched pages', () => {
  it('appends the next page without duplicates', () => {
    const held = [conv('a', { updatedAt: '2025-03-12T10:03:00.000Z' }), conv('b', { updatedAt: '2025-03-12T10:02:00.000Z' })];
    const page = [conv('b', { updatedAt: '2025-03-12T10:02:00.000Z' }), conv('c', { updatedAt: '2025-03-12T10:01:00.000Z' })];
    expect(ids(mergePage(held, page, { replace: false }))).toEqual(['a', 'b', 'c']);
  });

  it('after a reconnect, drops conversations the server no longer lists but keeps fresher held versions', () => {
    const held = [
      conv('gone', { updatedAt: '2025-03-12T10:04:00.000Z' }),
      conv('a', { updatedAt: '2025-03-12T10:09:00.000Z', unreadCount: 4 }),
    ];
    const page = [conv('a', { updatedAt: '2025-03-12T10:03:00.000Z', unreadCount: 1 }), conv('b', { updatedAt: '2025-03-12T10:02:00.000Z' })];
    const next = mergePage(held, page, { replace: true });
    expect(ids(next)).toEqual(['a', 'b']);
    expect(next[0]?.unreadCount).toBe(4);
  });

  it('keeps a conversation a socket event added while the page was loading', () => {
    const held = [conv('fresh', { updatedAt: '2025-03-12T10:10:00.000Z' })];
    const next = mergePage(held, [conv('a')], { replace: true, keep: new Set(['fresh']) });
    expect(ids(next)).toEqual(['fresh', 'a']);
  });
});

describe('how contacts and previews read', () => {
  it('names a contact by name, then handle, email or phone, then a visitor label', () => {
    expect(contactName({ id: 'c1', channel: 'web', name: 'Maria Lopez' })).toBe('Maria Lopez');
    expect(contactName({ id: 'c1', channel: 'telegram', handle: 'maria_l' })).toBe('maria_l');
    expect(contactName({ id: 'c1', channel: 'whatsapp', phone: '+34 600 000 000' })).toBe('+34 600 000 000');
    expect(contactName({ id: 'contact-9f3a', channel: 'web', name: '  ' })).toBe('Visitor 9F3A');
  });

  it('shows how to reach the contact without repeating the name', () => {
    expect(contactDetail({ id: 'c', channel: 'telegram', name: 'Maria', handle: 'maria_l' })).toBe('@maria_l');
    expect(contactDetail({ id: 'c', channel: 'email', name: 'a@b.c', email: 'a@b.c' })).toBe('');
  });

  it('makes avatar initials from the first and last word', () => {
    expect(initials('Maria Lopez Garcia')).toBe('MG');
    expect(initials('maria')).toBe('M');
    expect(initials('+34 600')).toBe('36');
    expect(initials('')).toBe('?');
  });

  it('gives neighbouring contacts clearly different avatar colours, the same one every time', () => {
    const hues = ['k-c1', 'k-c2', 'k-c3', 'k-c4', 'k-c5', 'k-c6', 'k-c7'].map(avatarHue);
    expect(new Set(hues.map((h) => Math.floor(h / 30))).size).toBeGreaterThanOrEqual(5);
    expect(avatarHue('k-c1')).toBe(hues[0]);
  });

  it('previews the last message on one line and marks team replies', () => {
    expect(preview(conv('a', { lastMessage: { text: 'line one\n\nline two', direction: 'in', at: '2025-03-12T10:00:00Z' } }))).toEqual({
      text: 'line one line two',
      outbound: false,
    });
    expect(preview(conv('a', { lastMessage: { direction: 'out', at: '2025-03-12T10:00:00Z' } }))).toEqual({ text: 'Attachment', outbound: true });
    expect(preview(conv('a', { lastMessage: null })).text).toBe('No messages yet');
  });
});
