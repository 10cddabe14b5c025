import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId, type DomainEvent } from '@switchboard/contracts';
import { eventually } from '@switchboard/testkit';
import { Repositories } from '../src/repositories/index.js';
import { TENANT_COLLECTIONS } from '../src/tenant-deletion.js';
import { agentToken, inboundMessage, seedTenant, startInstance, type Instance, type SeededTenant } from './harness.js';

async function api(hub: Instance, token: string, method: string, url: string, body?: unknown) {
  const res = await hub.app.inject({
    method: method as 'GET',
    url: `/api/v1${url}`,
    headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
  });
  return { status: res.statusCode, body: (res.body ? res.json() : null) as Record<string, any> };
}

describe('privacy: contact export and erasure', () => {
  let hub: Instance;
  let t: SeededTenant;
  let token = '';
  const events: DomainEvent[] = [];

  beforeAll(async () => {
    hub = await startInstance();
    t = await seedTenant(new Repositories(hub.platform.store), 'privacy');
    token = await agentToken(hub, t);
    await hub.platform.bus.subscribeEvents('privacy-test', ['contact.*'], async (e) => void events.push(e));
  });
  afterAll(async () => {
    await hub.close();
  });

  async function storeConversation(threadKey: string, text: string, html?: string) {
    const event = { ...inboundMessage(t, { threadKey, text }), sender: { externalId: `user-${threadKey}`, name: 'Olga Petrova', email: 'olga@example.test' }, ...(html ? { html } : {}) };
    await hub.platform.bus.publishInbound(event);
    const r = new Repositories(hub.platform.store).forTenant(t.tenantId);
    const conv = await eventually(() => r.conversations.findOne({ threadKey }), 10_000, 'conversation stored');
    // The conversation is written before its first message: wait for the message too.
    await eventually(() => r.messages.findOne({ conversationId: conv._id }), 10_000, 'message stored');
    return conv;
  }

  it('never shows a script from a message’s html', async () => {
    const conv = await storeConversation('html-chat', 'rich', '<p>Hello <b>team</b><script>alert(document.cookie)</script><img src=x onerror=alert(1)></p>');
    const res = await api(hub, token, 'GET', `/conversations/${conv._id}/messages`);
    const html = res.body.items[0].html as string;
    expect(html).toContain('<b>team</b>');
    expect(html).not.toMatch(/script|onerror|<img/i);
  });

  it('exports everything about a contact, then erases them', async () => {
    const conv = await storeConversation('gdpr-chat', 'My address is 1 Main Street');
    await api(hub, token, 'POST', `/conversations/${conv._id}/messages`, { text: 'Thanks Olga, noted 1 Main Street', idempotencyKey: 'reply-gdpr-1' });
    const contactId = conv.contact.id;

    const exported = await api(hub, token, 'GET', `/contacts/${contactId}/export`);
    expect(exported.status).toBe(200);
    expect(exported.body.contact).toMatchObject({ id: contactId, name: 'Olga Petrova', email: 'olga@example.test' });
    expect(exported.body.conversations).toHaveLength(1);
    expect(exported.body.conversations[0].messages.map((m: { text: string }) => m.text)).toEqual([
      'My address is 1 Main Street',
      'Thanks Olga, noted 1 Main Street',
    ]);

    const erased = await api(hub, token, 'DELETE', `/contacts/${contactId}`);
    expect(erased.status).toBe(200);
    expect(erased.body).toMatchObject({ erased: true, conversations: 1, messages: 2 });

    expect((await api(hub, token, 'GET', `/contacts/${contactId}/export`)).status).toBe(404);
    const shell = await api(hub, token, 'GET', `/conversations/${conv._id}`);
    expect(shell.status).toBe(200);
    expect(JSON.stringify(shell.body)).not.toMatch(/Olga|Main Street|olga@/);
    const messages = await api(hub, token, 'GET', `/conversations/${conv._id}/messages`);
    expect(messages.body.items).toHaveLength(2);
    expect(JSON.stringify(messages.body)).not.toMatch(/Olga|Main Street/);
    const notice = await eventually(() => events.find((e) => e.type === 'contact.erased'), 5000, 'contact.erased');
    expect(notice.data).toMatchObject({ contactId, conversationIds: [conv._id] });

    // The same person writing again starts a new conversation, not the anonymised shell.
    const again = await storeConversation('gdpr-chat', 'hello again');
    expect(again._id).not.toBe(conv._id);
  });

  it('is refused to agents without the admin role and across tenants', async () => {
    const conv = await storeConversation('other-chat', 'hi');
    const other = await seedTenant(new Repositories(hub.platform.store), 'privacy-other');
    const otherToken = await agentToken(hub, other);
    expect((await api(hub, otherToken, 'GET', `/contacts/${conv.contact.id}/export`)).status).toBe(404);
    expect((await api(hub, otherToken, 'DELETE', `/contacts/${conv.contact.id}`)).status).toBe(404);
  });
});

describe('tenant deletion', () => {
  let hub: Instance;

  beforeAll(async () => {
    hub = await startInstance();
  });
  afterAll(async () => {
    await hub.close();
  });

  it('removes every document of tenant A in the background and leaves tenant B alone', async () => {
    const repos = new Repositories(hub.platform.store);
    const a = await seedTenant(repos, 'del-a');
    const b = await seedTenant(repos, 'del-b');
    for (const t of [a, b]) {
      for (let i = 0; i < 3; i++) await hub.platform.bus.publishInbound(inboundMessage(t, { threadKey: `chat-${i}`, text: `hello ${i}` }));
    }
    await eventually(async () => (await repos.forTenant(a.tenantId).messages.countDocuments({})) === 3 && (await repos.forTenant(b.tenantId).messages.countDocuments({})) === 3, 10_000, 'messages stored');
    const tokenA = await agentToken(hub, a);
    await api(hub, tokenA, 'POST', '/webhooks', { url: 'https://example.test/hook', events: ['*'] });
    const countB = async () => {
      let n = 0;
      for (const name of TENANT_COLLECTIONS) n += await hub.platform.store.collection(name).countDocuments({ tenantId: b.tenantId });
      return n;
    };
    const before = await countB();

    const wrong = await api(hub, tokenA, 'DELETE', '/tenant', { confirm: 'Tenant something-else' });
    expect(wrong.status).toBe(400);
    const accepted = await api(hub, tokenA, 'DELETE', '/tenant', { confirm: 'Tenant del-a' });
    expect(accepted.status).toBe(202);
    // The admin's access token was used a moment ago (its state is cached); it stops at once.
    expect((await api(hub, tokenA, 'GET', '/conversations')).status).toBe(401);

    const login = await hub.app.inject({ method: 'POST', url: '/api/v1/auth/login', headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ email: a.email, password: a.password }) });
    expect(login.statusCode).toBeGreaterThanOrEqual(400);

    await eventually(async () => (await repos.getTenant(a.tenantId)) === null, 10_000, 'tenant record removed');
    // A redelivered tenant.deleted runs the job again; it finishes whatever raced the first run
    // (here: the audit line of the refused sign-in).
    await hub.platform.bus.publishEvent({ id: newId(), v: 1, type: 'tenant.deleted', tenantId: a.tenantId, at: new Date().toISOString(), data: {} });
    await eventually(async () => {
      for (const name of [...TENANT_COLLECTIONS, 'tenants']) {
        const field = name === 'tenants' ? '_id' : 'tenantId';
        if ((await hub.platform.store.collection(name).countDocuments({ [field]: a.tenantId })) > 0) return false;
      }
      return true;
    }, 10_000, 'tenant A gone');
    expect(await countB()).toBe(before);
    expect(await repos.getTenant(b.tenantId)).not.toBeNull();
    const loginB = await hub.app.inject({ method: 'POST', url: '/api/v1/auth/login', headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ email: b.email, password: b.password }) });
    expect(loginB.statusCode).toBe(200);
  });
});
