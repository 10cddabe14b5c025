import { Type } from 'typebox';
import { ConversationStatus, ConversationView, ErrorBody, MessageView } from '@switchboard/contracts';
import { errors, type HttpServer } from '@switchboard/http';
import type { Principal } from '@switchboard/auth';
import type { Filter } from '@switchboard/store';
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

interface Cursor {
  u: string;
  i: string;
}

function decodeCursor(raw: string): Cursor {
  try {
    const c = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as Cursor;
    if (typeof c.u !== 'string' || typeof c.i !== 'string' || Number.isNaN(Date.parse(c.u))) throw new Error('shape');
    return c;
  } catch {
    throw errors.validation('cursor is not one this API returned.', { path: '/cursor' });
  }
}

export async function conversationRoutes(app: HttpServer, deps: ConversationRouteDeps): Promise<void> {
  const { repos, conversations } = deps;
  const scope = (principal: Principal) => repos.forPrincipal(principal);
  const read = { access: { scope: 'conversations:read' } };
  const write = { access: { scope: 'conversations:write' } };

  app.get(
    '/conversations',
    {
      config: read,
      schema: {
        tags: ['conversations'],
        summary: 'List conversations, most recently updated first',
        querystring: Type.Object(
          {
            status: Type.Union([ConversationStatus, Type.Literal('all')], { default: 'open' }),
            assignee: Type.Union([Type.Literal('me'), Type.Literal('unassigned'), Type.Literal('all')], { default: 'all' }),
            limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
            cursor: Type.Optional(Type.String({ maxLength: 500 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ items: Type.Array(ConversationView), nextCursor: Type.Union([Type.String(), Type.Null()]) }) },
      },
    },
    async (req) => {
      const q = req.query;
      const and: Filter[] = [];
      if (q.status !== 'all') and.push({ status: q.status });
      if (q.assignee === 'me') and.push({ assigneeId: req.principal.agentId ?? null });
      if (q.assignee === 'unassigned') and.push({ assigneeId: null });
      if (q.cursor) {
        const c = decodeCursor(q.cursor);
        const u = new Date(c.u);
        and.push({ $or: [{ updatedAt: { $lt: u } }, { updatedAt: u, _id: { $lt: c.i } }] });
      }
      const items = await scope(req.principal).conversations.find(and.length ? { $and: and } : {}, {
        sort: { updatedAt: -1, _id: -1 },
        limit: q.limit + 1,
      });
      const page = items.slice(0, q.limit);
      const last = page[page.length - 1];
      const nextCursor =
        items.length > q.limit && last
          ? Buffer.from(JSON.stringify({ u: last.updatedAt.toISOString(), i: last._id })).toString('base64url')
          : null;
      return { items: page.map(conversationView), nextCursor };
    },
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
