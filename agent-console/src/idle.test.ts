import { describe, expect, it } from 'vitest';
import { IDLE_AFTER_MS, IdleTracker } from './idle.js';

const MIN = 60_000;

describe('IdleTracker', () => {
  it('sets an online agent away after ten idle minutes, once, and back online on activity', () => {
    let clock = 0;
    const idle = new IdleTracker(clock);
    clock += IDLE_AFTER_MS - 1;
    expect(idle.tick(clock)).toBeNull();
    clock += 1;
    expect(idle.tick(clock)).toEqual({ status: 'away', auto: true });
    clock += MIN;
    expect(idle.tick(clock)).toBeNull();
    expect(idle.activity(clock)).toEqual({ status: 'online', auto: true });
    expect(idle.activity(clock + 1)).toBeNull();
  });

  it('activity keeps the agent online', () => {
    let clock = 0;
    const idle = new IdleTracker(clock);
    for (let i = 0; i < 5; i++) {
      clock += 9 * MIN;
      expect(idle.activity(clock)).toBeNull();
      expect(idle.tick(clock)).toBeNull();
    }
    expect(idle.tick(clock + IDLE_AFTER_MS)).toEqual({ status: 'away', auto: true });
  });

  it('never overrides a status the agent chose', () => {
    let clock = 0;
    const idle = new IdleTracker(clock);
    idle.chosen('away', clock);
    expect(idle.activity((clock += MIN))).toBeNull();
    idle.chosen('offline', clock);
    expect(idle.tick((clock += 2 * IDLE_AFTER_MS))).toBeNull();
    expect(idle.activity((clock += MIN))).toBeNull();
    // Choosing online again hands the agent back to idleness, counted from the choice.
    idle.chosen('online', clock);
    expect(idle.tick(clock + IDLE_AFTER_MS - 1)).toBeNull();
    expect(idle.tick(clock + IDLE_AFTER_MS)).toEqual({ status: 'away', auto: true });
  });

  it('follows what the server says: another tab went away by itself, activity here brings the agent back', () => {
    let clock = 0;
    const idle = new IdleTracker(clock);
    idle.known('away', true);
    expect(idle.activity((clock += 1000))).toEqual({ status: 'online', auto: true });
    idle.known('away', false);
    expect(idle.activity((clock += 1000))).toBeNull();
  });
});
