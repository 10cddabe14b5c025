import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createTypingIndicator, createTypingNotifier } from './typing.js';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('typing signal to the agent', () => {
  it('says "typing" at most once every 2 s while the visitor types', () => {
    const emitted: boolean[] = [];
    const t = createTypingNotifier({ emit: (v) => emitted.push(v) });
    for (let i = 0; i < 10; i++) {
      t.input('hel'.slice(0, (i % 3) + 1));
      vi.advanceTimersByTime(300); // a keystroke every 300 ms for 3 s
    }
    expect(emitted).toEqual([true, true]);
  });

  it('says "stopped" after 3 s without a keystroke', () => {
    const emitted: boolean[] = [];
    const t = createTypingNotifier({ emit: (v) => emitted.push(v) });
    t.input('h');
    vi.advanceTimersByTime(2999);
    expect(emitted).toEqual([true]);
    vi.advanceTimersByTime(1);
    expect(emitted).toEqual([true, false]);
  });

  it('says "stopped" on send or blur, once, and when the composer is emptied', () => {
    const emitted: boolean[] = [];
    const t = createTypingNotifier({ emit: (v) => emitted.push(v) });
    t.input('hi');
    t.stop();
    t.stop();
    vi.advanceTimersByTime(5000);
    expect(emitted).toEqual([true, false]);
    t.input('x');
    t.input('');
    expect(emitted).toEqual([true, false, true, false]);
  });
});

describe('"<name> is typing…" shown to the visitor', () => {
  it('hides by itself 6 s after the last signal', () => {
    const shown: Array<string | null> = [];
    const ind = createTypingIndicator((name) => shown.push(name));
    ind.update(true, 'Anna');
    vi.advanceTimersByTime(5000);
    ind.update(true, 'Anna'); // still typing: the 6 s start again
    vi.advanceTimersByTime(5999);
    expect(shown.at(-1)).toBe('Anna');
    vi.advanceTimersByTime(1);
    expect(shown.at(-1)).toBeNull();
  });

  it('hides at once when the agent stops', () => {
    const shown: Array<string | null> = [];
    const ind = createTypingIndicator((name) => shown.push(name));
    ind.update(true, 'Anna');
    ind.update(false, 'Anna');
    expect(shown).toEqual(['Anna', null]);
  });
});
