import { Type } from 'typebox';
import { CannedResponseCreate, CannedResponseUpdate, CannedResponseView, ErrorBody, newId } from '@switchboard/contracts';
import { errors, SbError, type HttpServer } from '@switchboard/http';
import type { Principal } from '@switchboard/auth';
import { DuplicateKeyError } from '@switchboard/store';
import type { AccessServices } from '../access/index.js';
import type { CannedResponseRecord } from '../repositories/index.js';

const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) });

/** A team has at most this many canned responses; the console loads them all at once. */
const MAX_PER_TEAM = 1000;

const shortcutTaken = (shortcut: string) =>
  new SbError('SB_ERR_CANNED_SHORTCUT_TAKEN', 409, `Another canned response already uses the shortcut "/${shortcut}".`, { path: '/shortcut' });

const view = (c: CannedResponseRecord): CannedResponseView => ({
  id: c._id,
  shortcut: c.shortcut,
  title: c.title,
  text: c.text,
  createdAt: new Date(c.createdAt).toISOString(),
  updatedAt: new Date(c.updatedAt).toISOString(),
});

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Canned responses: every agent reads them (the composer's "/" picker), admins change them. */
export async function cannedResponseRoutes(app: HttpServer, s: AccessServices): Promise<void> {
  const scope = (p: Principal) => s.repos.forPrincipal(p);
  // Agents only (no API key scope): these are the console's.
  const anyAgent = { access: {} };
  const admin = { access: { roles: ['admin' as const] } };

  app.get(
    '/canned-responses',
    {
      config: anyAgent,
      schema: {
        tags: ['canned-responses'],
        summary: 'Your team’s canned responses, by shortcut',
        querystring: Type.Object(
          { q: Type.Optional(Type.String({ maxLength: 100, description: 'Only those whose shortcut or title contains this (case-insensitive)' })) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ items: Type.Array(CannedResponseView) }) },
      },
    },
    async (req) => {
      const q = req.query.q?.trim().replace(/^\//, '');
      const filter = q ? { $or: [{ shortcut: { $regex: escapeRegex(q.toLowerCase()) } }, { title: { $regex: escapeRegex(q), $options: 'i' } }] } : {};
      const items = await scope(req.principal).cannedResponses.find(filter, { sort: { shortcut: 1 }, limit: MAX_PER_TEAM });
      return { items: items.map(view) };
    },
  );

  app.post(
    '/canned-responses',
    {
      config: admin,
      schema: {
        tags: ['canned-responses'],
        summary: 'Add a canned response (admin)',
        body: CannedResponseCreate,
        response: { 201: CannedResponseView, 400: ErrorBody, 409: ErrorBody },
      },
    },
    async (req, reply) => {
      const r = scope(req.principal);
      if ((await r.cannedResponses.countDocuments({})) >= MAX_PER_TEAM) {
        throw errors.conflict(`A team can keep at most ${MAX_PER_TEAM} canned responses; delete some first.`);
      }
      const now = new Date();
      let created: CannedResponseRecord;
      try {
        created = await r.cannedResponses.insertOne({
          _id: newId(),
          shortcut: req.body.shortcut,
          title: req.body.title.trim(),
          text: req.body.text,
          createdBy: req.principal.agentId ?? null,
          createdAt: now,
          updatedAt: now,
        });
      } catch (err) {
        if (err instanceof DuplicateKeyError) throw shortcutTaken(req.body.shortcut);
        throw err;
      }
      await s.audit.record(r.tenantId, req, { type: 'canned.created', agentId: req.principal.agentId ?? null, details: { target: created._id, shortcut: created.shortcut } });
      return reply.status(201).send(view(created));
    },
  );

  app.patch(
    '/canned-responses/:id',
    {
      config: admin,
      schema: {
        tags: ['canned-responses'],
        summary: 'Change a canned response’s shortcut, title or text (admin)',
        params: IdParams,
        body: CannedResponseUpdate,
        response: { 200: CannedResponseView, 400: ErrorBody, 404: ErrorBody, 409: ErrorBody },
      },
    },
    async (req) => {
      const r = scope(req.principal);
      const set: Partial<CannedResponseRecord> = { updatedAt: new Date() };
      if (req.body.shortcut !== undefined) set.shortcut = req.body.shortcut;
      if (req.body.title !== undefined) set.title = req.body.title.trim();
      if (req.body.text !== undefined) set.text = req.body.text;
      let updated: CannedResponseRecord | null;
      try {
        updated = await r.cannedResponses.findOneAndUpdate({ _id: req.params.id }, { $set: set }, { returnDocument: 'after' });
      } catch (err) {
        if (err instanceof DuplicateKeyError) throw shortcutTaken(req.body.shortcut ?? '');
        throw err;
      }
      if (!updated) throw errors.notFound('The canned response');
      await s.audit.record(r.tenantId, req, { type: 'canned.updated', agentId: req.principal.agentId ?? null, details: { target: updated._id, fields: Object.keys(req.body) } });
      return view(updated);
    },
  );

  app.delete(
    '/canned-responses/:id',
    {
      config: admin,
      schema: { tags: ['canned-responses'], summary: 'Delete a canned response (admin)', params: IdParams, response: { 204: Type.Null(), 404: ErrorBody } },
    },
    async (req, reply) => {
      const r = scope(req.principal);
      const existing = await r.cannedResponses.findById(req.params.id);
      if (!existing) throw errors.notFound('The canned response');
      await r.cannedResponses.deleteOne({ _id: existing._id });
      await s.audit.record(r.tenantId, req, { type: 'canned.deleted', agentId: req.principal.agentId ?? null, details: { target: existing._id, shortcut: existing.shortcut } });
      return reply.status(204).send(null);
    },
  );
}
