import type { PreChatField, WidgetVisitor } from '@switchboard/contracts';
import { describe, expect, it } from 'vitest';
import { needsForm } from './fields.js';
import { fieldError } from './prechat.js';

const field = (key: string, required: boolean, type: PreChatField['type'] = 'text'): PreChatField => ({ key, label: key[0]!.toUpperCase() + key.slice(1), type, required });
const visitor = (v: Partial<WidgetVisitor> = {}): WidgetVisitor => ({ verified: false, attributes: {}, ...v });

describe('pre-chat form', () => {
  it('comes first while a required field has no answer, contact details or custom attributes alike', () => {
    const form = [field('name', true), field('email', true, 'email'), field('company', false)];
    expect(needsForm(form, null)).toBe(true);
    expect(needsForm(form, visitor({ name: 'Ann' }))).toBe(true);
    expect(needsForm(form, visitor({ name: 'Ann', email: 'ann@example.com' }))).toBe(false);
    const custom = [field('order', true)];
    expect(needsForm(custom, visitor())).toBe(true);
    expect(needsForm(custom, visitor({ attributes: { order: 'A-1' } }))).toBe(false);
  });

  it('with only optional fields, comes first until any is answered; without fields, never', () => {
    const form = [field('name', false), field('phone', false, 'tel')];
    expect(needsForm(form, visitor())).toBe(true);
    expect(needsForm(form, visitor({ phone: '+44 20 7946 0958' }))).toBe(false);
    expect(needsForm([], null)).toBe(false);
  });

  it('explains what is wrong with a value in a sentence', () => {
    expect(fieldError(field('name', true), '')).toBe('Name is required.');
    expect(fieldError(field('name', false), '')).toBe('');
    expect(fieldError(field('email', true, 'email'), 'ann@')).toBe('Invalid email address.');
    expect(fieldError(field('email', true, 'email'), 'ann@example.com')).toBe('');
    expect(fieldError(field('phone', false, 'tel'), '12ab')).toBe('Invalid phone number.');
    expect(fieldError(field('phone', false, 'tel'), '+1 (555) 010-0199')).toBe('');
  });
});
