import { describe, expect, it } from 'vitest';
import { wrapFocus } from './focus-trap.js';

describe('focus trap of the full-screen panel', () => {
  it('sends Tab from the last element to the first and Shift+Tab from the first to the last', () => {
    expect(wrapFocus(4, 5, false)).toBe(0);
    expect(wrapFocus(0, 5, true)).toBe(4);
  });

  it('lets the browser move focus between the elements in between', () => {
    expect(wrapFocus(1, 5, false)).toBe(-1);
    expect(wrapFocus(3, 5, true)).toBe(-1);
    expect(wrapFocus(4, 5, true)).toBe(-1);
  });

  it('brings focus that is outside the panel back in', () => {
    expect(wrapFocus(-1, 5, false)).toBe(0);
    expect(wrapFocus(-1, 5, true)).toBe(4);
    expect(wrapFocus(-1, 0, false)).toBe(-1);
  });
});
