import { Type } from 'typebox';
import type { Bus } from '@switchboard/bus';
import { ContactView, ConversationView, ErrorBody, MessageView, newId } from '@switchboard/contracts';
import { errors, type HttpServer } from '@switchboard/http';
import type { Logger } from '@switchboard/logging';
import { callerOf } from '../caller.js';
import type { ContactRecord, Repositories, TenantRepositories } from '../repositories/index.js';
import { conversationView, messageView } from '../views.js';

const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) }, { additionalProperties: false });

export const ContactExport = Type.Object(
  {
    exportedAt: Type.String({ format: 'date-time' }),
    contact: Type.Object({ ...ContactView.properties, externalId: Type.String(), createdAt: Type.String(), updatedAt: Type.String() }),
    conversations: Type.Array(Type.Object({ ...ConversationView.properties, messages: Type.Array(MessageView) })),
  },
  {},
);

/** What an erased conversation shows instead of the person. */
const ERASED = { name: 'Erased contact' };
const BATCH = 500;

function contactExportView(c: ContactRecord) {
  return {
    id: c._id,
    channel: c.channel,
    externalId: c.externalId,
    ...(c.name !== undefined ? { name: c.name } : {}),
    ...(c.email !== undefined ? { email: c.email } : {}),
    ...(c.phone !== undefined ? { phone: c.phone } : {}),
    ...(c.handle !== undefined ? { handle: c.handle } : {}),
    ...(c.avatarUrl !== undefined ? { avatarUrl: c.avatarUrl } : {}),
    createdAt: new Date(c.createdAt).toISOString(),
    updatedAt: new Date(c.updatedAt).toISOString(),
  };
}

async function findContact(r: TenantRepositories, id: string): Promise<ContactRecord> {
  const contact = await r.contacts.findById(id);
  if (!contact) throw errors.notFound('The contact');
  return contact;
}

/**
 * Erase a contact (GDPR art. 17). The contact record is deleted; their conversations stay as
 * anonymised shells so reports keep counting them, but every message in them loses its text,
 * html, attachments and reactions (agent replies too: they quote and address the person), and
 * the conversation loses the channel thread id, so the person writing again starts afresh.
 */
export async function eraseContact(
  r: TenantRepositories,
  contactId: string,
): Promise<{ conversationIds: string[]; messages: number; blobRefs: string[] }> {
  const blobRefs: string[] = [];
  const conversations = await r.conversations.find({ 'contact.id': contactId });
  let messages = 0;
  const now = new Date();
  for (const conv of conversations) {
    for (;;) {
      const batch = await r.messages.find(
        { conversationId: conv._id, erasedAt: { $exists: false } },
        { limit: BATCH, projection: { _id: 1, attachments: 1 } },
      );
      if (!batch.length) break;
      // The files go too: the blob store's owner deletes them on contact.erased.
      for (const m of batch) for (const a of m.attachments ?? []) if (a.ref.startsWith('blob:')) blobRefs.push(a.ref);
      const ids = batch.map((m) => m._id);
      const res = await r.messages.updateMany(
        { _id: { $in: ids } },
        {
          $unset: { text: 1, html: 1, reactions: 1, 'author.name': 1, error: 1 },
          $set: { attachments: [], erasedAt: now, deletedAt: now },
        },
      );
      messages += res.modified;
    }
    // A CSAT rating stays for reports; the customer's own words go.
    await r.csat.updateMany({ conversationId: conv._id }, { $set: { comment: null } });
    await r.conversations.updateOne(
      { _id: conv._id },
      { $set: { contact: { id: conv.contact.id, ...ERASED }, threadKey: `erased:${conv._id}`, lastMessage: null, updatedAt: now }, $unset: { 'csat.comment': 1 } },
    );
  }
  await r.contacts.deleteOne({ _id: contactId });
  return { conversationIds: conversations.map((c) => c._id), messages, blobRefs };
}

/** Data-subject requests: export everything about a contact, or erase them. Admins only. */
export async function privacyRoutes(app: HttpServer, deps: { repos: Repositories; bus: Bus; logger: Logger }): Promise<void> {
  const { repos, bus } = deps;
  const scoped = (req: Parameters<typeof callerOf>[0]) => repos.forTenant(callerOf(req).tenantId);

  app.get(
    '/contacts/:id/export',
    {
      config: { access: { roles: ['admin'], scope: 'contacts:read' } },
      schema: {
        tags: ['privacy'],
        summary: 'Everything stored about a contact: the record, their conversations and messages (JSON)',
        params: IdParams,
        response: { 200: ContactExport, 404: ErrorBody },
      },
    },
    async (req, reply) => {
      const r = scoped(req);
      const contact = await findContact(r, req.params.id);
      const conversations = await r.conversations.find({ 'contact.id': contact._id }, { sort: { createdAt: 1 } });
      const out = [];
      for (const conv of conversations) {
        const messages = await r.messages.find({ conversationId: conv._id }, { sort: { seq: 1 } });
        out.push({ ...conversationView(conv), messages: messages.map(messageView) });
      }
      req.log.info({ tenantId: r.tenantId, contactId: contact._id }, 'contact exported');
      reply.header('content-disposition', `attachment; filename="contact-${contact._id}.json"`);
      return { exportedAt: new Date().toISOString(), contact: contactExportView(contact), conversations: out };
    },
  );

  app.delete(
    '/contacts/:id',
    {
      config: { access: { roles: ['admin'], scope: 'contacts:write' } },
      schema: {
        tags: ['privacy'],
        summary: 'Erase a contact: record deleted, their conversations kept as anonymised shells without message content',
        params: IdParams,
        response: { 200: Type.Object({ erased: Type.Literal(true), conversations: Type.Integer(), messages: Type.Integer() }), 404: ErrorBody },
      },
    },
    async (req) => {
      const caller = callerOf(req);
      const r = repos.forTenant(caller.tenantId);
      const contact = await findContact(r, req.params.id);
      const result = await eraseContact(r, contact._id);
      await bus.publishEvent({
        id: newId(),
        v: 1,
        type: 'contact.erased',
        tenantId: r.tenantId,
        at: new Date().toISOString(),
        data: { contactId: contact._id, channel: contact.channel, conversationIds: result.conversationIds, blobRefs: result.blobRefs, by: caller.agentId ?? caller.keyId ?? null },
      });
      req.log.info({ tenantId: r.tenantId, contactId: contact._id, conversations: result.conversationIds.length, messages: result.messages }, 'contact erased');
      return { erased: true as const, conversations: result.conversationIds.length, messages: result.messages };
    },
  );
}
