import { describe, expect, it } from 'vitest';
import type { MentionView } from '@switchboard/contracts';
import { BEEP_GAP_MS, Notifier, contactLabel, mentionText, notificationText, shouldNotify, shouldNotifyMention, truncate, type Moment, type NotificationText } from './notify.js';
import { conversation, message } from './test-fixtures.js';

const ME = 'agent-me';
const mine = conversation('c1', { assigneeId: ME });
const elsewhere: Moment = { meId: ME, openId: 'c2', hidden: false };

describe('shouldNotify', () => {
  const cases: { name: string; msg?: Parameters<typeof shouldNotify>[0]; conv?: Parameters<typeof shouldNotify>[1]; at: Moment; notify: boolean }[] = [
    { name: 'my conversation, another one open', at: elsewhere, notify: true },
    { name: 'my conversation, none open', at: { ...elsewhere, openId: null }, notify: true },
    { name: 'my conversation, open, tab visible', at: { ...elsewhere, openId: 'c1' }, notify: false },
    { name: 'my conversation, open, tab hidden', at: { meId: ME, openId: 'c1', hidden: true }, notify: true },
    { name: 'assigned to someone else', conv: conversation('c1', { assigneeId: 'agent-other' }), at: elsewhere, notify: false },
    { name: 'unassigned', conv: conversation('c1', { assigneeId: null }), at: elsewhere, notify: false },
    { name: 'signed out', at: { ...elsewhere, meId: null }, notify: false },
    { name: 'a reply of the team', msg: message('c1', 3, { direction: 'out' }), at: elsewhere, notify: false },
    { name: 'a system message', msg: message('c1', 3, { author: { kind: 'system' } }), at: elsewhere, notify: false },
    { name: 'a deleted message', msg: message('c1', 3, { deletedAt: '2025-03-12T10:01:00.000Z' }), at: elsewhere, notify: false },
    { name: 'another conversation’s message', msg: message('c9', 3), at: elsewhere, notify: false },
  ];
  for (const c of cases) {
    it(`${c.notify ? 'notifies' : 'stays quiet'}: ${c.name}`, () => {
      expect(shouldNotify(c.msg ?? message('c1', 3), c.conv ?? mine, c.at)).toBe(c.notify);
    });
  }
});

describe('notificationText', () => {
  it('is titled with the contact, says the message and is tagged with the conversation', () => {
    expect(notificationText(message('c1', 3, { text: 'Where is my order?' }), mine)).toEqual({ title: 'Contact c1', body: 'Where is my order?', tag: 'c1' });
  });

  it('cuts a long message to 120 characters with an ellipsis, on one line', () => {
    const long = `First line\n\n${'word '.repeat(40)}`;
    const { body } = notificationText(message('c1', 3, { text: long }), mine);
    expect(body).toHaveLength(120);
    expect(body.endsWith('…')).toBe(true);
    expect(body.startsWith('First line word word')).toBe(true);
    expect(truncate('x'.repeat(120))).toBe('x'.repeat(120));
  });

  it('says what came when a message has no text', () => {
    const file = { kind: 'file' as const, ref: 'blob:1', name: 'a.pdf', mime: 'application/pdf', size: 10 };
    expect(notificationText(message('c1', 3, { text: undefined, attachments: [file] }), mine).body).toBe('Sent a file');
    expect(notificationText(message('c1', 3, { text: '  ', attachments: [file, file] }), mine).body).toBe('Sent 2 files');
  });

  it('names a contact like the list: name, handle, email, phone, else "Visitor" and the id’s end', () => {
    expect(contactLabel({ id: 'x', channel: 'telegram', handle: 'olga_k' })).toBe('olga_k');
    expect(contactLabel({ id: 'x', channel: 'email', name: ' ', email: 'olga@example.com' })).toBe('olga@example.com');
    expect(contactLabel({ id: 'contact-8f3a', channel: 'web' })).toBe('Visitor 8F3A');
  });
});

describe('Notifier', () => {
  function setup(at: Moment = elsewhere) {
    const shown: NotificationText[] = [];
    let beeps = 0;
    let now = 1_000_000;
    const n = new Notifier({ moment: () => at, show: (x) => shown.push(x), beep: () => beeps++, now: () => now });
    return { n, shown, beeps: () => beeps, advance: (ms: number) => (now += ms) };
  }

  it('notifies once the conversation that came with the message says it is mine', () => {
    const t = setup();
    t.n.messageNew(message('c1', 3, { text: 'Hi there' }));
    expect(t.shown).toEqual([]);
    t.n.conversationUpdated(mine);
    expect(t.shown).toEqual([{ title: 'Contact c1', body: 'Hi there', tag: 'c1' }]);
    expect(t.beeps()).toBe(1);
    // A later update of the conversation (assigned, read) is no message: nothing more.
    t.n.conversationUpdated(mine);
    expect(t.shown).toHaveLength(1);
  });

  it('stays quiet for a conversation of someone else, and for a status change without a message', () => {
    const t = setup();
    t.n.messageNew(message('c1', 3));
    t.n.conversationUpdated(conversation('c1', { assigneeId: 'agent-other' }));
    t.n.conversationUpdated(mine);
    expect(t.shown).toEqual([]);
    expect(t.beeps()).toBe(0);
  });

  it('beeps at most once per 2 s, while every message still gets its notification', () => {
    const t = setup();
    const arrive = (seq: number) => {
      t.n.messageNew(message('c1', seq));
      t.n.conversationUpdated(mine);
    };
    arrive(3);
    t.advance(500);
    arrive(4);
    t.advance(BEEP_GAP_MS - 600);
    arrive(5);
    expect(t.beeps()).toBe(1);
    t.advance(100);
    arrive(6);
    expect(t.beeps()).toBe(2);
    expect(t.shown.map((s) => s.body)).toEqual(['message 3', 'message 4', 'message 5', 'message 6']);
  });
});

describe('@mentions', () => {
  const mention = (over: Partial<MentionView> = {}): MentionView => ({
    id: 'm1',
    agentId: ME,
    conversationId: 'c7',
    ticketId: 't1',
    noteId: 'n1',
    byAgentId: 'agent-bob',
    byName: 'Bob Stone',
    excerpt: '@Me can you call her back about the refund?',
    createdAt: '2025-03-12T10:00:00.000Z',
    readAt: null,
    ...over,
  });
  function setup(at: Moment) {
    const shown: NotificationText[] = [];
    const seen: string[] = [];
    let beeps = 0;
    const n = new Notifier({ moment: () => at, show: (x) => shown.push(x), beep: () => beeps++, now: () => 5_000_000, mentionSeen: (id) => seen.push(id) });
    return { n, shown, seen, beeps: () => beeps };
  }

  it('notifies with who mentioned me and the note, in a conversation not assigned to me, and beeps', () => {
    const t = setup(elsewhere);
    t.n.mention(mention());
    expect(t.shown).toEqual([{ title: 'Bob Stone mentioned you in a note', body: '@Me can you call her back about the refund?', tag: 'c7' }]);
    expect(t.beeps()).toBe(1);
    expect(t.seen).toEqual([]);
  });

  it('in the conversation I am looking at: no notification, the mention counts as read', () => {
    const t = setup({ meId: ME, openId: 'c7', hidden: false });
    t.n.mention(mention());
    expect(t.shown).toEqual([]);
    expect(t.beeps()).toBe(0);
    expect(t.seen).toEqual(['c7']);
  });

  it('open but the tab hidden: notifies; a mention of someone else (or signed out): nothing', () => {
    expect(shouldNotifyMention(mention(), { meId: ME, openId: 'c7', hidden: true })).toBe(true);
    expect(shouldNotifyMention(mention({ agentId: 'agent-other' }), elsewhere)).toBe(false);
    expect(shouldNotifyMention(mention(), { ...elsewhere, meId: null })).toBe(false);
    const t = setup(elsewhere);
    t.n.mention(mention({ agentId: 'agent-other' }));
    expect(t.shown).toEqual([]);
    expect(t.seen).toEqual([]);
  });

  it('a long note is cut like a message', () => {
    expect(mentionText(mention({ excerpt: 'x'.repeat(140) })).body).toHaveLength(120);
  });
});
