import { Type } from 'typebox';
import { ErrorBody, newId } from '@switchboard/contracts';
import { errors, type HttpServer } from '@switchboard/http';
import { API_SCOPES, newApiKey } from '@switchboard/auth';
import type { AccessServices } from '../access/index.js';
import type { ApiKeyRecord } from '../repositories/index.js';

const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) });
const Scope = Type.Union(API_SCOPES.map((s) => Type.Literal(s)));

export const ApiKeyView = Type.Object({
  id: Type.String(),
  name: Type.String(),
  scopes: Type.Array(Type.String()),
  hint: Type.String({ description: 'Last four characters of the key.' }),
  createdAt: Type.String({ format: 'date-time' }),
  lastUsedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  revokedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);
const keyView = (k: ApiKeyRecord) => ({
  id: k._id,
  name: k.name,
  scopes: k.scopes,
  hint: k.hint,
  createdAt: new Date(k.createdAt).toISOString(),
  lastUsedAt: iso(k.lastUsedAt),
  revokedAt: iso(k.revokedAt),
});

export async function apiKeyRoutes(app: HttpServer, s: AccessServices): Promise<void> {
  const admin = { access: { roles: ['admin' as const] } };

  app.get(
    '/api-keys',
    { config: admin, schema: { tags: ['api-keys'], summary: 'Your team’s API keys (never the keys themselves)', response: { 200: Type.Object({ items: Type.Array(ApiKeyView) }) } } },
    async (req) => {
      const items = await s.repos.forPrincipal(req.principal).apiKeys.find({}, { sort: { createdAt: -1 } });
      return { items: items.map(keyView) };
    },
  );

  app.post(
    '/api-keys',
    {
      config: admin,
      schema: {
        tags: ['api-keys'],
        summary: 'Create an API key; the key is in this answer only',
        body: Type.Object(
          { name: Type.String({ minLength: 1, maxLength: 200, pattern: '\\S' }), scopes: Type.Array(Scope, { minItems: 1, maxItems: API_SCOPES.length, uniqueItems: true }) },
          { additionalProperties: false },
        ),
        response: { 201: Type.Intersect([ApiKeyView, Type.Object({ key: Type.String({ description: 'Send as Authorization: Bearer <key>.' }) })]) },
      },
    },
    async (req, reply) => {
      const id = newId();
      const { key, hash, hint } = newApiKey(id);
      const record = await s.repos.forPrincipal(req.principal).apiKeys.insertOne({
        _id: id,
        name: req.body.name.trim(),
        scopes: req.body.scopes,
        hash,
        hint,
        createdBy: req.principal.agentId ?? '',
        createdAt: new Date(),
        lastUsedAt: null,
        revokedAt: null,
      });
      await s.audit.record(req.principal.tenantId, req, { type: 'apikey.created', agentId: req.principal.agentId ?? null, details: { keyId: id, scopes: req.body.scopes } });
      return reply.status(201).send({ ...keyView(record), key });
    },
  );

  app.delete(
    '/api-keys/:id',
    { config: admin, schema: { tags: ['api-keys'], summary: 'Revoke an API key: it stops working at once', params: IdParams, response: { 200: ApiKeyView, 404: ErrorBody } } },
    async (req) => {
      const r = s.repos.forPrincipal(req.principal);
      const revoked = await r.apiKeys.findOneAndUpdate({ _id: req.params.id, revokedAt: null }, { $set: { revokedAt: new Date() } }, { returnDocument: 'after' });
      const key = revoked ?? (await r.apiKeys.findById(req.params.id));
      if (!key) throw errors.notFound('The API key');
      if (revoked) await s.audit.record(r.tenantId, req, { type: 'apikey.revoked', agentId: req.principal.agentId ?? null, details: { keyId: key._id } });
      return keyView(key);
    },
  );
}
