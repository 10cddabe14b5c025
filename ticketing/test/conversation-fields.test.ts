import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConversationView, TicketView } from '@switchboard/contracts';
import { eventually } from '@switchboard/testkit';
import { startTicketWorld, type TicketWorld } from './harness.js';

let w: TicketWorld;

beforeAll(async () => {
  w = await startTicketWorld();
});
afterAll(async () => {
  await w?.close();
});

/** The agents' conversation lists filter by team and sort by SLA due time: ticketing keeps both on the conversation. */
describe("a ticket's team and SLA due time on its conversations", () => {
  it('follow the ticket as its SLA clocks and team change', async () => {
    const { conversationId } = await w.customerWrites({ thread: 'fields-1', text: 'Where is my parcel?' });
    const ticket = await eventually(async () => {
      const list = await w.api('GET', '/api/v1/tickets?limit=200');
      return (list.json.items as TicketView[]).find((t) => t.conversationIds.includes(conversationId));
    }, 10_000, 'ticket created');
    const conversation = async () => (await w.api('GET', `/api/v1/conversations/${conversationId}`)).json as ConversationView;
    const due = (t: TicketView) => t.sla.filter((s) => s.status === 'running' && s.dueAt).map((s) => Date.parse(s.dueAt!)).sort((a, b) => a - b)[0];

    // Created: the first-response clock runs; its due time is the conversation's.
    const firstDue = due(ticket)!;
    await eventually(async () => (await conversation()).slaDueAt === new Date(firstDue).toISOString(), 5_000, 'SLA due time copied');
    const before = await conversation();

    // Pending pauses every clock: nothing is due.
    expect((await w.api('PATCH', `/api/v1/tickets/${ticket.id}`, { status: 'pending' })).status).toBe(200);
    await eventually(async () => (await conversation()).slaDueAt === null, 5_000, 'SLA due time cleared');

    const team = await w.api('POST', '/api/v1/teams', { name: 'Returns', strategy: 'manual', members: [] });
    expect(team.status).toBe(201);
    expect((await w.api('PATCH', `/api/v1/tickets/${ticket.id}`, { teamId: team.json.id })).status).toBe(200);
    await eventually(async () => (await conversation()).teamId === team.json.id, 5_000, 'team copied');
    const filtered = await w.api('GET', `/api/v1/conversations?teamId=${team.json.id}&status=all`);
    expect((filtered.json.items as ConversationView[]).map((c) => c.id)).toEqual([conversationId]);
    // Copying does not count as activity: the newest-first list keeps its order.
    expect((await conversation()).updatedAt).toBe(before.updatedAt);

    const counts = await w.api('GET', '/api/v1/conversations/counts');
    expect(counts.json.teams).toEqual([{ teamId: team.json.id, open: 1, unread: 1 }]);
  });

  it('an overdue timer keeps the conversation first in the SLA sort until the agent answers', async () => {
    const { conversationId } = await w.customerWrites({ thread: 'fields-2', text: 'Hello, anyone there?' });
    const ticket = await eventually(async () => {
      const list = await w.api('GET', '/api/v1/tickets?limit=200');
      return (list.json.items as TicketView[]).find((t) => t.conversationIds.includes(conversationId));
    }, 10_000, 'ticket created');
    const running = ticket.sla.filter((s) => s.status === 'running' && s.dueAt).map((s) => Date.parse(s.dueAt!)).sort((a, b) => a - b);
    expect(running.length).toBe(2);
    const conversation = async () => (await w.api('GET', `/api/v1/conversations/${conversationId}`)).json as ConversationView;
    await eventually(async () => (await conversation()).slaDueAt === new Date(running[0]!).toISOString(), 5_000, 'first due time copied');
    await w.app.ticketing.scheduler.runOnce(new Date(running[0]! + 1_000));
    await eventually(async () => (await w.api('GET', `/api/v1/tickets/${ticket.id}`)).json.slaState === 'breached', 5_000, 'breached');
    expect((await conversation()).slaDueAt).toBe(new Date(running[0]!).toISOString());
    const sorted = await w.api('GET', '/api/v1/conversations?sort=sla&limit=1');
    expect(sorted.json.items[0].id).toBe(conversationId);

    const reply = await w.api('POST', `/api/v1/conversations/${conversationId}/messages`, { text: 'Sorry for the wait.', idempotencyKey: 'fields-2-reply' });
    expect(reply.status).toBe(201);
    await eventually(async () => (await conversation()).slaDueAt === new Date(running[1]!).toISOString(), 5_000, 'the resolution due time once answered');
  });
});
