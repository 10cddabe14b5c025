import { Type } from 'typebox';
import { ErrorBody, newId } from '@switchboard/contracts';
import type { SecretBox } from '@switchboard/crypto';
import { errors, type HttpServer } from '@switchboard/http';
import type { AuditLog } from '../access/index.js';
import type { AuditType } from '../repositories/index.js';
import { callerOf } from '../caller.js';
import type { WebhookDispatcher } from './dispatcher.js';
import { WEBHOOK_EVENT_TYPES } from './events.js';
import type { WebhookDeliveryRecord, WebhookRecord, WebhookRepository } from './repository.js';
import { newSigningSecret } from './signature.js';

const IsoTime = Type.String({ format: 'date-time' });
const EventType = Type.Union([...WEBHOOK_EVENT_TYPES.map((t) => Type.Literal(t)), Type.Literal('*')], {
  description: "A domain event type, or '*' for all of them.",
});
const Url = Type.String({ pattern: '^https?://\\S+$', maxLength: 2000, description: 'Where events are POSTed (http or https).' });

export const WebhookView = Type.Object(
  {
    id: Type.String(),
    url: Type.String(),
    events: Type.Array(Type.String()),
    description: Type.Optional(Type.String()),
    enabled: Type.Boolean(),
    disabledReason: Type.Union([Type.String(), Type.Null()], { description: 'Why it was disabled automatically.' }),
    consecutiveFailures: Type.Integer(),
    createdAt: IsoTime,
    updatedAt: IsoTime,
  },
  { additionalProperties: false },
);

const CreatedWebhook = Type.Object(
  { ...WebhookView.properties, secret: Type.String({ description: 'Signing secret; shown only in this response.' }) },
  { additionalProperties: false },
);

export const DeliveryView = Type.Object(
  {
    id: Type.String({ description: 'Sent as Switchboard-Delivery; the same on every retry.' }),
    eventId: Type.String(),
    eventType: Type.String(),
    status: Type.Union([Type.Literal('pending'), Type.Literal('delivered'), Type.Literal('failed')]),
    attempts: Type.Integer(),
    responseStatus: Type.Union([Type.Integer(), Type.Null()]),
    durationMs: Type.Union([Type.Integer(), Type.Null()]),
    error: Type.Union([Type.String(), Type.Null()]),
    createdAt: IsoTime,
    lastAttemptAt: Type.Union([IsoTime, Type.Null()]),
    nextAttemptAt: Type.Union([IsoTime, Type.Null()]),
    deliveredAt: Type.Union([IsoTime, Type.Null()]),
  },
  { additionalProperties: false },
);

const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) }, { additionalProperties: false });

export const TestResultView = Type.Object(
  {
    ok: Type.Boolean({ description: 'The receiver answered 2xx.' }),
    status: Type.Union([Type.Integer(), Type.Null()], { description: 'The HTTP status it answered; null when no answer came.' }),
    durationMs: Type.Integer(),
    error: Type.Union([Type.String(), Type.Null()], { description: 'Why it did not count as delivered, in words.' }),
    deliveryId: Type.String({ description: 'Sent as Switchboard-Delivery.' }),
  },
  { additionalProperties: false },
);
const access = { access: { roles: ['admin' as const], scope: 'webhooks:write' } };
const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

function webhookView(h: WebhookRecord) {
  return {
    id: h._id,
    url: h.url,
    events: h.events,
    ...(h.description !== undefined ? { description: h.description } : {}),
    enabled: h.enabled,
    disabledReason: h.disabledReason,
    consecutiveFailures: h.consecutiveFailures,
    createdAt: new Date(h.createdAt).toISOString(),
    updatedAt: new Date(h.updatedAt).toISOString(),
  };
}

function deliveryView(d: WebhookDeliveryRecord) {
  return {
    id: d._id,
    eventId: d.eventId,
    eventType: d.eventType,
    status: d.status,
    attempts: d.attempts,
    responseStatus: d.responseStatus,
    durationMs: d.durationMs,
    error: d.error,
    createdAt: new Date(d.createdAt).toISOString(),
    lastAttemptAt: iso(d.lastAttemptAt),
    nextAttemptAt: d.status === 'pending' ? iso(d.nextAttemptAt) : null,
    deliveredAt: iso(d.deliveredAt),
  };
}

/** /webhooks: subscriptions, their signing secret (once) and the delivery log. Admins and API keys with webhooks:write. */
export async function webhookRoutes(
  app: HttpServer,
  deps: { repo: WebhookRepository; secrets: SecretBox; dispatcher: Pick<WebhookDispatcher, 'sendTest'>; audit: AuditLog },
): Promise<void> {
  const { repo, secrets } = deps;
  const scoped = (req: Parameters<typeof callerOf>[0]) => repo.forTenant(callerOf(req).tenantId);
  /** Changes to subscriptions go to the team's audit log (docs/security.md), by an admin or an API key. */
  const audit = (req: Parameters<typeof callerOf>[0], type: AuditType, details: Record<string, unknown>) => {
    const c = callerOf(req);
    return deps.audit.record(c.tenantId, req, { type, agentId: c.agentId ?? null, details: c.kind === 'apiKey' ? { ...details, apiKey: c.keyId ?? c.name } : details });
  };
  const found = async (req: Parameters<typeof callerOf>[0], id: string) => {
    const hook = await scoped(req).webhooks.findById(id);
    if (!hook) throw errors.notFound('The webhook');
    return hook;
  };

  app.post(
    '/webhooks',
    {
      config: access,
      schema: {
        tags: ['webhooks'],
        summary: 'Subscribe a URL to events; the answer carries the signing secret, shown only this once',
        body: Type.Object(
          {
            url: Url,
            events: Type.Array(EventType, { minItems: 1, maxItems: 50, uniqueItems: true }),
            description: Type.Optional(Type.String({ maxLength: 500 })),
          },
          { additionalProperties: false },
        ),
        response: { 201: CreatedWebhook, 400: ErrorBody, 403: ErrorBody },
      },
    },
    async (req, reply) => {
      const caller = callerOf(req);
      const secret = newSigningSecret();
      const now = new Date();
      const hook = await repo.forTenant(caller.tenantId).webhooks.insertOne({
        _id: newId(),
        url: req.body.url,
        events: req.body.events,
        ...(req.body.description !== undefined ? { description: req.body.description } : {}),
        secretSealed: secrets.seal(secret),
        enabled: true,
        disabledReason: null,
        consecutiveFailures: 0,
        createdAt: now,
        updatedAt: now,
      });
      req.log.info({ tenantId: caller.tenantId, webhookId: hook._id, events: hook.events }, 'webhook created');
      await audit(req, 'webhook.created', { target: hook._id, url: hook.url });
      return reply.status(201).send({ ...webhookView(hook), secret });
    },
  );

  app.get(
    '/webhooks',
    { config: access, schema: { tags: ['webhooks'], summary: 'Webhook subscriptions', response: { 200: Type.Object({ items: Type.Array(WebhookView) }) } } },
    async (req) => ({ items: (await scoped(req).webhooks.find({}, { sort: { createdAt: 1 } })).map(webhookView) }),
  );

  app.get(
    '/webhooks/:id',
    { config: access, schema: { tags: ['webhooks'], summary: 'One webhook subscription', params: IdParams, response: { 200: WebhookView, 404: ErrorBody } } },
    async (req) => webhookView(await found(req, req.params.id)),
  );

  app.patch(
    '/webhooks/:id',
    {
      config: access,
      schema: {
        tags: ['webhooks'],
        summary: 'Change a subscription; `enabled: true` re-enables one that was disabled',
        params: IdParams,
        body: Type.Object(
          {
            url: Type.Optional(Url),
            events: Type.Optional(Type.Array(EventType, { minItems: 1, maxItems: 50, uniqueItems: true })),
            description: Type.Optional(Type.String({ maxLength: 500 })),
            enabled: Type.Optional(Type.Boolean()),
          },
          { additionalProperties: false, minProperties: 1 },
        ),
        response: { 200: WebhookView, 404: ErrorBody },
      },
    },
    async (req) => {
      const hook = await found(req, req.params.id);
      const b = req.body;
      const set: Record<string, unknown> = { updatedAt: new Date() };
      if (b.url !== undefined) set.url = b.url;
      if (b.events !== undefined) set.events = b.events;
      if (b.description !== undefined) set.description = b.description;
      if (b.enabled === true) Object.assign(set, { enabled: true, disabledReason: null, consecutiveFailures: 0 });
      if (b.enabled === false) Object.assign(set, { enabled: false, disabledReason: null });
      const updated = await scoped(req).webhooks.findOneAndUpdate({ _id: hook._id }, { $set: set });
      if (!updated) throw errors.notFound('The webhook');
      await audit(req, 'webhook.updated', { target: updated._id, url: updated.url, fields: Object.keys(b) });
      return webhookView(updated);
    },
  );

  app.delete(
    '/webhooks/:id',
    { config: access, schema: { tags: ['webhooks'], summary: 'Remove a subscription and its delivery log', params: IdParams, response: { 204: Type.Null(), 404: ErrorBody } } },
    async (req, reply) => {
      const hook = await found(req, req.params.id);
      const r = scoped(req);
      await r.webhooks.deleteOne({ _id: hook._id });
      await r.deliveries.deleteMany({ webhookId: hook._id });
      await audit(req, 'webhook.deleted', { target: hook._id, url: hook.url });
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/webhooks/:id/test',
    {
      config: access,
      schema: {
        tags: ['webhooks'],
        summary: 'Send one signed `webhook.test` event to the address now and answer what the receiver said (not logged as a delivery, never retried)',
        params: IdParams,
        response: { 200: TestResultView, 404: ErrorBody },
      },
    },
    async (req) => {
      const hook = await found(req, req.params.id);
      const result = await deps.dispatcher.sendTest(hook);
      await audit(req, 'webhook.tested', { target: hook._id, url: hook.url, status: result.status, ok: result.ok });
      return result;
    },
  );

  app.post(
    '/webhooks/:id/secret',
    {
      config: access,
      schema: {
        tags: ['webhooks'],
        summary: 'Replace the signing secret; the answer carries the new one, shown only this once (the old one stops at once)',
        params: IdParams,
        response: { 200: CreatedWebhook, 404: ErrorBody },
      },
    },
    async (req) => {
      const hook = await found(req, req.params.id);
      const secret = newSigningSecret();
      const updated = await scoped(req).webhooks.findOneAndUpdate({ _id: hook._id }, { $set: { secretSealed: secrets.seal(secret), updatedAt: new Date() } });
      if (!updated) throw errors.notFound('The webhook');
      await audit(req, 'webhook.secret.rotated', { target: hook._id, url: hook.url });
      return { ...webhookView(updated), secret };
    },
  );

  app.get(
    '/webhooks/:id/deliveries',
    {
      config: access,
      schema: {
        tags: ['webhooks'],
        summary: 'Delivery log of a subscription, newest first',
        params: IdParams,
        querystring: Type.Object(
          {
            status: Type.Optional(Type.Union([Type.Literal('pending'), Type.Literal('delivered'), Type.Literal('failed')])),
            limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ items: Type.Array(DeliveryView) }), 404: ErrorBody },
      },
    },
    async (req) => {
      const hook = await found(req, req.params.id);
      const items = await scoped(req).deliveries.find(
        { webhookId: hook._id, ...(req.query.status ? { status: req.query.status } : {}) },
        { sort: { createdAt: -1, _id: -1 }, limit: req.query.limit },
      );
      return { items: items.map(deliveryView) };
    },
  );
}
