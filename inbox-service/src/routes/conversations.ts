import { Type } from 'typebox';
import { Channel, ConversationStatus, ConversationView, ErrorBody, MessageView } from '@switchboard/contracts';
import type { HttpServer } from '@switchboard/http';
import type { Principal } from '@switchboard/auth';
import { countConversations, LIST_SORTS, listFilter, listPage } from '../conversation-list.js';
import type { ConversationService } from '../conversations.js';
import type { Fanout } from '../fanout.js';
import type { Repositories } from '../repositories/index.js';
import { conversationView } from '../views.js';

const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) });
const notFound = { 404: ErrorBody };

export interface ConversationRouteDeps {
  repos: Repositories;
  conversations: ConversationService;
  fanout: Fanout;
}

export async function conversationRoutes(app: HttpServer, deps: ConversationRouteDeps): Promise<void> {
  const { repos, conversations } = deps;
  const scope = (principal: Principal) => repos.forPrincipal(principal);
  const read = { access: { scope: 'conversations:read' } };
  const write = { access: { scope: 'conversations:write' } };

  const ViewCount = Type.Object({ open: Type.Integer({ minimum: 0 }), unread: Type.Integer({ minimum: 0 }) });
  const FilterId = Type.String({ minLength: 1, maxLength: 200 });

  app.get(
    '/conversations',
    {
      config: read,
      schema: {
        tags: ['conversations'],
        summary: 'List conversations: filtered by status, assignee, inbox, channel, team, CRM contact or mentions; newest activity first or another sort',
        querystring: Type.Object(
          {
            status: Type.Union([ConversationStatus, Type.Literal('all')], { default: 'open' }),
            assignee: Type.Union([Type.Literal('me'), Type.Literal('unassigned'), Type.Literal('all')], { default: 'all' }),
            inboxId: Type.Optional(FilterId),
            channel: Type.Optional(Channel),
            teamId: Type.Optional(FilterId),
            crmContactId: Type.Optional(FilterId),
            mentioned: Type.Optional(Type.Literal('me', { description: 'Only conversations where the caller was @mentioned in a note' })),
            sort: Type.Union(
              LIST_SORTS.map((s) => Type.Literal(s)),
              {
                default: 'newest',
                description:
                  'newest: latest activity first; oldest: created first; waiting: the customer waiting longest for a reply first; sla: the nearest SLA due time first (the last two put the rest after, newest first)',
              },
            ),
            limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
            cursor: Type.Optional(Type.String({ maxLength: 500, description: 'nextCursor of the previous page, for the same sort' })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ items: Type.Array(ConversationView), nextCursor: Type.Union([Type.String(), Type.Null()]) }) },
      },
    },
    async (req) => {
      const r = scope(req.principal);
      const { sort, limit, cursor, ...filters } = req.query;
      const page = await listPage(r, await listFilter(r, req.principal, filters), { sort, limit, cursor });
      return { items: page.items.map(conversationView), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/conversations/counts',
    {
      config: read,
      schema: {
        tags: ['conversations'],
        summary: "Open conversations per view of the caller's (mine, unassigned, all, mentions, each inbox, each team) and how many have unread messages",
        response: {
          200: Type.Object({
            mine: ViewCount,
            unassigned: ViewCount,
            all: ViewCount,
            mentions: ViewCount,
            inboxes: Type.Array(Type.Object({ inboxId: Type.String(), name: Type.String(), channel: Channel, open: Type.Integer(), unread: Type.Integer() })),
            teams: Type.Array(Type.Object({ teamId: Type.String(), open: Type.Integer(), unread: Type.Integer() })),
          }),
        },
      },
    },
    async (req) => countConversations(scope(req.principal), req.principal),
  );

  app.get(
    '/conversations/:id',
    { config: read, schema: { tags: ['conversations'], summary: 'One conversation', params: IdParams, response: { 200: ConversationView, ...notFound } } },
    async (req) => conversationView(await conversations.get(scope(req.principal), req.params.id)),
  );

  app.get(
    '/conversations/:id/messages',
    {
      config: read,
      schema: {
        tags: ['conversations'],
        summary: 'Messages of a conversation: after a seq (resume), before a seq (older), or the latest page',
        params: IdParams,
        querystring: Type.Object(
          {
            afterSeq: Type.Optional(Type.Integer({ minimum: 0 })),
            beforeSeq: Type.Optional(Type.Integer({ minimum: 1 })),
            limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ items: Type.Array(MessageView) }), ...notFound },
      },
    },
    async (req) => ({ items: await conversations.listMessages(scope(req.principal), req.params.id, req.query) }),
  );

  app.post(
    '/conversations/:id/messages',
    {
      config: write,
      schema: {
        tags: ['conversations'],
        summary: 'Reply to the customer on the conversation’s channel: text, files uploaded with POST /api/v1/blobs, or both',
        params: IdParams,
        body: Type.Object(
          {
            /** Optional when the reply carries at least one attachment. */
            text: Type.Optional(Type.String({ minLength: 1, maxLength: 10_000, pattern: '\\S' })),
            attachments: Type.Optional(
              Type.Array(Type.Object({ ref: Type.String({ minLength: 1, maxLength: 200, description: 'A ref POST /api/v1/blobs answered' }) }, { additionalProperties: false }), {
                maxItems: 10,
                description: 'Files to send (name, type and size come from the upload)',
              }),
            ),
            idempotencyKey: Type.String({ minLength: 8, maxLength: 100 }),
            thread: Type.Optional(
              Type.Union([Type.String({ minLength: 1, maxLength: 200 }), Type.Null()], {
                description: 'Channels with threads (Slack): post into this thread (the thread.ref of one of the conversation’s messages), or null for the channel’s top level; absent = where the channel usually answers',
              }),
            ),
          },
          { additionalProperties: false },
        ),
        response: { 201: MessageView, ...notFound },
      },
    },
    async (req, reply) => {
      const msg = await conversations.reply(scope(req.principal), req.params.id, actor(req.principal), req.body);
      return reply.status(201).send(msg);
    },
  );

  app.post(
    '/conversations/:id/assign',
    {
      config: write,
      schema: {
        tags: ['conversations'],
        summary: 'Assign to an agent (null = unassign)',
        params: IdParams,
        body: Type.Object({ agentId: Type.Union([Type.String({ minLength: 1, maxLength: 100 }), Type.Null()]) }, { additionalProperties: false }),
        response: { 200: ConversationView, ...notFound },
      },
    },
    async (req) => conversations.assign(scope(req.principal), req.params.id, req.body.agentId),
  );

  app.post(
    '/conversations/:id/status',
    {
      config: write,
      schema: {
        tags: ['conversations'],
        summary: 'Resolve, reopen or set pending',
        params: IdParams,
        body: Type.Object({ status: ConversationStatus }, { additionalProperties: false }),
        response: { 200: ConversationView, ...notFound },
      },
    },
    async (req) => conversations.setStatus(scope(req.principal), req.params.id, req.body.status),
  );

  app.post(
    '/conversations/:id/snooze',
    {
      config: write,
      schema: {
        tags: ['conversations'],
        summary: 'Snooze until a time: it leaves the open list and opens again then, or when the customer writes',
        params: IdParams,
        body: Type.Object(
          { until: Type.String({ format: 'date-time', description: 'When to open it again: in the future, at most a year ahead' }) },
          { additionalProperties: false },
        ),
        response: { 200: ConversationView, 400: ErrorBody, ...notFound },
      },
    },
    async (req) => conversations.snooze(scope(req.principal), req.params.id, new Date(req.body.until)),
  );

  app.post(
    '/conversations/:id/messages/:messageId/retry',
    {
      config: write,
      schema: {
        tags: ['conversations'],
        summary: 'Send a reply whose delivery failed once more (same idempotency key: never delivered twice)',
        params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }), messageId: Type.String({ minLength: 1, maxLength: 100 }) }),
        response: { 200: MessageView, 409: ErrorBody, ...notFound },
      },
    },
    async (req) => conversations.retry(scope(req.principal), req.params.id, req.params.messageId, actor(req.principal)),
  );

  app.post(
    '/conversations/:id/read',
    {
      config: write,
      schema: { tags: ['conversations'], summary: 'Mark as read (unread count 0)', params: IdParams, response: { 200: ConversationView, ...notFound } },
    },
    async (req) => {
      const r = scope(req.principal);
      const view = await conversations.markRead(r, req.params.id);
      // A website visitor sees "Seen" on its messages up to here; the mark never moves back.
      const conv = await r.conversations.findOneAndUpdate({ _id: req.params.id }, { $max: { agentReadSeq: view.lastSeq } }, { returnDocument: 'after' });
      if (conv?.channel === 'web' && conv.lastSeq > 0) deps.fanout.readToVisitor(r.tenantId, conv.inboxId, conv.threadKey, conv.agentReadSeq ?? conv.lastSeq);
      return view;
    },
  );
}

/** Who a reply is from: the agent, or the integration whose API key sent it. */
function actor(p: Principal): { agentId: string; name: string } {
  return p.kind === 'agent' ? { agentId: p.agentId ?? '', name: p.name ?? '' } : { agentId: `apikey:${p.keyId ?? ''}`, name: p.name ?? 'API' };
}
