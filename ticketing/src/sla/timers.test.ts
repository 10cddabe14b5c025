import { describe, expect, it } from 'vitest';
import {
  applyTicketEvent,
  checkBreach,
  pause,
  remaining,
  resume,
  retarget,
  startTimer,
  stop,
  type SlaTicketEvent,
} from './timers.js';
import type { BusinessCalendar, SlaPolicy, SlaTimer } from './types.js';

/** Berlin office, Monday–Friday 9–18. 2025-01-10 is a Friday, 2025-01-13 a Monday. */
const cal: BusinessCalendar = {
  timezone: 'Europe/Berlin',
  weekly: ([1, 2, 3, 4, 5] as const).map((day) => ({ day, start: '09:00', end: '18:00' })),
  holidays: [],
};
const at = (local: string): Date => new Date(`${local}+01:00`);

const policy: SlaPolicy = {
  low: { resolution: 2400 },
  normal: { first_response: 120, next_response: 240, resolution: 960 },
  high: { first_response: 60, next_response: 120, resolution: 480 },
  urgent: { first_response: 15, next_response: 30, resolution: 240 },
};

describe('a single timer', () => {
  it('starts running, due after the target in business time', () => {
    const t = startTimer(cal, 'first_response', 60, at('2025-01-10T17:30'));
    expect(t).toEqual({
      metric: 'first_response',
      targetMinutes: 60,
      usedMinutes: 0,
      runningSince: at('2025-01-10T17:30'),
      dueAt: at('2025-01-13T09:30'),
      status: 'running',
    });
  });

  it('stops the clock while paused, over a weekend too, and resumes with what was left', () => {
    const started = startTimer(cal, 'resolution', 120, at('2025-01-10T17:00')); // due Monday 10:00
    const paused = pause(cal, started, at('2025-01-10T17:30'));
    expect(paused).toMatchObject({ status: 'paused', usedMinutes: 30, runningSince: null, dueAt: null });
    expect(remaining(cal, paused, at('2025-01-13T16:00'))).toBe(90); // nothing used while paused
    const resumed = resume(cal, paused, at('2025-01-13T11:00'));
    expect(resumed).toMatchObject({ status: 'running', usedMinutes: 30, runningSince: at('2025-01-13T11:00'), dueAt: at('2025-01-13T12:30') });
    expect(remaining(cal, resumed, at('2025-01-13T12:00'))).toBe(30);
  });

  it('leaves timers alone where an operation does not apply (the same object back)', () => {
    const running = startTimer(cal, 'resolution', 120, at('2025-01-13T09:00'));
    expect(resume(cal, running, at('2025-01-13T10:00'))).toBe(running);
    const paused = pause(cal, running, at('2025-01-13T10:00'));
    expect(pause(cal, paused, at('2025-01-13T11:00'))).toBe(paused);
    const met = stop(cal, running, at('2025-01-13T10:00'));
    expect(pause(cal, met, at('2025-01-13T11:00'))).toBe(met);
    expect(resume(cal, met, at('2025-01-13T11:00'))).toBe(met);
    expect(stop(cal, met, at('2025-01-13T12:00'))).toBe(met);
    expect(retarget(cal, met, 30, at('2025-01-13T12:00'))).toBe(met);
  });

  it('retargets keeping the minutes used', () => {
    const t = startTimer(cal, 'resolution', 240, at('2025-01-13T09:00')); // due 13:00
    expect(retarget(cal, t, 60, at('2025-01-13T09:30')).dueAt).toEqual(at('2025-01-13T10:00'));
    expect(retarget(cal, t, 480, at('2025-01-13T09:30')).dueAt).toEqual(at('2025-01-13T17:00'));
    // 30 minutes used before a pause, running again from 11:00: 60 − 30 left → 11:30.
    const again = resume(cal, pause(cal, t, at('2025-01-13T09:30')), at('2025-01-13T11:00'));
    const tighter = retarget(cal, again, 60, at('2025-01-13T11:10'));
    expect(tighter).toMatchObject({ status: 'running', targetMinutes: 60, usedMinutes: 30, dueAt: at('2025-01-13T11:30') });
    // Paused: only the target changes; resuming uses it.
    const pausedRetargeted = retarget(cal, pause(cal, t, at('2025-01-13T09:30')), 90, at('2025-01-13T10:00'));
    expect(pausedRetargeted).toMatchObject({ status: 'paused', targetMinutes: 90, dueAt: null });
    expect(resume(cal, pausedRetargeted, at('2025-01-13T14:00')).dueAt).toEqual(at('2025-01-13T15:00'));
  });

  it('reports a breach once, at dueAt', () => {
    const t = startTimer(cal, 'first_response', 60, at('2025-01-10T17:30')); // due Monday 9:30
    expect(checkBreach(t, at('2025-01-13T09:29'))).toBe(t);
    const breached = checkBreach(t, at('2025-01-13T10:00'));
    expect(breached).toMatchObject({ status: 'breached', breachedAt: at('2025-01-13T09:30') });
    expect(checkBreach(breached, at('2025-01-13T11:00'))).toBe(breached);
    expect(remaining(cal, breached, at('2025-01-13T10:00'))).toBe(-30);
  });

  it('is met before it is due', () => {
    const t = startTimer(cal, 'first_response', 60, at('2025-01-13T09:00'));
    const met = stop(cal, t, at('2025-01-13T09:40'));
    expect(met).toMatchObject({ status: 'met', metAt: at('2025-01-13T09:40'), usedMinutes: 40, runningSince: null, dueAt: null });
    expect(met.breachedAt).toBeUndefined();
    expect(remaining(cal, met, at('2025-01-14T12:00'))).toBe(20);
  });

  it('stays breached when the answer comes after the breach', () => {
    const t = startTimer(cal, 'first_response', 60, at('2025-01-13T09:00'));
    const breached = checkBreach(t, at('2025-01-13T10:05'));
    const answered = stop(cal, breached, at('2025-01-13T10:30'));
    expect(answered).toMatchObject({
      status: 'breached',
      breachedAt: at('2025-01-13T10:00'),
      metAt: at('2025-01-13T10:30'),
      usedMinutes: 90,
    });
    expect(stop(cal, answered, at('2025-01-13T11:00'))).toBe(answered); // metAt is set once
    expect(remaining(cal, answered, at('2025-01-14T12:00'))).toBe(-30);
  });

  it('counts an answer after dueAt as a breach even if nobody checked in time', () => {
    const t = startTimer(cal, 'first_response', 60, at('2025-01-13T09:00'));
    expect(stop(cal, t, at('2025-01-13T10:30'))).toMatchObject({ status: 'breached', breachedAt: at('2025-01-13T10:00') });
    expect(pause(cal, t, at('2025-01-13T10:30'))).toMatchObject({ status: 'breached', breachedAt: at('2025-01-13T10:00') });
  });
});

describe('applyTicketEvent', () => {
  const apply = (timers: SlaTimer[], event: SlaTicketEvent, when: string, priority: keyof SlaPolicy = 'normal'): SlaTimer[] =>
    applyTicketEvent(cal, policy, priority, timers, event, at(when));
  const summary = (timers: SlaTimer[]): string[] => timers.map((t) => `${t.metric}:${t.status}`);

  it('starts first response and resolution on creation, only for metrics with a target', () => {
    const normal = apply([], { type: 'created' }, '2025-01-13T09:00');
    expect(summary(normal)).toEqual(['first_response:running', 'resolution:running']);
    expect(normal[0]!.dueAt).toEqual(at('2025-01-13T11:00'));
    expect(normal[1]!.dueAt).toEqual(at('2025-01-14T16:00')); // 960 min = 9 h Monday + 7 h Tuesday
    expect(summary(apply([], { type: 'created' }, '2025-01-13T09:00', 'low'))).toEqual(['resolution:running']);
    expect(apply(normal, { type: 'created' }, '2025-01-13T10:00')).toEqual(normal); // a replay changes nothing
  });

  it('runs a conversation: reply, customer again, pending over the weekend, open, solved, reopened', () => {
    let timers = apply([], { type: 'created' }, '2025-01-10T09:00'); // Friday
    // The customer writes again before anyone answered: still the first response that is owed.
    timers = apply(timers, { type: 'customer_replied' }, '2025-01-10T09:30');
    expect(summary(timers)).toEqual(['first_response:running', 'resolution:running']);

    timers = apply(timers, { type: 'agent_replied' }, '2025-01-10T10:00');
    expect(summary(timers)).toEqual(['first_response:met', 'resolution:running']);
    expect(timers[0]!.metAt).toEqual(at('2025-01-10T10:00'));

    timers = apply(timers, { type: 'customer_replied' }, '2025-01-10T11:00');
    expect(summary(timers)).toEqual(['first_response:met', 'next_response:running', 'resolution:running']);
    const nextResponse = timers[1]!;
    timers = apply(timers, { type: 'customer_replied' }, '2025-01-10T11:30');
    expect(timers[1]).toBe(nextResponse); // the clock runs from the first unanswered message

    timers = apply(timers, { type: 'agent_replied' }, '2025-01-10T12:00');
    expect(summary(timers)).toEqual(['first_response:met', 'next_response:met', 'resolution:running']);

    // Waiting for the customer from Friday 17:00 to Monday 15:00: resolution does not count it.
    timers = apply(timers, { type: 'status_changed', from: 'open', to: 'pending' }, '2025-01-10T17:00');
    expect(summary(timers)).toEqual(['first_response:met', 'next_response:met', 'resolution:paused']);
    expect(timers[2]!.usedMinutes).toBe(480); // Friday 9–17
    timers = apply(timers, { type: 'status_changed', from: 'pending', to: 'open' }, '2025-01-13T15:00');
    expect(timers[2]).toMatchObject({ status: 'running', dueAt: at('2025-01-14T14:00') }); // 480 left: 3 h Monday, 5 h Tuesday
    expect(remaining(cal, timers[2]!, at('2025-01-13T16:00'))).toBe(420);

    // The customer writes again: a fresh next response replaces the answered one.
    timers = apply(timers, { type: 'customer_replied' }, '2025-01-13T15:30');
    expect(timers[1]).toMatchObject({ status: 'running', runningSince: at('2025-01-13T15:30'), dueAt: at('2025-01-14T10:30') });

    timers = apply(timers, { type: 'status_changed', from: 'open', to: 'solved' }, '2025-01-13T16:00');
    expect(summary(timers)).toEqual(['first_response:met', 'next_response:met', 'resolution:met']);
    timers = apply(timers, { type: 'status_changed', from: 'solved', to: 'closed' }, '2025-01-13T16:10');
    expect(summary(timers)).toEqual(['first_response:met', 'next_response:met', 'resolution:met']);

    // Reopened: a fresh resolution clock from now.
    timers = apply(timers, { type: 'status_changed', from: 'solved', to: 'open' }, '2025-01-14T09:00');
    expect(timers[2]).toMatchObject({ status: 'running', usedMinutes: 0, runningSince: at('2025-01-14T09:00'), dueAt: at('2025-01-15T16:00') });
    expect(timers[2]!.metAt).toBeUndefined();
  });

  it('pauses on on-hold, and a ticket reopened straight into pending gets a paused resolution', () => {
    const created = apply([], { type: 'created' }, '2025-01-13T09:00');
    const held = apply(created, { type: 'status_changed', from: 'open', to: 'on-hold' }, '2025-01-13T10:00');
    expect(summary(held)).toEqual(['first_response:paused', 'resolution:paused']);
    const solved = apply(held, { type: 'status_changed', from: 'on-hold', to: 'solved' }, '2025-01-13T11:00');
    expect(summary(solved)).toEqual(['first_response:met', 'resolution:met']);
    const reopened = apply(solved, { type: 'status_changed', from: 'solved', to: 'pending' }, '2025-01-14T09:00');
    expect(summary(reopened)).toEqual(['first_response:met', 'resolution:paused']);
    expect(reopened[1]!.usedMinutes).toBe(0);
  });

  it('answers a paused first response too', () => {
    const held = apply(apply([], { type: 'created' }, '2025-01-13T09:00'), { type: 'status_changed', from: 'new', to: 'pending' }, '2025-01-13T09:10');
    const replied = apply(held, { type: 'agent_replied' }, '2025-01-13T09:20');
    expect(replied[0]).toMatchObject({ status: 'met', usedMinutes: 10, metAt: at('2025-01-13T09:20') });
    expect(replied[1]!.status).toBe('paused');
  });

  it('retargets on a priority change, keeping the time used', () => {
    const created = apply([], { type: 'created' }, '2025-01-13T09:00');
    const urgent = apply(created, { type: 'priority_changed' }, '2025-01-13T09:10', 'urgent');
    expect(urgent.map((t) => [t.targetMinutes, t.dueAt])).toEqual([
      [15, at('2025-01-13T09:15')],
      [240, at('2025-01-13T13:00')],
    ]);
    // Low has no first-response target: the owed first response goes, resolution gets 2400.
    const low = apply(created, { type: 'priority_changed' }, '2025-01-13T09:10', 'low');
    expect(summary(low)).toEqual(['resolution:running']);
    expect(low[0]!.targetMinutes).toBe(2400);
  });

  it('keeps a reported breach when the priority is lowered', () => {
    const created = apply([], { type: 'created' }, '2025-01-13T09:00', 'urgent');
    const breached = created.map((t) => checkBreach(t, at('2025-01-13T09:20')));
    expect(summary(breached)).toEqual(['first_response:breached', 'resolution:running']);
    const lowered = apply(breached, { type: 'priority_changed' }, '2025-01-13T09:25', 'normal');
    expect(lowered[0]).toBe(breached[0]);
    expect(lowered[1]!.dueAt).toEqual(at('2025-01-14T16:00'));
    // The late answer is recorded, the breach stays.
    const answered = apply(lowered, { type: 'agent_replied' }, '2025-01-13T09:30');
    expect(answered[0]).toMatchObject({ status: 'breached', breachedAt: at('2025-01-13T09:15'), metAt: at('2025-01-13T09:30') });
    // An answered breach counts as answered: the next customer message starts next_response.
    expect(summary(apply(answered, { type: 'customer_replied' }, '2025-01-13T10:00', 'normal'))).toEqual([
      'first_response:breached',
      'next_response:running',
      'resolution:running',
    ]);
  });

  it('keeps the order first_response, next_response, resolution whatever the input order', () => {
    const timers = apply([], { type: 'created' }, '2025-01-13T09:00');
    const shuffled = [timers[1]!, timers[0]!];
    expect(apply(shuffled, { type: 'status_changed', from: 'open', to: 'pending' }, '2025-01-13T10:00').map((t) => t.metric)).toEqual([
      'first_response',
      'resolution',
    ]);
  });
});
