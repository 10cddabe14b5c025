import { describe, expect, it } from 'vitest';
import { replaceSlash, slashQueryAt } from './slash.js';

describe('the composer’s "/" shortcut', () => {
  it('opens at the start of the reply or after whitespace, following what is typed', () => {
    expect(slashQueryAt('/', 1)).toEqual({ start: 0, query: '' });
    expect(slashQueryAt('/ref', 4)).toEqual({ start: 0, query: 'ref' });
    expect(slashQueryAt('Thanks!\n/ref', 12)).toEqual({ start: 8, query: 'ref' });
    expect(slashQueryAt('Thanks! /re and more', 11)).toEqual({ start: 8, query: 're' });
  });

  it('does not open inside a word, a path or a link, or once a space follows', () => {
    expect(slashQueryAt('and/or', 6)).toBeNull();
    expect(slashQueryAt('see https://x.example/a', 23)).toBeNull();
    expect(slashQueryAt('/ref ', 5)).toBeNull();
    expect(slashQueryAt('/a/b', 4)).toBeNull();
  });

  it('replaces "/query" with the text and puts the caret after it', () => {
    const text = 'Hello /ref and bye';
    const slash = slashQueryAt(text, 10)!;
    expect(replaceSlash(text, slash, 'Your refund is on its way.')).toEqual({ text: 'Hello Your refund is on its way. and bye', caret: 32 });
  });
});
