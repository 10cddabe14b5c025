import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LatestDebounced } from './debounce.js';

/** A request whose answers the test releases one by one. */
function gatedRequest() {
  const calls: { input: string; resolve: (v: string) => void; reject: (e: unknown) => void }[] = [];
  const run = (input: string) => new Promise<string>((resolve, reject) => calls.push({ input, resolve, reject }));
  return { calls, run };
}

describe('debounced request, newest answer only', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  function setup() {
    const req = gatedRequest();
    const done: string[] = [];
    const failed: unknown[] = [];
    const d = new LatestDebounced<string, string>(req.run, (r, input) => done.push(`${input}→${r}`), (e) => failed.push(e), 300);
    return { req, done, failed, d };
  }

  it('runs once, with the last input, after 300 ms of quiet', async () => {
    const { req, done, d } = setup();
    d.schedule('#');
    await vi.advanceTimersByTimeAsync(200);
    d.schedule('# T');
    await vi.advanceTimersByTimeAsync(200);
    d.schedule('# Title');
    await vi.advanceTimersByTimeAsync(299);
    expect(req.calls).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(req.calls.map((c) => c.input)).toEqual(['# Title']);
    req.calls[0]!.resolve('<h1>Title</h1>');
    await vi.advanceTimersByTimeAsync(0);
    expect(done).toEqual(['# Title→<h1>Title</h1>']);
  });

  it('drops a slow answer to an older input', async () => {
    const { req, done, d } = setup();
    d.schedule('old');
    await vi.advanceTimersByTimeAsync(300);
    d.schedule('new');
    await vi.advanceTimersByTimeAsync(300);
    expect(req.calls.map((c) => c.input)).toEqual(['old', 'new']);
    req.calls[1]!.resolve('NEW');
    req.calls[0]!.resolve('OLD');
    await vi.advanceTimersByTimeAsync(0);
    expect(done).toEqual(['new→NEW']);
  });

  it('now() runs at once and supersedes what was scheduled or in flight', async () => {
    const { req, done, d } = setup();
    d.schedule('typed');
    d.now('opened');
    expect(req.calls.map((c) => c.input)).toEqual(['opened']);
    await vi.advanceTimersByTimeAsync(1000);
    expect(req.calls).toHaveLength(1);
    req.calls[0]!.resolve('ok');
    await vi.advanceTimersByTimeAsync(0);
    expect(done).toEqual(['opened→ok']);
  });

  it('reports a failure only for the newest input', async () => {
    const { req, failed, d } = setup();
    d.now('a');
    d.now('b');
    req.calls[0]!.reject(new Error('late failure'));
    req.calls[1]!.reject(new Error('current failure'));
    await vi.advanceTimersByTimeAsync(0);
    expect(failed).toEqual([new Error('current failure')]);
  });

  it('cancel() forgets what is scheduled and in flight', async () => {
    const { req, done, d } = setup();
    d.now('in flight');
    d.schedule('scheduled');
    d.cancel();
    await vi.advanceTimersByTimeAsync(1000);
    req.calls[0]!.resolve('x');
    await vi.advanceTimersByTimeAsync(0);
    expect(req.calls).toHaveLength(1);
    expect(done).toEqual([]);
  });
});
