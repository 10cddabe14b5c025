/**
 * The console's keyboard shortcuts: which key does what, and which conversation j / k lead to.
 * Pure logic; ui/shortcuts.tsx (loaded on the first such key) acts on it.
 */

import { t } from './i18n/shortcuts.js';

export type ShortcutAction = 'next' | 'previous' | 'reply' | 'note' | 'resolve' | 'assignee' | 'snooze' | 'search' | 'help';

const ACTIONS: Record<string, ShortcutAction> = { j: 'next', k: 'previous', r: 'reply', n: 'note', e: 'resolve', a: 'assignee', z: 'snooze', '/': 'search', '?': 'help' };

/** What of a keydown decides whether it is a shortcut. */
export interface KeyPress {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
  isComposing?: boolean;
  defaultPrevented?: boolean;
}

/**
 * The shortcut a key press means, or null. `inField`: the key was typed into a text field, a
 * select or something contenteditable — those keep their keys. Only `?` and `/` may be typed with Shift
 * (it needs it on most layouts); Ctrl, ⌘ and Alt leave every key to the browser.
 */
export function shortcutFor(e: KeyPress, inField: boolean): ShortcutAction | null {
  if (inField || e.isComposing || e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey) return null;
  const action = ACTIONS[e.key] ?? null;
  // Some layouts need Shift for / as well (Shift+7 on a German keyboard).
  if (e.shiftKey && action !== 'help' && action !== 'search') return null;
  return action;
}

/** Where the open conversation last stood in the list, so j / k go on from there once it left it. */
export interface ListPlace {
  id: string;
  index: number;
}

/**
 * The conversation j (`step` 1) or k (-1) opens, or null when there is none to go to. Nothing open:
 * j starts at the top, k at the bottom. The open conversation no longer in the list (resolved
 * while the Open tab shows): the one that took its place (j) or the one above it (k), by `last`.
 */
export function neighbour(ids: readonly string[], current: string | null, step: 1 | -1, last?: ListPlace | null): string | null {
  if (ids.length === 0) return null;
  const at = current ? ids.indexOf(current) : -1;
  let target: number;
  if (at >= 0) target = at + step;
  else if (current && last?.id === current) target = step === 1 ? last.index : last.index - 1;
  else target = step === 1 ? 0 : ids.length - 1;
  target = Math.min(target, ids.length - 1);
  return target >= 0 && ids[target] !== current ? ids[target]! : null;
}

/** Every shortcut as the overlay (`?`) and docs/console.md list them: keys, then what they do (in the console's language). */
export const SHORTCUTS: readonly { keys: readonly string[]; readonly does: string }[] = (
  [
    [['J'], 'next'],
    [['K'], 'previous'],
    [['R'], 'reply'],
    [['N'], 'noteWrite'],
    [['E'], 'resolve'],
    [['A'], 'assignee'],
    [['Z'], 'snooze'],
    [['/'], 'search'],
    [['?'], 'help'],
    [['Enter'], 'send'],
    [['Shift', 'Enter'], 'newLine'],
    [['Ctrl/⌘', 'K'], 'article'],
    [['Ctrl/⌘', 'Enter'], 'addNote'],
    [['Esc'], 'closeList'],
  ] as const
).map(([keys, what]) => ({
  keys,
  get does() {
    return t(what);
  },
}));
