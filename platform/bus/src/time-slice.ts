/**
 * Turns for consumed messages, so a burst of them shares the event loop with everything else.
 *
 * One read from the broker's socket can hand the bus a hundred deliveries at once. Handled back
 * to back (the embedded store answers without real I/O, so nothing in between yields), they held
 * the event loop for 60–200 ms at a time in `bench/ingest.ts`: webhooks waited unread in the
 * kernel's socket buffers, where no in-flight limit could see them, and agents' sockets stalled.
 *
 * So each handler first takes a turn. While the current slice is younger than `sliceMs` and
 * nobody waits, it goes on at once. Otherwise it queues, and a pump run from `setImmediate`
 * starts a new slice and lets the queue go, in order, until the slice is used up; the rest wait
 * for the next loop iteration, after the loop has polled for I/O again.
 */
export function timeSlicer(sliceMs: number): () => Promise<void> | undefined {
  let sliceStart = -Infinity;
  const waiting: (() => void)[] = [];
  let pumpScheduled = false;

  const pump = async () => {
    pumpScheduled = false;
    sliceStart = performance.now();
    while (waiting.length > 0 && performance.now() - sliceStart <= sliceMs) {
      waiting.shift()!();
      // Let the released handler run up to its first real wait before the clock is read again.
      await undefined;
    }
    if (waiting.length > 0) schedule();
  };
  const schedule = () => {
    if (pumpScheduled) return;
    pumpScheduled = true;
    setImmediate(() => void pump());
  };

  return () => {
    if (waiting.length === 0 && performance.now() - sliceStart <= sliceMs) return undefined;
    return new Promise<void>((resolve) => {
      waiting.push(resolve);
      schedule();
    });
  };
}
