import { describe, expect, it } from 'vitest';
import { ticket } from './test-fixtures.js';
import { fieldChange, fromInput, newerVersion, sameValue, selectOptions, toInput, type TicketFieldDef } from './ticket-fields.js';

const field = (type: TicketFieldDef['type'], over: Partial<TicketFieldDef> = {}): TicketFieldDef => ({ id: `f-${type}`, key: type, label: type, type, ...over });
const text = field('text');
const amount = field('number');
const due = field('date');
const reason = field('select', { options: ['damaged', 'late'] });

describe('custom ticket fields', () => {
  it('shows no value as an empty input, and numbers as typed digits', () => {
    for (const def of [text, amount, due, reason]) {
      expect(toInput(def, undefined)).toBe('');
      expect(toInput(def, null)).toBe('');
    }
    expect(toInput(amount, 12.5)).toBe('12.5');
    expect(toInput(amount, -3)).toBe('-3');
    expect(toInput(text, 'Order 7')).toBe('Order 7');
    expect(toInput(reason, 'late')).toBe('late');
  });

  it('shows a stored date in the date input, and no date for one the input cannot take', () => {
    expect(toInput(due, '2026-03-01')).toBe('2026-03-01');
    expect(toInput(due, '2026-03-01T10:00:00Z')).toBe('');
    expect(toInput(due, 20260301)).toBe('');
  });

  it('stores a typed number as a number, with a dot or a comma', () => {
    expect(fromInput(amount, '42')).toBe(42);
    expect(fromInput(amount, ' -3.5 ')).toBe(-3.5);
    expect(fromInput(amount, '0,25')).toBe(0.25);
    expect(fromInput(amount, '.5')).toBe(0.5);
  });

  it('sends text that is not a number as typed, for the server to refuse in words', () => {
    expect(fromInput(amount, '12abc')).toBe('12abc');
    expect(fromInput(amount, '1.2.3')).toBe('1.2.3');
    expect(fromInput(amount, 'Infinity')).toBe('Infinity');
  });

  it('clears a field emptied by the agent', () => {
    for (const def of [text, amount, due, reason]) expect(fromInput(def, '')).toBeNull();
    expect(fromInput(text, '   ')).toBeNull();
    expect(fromInput(amount, ' ')).toBeNull();
  });

  it('keeps text as written, dates and choices as picked', () => {
    expect(fromInput(text, ' Box 4 ')).toBe(' Box 4 ');
    expect(fromInput(text, '123')).toBe('123');
    expect(fromInput(due, '2026-03-01')).toBe('2026-03-01');
    expect(fromInput(reason, 'damaged')).toBe('damaged');
  });

  it('saves nothing when the value did not change', () => {
    expect(sameValue(undefined, null)).toBe(true);
    expect(sameValue(null, null)).toBe(true);
    expect(sameValue(12, fromInput(amount, '12'))).toBe(true);
    expect(sameValue(12, fromInput(amount, '12.5'))).toBe(false);
    expect(sameValue('late', null)).toBe(false);
    expect(sameValue('12', 12)).toBe(false);
  });

  it('offers the select’s options, and a stored value since removed from them', () => {
    expect(selectOptions(reason, null)).toEqual(['damaged', 'late']);
    expect(selectOptions(reason, 'late')).toEqual(['damaged', 'late']);
    expect(selectOptions(reason, 'lost')).toEqual(['lost', 'damaged', 'late']);
    expect(selectOptions(field('select'), undefined)).toEqual([]);
  });

  it('asks the server to set or clear one field by its key', () => {
    expect(fieldChange('order_number', 42)).toEqual({ fields: { order_number: 42 } });
    expect(fieldChange('reason', null)).toEqual({ fields: { reason: null } });
  });

  it('shows what a save answered until the panel has that version or a later one', () => {
    const held = ticket('t1', { updatedAt: '2026-03-01T10:00:00.000Z', fields: {} });
    const saved = ticket('t1', { updatedAt: '2026-03-01T10:00:05.000Z', fields: { amount: 3 } });
    expect(newerVersion(held, null)).toBe(held);
    expect(newerVersion(held, saved)).toBe(saved);
    const caughtUp = { ...saved, fields: { amount: 3 } };
    expect(newerVersion(caughtUp, saved)).toBe(caughtUp);
    const later = ticket('t1', { updatedAt: '2026-03-01T10:00:09.000Z', fields: { amount: 4 } });
    expect(newerVersion(later, saved)).toBe(later);
    expect(newerVersion(ticket('t2'), saved).id).toBe('t2');
  });
});
