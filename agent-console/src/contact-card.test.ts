import { describe, expect, it } from 'vitest';
import { contactHint, dayLabel, contactTitle, crmLink, mergeAbility, mergeCandidates, otherConversations } from './contact-card.js';
import { conversation } from './test-fixtures.js';

const person = { id: 'p1', name: 'Anna Smirnova', emails: ['anna@customer.example'], phones: ['+79161234567'], handles: [] };

describe('contact card', () => {
  it('titles a contact by name, else email, else phone', () => {
    expect(contactTitle(person)).toBe('Anna Smirnova');
    expect(contactTitle({ ...person, name: ' ' })).toBe('anna@customer.example');
    expect(contactTitle({ name: undefined, emails: [], phones: ['+4930123'] })).toBe('+4930123');
    expect(contactTitle({ emails: [], phones: [] })).toBe('Unnamed contact');
    expect(contactHint({ ...person, company: 'Smirnova LLC' })).toBe('anna@customer.example · +79161234567 · Smirnova LLC');
  });

  it('lists the other conversations of every id the person had, each once, newest first, not the open one', () => {
    const at = (iso: string) => ({ lastMessage: { direction: 'in' as const, at: iso, text: 'hi' } });
    const open = conversation('c-open', at('2025-03-12T12:00:00.000Z'));
    const mail = conversation('c-mail', at('2025-03-10T09:00:00.000Z'));
    const tg = conversation('c-tg', at('2025-03-11T09:00:00.000Z'));
    expect(otherConversations([[open, mail], [mail, tg]], 'c-open').map((c) => c.id)).toEqual(['c-tg', 'c-mail']);
    expect(otherConversations([[open]], 'c-open')).toEqual([]);
  });

  it('dates a conversation by its day', () => {
    expect(dayLabel('2025-03-12T10:00:00.000Z')).toBe('12 Mar');
  });

  it('offers to merge with any contact found but this one (and those already merged into it)', () => {
    const found = [person, { ...person, id: 'p2' }, { ...person, id: 'p3' }];
    expect(mergeCandidates(found, ['p1', 'p3']).map((c) => c.id)).toEqual(['p2']);
  });

  it('merging is for the built-in directory, by admins and supervisors; HubSpot and Kommo merge in their own UI', () => {
    expect(mergeAbility({ provider: 'builtin', mergeable: true }, 'supervisor')).toEqual({ can: true });
    expect(mergeAbility({ provider: 'builtin', mergeable: true }, 'agent')).toEqual({ can: false, why: 'An admin or a supervisor can merge this contact with another.' });
    expect(mergeAbility({ provider: 'hubspot', mergeable: false }, 'admin')).toEqual({ can: false, why: 'Contacts in HubSpot are merged in HubSpot itself.' });
    expect(mergeAbility({ provider: 'kommo', mergeable: false }, 'admin')).toEqual({ can: false, why: 'Contacts in Kommo are merged in Kommo itself.' });
  });

  it('links into the CRM only with a web address', () => {
    expect(crmLink({ provider: 'hubspot', contact: { ...person, url: 'https://app.hubspot.com/contacts/1/record/0-1/5' } })).toEqual({ href: 'https://app.hubspot.com/contacts/1/record/0-1/5', text: 'Open in HubSpot' });
    expect(crmLink({ provider: 'kommo', contact: { ...person, url: 'javascript:alert(1)' } })).toBeNull();
    expect(crmLink({ provider: 'builtin', contact: person })).toBeNull();
  });
});
