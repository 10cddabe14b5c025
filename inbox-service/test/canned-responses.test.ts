import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '@switchboard/auth';
import { newId, type CannedResponseView } from '@switchboard/contracts';
import { Repositories } from '../src/repositories/index.js';
import { agentToken, injectApi, seedTenant, startInstance, type Instance, type SeededTenant } from './harness.js';

/** Canned responses as admins keep them and agents find them for the composer's "/" picker. */
describe('canned responses', () => {
  let hub: Instance;
  let repos: Repositories;
  let t: SeededTenant;
  let admin = '';
  let agent = '';

  const api = (method: string, url: string, body?: unknown, token = admin) => injectApi(hub.app, method, url, body, token);
  const create = async (body: Record<string, unknown>) => {
    const res = await api('POST', '/canned-responses', body);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body as CannedResponseView;
  };

  beforeAll(async () => {
    hub = await startInstance();
    repos = new Repositories(hub.platform.store);
    t = await seedTenant(repos, 'canned');
    admin = await agentToken(hub, t);
    const agentId = newId();
    await repos.forTenant(t.tenantId).agents.insertOne({
      _id: agentId,
      email: `agent-${agentId.slice(-6)}@example.test`,
      name: 'Plain agent',
      role: 'agent',
      passwordHash: await hashPassword('a long password'),
      createdAt: new Date(),
    });
    agent = await hub.platform.tokens.signAccess({ agentId, tenantId: t.tenantId, role: 'agent', name: 'Plain agent' });
  });
  afterAll(async () => {
    await hub.close();
  });

  it('an admin adds one; every agent lists them by shortcut, and can search by shortcut or title', async () => {
    const refund = await create({ shortcut: 'refund', title: 'Refund on its way', text: 'Hi {{contact.name}}, your refund is on its way.' });
    expect(refund).toMatchObject({ shortcut: 'refund', title: 'Refund on its way', text: 'Hi {{contact.name}}, your refund is on its way.' });
    await create({ shortcut: 'hours', title: 'Opening hours', text: 'We answer 9–17 on weekdays.' });
    const all = await api('GET', '/canned-responses', undefined, agent);
    expect(all.status).toBe(200);
    expect(all.body.items.map((c: CannedResponseView) => c.shortcut)).toEqual(['hours', 'refund']);
    expect((await api('GET', '/canned-responses?q=ref', undefined, agent)).body.items.map((c: CannedResponseView) => c.shortcut)).toEqual(['refund']);
    expect((await api('GET', '/canned-responses?q=OPENING', undefined, agent)).body.items.map((c: CannedResponseView) => c.shortcut)).toEqual(['hours']);
    expect((await api('GET', '/canned-responses?q=.*', undefined, agent)).body.items).toEqual([]);
  });

  it('a shortcut is unique per team (409 SB_ERR_CANNED_SHORTCUT_TAKEN), also when renamed onto another', async () => {
    const taken = await api('POST', '/canned-responses', { shortcut: 'refund', title: 'Again', text: 'x' });
    expect(taken.status).toBe(409);
    expect(taken.body.error.code).toBe('SB_ERR_CANNED_SHORTCUT_TAKEN');
    const other = await create({ shortcut: 'other', title: 'Other', text: 'y' });
    const renamed = await api('PATCH', `/canned-responses/${other.id}`, { shortcut: 'refund' });
    expect(renamed.body.error.code).toBe('SB_ERR_CANNED_SHORTCUT_TAKEN');
  });

  it('refuses shortcuts that are not lowercase slugs, and texts over 5,000 characters', async () => {
    for (const shortcut of ['Refund', 'two words', '/refund', '-x', '']) {
      expect((await api('POST', '/canned-responses', { shortcut, title: 'T', text: 'x' })).body.error.code, shortcut).toBe('SB_ERR_VALIDATION');
    }
    expect((await api('POST', '/canned-responses', { shortcut: 'long', title: 'T', text: 'x'.repeat(5001) })).body.error.code).toBe('SB_ERR_VALIDATION');
    expect((await api('POST', '/canned-responses', { shortcut: 'long', title: 'T', text: 'x'.repeat(5000) })).status).toBe(201);
  });

  it('an admin edits and deletes one, each change in the audit log; an agent may not change them', async () => {
    const c = await create({ shortcut: 'bye', title: 'Goodbye', text: 'Bye!' });
    expect((await api('POST', '/canned-responses', { shortcut: 'nope', title: 'T', text: 'x' }, agent)).status).toBe(403);
    expect((await api('PATCH', `/canned-responses/${c.id}`, { text: 'Nope' }, agent)).status).toBe(403);
    expect((await api('DELETE', `/canned-responses/${c.id}`, undefined, agent)).status).toBe(403);
    const edited = await api('PATCH', `/canned-responses/${c.id}`, { title: 'Farewell', text: 'Goodbye, {{contact.name}}!' });
    expect(edited.body).toMatchObject({ id: c.id, shortcut: 'bye', title: 'Farewell', text: 'Goodbye, {{contact.name}}!' });
    const deleted = await hub.app.inject({ method: 'DELETE', url: `/api/v1/canned-responses/${c.id}`, headers: { authorization: `Bearer ${admin}` } });
    expect(deleted.statusCode).toBe(204);
    expect((await api('DELETE', `/canned-responses/${c.id}`)).status).toBe(404);
    const audit = await repos.forTenant(t.tenantId).audit.find({ 'details.target': c.id }, { sort: { at: 1 } });
    expect(audit.map((a) => a.type)).toEqual(['canned.created', 'canned.updated', 'canned.deleted']);
  });
});
