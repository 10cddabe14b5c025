import { describe, expect, it } from 'vitest';
import type { CannedResponseView } from '@switchboard/contracts';
import { fillTemplate, matchCanned, previewLine } from './canned.js';

const canned = (shortcut: string, title: string, text = 'Hi'): CannedResponseView => ({
  id: shortcut,
  shortcut,
  title,
  text,
  createdAt: '2025-03-12T10:00:00.000Z',
  updatedAt: '2025-03-12T10:00:00.000Z',
});

describe('filling a canned response', () => {
  const values = { contact: { name: 'Olga Petrova', email: 'olga@example.com' }, agent: { name: 'Ana' } };

  it('fills the contact’s name and email and the agent’s name', () => {
    expect(fillTemplate('Hi {{contact.name}} ({{ contact.email }}), {{agent.name}} here.', values)).toBe('Hi Olga Petrova (olga@example.com), Ana here.');
  });

  it('leaves unknown placeholders as typed', () => {
    expect(fillTemplate('Order {{order.id}} for {{contact.name}} {{ nonsense }}', values)).toBe('Order {{order.id}} for Olga Petrova {{ nonsense }}');
  });

  it('turns a known placeholder without a value into nothing', () => {
    expect(fillTemplate('Hi {{contact.name}}, write to {{contact.email}}.', { contact: {}, agent: {} })).toBe('Hi , write to .');
  });
});

describe('finding canned responses as the agent types', () => {
  const items = [canned('refund', 'Refund on its way'), canned('hours', 'Opening hours'), canned('prefund', 'Pre-payment'), canned('ship', 'Refund shipping costs')];

  it('lists them all, by shortcut, for a bare "/"', () => {
    expect(matchCanned(items, '').map((c) => c.shortcut)).toEqual(['hours', 'prefund', 'refund', 'ship']);
  });

  it('puts shortcuts that start with the query first, then shortcuts or titles containing it', () => {
    expect(matchCanned(items, 'ref').map((c) => c.shortcut)).toEqual(['refund', 'prefund', 'ship']);
    expect(matchCanned(items, 'OPEN').map((c) => c.shortcut)).toEqual(['hours']);
    expect(matchCanned(items, 'zzz')).toEqual([]);
  });

  it('shows at most the limit', () => {
    expect(matchCanned(items, '', 2)).toHaveLength(2);
  });

  it('previews the first line, shortened', () => {
    expect(previewLine('First line\nsecond')).toBe('First line');
    expect(previewLine('y'.repeat(100), 10)).toBe(`${'y'.repeat(9)}…`);
  });
});
