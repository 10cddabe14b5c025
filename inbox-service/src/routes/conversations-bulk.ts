import { Type, type Static } from 'typebox';
import { ConversationView } from '@switchboard/contracts';
import { errors, SbError, type HttpServer } from '@switchboard/http';
import type { Logger } from '@switchboard/logging';
import type { ConversationService } from '../conversations.js';
import type { Fanout } from '../fanout.js';
import type { Repositories, TenantRepositories } from '../repositories/index.js';

/** The most conversations one bulk request changes; the console sends larger selections in batches. */
export const BULK_MAX = 100;

const BulkStatus = Type.Union([Type.Literal('open'), Type.Literal('pending'), Type.Literal('resolved')]);

export const BulkConversationBody = Type.Object(
  {
    ids: Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { minItems: 1, maxItems: BULK_MAX, uniqueItems: true }),
    action: Type.Union([Type.Literal('assign'), Type.Literal('status'), Type.Literal('read')]),
    /** With `assign`: the agent, or null to unassign. */
    agentId: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 100 }), Type.Null()])),
    /** With `status`. */
    status: Type.Optional(BulkStatus),
  },
  { additionalProperties: false },
);
type BulkConversationBody = Static<typeof BulkConversationBody>;

const ItemError = Type.Object({ code: Type.String(), message: Type.String() });
export const BulkConversationResult = Type.Union([
  Type.Object({ id: Type.String(), ok: Type.Literal(true), conversation: ConversationView }),
  Type.Object({ id: Type.String(), ok: Type.Literal(false), error: ItemError }),
]);
type BulkConversationResult = Static<typeof BulkConversationResult>;

export interface BulkConversationRouteDeps {
  repos: Repositories;
  conversations: ConversationService;
  fanout: Fanout;
  logger: Logger;
}

/**
 * POST /conversations/bulk: one action on up to 100 conversations, each succeeding or failing on
 * its own. Each change goes through the same ConversationService call as the single routes, so
 * the agents' live updates and the domain events are exactly those of one-by-one changes.
 */
export async function bulkConversationRoutes(app: HttpServer, deps: BulkConversationRouteDeps): Promise<void> {
  const { repos, conversations } = deps;

  app.post(
    '/conversations/bulk',
    {
      config: { access: { scope: 'conversations:write' } },
      schema: {
        tags: ['conversations'],
        summary: 'Assign, set the status of, or mark read up to 100 conversations; each succeeds or fails on its own',
        body: BulkConversationBody,
        response: { 200: Type.Object({ results: Type.Array(BulkConversationResult) }) },
      },
    },
    async (req) => {
      const body = req.body;
      // Scoped to the caller: an id of another team, or of an inbox they may not see, is simply not found.
      const r = repos.forPrincipal(req.principal);
      const change = await changeFor(body, r);
      const results: BulkConversationResult[] = [];
      for (const id of body.ids) {
        try {
          results.push({ id, ok: true, conversation: await change(r, id) });
        } catch (err) {
          if (!(err instanceof SbError)) deps.logger.error({ err, tenantId: r.tenantId, conversationId: id }, 'bulk conversation change failed');
          results.push({ id, ok: false, error: itemError(err) });
        }
      }
      return { results };
    },
  );

  /** Checks the action's own fields once, then returns the change to make on each conversation. */
  async function changeFor(body: BulkConversationBody, r: TenantRepositories): Promise<(tr: TenantRepositories, id: string) => Promise<ConversationView>> {
    switch (body.action) {
      case 'assign': {
        const agentId = body.agentId;
        if (agentId === undefined) throw errors.validation('agentId is required when action is "assign" (null unassigns).', { path: '/agentId' });
        if (agentId !== null && !(await r.agents.findById(agentId))) throw errors.validation('agentId does not name an agent of this team.', { path: '/agentId' });
        return (tr, id) => conversations.assign(tr, id, agentId);
      }
      case 'status': {
        const status = body.status;
        if (status === undefined) throw errors.validation('status is required when action is "status".', { path: '/status' });
        return (tr, id) => conversations.setStatus(tr, id, status);
      }
      case 'read':
        return (tr, id) => markRead(tr, id);
    }
  }

  /** As POST /conversations/:id/read: unread to 0, and a website visitor sees "Seen" up to here. */
  async function markRead(r: TenantRepositories, id: string): Promise<ConversationView> {
    const view = await conversations.markRead(r, id);
    const conv = await r.conversations.findOneAndUpdate({ _id: id }, { $max: { agentReadSeq: view.lastSeq } }, { returnDocument: 'after' });
    if (conv?.channel === 'web' && conv.lastSeq > 0) deps.fanout.readToVisitor(r.tenantId, conv.inboxId, conv.threadKey, conv.agentReadSeq ?? conv.lastSeq);
    return view;
  }
}

function itemError(err: unknown): { code: string; message: string } {
  if (err instanceof SbError && err.statusCode < 500) return { code: err.code, message: err.message };
  return { code: 'SB_ERR_INTERNAL', message: 'Something went wrong on our side; it has been logged.' };
}
