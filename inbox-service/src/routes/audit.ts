import { Type } from 'typebox';
import { errors, type HttpServer } from '@switchboard/http';
import type { Filter } from '@switchboard/store';
import type { AccessServices } from '../access/index.js';
import type { AuditRecord } from '../repositories/index.js';

export const AuditEntryView = Type.Object({
  id: Type.String(),
  type: Type.String(),
  agentId: Type.Union([Type.String(), Type.Null()]),
  email: Type.Optional(Type.String()),
  ip: Type.String(),
  userAgent: Type.String(),
  details: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  at: Type.String({ format: 'date-time' }),
});

const entryView = (e: AuditRecord) => ({
  id: e._id,
  type: e.type,
  agentId: e.agentId,
  ...(e.email ? { email: e.email } : {}),
  ip: e.ip,
  userAgent: e.userAgent,
  ...(e.details ? { details: e.details } : {}),
  at: new Date(e.at).toISOString(),
});

export async function auditRoutes(app: HttpServer, s: AccessServices): Promise<void> {
  app.get(
    '/audit',
    {
      config: { access: { roles: ['admin'] } },
      schema: {
        tags: ['audit'],
        summary: 'Sign-ins and account changes of your team, newest first (admin)',
        querystring: Type.Object(
          {
            type: Type.Optional(Type.String({ maxLength: 50, pattern: '^[a-z.]+$' })),
            agentId: Type.Optional(Type.String({ maxLength: 100 })),
            limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
            cursor: Type.Optional(Type.String({ maxLength: 100 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ items: Type.Array(AuditEntryView), nextCursor: Type.Union([Type.String(), Type.Null()]) }) },
      },
    },
    async (req) => {
      const q = req.query;
      const and: Filter[] = [];
      if (q.type) and.push({ type: q.type });
      if (q.agentId) and.push({ agentId: q.agentId });
      // Ids are UUIDv7, ordered by creation: the last id seen is the cursor.
      if (q.cursor) {
        if (!/^[0-9a-f-]{36}$/.test(q.cursor)) throw errors.validation('cursor is not one this API returned.', { path: '/cursor' });
        and.push({ _id: { $lt: q.cursor } });
      }
      const items = await s.repos.forPrincipal(req.principal).audit.find(and.length ? { $and: and } : {}, { sort: { _id: -1 }, limit: q.limit + 1 });
      const page = items.slice(0, q.limit);
      const last = page[page.length - 1];
      return { items: page.map(entryView), nextCursor: items.length > q.limit && last ? last._id : null };
    },
  );
}
