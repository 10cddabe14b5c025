import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '@switchboard/contracts';
import { eventually } from '@switchboard/testkit';
import { Repositories } from '../src/repositories/index.js';
import { agentToken, inboundMessage, injectApi, seedTenant, startInstance, type Instance, type SeededTenant } from './harness.js';

describe('search across messages and contacts', () => {
  let hub: Instance;
  let repos: Repositories;
  let a: SeededTenant;
  let b: SeededTenant;
  let tokenA = '';
  let tokenB = '';

  const search = (token: string, q: string, extra = '') => injectApi(hub.app, 'GET', `/search?q=${encodeURIComponent(q)}${extra}`, undefined, token);
  const messageIds = async (token: string, q: string) => ((await search(token, q)).body.messages as { messageId: string }[]).map((m) => m.messageId);

  /** An inbound message through the bus, as a connector sends it; resolves with the stored record. */
  async function receive(t: SeededTenant, over: Parameters<typeof inboundMessage>[1] & { sender?: Record<string, string>; channelAccountId?: string } = {}) {
    const externalId = over.externalId ?? newId();
    const event = { ...inboundMessage(t, { ...over, externalId }), ...(over.sender ? { sender: over.sender } : {}), ...(over.channelAccountId ? { channelAccountId: over.channelAccountId } : {}) };
    await hub.platform.bus.publishInbound(event as ReturnType<typeof inboundMessage>);
    const r = repos.forTenant(t.tenantId);
    return eventually(() => r.messages.findOne({ externalId }), 10_000, 'message stored');
  }

  beforeAll(async () => {
    hub = await startInstance();
    repos = new Repositories(hub.platform.store);
    a = await seedTenant(repos, 'search-a');
    b = await seedTenant(repos, 'search-b');
    tokenA = await agentToken(hub, a);
    tokenB = await agentToken(hub, b);
  });
  afterAll(async () => {
    await hub.close();
  });

  it('finds a customer’s message by a word of it, marked and escaped, and its contact by name', async () => {
    const m = await receive(a, { threadKey: 'parcel-chat', text: 'My parcel <never> arrived & I am worried' });
    const res = await eventually(async () => {
      const r = await search(tokenA, 'parcel');
      return r.body.messages?.length ? r : null;
    }, 10_000, 'message indexed');
    expect(res.status).toBe(200);
    expect(res.body.messages[0]).toMatchObject({ conversationId: m.conversationId, messageId: m._id, seq: m.seq, channel: 'telegram', contactName: 'Olga Petrova' });
    expect(res.body.messages[0].snippet).toBe('My <mark>parcel</mark> &lt;never&gt; arrived &amp; I am worried');
    expect(res.body.tickets).toEqual([]);

    const contacts = await eventually(async () => {
      const r = await search(tokenA, 'olga', '&type=contacts');
      return r.body.contacts?.length ? r.body.contacts : null;
    }, 10_000, 'contact indexed');
    expect(contacts[0]).toMatchObject({ name: 'Olga Petrova', channel: 'telegram', conversationId: m.conversationId });
    // type=contacts leaves the messages out.
    expect((await search(tokenA, 'olga', '&type=contacts')).body.messages).toEqual([]);
  });

  it('finds an agent’s reply, and forgets a message the customer deleted', async () => {
    const m = await receive(a, { threadKey: 'refund-chat', text: 'Please cancel the subscription' });
    const reply = await injectApi(hub.app, 'POST', `/conversations/${m.conversationId}/messages`, { text: 'Your refund is approved', idempotencyKey: newId() }, tokenA);
    expect(reply.status).toBe(201);
    await eventually(async () => (await messageIds(tokenA, 'refund approved')).includes(reply.body.id), 10_000, 'reply indexed');
    await eventually(async () => (await messageIds(tokenA, 'subscription')).includes(m._id), 10_000, 'message indexed');

    const now = new Date().toISOString();
    await hub.platform.bus.publishInbound({ ...inboundMessage(a, { threadKey: 'refund-chat' }), kind: 'delete', replyTo: m.externalId, text: undefined, sentAt: now, receivedAt: now } as never);
    await eventually(async () => !(await messageIds(tokenA, 'subscription')).includes(m._id), 10_000, 'deleted message left the index');
  });

  it('an agent limited to some inboxes never sees hits of the others', async () => {
    const web = await receive(a, { channel: 'web', channelAccountId: a.inboxId, threadKey: 'visitor-1', text: 'Lighthouse lamp question', sender: { externalId: 'visitor-1', name: 'Vera Web' } });
    const tg = await receive(a, { threadKey: 'tg-lighthouse', text: 'Lighthouse lamp broken', sender: { externalId: 'tg-9', name: 'Timur Tele' } });
    await eventually(async () => (await messageIds(tokenA, 'lighthouse')).length === 2, 10_000, 'both indexed');
    await eventually(async () => (await search(tokenA, 'timur', '&type=contacts')).body.contacts.length === 1, 10_000, 'contact indexed');

    const limited = newId();
    await repos.forTenant(a.tenantId).agents.insertOne({ _id: limited, email: `web-only-${limited}@example.test`, name: 'Web Only', role: 'agent', passwordHash: 'x', inboxIds: [a.inboxId], createdAt: new Date() });
    const webOnly = await hub.platform.tokens.signAccess({ agentId: limited, tenantId: a.tenantId, role: 'agent', name: 'Web Only' });
    const res = await search(webOnly, 'lighthouse');
    expect(res.body.messages.map((h: { messageId: string }) => h.messageId)).toEqual([web._id]);
    expect(res.body.messages.map((h: { messageId: string }) => h.messageId)).not.toContain(tg._id);
    expect((await search(webOnly, 'timur', '&type=contacts')).body.contacts).toEqual([]);
    expect((await search(webOnly, 'vera', '&type=contacts')).body.contacts.map((c: { name: string }) => c.name)).toEqual(['Vera Web']);
  });

  it('keeps each team to its own messages and contacts', async () => {
    await receive(b, { threadKey: 'b-chat', text: 'Zeppelin tickets for Saturday', sender: { externalId: 'b-user', name: 'Zelda Bee' } });
    await eventually(async () => (await messageIds(tokenB, 'zeppelin')).length === 1, 10_000, 'indexed for b');
    expect(await messageIds(tokenA, 'zeppelin')).toEqual([]);
    expect((await search(tokenA, 'zelda')).body.contacts).toEqual([]);
    expect(await messageIds(tokenB, 'parcel')).toEqual([]);
  });

  it('an erased contact and their messages leave the index', async () => {
    const m = await receive(a, { threadKey: 'erase-chat', text: 'Quasar order 77 please', sender: { externalId: 'erase-me', name: 'Erin Erase', email: 'erin@example.test' } });
    await eventually(async () => (await messageIds(tokenA, 'quasar')).includes(m._id), 10_000, 'indexed');
    const found = await eventually(async () => (await search(tokenA, 'erin@example.test', '&type=contacts')).body.contacts[0], 10_000, 'contact found by email');
    expect(found).toMatchObject({ name: 'Erin Erase', email: 'erin@example.test' });

    expect((await injectApi(hub.app, 'DELETE', `/contacts/${found.id}`, undefined, tokenA)).status).toBe(200);
    await eventually(async () => (await messageIds(tokenA, 'quasar')).length === 0, 10_000, 'messages left the index');
    await eventually(async () => (await search(tokenA, 'erin', '&type=contacts')).body.contacts.length === 0, 10_000, 'contact left the index');
  });

  it('rebuilds from the store on POST /search/reindex (admins only)', async () => {
    const r = repos.forTenant(a.tenantId);
    const now = new Date();
    // Written behind the index's back: no event tells the follower.
    await r.contacts.insertOne({ _id: newId(), channel: 'telegram', externalId: 'silent-1', name: 'Silas Silent', phone: '+15550001234', createdAt: now, updatedAt: now });
    expect((await search(tokenA, 'silas', '&type=contacts')).body.contacts).toEqual([]);

    const limited = newId();
    await r.agents.insertOne({ _id: limited, email: `agent-${limited}@example.test`, name: 'Plain Agent', role: 'agent', passwordHash: 'x', createdAt: new Date() });
    const agent = await hub.platform.tokens.signAccess({ agentId: limited, tenantId: a.tenantId, role: 'agent', name: 'Plain Agent' });
    expect((await injectApi(hub.app, 'POST', '/search/reindex', undefined, agent)).status).toBe(403);

    const res = await injectApi(hub.app, 'POST', '/search/reindex', undefined, tokenA);
    expect(res.status).toBe(200);
    expect(res.body.contacts).toBeGreaterThanOrEqual(4);
    expect((await search(tokenA, 'silas', '&type=contacts')).body.contacts.map((c: { phone: string }) => c.phone)).toEqual(['+15550001234']);
    // Deleted messages stay out of a rebuilt index.
    expect(await messageIds(tokenA, 'subscription')).toEqual([]);
  });

  it('refuses a query without a word to look for', async () => {
    for (const q of ['', '   ', '???']) {
      const res = await search(tokenA, q);
      expect(res.status, q).toBe(400);
      expect(res.body.error.code).toBe('SB_ERR_VALIDATION');
    }
    expect((await injectApi(hub.app, 'GET', '/search', undefined, tokenA)).status).toBe(400);
    expect((await search(tokenA, 'parcel', '&type=everything')).status).toBe(400);
    expect((await search(tokenA, 'parcel', '&limit=500')).status).toBe(400);
  });
});
