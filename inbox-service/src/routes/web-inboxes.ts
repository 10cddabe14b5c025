import { randomBytes } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { ErrorBody, newId, WebInboxCreate, WebInboxUpdate, WebInboxView } from '@switchboard/contracts';
import { errors, type HttpServer } from '@switchboard/http';
import type { Principal } from '@switchboard/auth';
import type { AccessServices } from '../access/index.js';
import type { InboxRecord, TenantRepositories } from '../repositories/index.js';
import { normalizeOrigins } from '../web-origins.js';

const InboxParams = Type.Object({ inboxId: Type.String({ minLength: 1, maxLength: 100 }) });

/** A widget token: public (it sits in every page's HTML) but unguessable, so nobody can pose as another site's inbox. */
export const newWidgetToken = () => `wt_${randomBytes(24).toString('base64url')}`;

const escapeAttr = (value: string) => value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/'/g, '&#39;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * Owners paste origins from the address bar: "https://Shop.example/" is meant as
 * "https://shop.example". Trimmed, lowercased and without a trailing slash before the schema
 * checks them, so only a path, a query or a wrong scheme is refused.
 */
async function tidyOrigins(req: FastifyRequest): Promise<void> {
  const body = req.body as { allowedOrigins?: unknown } | null | undefined;
  if (!body || typeof body !== 'object' || !Array.isArray(body.allowedOrigins)) return;
  body.allowedOrigins = body.allowedOrigins.map((o: unknown) => (typeof o === 'string' ? o.trim().toLowerCase().replace(/\/$/, '') : o));
}

/** /web-inboxes: the website inboxes a team embeds with the widget snippet (admin). */
export async function webInboxRoutes(app: HttpServer, s: AccessServices): Promise<void> {
  const scope = (p: Principal) => s.repos.forPrincipal(p);
  const admin = { access: { roles: ['admin' as const] } };
  const view = (i: InboxRecord): WebInboxView => {
    const token = i.widgetToken ?? '';
    return {
      id: i._id,
      name: i.name,
      widgetToken: token,
      allowedOrigins: i.allowedOrigins ?? [],
      snippet: `<script src="${escapeAttr(`${s.publicUrl}/widget.js`)}" data-inbox-token="${escapeAttr(token)}" async></script>`,
      createdAt: new Date(i.createdAt).toISOString(),
    };
  };
  const find = async (r: TenantRepositories, id: string) => {
    const inbox = await r.inboxes.findOne({ _id: id, channel: 'web' });
    if (!inbox) throw errors.notFound('The website inbox');
    return inbox;
  };
  const change = async (r: TenantRepositories, id: string, set: Partial<InboxRecord>) => {
    const updated = await r.inboxes.findOneAndUpdate({ _id: id, channel: 'web' }, { $set: { ...set, updatedAt: new Date() } }, { returnDocument: 'after' });
    if (!updated) throw errors.notFound('The website inbox');
    return updated;
  };
  const by = (req: FastifyRequest) => req.principal.agentId ?? null;
  const nameOf = (name: string) => {
    const trimmed = name.trim();
    if (!trimmed) throw errors.validation('name must contain more than spaces.', { path: '/name' });
    return trimmed;
  };

  app.get(
    '/web-inboxes',
    {
      config: admin,
      schema: { tags: ['inboxes'], summary: 'Your team’s website inboxes, with their widget snippets (admin)', response: { 200: Type.Object({ items: Type.Array(WebInboxView) }) } },
    },
    async (req) => {
      const items = await scope(req.principal).inboxes.find({ channel: 'web' }, { sort: { createdAt: 1 } });
      return { items: items.map(view) };
    },
  );

  app.post(
    '/web-inboxes',
    {
      config: admin,
      preValidation: tidyOrigins,
      schema: { tags: ['inboxes'], summary: 'Add a website inbox (admin)', body: WebInboxCreate, response: { 201: WebInboxView, 400: ErrorBody } },
    },
    async (req, reply) => {
      const r = scope(req.principal);
      const id = newId();
      const inbox = await r.inboxes.insertOne({
        _id: id,
        name: nameOf(req.body.name),
        channel: 'web',
        channelAccountId: id,
        widgetToken: newWidgetToken(),
        allowedOrigins: normalizeOrigins(req.body.allowedOrigins ?? []),
        createdAt: new Date(),
      });
      await s.audit.record(r.tenantId, req, { type: 'inbox.created', agentId: by(req), details: { target: id, channel: 'web' } });
      return reply.status(201).send(view(inbox));
    },
  );

  app.patch(
    '/web-inboxes/:inboxId',
    {
      config: admin,
      preValidation: tidyOrigins,
      schema: {
        tags: ['inboxes'],
        summary: 'Rename a website inbox or change the websites allowed to embed it (admin)',
        params: InboxParams,
        body: WebInboxUpdate,
        response: { 200: WebInboxView, 400: ErrorBody, 404: ErrorBody },
      },
    },
    async (req) => {
      const r = scope(req.principal);
      const existing = await find(r, req.params.inboxId);
      const set: Partial<InboxRecord> = {};
      if (req.body.name !== undefined) set.name = nameOf(req.body.name);
      if (req.body.allowedOrigins !== undefined) set.allowedOrigins = normalizeOrigins(req.body.allowedOrigins);
      if (!Object.keys(set).length) return view(existing);
      const updated = await change(r, existing._id, set);
      await s.audit.record(r.tenantId, req, { type: 'inbox.updated', agentId: by(req), details: { target: updated._id, fields: Object.keys(set) } });
      return view(updated);
    },
  );

  app.post(
    '/web-inboxes/:inboxId/rotate-token',
    {
      config: admin,
      schema: {
        tags: ['inboxes'],
        summary: 'Give a website inbox a new widget token; pages with the old snippet stop connecting (admin)',
        params: InboxParams,
        response: { 200: WebInboxView, 404: ErrorBody },
      },
    },
    async (req) => {
      const r = scope(req.principal);
      const existing = await find(r, req.params.inboxId);
      const updated = await change(r, existing._id, { widgetToken: newWidgetToken() });
      await s.audit.record(r.tenantId, req, { type: 'inbox.token.rotated', agentId: by(req), details: { target: updated._id } });
      return view(updated);
    },
  );
}
