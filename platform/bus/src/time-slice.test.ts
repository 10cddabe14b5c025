import { describe, expect, it } from 'vitest';
import { timeSlicer } from './time-slice.js';

/** Holds the thread like a handler whose store answers without real I/O. */
function busy(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // spinning on purpose
  }
}

describe('timeSlicer', () => {
  it('lets a timer run in the middle of a burst of handlers, and keeps their order', async () => {
    const turn = timeSlicer(10);
    const done: number[] = [];
    let doneWhenTimerRan = -1;
    const timer = new Promise<void>((resolve) =>
      setTimeout(() => {
        doneWhenTimerRan = done.length;
        resolve();
      }, 0),
    );
    const handlers = Array.from({ length: 20 }, async (_, i) => {
      await turn();
      busy(3);
      done.push(i);
    });
    await Promise.all([...handlers, timer]);
    expect(done).toEqual(Array.from({ length: 20 }, (_, i) => i));
    // Without turns all 20 (60 ms of work) would finish before the timer got its chance.
    expect(doneWhenTimerRan).toBeGreaterThan(0);
    expect(doneWhenTimerRan).toBeLessThan(20);
  });

  it('lets a handler go at once while its slice lasts and nobody waits', async () => {
    const turn = timeSlicer(1_000);
    await turn(); // the first turn starts a slice
    expect(turn()).toBeUndefined();
    expect(turn()).toBeUndefined();
  });
});
