import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TypingSender, type Clock } from './typing.js';

const clock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

describe('typing signal sent to the contact', () => {
  let sent: boolean[];
  let sender: TypingSender;
  beforeEach(() => {
    vi.useFakeTimers();
    sent = [];
    sender = new TypingSender((t) => sent.push(t), clock);
  });
  afterEach(() => vi.useRealTimers());

  it('says "typing" on the first keystroke, then at most once every 2 s while typing', () => {
    sender.input();
    for (let i = 0; i < 10; i++) {
      vi.advanceTimersByTime(300); // 3 s of steady typing
      sender.input();
    }
    expect(sent).toEqual([true, true]);
  });

  it('stops after 3 s without a keystroke', () => {
    sender.input();
    vi.advanceTimersByTime(2999);
    expect(sent).toEqual([true]);
    vi.advanceTimersByTime(1);
    expect(sent).toEqual([true, false]);
  });

  it('stops at once when the reply is sent, and only once', () => {
    sender.input();
    sender.stop();
    sender.stop();
    vi.advanceTimersByTime(5000);
    expect(sent).toEqual([true, false]);
  });

  it('starts again straight away after stopping', () => {
    sender.input();
    sender.stop();
    sender.input();
    expect(sent).toEqual([true, false, true]);
  });

  it('sends nothing when stopped without typing', () => {
    sender.stop();
    expect(sent).toEqual([]);
  });
});
