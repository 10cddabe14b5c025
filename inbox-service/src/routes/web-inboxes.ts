import { randomBytes } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import {
  ErrorBody,
  newId,
  WIDGET_QUEUE_STUB,
  WebInboxCreate,
  WebInboxUpdate,
  WebInboxView,
  type BusinessHours,
  type PreChatField,
} from '@switchboard/contracts';
import { errors, type HttpServer } from '@switchboard/http';
import type { Principal } from '@switchboard/auth';
import type { AccessServices } from '../access/index.js';
import type { AuditType, InboxRecord, TenantRepositories } from '../repositories/index.js';
import { isValidTimeZone } from '../business-hours.js';
import { normalizeOrigins } from '../web-origins.js';

const InboxParams = Type.Object({ inboxId: Type.String({ minLength: 1, maxLength: 100 }) });

/** A widget token: public (it sits in every page's HTML) but unguessable, so nobody can pose as another site's inbox. */
export const newWidgetToken = () => `wt_${randomBytes(24).toString('base64url')}`;

/** The key a site signs its user ids with for identify(): 32 random bytes, hex. */
export const newIdentitySecret = () => randomBytes(32).toString('hex');

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

/** The time zone must be one Intl knows, and every interval must end after it starts. */
function checkBusinessHours(hours: BusinessHours | null): BusinessHours | null {
  if (!hours) return null;
  const timezone = hours.timezone.trim();
  if (!isValidTimeZone(timezone)) {
    throw errors.validation(`businessHours.timezone "${timezone}" is not a time zone; use an IANA name such as Europe/Berlin.`, { path: '/businessHours/timezone' });
  }
  hours.intervals.forEach((i, n) => {
    if (i.to <= i.from) {
      throw errors.validation(`Opening interval ${n + 1} ends (${i.to}) before it starts (${i.from}); split an interval that passes midnight in two.`, {
        path: `/businessHours/intervals/${n}/to`,
      });
    }
  });
  return { timezone, intervals: hours.intervals.map((i) => ({ day: i.day, from: i.from, to: i.to })) };
}

/** Each key once: the form fills one field per key. */
function checkPreChatForm(fields: PreChatField[]): PreChatField[] {
  const seen = new Set<string>();
  fields.forEach((f, n) => {
    if (seen.has(f.key)) throw errors.validation(`The pre-chat form asks for "${f.key}" twice; each key may appear once.`, { path: `/preChatForm/${n}/key` });
    seen.add(f.key);
  });
  return fields.map((f) => ({ key: f.key, label: f.label.trim() || f.key, type: f.type, required: f.required }));
}

/** The settings a create or update names, checked; absent ones stay out. */
function settingsOf(body: WebInboxUpdate): Partial<InboxRecord> {
  const set: Partial<InboxRecord> = {};
  if (body.preChatForm !== undefined) set.preChatForm = checkPreChatForm(body.preChatForm);
  if (body.businessHours !== undefined) set.businessHours = checkBusinessHours(body.businessHours);
  if (body.offlineMessage !== undefined) set.offlineMessage = body.offlineMessage.trim();
  if (body.identityVerification !== undefined) set.identityVerification = body.identityVerification;
  return set;
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
      preChatForm: i.preChatForm ?? [],
      businessHours: i.businessHours ?? null,
      offlineMessage: i.offlineMessage ?? '',
      identityVerification: i.identityVerification ?? false,
      identitySecret: i.identitySecret ?? '',
      snippet: `<script>${WIDGET_QUEUE_STUB}</script>\n<script src="${escapeAttr(`${s.publicUrl}/widget.js`)}" data-inbox-token="${escapeAttr(token)}" async></script>`,
      createdAt: new Date(i.createdAt).toISOString(),
    };
  };
  /** Inboxes made before identity verification existed get their secret the first time an admin sees them. */
  const withSecret = async (r: TenantRepositories, i: InboxRecord): Promise<InboxRecord> => {
    if (i.identitySecret) return i;
    const updated = await r.inboxes.findOneAndUpdate(
      { _id: i._id, channel: 'web', identitySecret: { $exists: false } },
      { $set: { identitySecret: newIdentitySecret() } },
      { returnDocument: 'after' },
    );
    // Another request may have made it at the same moment: theirs is the one kept.
    return updated ?? (await r.inboxes.findOne({ _id: i._id, channel: 'web' })) ?? i;
  };
  const find = async (r: TenantRepositories, id: string) => {
    const inbox = await r.inboxes.findOne({ _id: id, channel: 'web' });
    if (!inbox) throw errors.notFound('The website inbox');
    return withSecret(r, inbox);
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
      const r = scope(req.principal);
      const items = await r.inboxes.find({ channel: 'web' }, { sort: { createdAt: 1 } });
      return { items: (await Promise.all(items.map((i) => withSecret(r, i)))).map(view) };
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
      const name = nameOf(req.body.name);
      const settings = settingsOf(req.body);
      const inbox = await r.inboxes.insertOne({
        _id: id,
        name,
        channel: 'web',
        channelAccountId: id,
        widgetToken: newWidgetToken(),
        allowedOrigins: normalizeOrigins(req.body.allowedOrigins ?? []),
        ...settings,
        identitySecret: newIdentitySecret(),
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
        summary: 'Change a website inbox: name, allowed websites, pre-chat form, business hours, offline message, identity verification (admin)',
        params: InboxParams,
        body: WebInboxUpdate,
        response: { 200: WebInboxView, 400: ErrorBody, 404: ErrorBody },
      },
    },
    async (req) => {
      const r = scope(req.principal);
      const existing = await find(r, req.params.inboxId);
      const set: Partial<InboxRecord> = settingsOf(req.body);
      if (req.body.name !== undefined) set.name = nameOf(req.body.name);
      if (req.body.allowedOrigins !== undefined) set.allowedOrigins = normalizeOrigins(req.body.allowedOrigins);
      if (!Object.keys(set).length) return view(existing);
      const updated = await change(r, existing._id, set);
      await s.audit.record(r.tenantId, req, { type: 'inbox.updated', agentId: by(req), details: { target: updated._id, fields: Object.keys(set) } });
      return view(updated);
    },
  );

  /** A new value for one of the inbox's keys; the old one stops working at once (audited). */
  const rotate = (path: string, summary: string, fresh: () => Partial<InboxRecord>, type: AuditType) =>
    app.post(
      `/web-inboxes/:inboxId/${path}`,
      { config: admin, schema: { tags: ['inboxes'], summary, params: InboxParams, response: { 200: WebInboxView, 404: ErrorBody } } },
      async (req) => {
        const r = scope(req.principal);
        const updated = await change(r, req.params.inboxId, fresh());
        await s.audit.record(r.tenantId, req, { type, agentId: by(req), details: { target: updated._id } });
        return view(updated);
      },
    );
  rotate(
    'rotate-token',
    'Give a website inbox a new widget token; pages with the old snippet stop connecting (admin)',
    () => ({ widgetToken: newWidgetToken() }),
    'inbox.token.rotated',
  );
  rotate(
    'rotate-secret',
    'Give a website inbox a new identity secret; hashes made with the old one stop verifying (admin)',
    () => ({ identitySecret: newIdentitySecret() }),
    'inbox.secret.rotated',
  );
}
