import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '@switchboard/contracts';
import { Repositories } from '../src/repositories/index.js';
import { agentToken, injectApi, seedTenant, startInstance, type Instance, type SeededTenant } from './harness.js';

/**
 * What the console's administration area leans on: an admin renames an agent (PATCH /agents/:id),
 * and reads the team's audit log newest first, a page at a time (GET /audit), only their own team's.
 */
describe('renaming agents and reading the audit log', () => {
  let hub: Instance;
  let a: SeededTenant;
  let b: SeededTenant;
  let tokenA = '';
  let tokenB = '';
  const api = (method: string, url: string, body?: unknown, token = tokenA) => injectApi(hub.app, method, url, body, token);

  beforeAll(async () => {
    hub = await startInstance();
    const repos = new Repositories(hub.platform.store);
    a = await seedTenant(repos, 'audit-a');
    b = await seedTenant(repos, 'audit-b');
    tokenA = await agentToken(hub, a);
    tokenB = await agentToken(hub, b);
  });
  afterAll(async () => {
    await hub?.close();
  });

  it('renames an agent, refuses a blank name, and keeps other teams out', async () => {
    const made = await api('POST', '/agents', { email: `mira-${newId().slice(-6)}@example.test`, name: 'Mira', role: 'agent', password: 'a good long password' });
    expect(made.status).toBe(201);
    const renamed = await api('PATCH', `/agents/${made.body.id}`, { name: '  Mira Holm ' });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ id: made.body.id, name: 'Mira Holm', role: 'agent' });
    const blank = await api('PATCH', `/agents/${made.body.id}`, { name: '   ' });
    expect(blank.status).toBe(400);
    expect(blank.body.error.code).toBe('SB_ERR_VALIDATION');
    expect((await api('PATCH', `/agents/${made.body.id}`, { name: 'Intruder' }, tokenB)).status).toBe(404);
    expect((await api('GET', `/agents/${made.body.id}`)).body.name).toBe('Mira Holm');

    const log = await api('GET', '/audit?type=agent.updated');
    expect(log.body.items[0]).toMatchObject({ type: 'agent.updated', agentId: a.agentId, details: { target: made.body.id, fields: ['name'] } });
  });

  it('pages the log newest first with a cursor, and shows a team only its own entries', async () => {
    for (const name of ['One', 'Two', 'Three']) {
      expect((await api('POST', '/canned-responses', { shortcut: `p${name.toLowerCase()}${newId().slice(-4)}`, title: name, text: name })).status).toBe(201);
    }
    const first = await api('GET', '/audit?type=canned.created&limit=2');
    expect(first.status).toBe(200);
    expect(first.body.items.map((e: { details: { shortcut: string } }) => e.details.shortcut.slice(0, -4))).toEqual(['pthree', 'ptwo']);
    expect(first.body.nextCursor).toBe(first.body.items[1].id);
    const second = await api('GET', `/audit?type=canned.created&limit=2&cursor=${first.body.nextCursor}`);
    expect(second.body.items.map((e: { details: { shortcut: string } }) => e.details.shortcut.slice(0, -4))).toEqual(['pone']);
    expect(second.body.nextCursor).toBeNull();

    const bad = await api('GET', '/audit?cursor=not-one-of-ours');
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'SB_ERR_VALIDATION', message: 'cursor is not one this API returned.' });
    const other = await api('GET', '/audit?type=canned.created', undefined, tokenB);
    expect(other.body.items).toEqual([]);
  });

  it('is for admins only', async () => {
    const id = newId();
    await new Repositories(hub.platform.store).forTenant(a.tenantId).agents.insertOne({
      _id: id, email: `${id}@example.test`, name: 'Plain agent', role: 'agent', passwordHash: 'x', createdAt: new Date(),
    });
    const asAgent = await hub.platform.tokens.signAccess({ agentId: id, tenantId: a.tenantId, role: 'agent', name: 'Plain agent' });
    expect((await api('GET', '/audit', undefined, asAgent)).status).toBe(403);
    expect((await api('PATCH', `/agents/${a.agentId}`, { name: 'Me instead' }, asAgent)).status).toBe(403);
  });
});
