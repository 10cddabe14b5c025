import { describe, expect, it } from 'vitest';
import { neighbour, SHORTCUTS, shortcutFor, type KeyPress } from './shortcuts.js';

const press = (key: string, mods: Partial<KeyPress> = {}): KeyPress => ({ key, ctrlKey: false, metaKey: false, altKey: false, shiftKey: false, ...mods });

describe('shortcutFor', () => {
  it('maps the single keys to what they do', () => {
    expect(['j', 'k', 'r', 'n', 'e', 'a', '?'].map((k) => shortcutFor(press(k, k === '?' ? { shiftKey: true } : {}), false))).toEqual([
      'next',
      'previous',
      'reply',
      'note',
      'resolve',
      'assignee',
      'help',
    ]);
  });

  it('leaves keys typed into a text field, a select or contenteditable alone', () => {
    expect(shortcutFor(press('e'), true)).toBeNull();
    expect(shortcutFor(press('?', { shiftKey: true }), true)).toBeNull();
  });

  it('leaves keys with Ctrl, ⌘ or Alt to the browser, and Shift only to ?', () => {
    for (const mod of ['ctrlKey', 'metaKey', 'altKey'] as const) expect(shortcutFor(press('j', { [mod]: true }), false), mod).toBeNull();
    expect(shortcutFor(press('?', { ctrlKey: true, shiftKey: true }), false)).toBeNull();
    expect(shortcutFor(press('j', { shiftKey: true }), false)).toBeNull();
    expect(shortcutFor(press('?', { shiftKey: true }), false)).toBe('help');
  });

  it('ignores other keys, IME composition and keys a control already handled', () => {
    expect(shortcutFor(press('x'), false)).toBeNull();
    expect(shortcutFor(press('J'), false)).toBeNull();
    expect(shortcutFor(press('Enter'), false)).toBeNull();
    expect(shortcutFor(press('e', { isComposing: true }), false)).toBeNull();
    expect(shortcutFor(press('e', { defaultPrevented: true }), false)).toBeNull();
  });
});

describe('neighbour', () => {
  const ids = ['c1', 'c2', 'c3'];

  it('j opens the next conversation, k the previous one', () => {
    expect(neighbour(ids, 'c2', 1)).toBe('c3');
    expect(neighbour(ids, 'c2', -1)).toBe('c1');
  });

  it('stops at either end of the list', () => {
    expect(neighbour(ids, 'c3', 1)).toBeNull();
    expect(neighbour(ids, 'c1', -1)).toBeNull();
  });

  it('with nothing open, j starts at the top and k at the bottom', () => {
    expect(neighbour(ids, null, 1)).toBe('c1');
    expect(neighbour(ids, null, -1)).toBe('c3');
    expect(neighbour([], null, 1)).toBeNull();
  });

  it('goes on from where the open conversation stood after it left the list (resolved under the Open tab)', () => {
    const after = ['c1', 'c3'];
    expect(neighbour(after, 'c2', 1, { id: 'c2', index: 1 })).toBe('c3');
    expect(neighbour(after, 'c2', -1, { id: 'c2', index: 1 })).toBe('c1');
    expect(neighbour(['c1'], 'c2', 1, { id: 'c2', index: 1 })).toBe('c1');
    // A place remembered for another conversation says nothing about this one.
    expect(neighbour(after, 'c9', 1, { id: 'c2', index: 1 })).toBe('c1');
  });
});

describe('SHORTCUTS', () => {
  it('lists the single keys, / for search, and the ones the reply and note boxes already had', () => {
    const keys = SHORTCUTS.map((s) => s.keys.join('+'));
    expect(keys).toEqual(expect.arrayContaining(['J', 'K', 'R', 'N', 'E', 'A', '/', '?', 'Enter', 'Shift+Enter', 'Ctrl/⌘+K', 'Ctrl/⌘+Enter', 'Esc']));
  });
});
