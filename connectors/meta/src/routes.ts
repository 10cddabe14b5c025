import type { FastifyContextConfig, FastifyInstance, FastifyReply } from 'fastify';
import { Type } from 'typebox';
import type { BlobStore } from '@switchboard/blob';
import { callerTenant, ensureCaller, publicRoute } from '@switchboard/connectors-sdk';
import { ErrorBody, MessageView } from '@switchboard/contracts';
import { errors } from '@switchboard/http';
import { Repositories } from '@switchboard/inbox-service';
import type { Platform } from '@switchboard/runtime';
import type { MetaStore } from './meta-store.js';
import { openMediaGrant, PUBLIC_MEDIA_PATH } from './public-media.js';
import { windowState } from './window.js';

/** Any agent of the tenant may read a window or send a template; API keys need the matching scope. */
const canRead = { access: { scope: 'conversations:read' } } as FastifyContextConfig;
const canWrite = { access: { scope: 'conversations:write' } } as FastifyContextConfig;

const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) }, { additionalProperties: false });

export const ReplyWindow = Type.Object(
  {
    conversationId: Type.String(),
    channel: Type.String(),
    /** When free-form replies stop being possible; null when the channel has no window or the customer never wrote. */
    windowExpiresAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    open: Type.Boolean(),
    remainingSeconds: Type.Integer({ minimum: 0 }),
    /** What an agent can send now: anything, only a template (WhatsApp), or nothing until the customer writes (Instagram). */
    canSend: Type.Union([Type.Literal('any'), Type.Literal('template'), Type.Literal('none')]),
  },
  { additionalProperties: false },
);

const TemplateBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 512, pattern: '^[a-z0-9_]+$', description: 'Approved template name, e.g. order_update.' }),
    language: Type.String({ minLength: 2, maxLength: 15, pattern: '^[a-z]{2,3}(_[A-Za-z]{2,4})?$', description: 'Template language code, e.g. en_US.' }),
    params: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 1024 }), { maxItems: 20, description: 'Values for {{1}}, {{2}} … of the body, in order.' })),
    idempotencyKey: Type.String({ minLength: 8, maxLength: 100, description: 'The same key twice sends one template.' }),
  },
  { additionalProperties: false },
);

const TemplateAccepted = Type.Object(
  {
    idempotencyKey: Type.String(),
    text: Type.String({ description: 'What the conversation shows for the template.' }),
    message: Type.Union([MessageView, Type.Null()], { description: 'The stored reply when the inbox runs in this process; else post `text` with this idempotencyKey to /conversations/:id/messages.' }),
  },
  { additionalProperties: false },
);

/**
 * What the Meta channels add to the API: the reply window of a conversation (for the console's
 * countdown), sending an approved WhatsApp template, and sealed public links Meta fetches
 * outbound media from.
 */
export async function metaRoutes(app: FastifyInstance, opts: { platform: Platform; store: MetaStore; blobs: BlobStore }): Promise<void> {
  const { platform, store, blobs } = opts;
  const repos = new Repositories(platform.store);

  app.get(
    PUBLIC_MEDIA_PATH,
    { config: publicRoute, schema: { hide: true, querystring: Type.Object({ t: Type.String({ minLength: 1, maxLength: 4000 }) }, { additionalProperties: false }) } },
    async (req, reply: FastifyReply) => {
      const grant = openMediaGrant(platform.secrets, (req.query as { t: string }).t);
      const got = grant && (await blobs.get(grant.tenantId, grant.ref));
      if (!got) throw errors.notFound('The file');
      return reply.header('content-type', got.meta.mime).header('content-length', String(got.meta.size)).header('cache-control', 'private, max-age=600').send(got.stream);
    },
  );

  await app.register(
    async (api) => {
      ensureCaller(api, platform.tokens);
      const conversation = async (tenantId: string, id: string) => {
        const conv = await repos.forTenant(tenantId).conversations.findById(id);
        if (!conv) throw errors.notFound('The conversation');
        return conv;
      };

      api.get(
        '/conversations/:id/reply-window',
        { config: canRead, schema: { tags: ['conversations'], summary: 'How long free-form replies are still possible (WhatsApp, Instagram)', params: IdParams, response: { 200: ReplyWindow, 404: ErrorBody } } },
        async (req) => {
          const { id } = req.params as { id: string };
          const conv = await conversation(callerTenant(req), id);
          if (conv.channel !== 'whatsapp' && conv.channel !== 'instagram') {
            return { conversationId: id, channel: conv.channel, windowExpiresAt: null, open: true, remainingSeconds: 0, canSend: 'any' as const };
          }
          const last = await store.forTenant(callerTenant(req)).lastInbound(conv.channel, conv.channelAccountId, conv.threadKey);
          const w = windowState(last);
          return {
            conversationId: id,
            channel: conv.channel,
            windowExpiresAt: w.expiresAt,
            open: w.open,
            remainingSeconds: Math.floor(w.remainingMs / 1000),
            canSend: w.open ? ('any' as const) : conv.channel === 'whatsapp' ? ('template' as const) : ('none' as const),
          };
        },
      );

      api.post(
        '/conversations/:id/template',
        {
          config: canWrite,
          schema: {
            tags: ['conversations'],
            summary: 'Reply with an approved WhatsApp template (the only message WhatsApp delivers after 24 hours)',
            params: IdParams,
            body: TemplateBody,
            response: { 200: TemplateAccepted, 202: TemplateAccepted, 400: ErrorBody, 404: ErrorBody },
          },
        },
        async (req, reply) => {
          const { id } = req.params as { id: string };
          const body = req.body as { name: string; language: string; params?: string[]; idempotencyKey: string };
          const conv = await conversation(callerTenant(req), id);
          if (conv.channel !== 'whatsapp') throw errors.validation('Templates exist only on WhatsApp conversations.', { path: '/channel' });
          const template = { name: body.name, language: body.language, ...(body.params?.length ? { params: body.params } : {}) };
          await store.forTenant(callerTenant(req)).saveTemplate(body.idempotencyKey, id, template);
          const text = `Template ${body.name} (${body.language})${body.params?.length ? `: ${body.params.join(' | ')}` : ''}`;
          req.log.info({ tenantId: callerTenant(req), conversationId: id, template: body.name }, 'template reply requested');
          const inbox = (app as FastifyInstance & { inbox?: FastifyInstance['inbox'] }).inbox;
          if (!inbox) return reply.status(202).send({ idempotencyKey: body.idempotencyKey, text, message: null });
          const message = await inbox.conversations.reply(
            inbox.repos.forTenant(callerTenant(req)),
            id,
            actorOf(req),
            { text, idempotencyKey: body.idempotencyKey },
          );
          return { idempotencyKey: body.idempotencyKey, text, message };
        },
      );
    },
    { prefix: '/api/v1' },
  );
}

/** The agent, or the API key acting as one, that a template reply is stored under. */
function actorOf(req: { principal?: { agentId?: string; keyId?: string; name?: string }; agent?: { agentId: string; name: string } | null }): { agentId: string; name: string } {
  if (req.agent) return { agentId: req.agent.agentId, name: req.agent.name };
  return { agentId: req.principal?.agentId ?? req.principal?.keyId ?? 'api', name: req.principal?.name ?? 'API' };
}
