import { Type } from 'typebox';
import { ErrorBody, MentionList } from '@switchboard/contracts';
import { errors, type HttpServer } from '@switchboard/http';
import type { Repositories } from '@switchboard/inbox-service';
import { mentionView, type MentionService } from './service.js';

const ConversationId = Type.String({ minLength: 1, maxLength: 100 });

/**
 * /api/v1/mentions: the signed-in agent's @mentions. Agents only (an API key has no mentions).
 * Both routes speak only of the caller's own records.
 */
export async function mentionRoutes(app: HttpServer, deps: { mentions: MentionService; inbox: Repositories }): Promise<void> {
  const access = { access: {} };
  const tags = ['mentions'];
  const agentOf = (p: { kind: string; agentId?: string }) => {
    if (p.kind !== 'agent' || !p.agentId) throw errors.forbidden('Only agents have mentions.');
    return p.agentId;
  };

  app.get(
    '/mentions',
    {
      config: access,
      schema: {
        tags,
        summary: 'My @mentions in ticket notes, newest first (unread first with unreadFirst=true)',
        querystring: Type.Object(
          {
            limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
            unreadFirst: Type.Boolean({ default: false }),
            conversationId: Type.Optional(ConversationId),
          },
          { additionalProperties: false },
        ),
        response: { 200: MentionList, 403: ErrorBody },
      },
    },
    async (req) => {
      const { items, unread } = await deps.mentions.list(req.principal.tenantId, agentOf(req.principal), {
        limit: req.query.limit,
        unreadFirst: req.query.unreadFirst,
        ...(req.query.conversationId ? { conversationId: req.query.conversationId } : {}),
      });
      return { items: items.map(mentionView), unread };
    },
  );

  app.post(
    '/mentions/read',
    {
      config: access,
      schema: {
        tags,
        summary: 'Mark my mentions in one conversation read (the console calls it when the conversation is opened)',
        body: Type.Object({ conversationId: ConversationId }, { additionalProperties: false }),
        response: { 200: Type.Object({ marked: Type.Integer({ minimum: 0 }) }), 403: ErrorBody, 404: ErrorBody },
      },
    },
    async (req) => {
      const agentId = agentOf(req.principal);
      const conv = await deps.inbox.forPrincipal(req.principal).conversations.findById(req.body.conversationId);
      if (!conv) throw errors.notFound('The conversation');
      return { marked: await deps.mentions.markRead(req.principal.tenantId, agentId, conv._id) };
    },
  );
}
