import { Type } from 'typebox';
import type { Principal } from '@switchboard/auth';
import { ErrorBody } from '@switchboard/contracts';
import type { HttpServer } from '@switchboard/http';
import { ContactCreate, ContactList, ContactPatch, ContactQuery, ContactView, MergeBody, NoteCreate, NoteView } from './schemas.js';
import type { ContactDirectory } from './service.js';
import { contactView, noteView } from './views.js';

const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) });
const errorsOf = (...statuses: number[]) => Object.fromEntries(statuses.map((s) => [s, ErrorBody]));

/** Who did it, for notes and events: the agent, or `apikey:<id>` for an integration. */
export function actorId(p: Principal): string {
  return p.kind === 'agent' ? (p.agentId ?? '') : `apikey:${p.keyId ?? ''}`;
}

/**
 * /api/v1/directory/contacts. Agents of every role read; admins and supervisors change
 * contacts; every agent may add notes. API keys need contacts:read / contacts:write.
 */
export async function directoryRoutes(app: HttpServer, directory: ContactDirectory): Promise<void> {
  const read = { access: { scope: 'contacts:read' } };
  const write = { access: { roles: ['admin' as const, 'supervisor' as const], scope: 'contacts:write' } };
  const note = { access: { scope: 'contacts:write' } };
  const tags = ['directory'];

  app.get(
    '/directory/contacts',
    {
      config: read,
      schema: {
        tags,
        summary: 'List or search contacts, newest first: free text (q) or exact look-ups by email, phone or channel + handle',
        querystring: ContactQuery,
        response: { 200: ContactList, ...errorsOf(400) },
      },
    },
    async (req) => {
      const page = await directory.list(req.principal.tenantId, req.query);
      return { items: page.items.map((c) => contactView(c)), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/directory/contacts/:id',
    {
      config: read,
      schema: {
        tags,
        summary: 'One contact; the id of a merged contact answers with the survivor and `mergedFrom`',
        params: IdParams,
        response: { 200: ContactView, ...errorsOf(404) },
      },
    },
    async (req) => {
      const { contact, mergedFrom } = await directory.get(req.principal.tenantId, req.params.id);
      return contactView(contact, mergedFrom);
    },
  );

  app.post(
    '/directory/contacts',
    {
      config: write,
      schema: {
        tags,
        summary: 'Create a contact; an email, phone or handle another live contact holds is a 409 naming it',
        body: ContactCreate,
        response: { 201: ContactView, ...errorsOf(400, 409) },
      },
    },
    async (req, reply) => reply.status(201).send(contactView(await directory.create(req.principal.tenantId, req.body))),
  );

  app.patch(
    '/directory/contacts/:id',
    {
      config: write,
      schema: {
        tags,
        summary: 'Add emails, phones and handles (none are removed); set name, company and attributes',
        params: IdParams,
        body: ContactPatch,
        response: { 200: ContactView, ...errorsOf(400, 404, 409) },
      },
    },
    async (req) => {
      const { contact, mergedFrom } = await directory.patch(req.principal.tenantId, req.params.id, req.body);
      return contactView(contact, mergedFrom);
    },
  );

  app.delete(
    '/directory/contacts/:id',
    {
      config: write,
      schema: {
        tags,
        summary: 'Delete a contact with its notes (a merged id is refused: delete the survivor)',
        params: IdParams,
        response: { 200: Type.Object({ deleted: Type.Literal(true), id: Type.String() }), ...errorsOf(404, 409) },
      },
    },
    async (req) => {
      await directory.remove(req.principal.tenantId, req.params.id);
      return { deleted: true as const, id: req.params.id };
    },
  );

  app.post(
    '/directory/contacts/:id/merge',
    {
      config: write,
      schema: {
        tags,
        summary: 'Merge another contact into this one; publishes contact.merged',
        params: IdParams,
        body: MergeBody,
        response: { 200: ContactView, ...errorsOf(400, 404, 409) },
      },
    },
    async (req) => contactView(await directory.merge(req.principal.tenantId, req.params.id, req.body.from, actorId(req.principal))),
  );

  app.post(
    '/directory/contacts/:id/notes',
    {
      config: note,
      schema: { tags, summary: 'Add a note to a contact', params: IdParams, body: NoteCreate, response: { 201: NoteView, ...errorsOf(404) } },
    },
    async (req, reply) => reply.status(201).send(noteView(await directory.addNote(req.principal.tenantId, req.params.id, req.body, actorId(req.principal)))),
  );

  app.get(
    '/directory/contacts/:id/notes',
    {
      config: read,
      schema: {
        tags,
        summary: 'Notes of a contact, newest first (notes of merged contacts included)',
        params: IdParams,
        querystring: Type.Object({ limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }) }, { additionalProperties: false }),
        response: { 200: Type.Object({ items: Type.Array(NoteView) }), ...errorsOf(404) },
      },
    },
    async (req) => ({ items: (await directory.notes(req.principal.tenantId, req.params.id, req.query.limit)).map(noteView) }),
  );
}
