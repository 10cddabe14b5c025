import { Type } from 'typebox';
import type { FastifyRequest } from 'fastify';
import type { Bus } from '@switchboard/bus';
import { ErrorBody } from '@switchboard/contracts';
import { errors, SbError, type HttpServer } from '@switchboard/http';
import type { Logger } from '@switchboard/logging';
import type { AuditLog } from '../access/index.js';
import { letterOf, type DeadLetterRecord, type DeadLetterRepository } from './repository.js';

const Status = Type.Union([Type.Literal('dead'), Type.Literal('retried'), Type.Literal('discarded')]);
/** Characters of the body shown in the list; the whole kept body is in GET /dead-letters/:id. */
const PREVIEW_CHARS = 300;

export const DeadLetterView = Type.Object({
  id: Type.String(),
  status: Status,
  source: Type.String({ description: 'The queue it was given up in, e.g. sb.inbound.work.3 or sb.outbound.telegram.' }),
  routingKey: Type.String(),
  reason: Type.String({ description: 'Why it could not be handled (the handler’s error or the validation problem).' }),
  deadAt: Type.String({ format: 'date-time' }),
  deliveryCount: Type.Union([Type.Integer(), Type.Null()], { description: 'Attempts before it was given up; null when unknown.' }),
  traceId: Type.Union([Type.String(), Type.Null()]),
  preview: Type.String({ description: `The body’s first ${PREVIEW_CHARS} characters.` }),
  truncated: Type.Boolean({ description: 'The body was longer than 64 KiB and was kept cut; such a letter cannot be retried.' }),
  handledBy: Type.Union([Type.String(), Type.Null()], { description: 'The agent who retried or discarded it.' }),
  handledAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});
export const DeadLetterDetail = Type.Intersect([DeadLetterView, Type.Object({ body: Type.String({ description: 'The original body as kept (UTF-8).' }) })]);

const view = (r: DeadLetterRecord) => ({
  id: r._id,
  status: r.status,
  source: r.source,
  routingKey: r.routingKey,
  reason: r.reason,
  deadAt: new Date(r.deadAt).toISOString(),
  deliveryCount: r.deliveryCount,
  traceId: r.traceId,
  preview: r.body.length > PREVIEW_CHARS ? `${r.body.slice(0, PREVIEW_CHARS - 1)}…` : r.body,
  truncated: r.truncated,
  handledBy: r.handledBy,
  handledAt: r.handledAt ? new Date(r.handledAt).toISOString() : null,
});

const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) });

const settled = (r: DeadLetterRecord) =>
  new SbError('SB_ERR_DEAD_LETTER_SETTLED', 409, `This dead letter was already ${r.status}${r.handledAt ? ` at ${new Date(r.handledAt).toISOString()}` : ''}; it can be retried or discarded only once.`, { status: r.status });
const truncated = () =>
  new SbError('SB_ERR_DEAD_LETTER_TRUNCATED', 409, 'This dead letter’s body was longer than 64 KiB and was kept cut, so it cannot be put back; the whole message is in the logs by its trace id.');
const unretriable = (detail: string) => new SbError('SB_ERR_DEAD_LETTER_UNRETRIABLE', 409, `This dead letter cannot be put back: ${detail}.`);

export interface DeadLetterRouteDeps {
  letters: DeadLetterRepository;
  bus: Bus;
  audit: AuditLog;
  logger: Logger;
}

/**
 * Dead letters of the caller's team (admins): list, read, retry (back into the queue it came from)
 * and discard. Each letter leaves `dead` once; retry and discard are in the audit log.
 */
export async function deadLetterRoutes(app: HttpServer, d: DeadLetterRouteDeps): Promise<void> {
  const admin = { access: { roles: ['admin' as const] } };
  const scope = (req: FastifyRequest) => d.letters.forTenant(req.principal.tenantId);

  app.get(
    '/dead-letters',
    {
      config: admin,
      schema: {
        tags: ['dead-letters'],
        summary: 'Messages of your team that could not be handled, newest first (admin)',
        querystring: Type.Object(
          {
            status: Type.Optional(Status),
            source: Type.Optional(Type.String({ maxLength: 200, description: 'Only letters from this queue.' })),
            limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
            cursor: Type.Optional(Type.String({ maxLength: 100 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ items: Type.Array(DeadLetterView), nextCursor: Type.Union([Type.String(), Type.Null()]) }), 400: ErrorBody },
      },
    },
    async (req) => {
      const q = req.query;
      // Ids start with the time the letter died, so the last id seen is the cursor.
      if (q.cursor && !/^[0-9a-f-]{36}$/.test(q.cursor)) throw errors.validation('cursor is not one this API returned.', { path: '/cursor' });
      const items = await scope(req).list({ ...(q.status ? { status: q.status } : {}), ...(q.source ? { source: q.source } : {}), ...(q.cursor ? { before: q.cursor } : {}), limit: q.limit + 1 });
      const page = items.slice(0, q.limit);
      const last = page[page.length - 1];
      return { items: page.map(view), nextCursor: items.length > q.limit && last ? last._id : null };
    },
  );

  app.get(
    '/dead-letters/:id',
    {
      config: admin,
      schema: { tags: ['dead-letters'], summary: 'One dead letter with its kept body (admin)', params: IdParams, response: { 200: DeadLetterDetail, 404: ErrorBody } },
    },
    async (req) => {
      const letter = await scope(req).get(req.params.id);
      if (!letter) throw errors.notFound('The dead letter');
      return { ...view(letter), body: letter.body };
    },
  );

  app.post(
    '/dead-letters/:id/retry',
    {
      config: admin,
      schema: {
        tags: ['dead-letters'],
        summary: 'Put a dead letter back into the queue it came from, to be handled again (admin)',
        params: IdParams,
        response: { 200: DeadLetterView, 404: ErrorBody, 409: ErrorBody },
      },
    },
    async (req) => {
      const r = scope(req);
      const existing = await r.get(req.params.id);
      if (!existing) throw errors.notFound('The dead letter');
      if (existing.status !== 'dead') throw settled(existing);
      if (existing.truncated) throw truncated();
      const agentId = req.principal.agentId ?? null;
      // Claimed first, so two admins pressing Retry at once put it back once.
      const claimed = await r.settle(existing._id, 'retried', agentId);
      if (!claimed) throw settled((await r.get(existing._id)) ?? existing);
      try {
        await d.bus.retryDeadLetter(letterOf(claimed));
      } catch (err) {
        await r.revive(claimed._id);
        if ((err as { code?: string }).code === 'SB_ERR_BUS_DEAD_LETTER') throw unretriable(`its queue "${claimed.source}" is not one of this bus`);
        throw err;
      }
      d.logger.info({ tenantId: req.principal.tenantId, deadLetterId: claimed._id, source: claimed.source, traceId: claimed.traceId, agentId }, 'dead letter retried');
      await d.audit.record(req.principal.tenantId, req, { type: 'deadletter.retried', agentId, details: { target: claimed._id, source: claimed.source } });
      return view(claimed);
    },
  );

  app.post(
    '/dead-letters/:id/discard',
    {
      config: admin,
      schema: {
        tags: ['dead-letters'],
        summary: 'Mark a dead letter as dealt with, without handling it (admin)',
        params: IdParams,
        response: { 200: DeadLetterView, 404: ErrorBody, 409: ErrorBody },
      },
    },
    async (req) => {
      const r = scope(req);
      const agentId = req.principal.agentId ?? null;
      const discarded = await r.settle(req.params.id, 'discarded', agentId);
      if (!discarded) {
        const existing = await r.get(req.params.id);
        if (!existing) throw errors.notFound('The dead letter');
        throw settled(existing);
      }
      await d.audit.record(req.principal.tenantId, req, { type: 'deadletter.discarded', agentId, details: { target: discarded._id, source: discarded.source } });
      return view(discarded);
    },
  );
}
