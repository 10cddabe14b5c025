import { describe, expect, it } from 'vitest';
import { fieldBody, keyFromLabel } from './field-form.js';

describe('ticket fields tab', () => {
  it('makes the API name from the label', () => {
    expect(keyFromLabel('Order number')).toBe('order_number');
    expect(keyFromLabel('  Größe (cm)  ')).toBe('grosse_cm');
    expect(keyFromLabel('2nd reason')).toBe('nd_reason');
  });

  it('builds a select with its options, one a line, without blanks or repeats', () => {
    expect(fieldBody({ label: 'Reason', key: '', type: 'select', options: 'damaged\n\nlate\n damaged ' })).toEqual({
      ok: true,
      body: { key: 'reason', label: 'Reason', type: 'select', options: ['damaged', 'late'] },
    });
    expect(fieldBody({ label: 'Amount', key: 'refund_amount', type: 'number', options: 'ignored' })).toEqual({ ok: true, body: { key: 'refund_amount', label: 'Amount', type: 'number' } });
  });

  it('says what to fix', () => {
    expect(fieldBody({ label: '', key: '', type: 'text', options: '' })).toEqual({ ok: false, error: 'Give the field a label.' });
    expect(fieldBody({ label: 'Reason', key: '', type: 'select', options: ' ' })).toEqual({ ok: false, error: 'A select field needs options, one a line.' });
    expect(fieldBody({ label: 'X', key: 'Bad Key', type: 'text', options: '' })).toMatchObject({ ok: false });
    expect(fieldBody({ label: 'Reason', key: '', type: 'text', options: '' }, [{ key: 'reason' }])).toEqual({ ok: false, error: 'A field with the API name "reason" exists.' });
  });
});
