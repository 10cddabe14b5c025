import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TicketView } from '@switchboard/contracts';
import { eventually } from '@switchboard/testkit';
import { HubSpotStandIn } from './crm/hubspot-stand-in.js';
import { startTicketWorld, type TicketWorld } from './harness.js';

async function ticketOf(w: TicketWorld, conversationId: string): Promise<TicketView> {
  return eventually(async () => {
    const list = await w.api('GET', '/api/v1/tickets?limit=200');
    return (list.json.items as TicketView[]).find((t) => t.conversationIds.includes(conversationId));
  }, 10_000, `ticket of ${conversationId}`);
}

async function linked(w: TicketWorld, ticketId: string): Promise<TicketView> {
  return eventually(async () => {
    const t = (await w.api('GET', `/api/v1/tickets/${ticketId}`)).json as TicketView;
    return t.crm.status === 'linked' && t;
  }, 15_000, 'CRM link');
}

describe('one customer across channels (built-in directory)', () => {
  let w: TicketWorld;
  beforeAll(async () => {
    w = await startTicketWorld();
    const res = await w.api('PATCH', '/api/v1/ticket-settings', { crm: { kind: 'builtin' } });
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    expect(res.json.crm).toEqual({ kind: 'builtin' });
  });
  afterAll(async () => {
    await w?.close();
  });

  it('WhatsApp, then email, by a person the directory knows → one contact, two conversations, one timeline', async () => {
    const person = await w.api('POST', '/api/v1/directory/contacts', { name: 'Anna Smirnova', emails: ['anna@customer.example'], phones: ['+79161234567'] });
    expect(person.status, JSON.stringify(person.json)).toBe(201);
    const wa = await ticketOf(w, (await w.customerWrites({ thread: '79161234567', channel: 'whatsapp', text: 'Where is my parcel?', sender: { externalId: '79161234567', name: 'Anna', phone: '+7 916 123-45-67' } })).conversationId);
    const mail = await ticketOf(w, (await w.customerWrites({ thread: 'mid:anna-1', channel: 'email', text: 'Following up by mail', subject: 'Parcel', sender: { externalId: 'anna@customer.example', email: 'Anna@Customer.example' } })).conversationId);
    expect(wa.id).not.toBe(mail.id);
    const a = await linked(w, wa.id);
    const b = await linked(w, mail.id);
    expect(a.crm.contactId).toBe(person.json.id);
    expect(b.crm.contactId).toBe(person.json.id);
    for (const t of [a, b]) {
      const conv = await w.api('GET', `/api/v1/conversations/${t.conversationIds[0]}`);
      expect(conv.json.crmContactId).toBe(person.json.id);
    }
    const timeline = await w.api('GET', `/api/v1/crm-contacts/${person.json.id}/tickets`);
    expect((timeline.json.items as TicketView[]).map((t) => t.channels[0]).sort()).toEqual(['email', 'whatsapp']);
    // The directory learned the WhatsApp handle, so the next message from there is found by it at once.
    const contact = await w.api('GET', `/api/v1/directory/contacts/${person.json.id}`);
    expect(contact.json.handles).toEqual(expect.arrayContaining([expect.objectContaining({ channel: 'whatsapp' })]));
    const notes = await w.api('GET', `/api/v1/directory/contacts/${person.json.id}/notes`);
    expect(notes.json.items.map((n: { text: string }) => n.text).join('\n')).toContain(`Ticket #${a.number}`);
  });

  it('the same phone on WhatsApp and Telegram resolves to one contact, created once', async () => {
    const wa = await ticketOf(w, (await w.customerWrites({ thread: '79035550011', channel: 'whatsapp', text: 'Hi from WhatsApp', sender: { externalId: '79035550011', name: 'Oleg', phone: '+79035550011' } })).conversationId);
    const first = await linked(w, wa.id);
    const tg = await ticketOf(w, (await w.customerWrites({ thread: 'tg-oleg', channel: 'telegram', text: 'Hi from Telegram', sender: { externalId: '55501', name: 'Oleg K', phone: '+7 (903) 555-00-11' } })).conversationId);
    const second = await linked(w, tg.id);
    expect(second.crm.contactId).toBe(first.crm.contactId);
    const found = await w.api('GET', `/api/v1/directory/contacts?phone=${encodeURIComponent('+79035550011')}`);
    expect(found.json.items).toHaveLength(1);
  });

  it('an agent merging two contacts joins their histories', async () => {
    const byMail = await linked(w, (await ticketOf(w, (await w.customerWrites({ thread: 'mid:petr', channel: 'email', text: 'Invoice please', subject: 'Invoice', sender: { externalId: 'petr@firm.example', email: 'petr@firm.example' } })).conversationId)).id);
    const byTg = await linked(w, (await ticketOf(w, (await w.customerWrites({ thread: 'tg-petr', channel: 'telegram', text: 'Also the invoice', sender: { externalId: '77701', name: 'Petr' } })).conversationId)).id);
    expect(byMail.crm.contactId).not.toBe(byTg.crm.contactId);
    const merged = await w.api('POST', `/api/v1/directory/contacts/${byMail.crm.contactId}/merge`, { from: byTg.crm.contactId });
    expect(merged.status, JSON.stringify(merged.json)).toBe(200);
    const timeline = await eventually(async () => {
      const res = await w.api('GET', `/api/v1/crm-contacts/${byMail.crm.contactId}/tickets`);
      return res.status === 200 && (res.json.items as TicketView[]).length === 2 && res.json.items;
    }, 10_000, 'joined history');
    expect((timeline as TicketView[]).map((t) => t.id).sort()).toEqual([byMail.id, byTg.id].sort());
  });
});

describe('a CRM that is down never blocks tickets (HubSpot)', () => {
  let w: TicketWorld;
  let hubspot: HubSpotStandIn;
  beforeAll(async () => {
    hubspot = await new HubSpotStandIn().start();
    w = await startTicketWorld();
    const bad = await w.api('PATCH', '/api/v1/ticket-settings', { crm: { kind: 'hubspot', token: 'pat-na1-wrong-token-000', baseUrl: hubspot.url } });
    expect(bad.status).toBe(400);
    expect(bad.json.error.message).toMatch(/CRM did not accept/);
    const res = await w.api('PATCH', '/api/v1/ticket-settings', { crm: { kind: 'hubspot', token: hubspot.token, baseUrl: hubspot.url } });
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    expect(JSON.stringify(res.json)).not.toContain(hubspot.token);
  });
  afterAll(async () => {
    await w?.close();
    await hubspot?.close();
  });

  it('the ticket exists at once with "CRM link pending"; the link completes after the CRM recovers', async () => {
    hubspot.failNext(4, { status: 503 });
    const t = await ticketOf(w, (await w.customerWrites({ thread: 'mid:kate', channel: 'email', text: 'Order help', subject: 'Order help', sender: { externalId: 'kate@shop.example', email: 'kate@shop.example', name: 'Kate' } })).conversationId);
    expect(t.crm.status).toBe('pending');
    const done = await linked(w, t.id);
    expect(done.crm.provider).toBe('hubspot');
    const contact = hubspot.contacts.get(done.crm.contactId!);
    expect(contact?.properties.email).toBe('kate@shop.example');
    expect(hubspot.notesOf(done.crm.contactId!).join('\n')).toContain(`#${t.number}`);
    await eventually(async () => {
      const history = await w.api('GET', `/api/v1/tickets/${t.id}/history`);
      return history.json.items.some((h: { type: string }) => h.type === 'crm_link');
    }, 5_000, 'the link in the ticket history');
  });

  it('a rate limit (429 with Retry-After) is waited out, not given up', async () => {
    hubspot.failNext(1, { status: 429, retryAfter: 1 });
    const t = await ticketOf(w, (await w.customerWrites({ thread: 'mid:lev', channel: 'email', text: 'Question', subject: 'Question', sender: { externalId: 'lev@shop.example', email: 'lev@shop.example' } })).conversationId);
    const done = await linked(w, t.id);
    expect(done.crm.contactId).toBeDefined();
  });
});
