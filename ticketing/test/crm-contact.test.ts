import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CrmContactCard, TicketView } from '@switchboard/contracts';
import { eventually } from '@switchboard/testkit';
import { HubSpotStandIn } from './crm/hubspot-stand-in.js';
import { startTicketWorld, type TicketWorld } from './harness.js';

/** GET /api/v1/crm/contacts/:id — the console's contact card, whichever CRM the team uses. */
describe('a CRM contact by id (built-in directory)', () => {
  let w: TicketWorld;
  beforeAll(async () => {
    w = await startTicketWorld();
  });
  afterAll(async () => {
    await w?.close();
  });

  it('without a CRM connected: 404', async () => {
    const res = await w.api('GET', '/api/v1/crm/contacts/anyone');
    expect(res.status).toBe(404);
    expect(res.json.error.code).toBe('SB_ERR_NOT_FOUND');
  });

  it('answers the person with the provider and that contacts can be merged here; an unknown id is 404', async () => {
    expect((await w.api('PATCH', '/api/v1/ticket-settings', { crm: { kind: 'builtin' } })).status).toBe(200);
    const person = await w.api('POST', '/api/v1/directory/contacts', { name: 'Anna Smirnova', emails: ['anna@customer.example'], phones: ['+79161234567'], company: 'Smirnova LLC', handles: [{ channel: 'telegram', id: '4242' }] });
    expect(person.status).toBe(201);
    const res = await w.api('GET', `/api/v1/crm/contacts/${person.json.id}`);
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    expect(res.json as CrmContactCard).toEqual({
      provider: 'builtin',
      mergeable: true,
      contact: { id: person.json.id, name: 'Anna Smirnova', emails: ['anna@customer.example'], phones: ['+79161234567'], company: 'Smirnova LLC', handles: [{ channel: 'telegram', id: '4242' }] },
    });
    expect((await w.api('GET', '/api/v1/crm/contacts/no-such-contact')).status).toBe(404);
  });

  it('a merged id answers with the survivor and says which id was asked for', async () => {
    const a = await w.api('POST', '/api/v1/directory/contacts', { name: 'Petr', emails: ['petr@firm.example'] });
    const b = await w.api('POST', '/api/v1/directory/contacts', { name: 'Petr K', handles: [{ channel: 'telegram', id: '77701' }] });
    expect((await w.api('POST', `/api/v1/directory/contacts/${a.json.id}/merge`, { from: b.json.id })).status).toBe(200);
    const res = await w.api('GET', `/api/v1/crm/contacts/${b.json.id}`);
    expect(res.json.contact.id).toBe(a.json.id);
    expect(res.json.mergedFrom).toBe(b.json.id);
    expect(res.json.contact.handles).toEqual([{ channel: 'telegram', id: '77701' }]);
  });
});

describe('a CRM contact by id (HubSpot)', () => {
  let w: TicketWorld;
  let hubspot: HubSpotStandIn;
  beforeAll(async () => {
    hubspot = await new HubSpotStandIn().start();
    w = await startTicketWorld();
    expect((await w.api('PATCH', '/api/v1/ticket-settings', { crm: { kind: 'hubspot', token: hubspot.token, baseUrl: hubspot.url } })).status).toBe(200);
  });
  afterAll(async () => {
    await w?.close();
    await hubspot?.close();
  });

  it('answers the linked person, not mergeable here; a CRM that is down is a 503', async () => {
    const { conversationId } = await w.customerWrites({ thread: 'mid:kate', channel: 'email', text: 'Order help', subject: 'Order help', sender: { externalId: 'kate@shop.example', email: 'kate@shop.example', name: 'Kate' } });
    const t = await eventually(async () => {
      const items = (await w.api('GET', `/api/v1/tickets?conversationId=${conversationId}`)).json.items as TicketView[];
      return items[0]?.crm.status === 'linked' && items[0];
    }, 15_000, 'CRM link');
    const res = await w.api('GET', `/api/v1/crm/contacts/${t.crm.contactId}`);
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    expect(res.json.provider).toBe('hubspot');
    expect(res.json.mergeable).toBe(false);
    expect(res.json.contact.emails).toEqual(['kate@shop.example']);
    hubspot.failNext(1, { status: 503 });
    const down = await w.api('GET', `/api/v1/crm/contacts/${t.crm.contactId}`);
    expect(down.status).toBe(503);
    expect(down.json.error.code).toBe('SB_ERR_UNAVAILABLE');
  });
});
