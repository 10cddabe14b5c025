import { describe, expect, it } from 'vitest';
import type { SlaTimerView } from '@switchboard/contracts';
import { breachAnnouncement, durationText, overdueMetrics, slaLine, slaLines } from './sla-display.js';

const NOW = Date.parse('2025-03-12T12:00:00.000Z');
const min = (n: number) => new Date(NOW + n * 60_000).toISOString();

function timer(metric: SlaTimerView['metric'], over: Partial<SlaTimerView> = {}): SlaTimerView {
  return { metric, status: 'running', targetMinutes: 480, dueAt: min(60), ...over };
}

describe('time left as an agent reads it', () => {
  it('says minutes, hours and minutes, or days and hours, rounded down', () => {
    expect(durationText(20_000)).toBe('less than 1 min');
    expect(durationText(12 * 60_000 + 59_000)).toBe('12 min');
    expect(durationText(135 * 60_000)).toBe('2 h 15 min');
    expect(durationText(180 * 60_000)).toBe('3 h');
    expect(durationText((2 * 24 + 4) * 3_600_000)).toBe('2 d 4 h');
    expect(durationText(3 * 24 * 3_600_000)).toBe('3 d');
  });

  it('ignores the sign, so overdue times read the same way', () => {
    expect(durationText(-12 * 60_000)).toBe('12 min');
  });
});

describe('one line per SLA timer', () => {
  it('counts down a running timer to its due time', () => {
    expect(slaLine(timer('first_response', { dueAt: min(135) }), NOW)).toMatchObject({ label: 'First response', text: 'in 2 h 15 min', tone: 'ok', overdue: false });
  });

  it('turns amber in the last 15 minutes', () => {
    expect(slaLine(timer('next_response', { dueAt: min(15) }), NOW)).toMatchObject({ label: 'Next response', text: 'in 15 min', tone: 'soon' });
    expect(slaLine(timer('next_response', { dueAt: min(16) }), NOW).tone).toBe('ok');
  });

  it('shows a running timer past its due time as overdue before the server marks it', () => {
    expect(slaLine(timer('resolution', { dueAt: min(-12) }), NOW)).toMatchObject({ label: 'Resolution', text: 'overdue by 12 min', tone: 'breached', overdue: true });
  });

  it('shows how far overdue a breached timer still owed is', () => {
    const t = timer('first_response', { status: 'breached', dueAt: min(-90), breachedAt: min(-90) });
    expect(slaLine(t, NOW)).toMatchObject({ text: 'overdue by 1 h 30 min', tone: 'breached', overdue: true });
  });

  it('says by how much an answered breached timer was missed, and that it no longer counts', () => {
    const t = timer('first_response', { status: 'breached', dueAt: null, breachedAt: min(-30), metAt: min(-25) });
    expect(slaLine(t, NOW)).toMatchObject({ text: 'missed by 5 min', tone: 'breached', overdue: false });
  });

  it('says paused and met without a time', () => {
    expect(slaLine(timer('resolution', { status: 'paused', dueAt: null }), NOW)).toMatchObject({ text: 'paused', tone: 'paused', dueAt: null });
    expect(slaLine(timer('first_response', { status: 'met', dueAt: null, metAt: min(-3) }), NOW)).toMatchObject({ text: 'met', tone: 'met' });
  });

  it('keeps the due time of a running timer for the tooltip', () => {
    expect(slaLine(timer('resolution', { dueAt: min(60) }), NOW).dueAt).toBe(min(60));
  });

  it('lists first response, next response, resolution in that order', () => {
    const lines = slaLines([timer('resolution'), timer('next_response'), timer('first_response', { status: 'met', dueAt: null })], NOW);
    expect(lines.map((l) => `${l.label}: ${l.text}`)).toEqual(['First response: met', 'Next response: in 1 h', 'Resolution: in 1 h']);
  });
});

describe('announcing a breach', () => {
  it('does not announce what was already overdue when the ticket was shown', () => {
    const lines = slaLines([timer('first_response', { dueAt: min(-5) })], NOW);
    expect(breachAnnouncement(null, lines, 1042)).toBeNull();
  });

  it('announces a timer that runs out while the ticket is on screen, once', () => {
    const timers = [timer('first_response', { dueAt: min(1) }), timer('resolution', { dueAt: min(600) })];
    const before = slaLines(timers, NOW);
    const after = slaLines(timers, NOW + 90_000);
    expect(breachAnnouncement(overdueMetrics(before), after, 1042)).toBe('Ticket #1042: First response SLA breached.');
    // The server then marks it breached: the same breach, not announced again.
    const marked = slaLines([timer('first_response', { status: 'breached', dueAt: min(1), breachedAt: min(1) }), timers[1]!], NOW + 120_000);
    expect(breachAnnouncement(overdueMetrics(after), marked, 1042)).toBeNull();
  });

  it('names every timer that ran out at once', () => {
    const before = new Set<SlaTimerView['metric']>();
    const lines = slaLines([timer('first_response', { status: 'breached' }), timer('resolution', { status: 'breached' })], NOW);
    expect(breachAnnouncement(before, lines, 7)).toBe('Ticket #7: First response and Resolution SLA breached.');
  });

  it('stays quiet for a breach that was answered (missed, not overdue)', () => {
    const lines = slaLines([timer('first_response', { status: 'breached', dueAt: null, breachedAt: min(-30), metAt: min(-1) })], NOW);
    expect(breachAnnouncement(new Set(), lines, 1042)).toBeNull();
  });
});
