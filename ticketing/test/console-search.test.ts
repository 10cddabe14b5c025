import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TicketView } from '@switchboard/contracts';
import { Repositories } from '@switchboard/inbox-service';
import { eventually } from '@switchboard/testkit';
import { startTicketWorld, type TicketWorld } from './harness.js';

/** GET /api/v1/search (the inbox service's route) shows tickets when ticketing runs beside it. */
describe('search: tickets beside messages', () => {
  let w: TicketWorld;
  let ticket: TicketView;

  beforeAll(async () => {
    w = await startTicketWorld();
    const { conversationId } = await w.customerWrites({ thread: 'kettle', text: 'The kettle whistles all night long', sender: { name: 'Kim Kettle' } });
    ticket = await eventually(async () => ((await w.api('GET', `/api/v1/tickets?conversationId=${conversationId}`)).json.items as TicketView[])[0], 10_000, 'ticket');
  });
  afterAll(async () => {
    await w?.close();
  });

  it('finds the ticket by a word of its subject, marked, with its number and status', async () => {
    const res = await eventually(async () => {
      const r = await w.api('GET', '/api/v1/search?q=kettle');
      return r.json.tickets?.length && r.json.messages?.length ? r.json : null;
    }, 10_000, 'ticket and message found');
    expect(res.tickets[0]).toMatchObject({ id: ticket.id, number: ticket.number, subject: ticket.subject, status: ticket.status });
    expect(res.tickets[0].snippet).toContain('<mark>');
    expect((await w.api('GET', `/api/v1/search?q=${ticket.number}&type=tickets`)).json.tickets[0].id).toBe(ticket.id);
  });

  it('hides tickets of inboxes an agent may not see', async () => {
    const limited = await w.addAgent('Lena Limited');
    await new Repositories(w.platform.store).forTenant(w.tenantId).agents.updateOne({ _id: limited }, { $set: { inboxIds: ['another-inbox'] } });
    const res = await w.api('GET', '/api/v1/search?q=kettle', undefined, await w.tokenFor(limited, 'agent'));
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ messages: [], contacts: [], tickets: [] });
  });
});
