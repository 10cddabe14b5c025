import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { deadLetterRecord } from '@switchboard/inbox-service';
import type { TenantWorld } from './world.js';

/**
 * The registry the isolation and fuzz suites need for each route. A route with a path parameter
 * must fall in a family (which object of a tenant fills the parameter); a write route with a body
 * schema must have a valid body here. A route missing from both, and not exempt with a reason,
 * fails the suites — so a new route cannot ship without being covered.
 */
export interface Family {
  /** Route URLs starting with this take their parameters from `params`. */
  prefix: string;
  params: (t: TenantWorld) => Record<string, string>;
  /** Makes the family's object in each tenant, through the API, before the suites run; stored in `t.ids[prefix]`. */
  create?: (app: FastifyInstance, t: TenantWorld) => Promise<string>;
}

async function created(app: FastifyInstance, t: TenantWorld, method: string, url: string, body: unknown): Promise<string> {
  const res = await app.inject({ method: method as 'POST', url, headers: { authorization: `Bearer ${t.adminToken}`, 'content-type': 'application/json' }, payload: JSON.stringify(body) });
  const id = (res.json() as { id?: string }).id;
  if (res.statusCode >= 300 || !id) throw new Error(`fixture ${method} ${url} failed: ${res.statusCode} ${res.body}`);
  return id;
}

export const FAMILIES: Family[] = [
  {
    // Before the conversation's family: a message of the conversation (the customer's, so a retry is refused and nothing changes).
    prefix: '/api/v1/conversations/:id/messages/:messageId',
    params: (t) => ({ id: t.conversationId, messageId: t.ids['/api/v1/conversations/:id/messages/:messageId'] ?? '' }),
    create: async (app, t) => (await app.inbox.repos.forTenant(t.tenantId).messages.findOne({ conversationId: t.conversationId }))?._id ?? '',
  },
  { prefix: '/api/v1/conversations/:id', params: (t) => ({ id: t.conversationId }) },
  {
    prefix: '/api/v1/canned-responses/:id',
    params: (t) => ({ id: t.ids['/api/v1/canned-responses/:id'] ?? '' }),
    create: (app, t) => created(app, t, 'POST', '/api/v1/canned-responses', { shortcut: 'fixture', title: 'Fixture reply', text: 'Hello {{contact.name}}' }),
  },
  { prefix: '/api/v1/agents/:id', params: (t) => ({ id: t.agentId }) },
  { prefix: '/api/v1/api-keys/:id', params: (t) => ({ id: t.apiKeyId }) },
  { prefix: '/api/v1/contacts/:id', params: (t) => ({ id: t.contactId }) },
  {
    prefix: '/api/v1/webhooks/:id',
    params: (t) => ({ id: t.ids['/api/v1/webhooks/:id'] ?? '' }),
    create: (app, t) => created(app, t, 'POST', '/api/v1/webhooks', { url: 'https://example.com/hook', events: ['*'] }),
  },
  {
    prefix: '/api/v1/web-inboxes/:inboxId',
    params: (t) => ({ inboxId: t.ids['/api/v1/web-inboxes/:inboxId'] ?? '' }),
    create: (app, t) => created(app, t, 'POST', '/api/v1/web-inboxes', { name: 'Fixture website', allowedOrigins: ['https://fixture.example'] }),
  },
  channelFamily('telegram', { botToken: '123456:AAH-fixture-token-not-real-000000' }),
  channelFamily('slack', { botToken: 'xoxb-1-2-fixture', signingSecret: 'a1b2c3d4e5f60718293a4b5c6d7e8f90' }),
  channelFamily('whatsapp', { accessToken: 'EAAG-fixture', appSecret: 'app-secret', verifyToken: 'verify-token' }),
  channelFamily('instagram', { accessToken: 'IGAA-fixture', appSecret: 'app-secret', verifyToken: 'verify-token' }),
  channelFamily('whatsapp-web', {}),
  channelFamily('email', { smtpPassword: 'fixture-smtp-password' }),
  {
    prefix: '/api/v1/tickets/:id',
    params: (t) => ({ id: t.ids['/api/v1/tickets/:id'] ?? '' }),
    create: (app, t) => created(app, t, 'POST', '/api/v1/tickets', { conversationId: t.conversationId, subject: 'Fixture ticket' }),
  },
  {
    prefix: '/api/v1/teams/:id',
    params: (t) => ({ id: t.ids['/api/v1/teams/:id'] ?? '' }),
    create: (app, t) => created(app, t, 'POST', '/api/v1/teams', { name: 'Fixture team', strategy: 'manual', members: [] }),
  },
  {
    prefix: '/api/v1/ticket-fields/:id',
    params: (t) => ({ id: t.ids['/api/v1/ticket-fields/:id'] ?? '' }),
    create: (app, t) => created(app, t, 'POST', '/api/v1/ticket-fields', { key: 'fixture_field', label: 'Fixture', type: 'text' }),
  },
  {
    prefix: '/api/v1/directory/contacts/:id',
    params: (t) => ({ id: t.ids['/api/v1/directory/contacts/:id'] ?? '' }),
    create: (app, t) => created(app, t, 'POST', '/api/v1/directory/contacts', { name: 'Fixture person', emails: [`person-${t.tenantId.slice(-8)}@fixture.example`] }),
  },
  // No CRM is connected in the suites: every tenant answers 404 for any CRM contact id.
  { prefix: '/api/v1/crm/contacts/:id', params: (t) => ({ id: `crm-${t.tenantId}` }) },
  {
    // A CRM contact id shows only through the tickets linked to it.
    prefix: '/api/v1/crm-contacts/:contactId',
    params: (t) => ({ contactId: t.ids['/api/v1/crm-contacts/:contactId'] ?? '' }),
    async create(app, t) {
      const ticketId = await created(app, t, 'POST', '/api/v1/tickets', { conversationId: t.conversationId });
      const contactId = `crm-${t.tenantId}`;
      await app.ticketing.store.forTenant(t.tenantId).tickets.updateOne({ _id: ticketId }, { $set: { 'crm.contactId': contactId } });
      return contactId;
    },
  },
  {
    prefix: '/api/v1/kb/categories/:categoryId',
    params: (t) => ({ categoryId: t.ids['/api/v1/kb/categories/:categoryId'] ?? '' }),
    create: (app, t) => created(app, t, 'POST', '/api/v1/kb/categories', { slug: 'fixture-category', translations: { en: { name: 'Fixture category' } } }),
  },
  {
    // A published article, so its translation, revision and publish routes all have something to find.
    prefix: '/api/v1/kb/articles/:articleId',
    params: (t) => ({ articleId: t.ids['/api/v1/kb/articles/:articleId'] ?? '', locale: 'en', revision: '1' }),
    async create(app, t) {
      const id = await created(app, t, 'POST', '/api/v1/kb/articles', { locale: 'en', title: `Fixture article of ${t.tenantId}`, body: 'A fixture body.' });
      await created(app, t, 'POST', `/api/v1/kb/articles/${id}/translations/en/publish`, {});
      return id;
    },
  },
  {
    prefix: '/api/v1/automation/rules/:id',
    params: (t) => ({ id: t.ids['/api/v1/automation/rules/:id'] ?? '' }),
    create: (app, t) => created(app, t, 'POST', '/api/v1/automation/rules', { name: 'Fixture rule', enabled: false, trigger: { kind: 'contact_created' }, actions: [{ type: 'add_tags', tags: ['fixture'] }] }),
  },
  {
    prefix: '/api/v1/macros/:id',
    params: (t) => ({ id: t.ids['/api/v1/macros/:id'] ?? '' }),
    create: (app, t) => created(app, t, 'POST', '/api/v1/macros', { name: 'Fixture macro', actions: [{ type: 'add_tags', tags: ['fixture'] }] }),
  },
  {
    // A letter kept from the bus as the dead-letter consumer keeps one (a poison message of the tenant's).
    prefix: '/api/v1/dead-letters/:id',
    params: (t) => ({ id: t.ids['/api/v1/dead-letters/:id'] ?? '' }),
    async create(app, t) {
      const raw = JSON.stringify({ id: randomUUID(), v: 1, tenantId: t.tenantId, kind: 'message' });
      const record = deadLetterRecord({ messageId: randomUUID(), source: 'sb.inbound.work.0', routingKey: '0.telegram', reason: 'fixture: the handler failed', raw, headers: {}, deadAt: new Date() });
      await app.inbox.deadLetters.keep(record);
      return record._id;
    },
  },
  {
    prefix: '/api/v1/blobs/:ref',
    params: (t) => ({ ref: t.ids['/api/v1/blobs/:ref'] ?? '' }),
    create: async (app, t) => (await app.channels.blobs.put(Buffer.from(`a file of ${t.tenantId}`), { tenantId: t.tenantId, mime: 'text/plain', name: 'secret.txt' })).ref,
  },
];

/**
 * A connected channel account, stored directly: connecting one through the API asks the provider
 * to accept the credentials, which the hub suites have no provider for.
 */
function channelFamily(channel: 'telegram' | 'slack' | 'whatsapp' | 'instagram' | 'whatsapp-web' | 'email', credentials: Record<string, string>): Family {
  const prefix = `/api/v1/channels/${channel}/:accountId`;
  return {
    prefix,
    params: (t) => ({ accountId: t.ids[prefix] ?? '' }),
    async create(app, t) {
      const accountId = randomUUID();
      const inboxId = randomUUID();
      const now = new Date();
      await app.inbox.repos.forTenant(t.tenantId).inboxes.insertOne({ _id: inboxId, name: `${channel} fixture`, channel, channelAccountId: accountId, createdAt: now });
      await app.channels.accounts.forTenant(t.tenantId).accounts.insertOne({
        _id: accountId,
        channel,
        accountId,
        inboxId,
        name: `${channel} fixture`,
        credentials: app.channels.accounts.seal(credentials),
        settings: {},
        status: 'active',
        lastError: null,
        lastInboundAt: null,
        lastOutboundAt: null,
        createdAt: now,
        updatedAt: now,
      });
      return accountId;
    },
  };
}

/** A body that passes the route's schema, keyed by "METHOD url". */
export const VALID_BODIES: Record<string, (t: TenantWorld) => unknown> = {
  'POST /api/v1/auth/login': () => ({ email: 'nobody@example.test', password: 'whatever' }),
  'POST /api/v1/auth/refresh': () => ({ refreshToken: 'not-a-real-refresh-token' }),
  'POST /api/v1/auth/password': () => ({ currentPassword: 'wrong password', newPassword: 'a brand new password' }),
  'POST /api/v1/auth/password-reset/request': () => ({ email: 'nobody@example.test' }),
  'POST /api/v1/auth/password-reset/confirm': () => ({ token: 'not-a-real-reset-token', password: 'a brand new password' }),
  'POST /api/v1/auth/2fa/confirm': () => ({ code: '123456' }),
  'POST /api/v1/auth/2fa/disable': () => ({ password: 'wrong password', code: '123456' }),
  'POST /api/v1/signup': () => ({ company: 'Fuzz Co', name: 'Fuzz', email: `fuzz-${randomUUID().slice(0, 8)}@example.test`, password: 'correct horse battery' }),
  'PATCH /api/v1/tenant': () => ({ name: 'Renamed' }),
  'POST /api/v1/agents': () => ({ email: `new-${randomUUID().slice(0, 8)}@example.test`, name: 'New', role: 'agent', password: 'a good long password' }),
  'PATCH /api/v1/agents/:id': () => ({ name: 'Renamed agent' }),
  'POST /api/v1/agents/invitations': () => ({ email: `invited-${randomUUID().slice(0, 8)}@example.test`, name: 'Invited', role: 'agent' }),
  'POST /api/v1/auth/invitations/accept': () => ({ token: 'not-a-real-invitation-token', password: 'a brand new password' }),
  'POST /api/v1/web-inboxes': () => ({ name: 'Another website', allowedOrigins: ['https://shop.example'] }),
  'PATCH /api/v1/web-inboxes/:inboxId': () => ({
    name: 'Renamed website',
    allowedOrigins: ['https://shop.example', 'http://localhost:8080'],
    preChatForm: [{ key: 'order_number', label: 'Order number', type: 'text', required: false }],
    businessHours: { timezone: 'Europe/Berlin', intervals: [{ day: 1, from: '09:00', to: '17:00' }] },
    offlineMessage: 'We are back on Monday.',
    identityVerification: true,
  }),
  'POST /api/v1/api-keys': () => ({ name: 'key', scopes: ['conversations:read'] }),
  'POST /api/v1/conversations/:id/messages': () => ({ text: 'hello', idempotencyKey: `key-${randomUUID()}` }),
  'POST /api/v1/conversations/:id/assign': () => ({ agentId: null }),
  'POST /api/v1/canned-responses': () => ({ shortcut: `reply-${randomUUID().slice(0, 8)}`, title: 'Another reply', text: 'Thanks, {{contact.name}}!' }),
  'PATCH /api/v1/canned-responses/:id': () => ({ title: 'Renamed reply' }),
  'POST /api/v1/conversations/:id/status': () => ({ status: 'resolved' }),
  'POST /api/v1/conversations/:id/snooze': () => ({ until: new Date(Date.now() + 3_600_000).toISOString() }),
  'POST /api/v1/conversations/bulk': (t) => ({ ids: [t.conversationId], action: 'read' }),
  'POST /api/v1/conversations/:id/template': () => ({ name: 'order_update', language: 'en_US', params: ['A-1'], idempotencyKey: `key-${randomUUID()}` }),
  'POST /api/v1/channels/whatsapp': () => ({ name: 'WhatsApp', credentials: { accessToken: 'EAAG-token', appSecret: 'app-secret', verifyToken: 'verify-token' }, settings: { phoneNumberId: '106540352242922' } }),
  'PATCH /api/v1/channels/whatsapp/:accountId': () => ({ name: 'Renamed WhatsApp' }),
  'POST /api/v1/channels/instagram': () => ({ name: 'Instagram', credentials: { accessToken: 'EAAG-token', appSecret: 'app-secret', verifyToken: 'verify-token' } }),
  'PATCH /api/v1/channels/instagram/:accountId': () => ({ name: 'Renamed Instagram' }),
  'POST /api/v1/channels/whatsapp-web': () => ({ name: 'WhatsApp Web', credentials: {} }),
  'PATCH /api/v1/channels/whatsapp-web/:accountId': () => ({ name: 'Renamed phone' }),
  'POST /api/v1/webhooks': () => ({ url: 'https://example.com/other-hook', events: ['*'] }),
  'PATCH /api/v1/webhooks/:id': () => ({ description: 'changed' }),
  'POST /api/v1/channels/telegram': () => ({ name: 'Support bot', credentials: { botToken: '123456:AAH-fixture-token-not-real-000000' } }),
  'PATCH /api/v1/channels/telegram/:accountId': () => ({ name: 'Renamed bot' }),
  'POST /api/v1/channels/slack': () => ({ name: 'Shared channels', credentials: { botToken: 'xoxb-1-2-fixture', signingSecret: 'a1b2c3d4e5f60718293a4b5c6d7e8f90' } }),
  'PATCH /api/v1/channels/slack/:accountId': () => ({ name: 'Renamed workspace' }),
  // Port 9 answers nothing: the credentials check fails (422) and nothing is created.
  'POST /api/v1/channels/email': () => ({ name: 'Mail', credentials: { smtpPassword: 'pw' }, settings: { address: 'help@fuzz.example', smtpHost: '127.0.0.1', smtpPort: '9' } }),
  'PATCH /api/v1/channels/email/:accountId': () => ({ name: 'Renamed mailbox' }),
  'POST /api/v1/tickets': (t) => ({ conversationId: t.conversationId }),
  'PATCH /api/v1/tickets/:id': () => ({ priority: 'high', fields: { none_such: 'x' } }),
  'POST /api/v1/tickets/bulk': (t) => ({ ids: [t.ids['/api/v1/tickets/:id'] ?? 'none'], change: { tags: ['bulk'] } }),
  // Merging a ticket into itself is refused, so the suites change nothing.
  'POST /api/v1/tickets/:id/merge': (t) => ({ sourceIds: [t.ids['/api/v1/tickets/:id'] ?? 'none'] }),
  'POST /api/v1/tickets/:id/conversations': (t) => ({ conversationId: t.conversationId }),
  'POST /api/v1/tickets/:id/notes': (t) => ({ text: 'A fixture note for @Agent', mentions: [t.agentId] }),
  'POST /api/v1/mentions/read': (t) => ({ conversationId: t.conversationId }),
  'POST /api/v1/teams': () => ({ name: 'Another team', strategy: 'round_robin', members: [] }),
  'PATCH /api/v1/teams/:id': () => ({ name: 'Renamed team' }),
  'POST /api/v1/ticket-fields': () => ({ key: `field_${randomUUID().slice(0, 8)}`, label: 'Another', type: 'text' }),
  'PATCH /api/v1/ticket-settings': () => ({ autoCloseDays: 5 }),
  'POST /api/v1/directory/contacts': () => ({ name: 'New person', emails: [`new-${randomUUID().slice(0, 8)}@fixture.example`], attributes: { plan: 'gold' } }),
  'PATCH /api/v1/directory/contacts/:id': () => ({ company: 'Fixture Ltd', attributes: { plan: 'silver' } }),
  // Merging a contact into itself is refused, so the suites change nothing.
  'POST /api/v1/directory/contacts/:id/merge': (t) => ({ from: t.ids['/api/v1/directory/contacts/:id'] ?? 'none' }),
  'POST /api/v1/directory/contacts/:id/notes': () => ({ text: 'A fixture note' }),
  'POST /api/v1/automation/rules': () => ({ name: 'Another rule', enabled: false, trigger: { kind: 'message_received' }, conditions: [{ kind: 'text', op: 'contains', value: 'fixture' }], actions: [{ type: 'add_tags', tags: ['fixture'] }] }),
  'PATCH /api/v1/automation/rules/:id': () => ({ name: 'Renamed rule' }),
  // Only the fixture rule: refused (400) once the suites made more rules; never another tenant's.
  'POST /api/v1/automation/rules/reorder': (t) => ({ ids: [t.ids['/api/v1/automation/rules/:id'] ?? 'none'] }),
  'POST /api/v1/automation/rules/:id/dry-run': (t) => ({ conversationId: t.conversationId }),
  'POST /api/v1/macros': () => ({ name: 'Another macro', actions: [{ type: 'add_tags', tags: ['fixture'] }] }),
  'PATCH /api/v1/macros/:id': () => ({ name: 'Renamed macro' }),
  'POST /api/v1/macros/:id/run': (t) => ({ conversationId: t.conversationId }),
  'PUT /api/v1/kb/settings': () => ({ name: 'Fixture help center' }),
  'POST /api/v1/kb/categories': () => ({ slug: `category-${randomUUID().slice(0, 8)}`, translations: { en: { name: 'Another category' } } }),
  'PATCH /api/v1/kb/categories/:categoryId': () => ({ position: 2, translations: { en: { name: 'Renamed category' } } }),
  'POST /api/v1/kb/articles': () => ({ locale: 'en', title: 'Another article', body: 'Another body.' }),
  'PATCH /api/v1/kb/articles/:articleId': () => ({ position: 3 }),
  'PUT /api/v1/kb/articles/:articleId/translations/:locale': () => ({ title: 'Edited article', body: 'Edited body.' }),
  'POST /api/v1/kb/preview': () => ({ markdown: '# A heading' }),
  // Not the team's name, so the request is refused and nothing is deleted.
  'DELETE /api/v1/tenant': () => ({ confirm: 'not the team name' }),
  // An upload's body is the file's raw bytes, so any body is a valid one; the suites' URL has no
  // ?name=, so every fuzzed upload is refused (400) and nothing is stored.
  'POST /api/v1/blobs': () => ({ any: 'bytes are a file' }),
};

/** Routes the suites skip, each with the reason. Keep this short. */
export const EXEMPT: Record<string, string> = {};

export const routeKey = (r: { method: string; url: string }) => `${r.method} ${r.url}`;

export function familyOf(url: string): Family | undefined {
  return FAMILIES.find((f) => url === f.prefix || url.startsWith(`${f.prefix}/`));
}

/** The URL with its parameters filled from tenant `t`'s objects; throws when no family covers it. */
export function fill(url: string, t: TenantWorld): string {
  if (!url.includes(':')) return url;
  const family = familyOf(url);
  if (!family) throw new Error(`no fixture family for ${url}: add one to hub/test/route-fixtures.ts`);
  const params = family.params(t);
  return url.replace(/:([A-Za-z0-9_]+)/g, (_m, name: string) => {
    const value = params[name];
    if (!value) throw new Error(`fixture family ${family.prefix} does not fill :${name} of ${url}`);
    return encodeURIComponent(value);
  });
}
