import { Type } from 'typebox';
import { Channel, ErrorBody, MAX_MENTIONS, SlaState, TicketChange, TicketHistoryEntry, TicketNoteView, TicketView } from '@switchboard/contracts';
import type { Principal } from '@switchboard/auth';
import { errors, type HttpServer } from '@switchboard/http';
import type { Repositories } from '@switchboard/inbox-service';
import type { Filter } from '@switchboard/store';
import type { MentionService } from '../mentions/service.js';
import type { TicketSearch } from './search.js';
import type { TicketStore } from './repository.js';
import type { Actor, TicketService } from './service.js';
import { historyView, noteView, ticketView } from './views.js';

const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) });
const notFound = { 404: ErrorBody };
const csv = (pattern: string) => Type.Optional(Type.String({ maxLength: 500, pattern: `^(${pattern})(,(${pattern}))*$` }));

export function actorOf(p: Principal): Actor {
  return p.kind === 'agent' ? { kind: 'agent', id: p.agentId, name: p.name } : { kind: 'apiKey', id: p.keyId, name: 'API key' };
}

function decodeCursor(raw: string): { u: string; i: string } {
  try {
    const c = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as { u: string; i: string };
    if (typeof c.u !== 'string' || typeof c.i !== 'string' || Number.isNaN(Date.parse(c.u))) throw new Error('shape');
    return c;
  } catch {
    throw errors.validation('cursor is not one this API returned.', { path: '/cursor' });
  }
}

export interface TicketRouteDeps {
  store: TicketStore;
  inbox: Repositories;
  tickets: TicketService;
  search: TicketSearch;
  /** Checks a note's @mentions before it is stored. */
  mentions?: MentionService;
}

export async function ticketRoutes(app: HttpServer, deps: TicketRouteDeps): Promise<void> {
  const { store, tickets } = deps;
  const scope = (p: Principal) => store.forPrincipal(p);
  const read = { access: { scope: 'tickets:read' } };
  const write = { access: { scope: 'tickets:write' } };
  const tags = ['tickets'];

  app.get(
    '/tickets',
    {
      config: read,
      schema: {
        tags,
        summary: 'List tickets, most recently updated first, with filters and full-text search',
        querystring: Type.Object(
          {
            status: csv('new|open|pending|on_hold|solved|closed'),
            priority: csv('low|normal|high|urgent'),
            assigneeId: Type.Optional(Type.String({ maxLength: 100, description: '"me", "none" or an agent id' })),
            teamId: Type.Optional(Type.String({ maxLength: 100, description: '"none" or a team id' })),
            tag: Type.Optional(Type.String({ maxLength: 50 })),
            channel: Type.Optional(Channel),
            conversationId: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'Tickets this conversation belongs to.' })),
            sla: Type.Optional(SlaState),
            q: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'Words in the subject, tags, requester or custom fields.' })),
            limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
            cursor: Type.Optional(Type.String({ maxLength: 500 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ items: Type.Array(TicketView), nextCursor: Type.Union([Type.String(), Type.Null()]) }) },
      },
    },
    async (req) => {
      const q = req.query;
      const and: Filter[] = [];
      if (q.status) and.push({ status: { $in: q.status.split(',') } });
      if (q.priority) and.push({ priority: { $in: q.priority.split(',') } });
      if (q.assigneeId) and.push({ assigneeId: q.assigneeId === 'me' ? (req.principal.agentId ?? null) : q.assigneeId === 'none' ? null : q.assigneeId });
      if (q.teamId) and.push({ teamId: q.teamId === 'none' ? null : q.teamId });
      if (q.tag) and.push({ tags: q.tag });
      if (q.channel) and.push({ channels: q.channel });
      if (q.sla) and.push({ slaState: q.sla });
      if (q.conversationId) and.push({ conversationIds: q.conversationId });
      if (q.q) {
        // The search index finds the candidates; the store applies every other filter and the access rules.
        const ids = await deps.search.find(req.principal.tenantId, q.q, 1000);
        and.push({ _id: { $in: ids } });
      }
      if (q.cursor) {
        const c = decodeCursor(q.cursor);
        const u = new Date(c.u);
        and.push({ $or: [{ updatedAt: { $lt: u } }, { updatedAt: u, _id: { $lt: c.i } }] });
      }
      const items = await scope(req.principal).tickets.find(and.length ? { $and: and } : {}, { sort: { updatedAt: -1, _id: -1 }, limit: q.limit + 1 });
      const page = items.slice(0, q.limit);
      const last = page[page.length - 1];
      const nextCursor = items.length > q.limit && last ? Buffer.from(JSON.stringify({ u: new Date(last.updatedAt).toISOString(), i: last._id })).toString('base64url') : null;
      return { items: page.map(ticketView), nextCursor };
    },
  );

  app.post(
    '/tickets',
    {
      config: write,
      schema: {
        tags,
        summary: 'Make a ticket for a conversation (tenants in manual mode; in auto mode every conversation already has one)',
        body: Type.Object(
          { conversationId: Type.String({ minLength: 1, maxLength: 100 }), subject: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })) },
          { additionalProperties: false },
        ),
        response: { 201: TicketView, 200: TicketView, ...notFound },
      },
    },
    async (req, reply) => {
      const conv = await deps.inbox.forPrincipal(req.principal).conversations.findById(req.body.conversationId);
      if (!conv) throw errors.notFound('The conversation');
      const r = store.forTenant(req.principal.tenantId);
      const existing = await r.links.findById(conv._id);
      const ticket = await tickets.create(r, conv, actorOf(req.principal), req.body.subject ? { subject: req.body.subject } : {});
      return reply.status(existing && existing.ticketId === ticket._id ? 200 : 201).send(ticketView(ticket));
    },
  );

  app.get(
    '/tickets/:id',
    { config: read, schema: { tags, summary: 'One ticket', params: IdParams, response: { 200: TicketView, ...notFound } } },
    async (req) => ticketView(await tickets.get(scope(req.principal), req.params.id)),
  );

  app.patch(
    '/tickets/:id',
    {
      config: write,
      schema: { tags, summary: 'Change status, priority, assignee, team, tags, subject or custom fields', params: IdParams, body: TicketChange, response: { 200: TicketView, ...notFound } },
    },
    async (req) => ticketView(await tickets.update(scope(req.principal), req.params.id, req.body, actorOf(req.principal))),
  );

  app.post(
    '/tickets/bulk',
    {
      config: write,
      schema: {
        tags,
        summary: 'The same change on up to 100 tickets; each succeeds or fails on its own',
        body: Type.Object({ ids: Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { minItems: 1, maxItems: 100 }), change: TicketChange }, { additionalProperties: false }),
        response: {
          200: Type.Object({
            updated: Type.Array(TicketView),
            failed: Type.Array(Type.Object({ id: Type.String(), code: Type.String(), message: Type.String() })),
          }),
        },
      },
    },
    async (req) => {
      const result = await tickets.bulk(scope(req.principal), req.body.ids, req.body.change, actorOf(req.principal));
      return { updated: result.updated.map(ticketView), failed: result.failed };
    },
  );

  app.post(
    '/tickets/:id/merge',
    {
      config: write,
      schema: {
        tags,
        summary: 'Merge other tickets into this one: their conversations join it, they close as merged',
        params: IdParams,
        body: Type.Object({ sourceIds: Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { minItems: 1, maxItems: 20 }) }, { additionalProperties: false }),
        response: { 200: TicketView, ...notFound },
      },
    },
    async (req) => ticketView(await tickets.merge(scope(req.principal), req.params.id, req.body.sourceIds, actorOf(req.principal))),
  );

  app.post(
    '/tickets/:id/conversations',
    {
      config: write,
      schema: {
        tags,
        summary: 'Link another conversation to this ticket',
        params: IdParams,
        body: Type.Object({ conversationId: Type.String({ minLength: 1, maxLength: 100 }) }, { additionalProperties: false }),
        response: { 200: TicketView, ...notFound },
      },
    },
    async (req) => {
      const conv = await deps.inbox.forPrincipal(req.principal).conversations.findById(req.body.conversationId);
      if (!conv) throw errors.notFound('The conversation');
      return ticketView(await tickets.linkConversation(scope(req.principal), req.params.id, conv, actorOf(req.principal)));
    },
  );

  app.get(
    '/tickets/:id/history',
    { config: read, schema: { tags, summary: 'Who changed what and when, oldest first', params: IdParams, response: { 200: Type.Object({ items: Type.Array(TicketHistoryEntry) }), ...notFound } } },
    async (req) => {
      const r = scope(req.principal);
      const ticket = await tickets.get(r, req.params.id);
      const items = await r.events.find({ ticketId: ticket._id }, { sort: { at: 1, _id: 1 }, limit: 1000 });
      return { items: items.map(historyView) };
    },
  );

  app.get(
    '/tickets/:id/notes',
    { config: read, schema: { tags, summary: 'Internal notes (never shown to the customer)', params: IdParams, response: { 200: Type.Object({ items: Type.Array(TicketNoteView) }), ...notFound } } },
    async (req) => {
      const r = scope(req.principal);
      const ticket = await tickets.get(r, req.params.id);
      return { items: (await r.notes.find({ ticketId: ticket._id }, { sort: { createdAt: 1 }, limit: 1000 })).map(noteView) };
    },
  );

  app.post(
    '/tickets/:id/notes',
    {
      config: write,
      schema: {
        tags,
        summary: 'Add an internal note; agents @mentioned in `mentions` are notified',
        params: IdParams,
        body: Type.Object(
          {
            text: Type.String({ minLength: 1, maxLength: 10_000, pattern: '\\S' }),
            mentions: Type.Optional(
              Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { maxItems: MAX_MENTIONS, description: 'Ids of active agents to notify (each must be able to see the conversation).' }),
            ),
          },
          { additionalProperties: false },
        ),
        response: { 201: TicketNoteView, 400: ErrorBody, ...notFound },
      },
    },
    async (req, reply) => {
      const r = scope(req.principal);
      // Found first: another tenant's ticket answers 404 whatever the mentions say.
      const ticket = await tickets.get(r, req.params.id);
      const mentions = deps.mentions && req.body.mentions ? await deps.mentions.check(r.tenantId, ticket, req.body.mentions) : [];
      return reply.status(201).send(noteView(await tickets.addNote(r, ticket._id, req.body.text, actorOf(req.principal), mentions)));
    },
  );
}
