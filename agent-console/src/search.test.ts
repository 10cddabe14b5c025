import { describe, expect, it } from 'vitest';
import { moveActive, searchable, searchPath, searchRows, type SearchResults } from './search.js';
import { SHORTCUTS, shortcutFor, type KeyPress } from './shortcuts.js';

const press = (key: string, mods: Partial<KeyPress> = {}): KeyPress => ({ key, ctrlKey: false, metaKey: false, altKey: false, shiftKey: false, ...mods });

const results: SearchResults = {
  messages: [{ conversationId: 'c1', messageId: 'm1', seq: 3, snippet: 'my <mark>parcel</mark>', channel: 'web', contactName: 'Olga', createdAt: '2026-01-01T00:00:00.000Z' }],
  contacts: [
    { id: 'p1', name: 'Olga', email: 'olga@example.test', phone: null, channel: 'web', conversationId: 'c1' },
    { id: 'p2', name: 'Oleg', email: null, phone: null, channel: 'telegram', conversationId: null },
  ],
  tickets: [{ id: 't1', number: 7, subject: 'Parcel lost', status: 'open', snippet: '<mark>Parcel</mark> lost', conversationId: 'c1' }],
};

describe('search', () => {
  it('/ opens it, outside text fields, with or without Shift (layouts differ), and the list of shortcuts names it', () => {
    expect(shortcutFor(press('/'), false)).toBe('search');
    expect(shortcutFor(press('/', { shiftKey: true }), false)).toBe('search');
    expect(shortcutFor(press('/'), true)).toBeNull();
    expect(shortcutFor(press('/', { ctrlKey: true }), false)).toBeNull();
    expect(SHORTCUTS.find((s) => s.keys.includes('/'))?.does).toMatch(/search/i);
  });

  it('sends only queries with a letter or digit', () => {
    expect(searchable('parcel')).toBe(true);
    expect(searchable('  42 ')).toBe(true);
    expect(searchable('заказ')).toBe(true);
    expect(searchable('???')).toBe(false);
    expect(searchable('   ')).toBe(false);
  });

  it('asks the API with the trimmed words, encoded', () => {
    expect(searchPath(' olga@example.test & co ', 5)).toBe('/api/v1/search?q=olga%40example.test+%26+co&limit=5');
  });

  it('lists conversations, then contacts, then tickets, each row with the conversation it opens', () => {
    expect(searchRows(results).map((r) => [r.kind, r.key, r.conversationId])).toEqual([
      ['message', 'm:m1', 'c1'],
      ['contact', 'c:p1', 'c1'],
      ['contact', 'c:p2', null],
      ['ticket', 't:t1', 'c1'],
    ]);
  });

  it('moves through the rows with the arrows, wrapping at both ends', () => {
    expect(moveActive(0, 1, 4)).toBe(1);
    expect(moveActive(3, 1, 4)).toBe(0);
    expect(moveActive(0, -1, 4)).toBe(3);
    expect(moveActive(0, 1, 0)).toBe(0);
  });
});
