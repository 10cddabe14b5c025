import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { requirePrincipal, type Principal } from '@switchboard/auth';
import { newId, type DomainEvent } from '@switchboard/contracts';
import { createHttpServer, errors } from '@switchboard/http';
import { createLogger } from '@switchboard/logging';
import { createStore, type DocumentStore } from '@switchboard/store';
import { tempDir } from '@switchboard/testkit';
import { directoryService } from './plugin.js';

const T1 = newId();
const T2 = newId();
const principals: Record<string, Principal> = {
  admin1: { kind: 'agent', tenantId: T1, agentId: 'a-admin', role: 'admin', name: 'Ann' },
  super1: { kind: 'agent', tenantId: T1, agentId: 'a-super', role: 'supervisor', name: 'Sue' },
  agent1: { kind: 'agent', tenantId: T1, agentId: 'a-agent', role: 'agent', name: 'Al' },
  reader1: { kind: 'apiKey', tenantId: T1, keyId: 'k-read', scopes: ['contacts:read'] },
  writer1: { kind: 'apiKey', tenantId: T1, keyId: 'k-write', scopes: ['contacts:read', 'contacts:write'] },
  other1: { kind: 'apiKey', tenantId: T1, keyId: 'k-other', scopes: ['conversations:read'] },
  admin2: { kind: 'agent', tenantId: T2, agentId: 'b-admin', role: 'admin', name: 'Bob' },
};

let app: FastifyInstance;
let store: DocumentStore;
const events: DomainEvent[] = [];
const data = tempDir('sb-directory');

beforeAll(async () => {
  const logger = createLogger({ level: 'silent', format: 'json' });
  store = await createStore({ driver: 'embedded', dir: data.dir });
  app = createHttpServer({ logger, bodyLimit: 1_048_576 }) as unknown as FastifyInstance;
  requirePrincipal(app, {
    authenticate: async (credential) => {
      const principal = principals[credential];
      if (!principal) throw errors.unauthorized();
      return { principal, agent: null };
    },
  });
  await app.register(directoryService, {
    platform: { store, logger, bus: { publishEvent: async (e) => void events.push(e) } },
    defaultCountry: 'RU',
  });
  await app.ready();
});

afterAll(async () => {
  await app.close();
  await store.close();
  data.remove();
});

async function call(who: string, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown) {
  const res = await app.inject({ method, url: `/api/v1/directory/contacts${url}`, headers: { authorization: `Bearer ${who}` }, ...(payload !== undefined ? { payload: payload as object } : {}) });
  return { status: res.statusCode, body: res.body ? (res.json() as Record<string, any>) : undefined };
}

const create = async (who: string, body: unknown) => {
  const res = await call(who, 'POST', '', body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string; [k: string]: any };
};

describe('contacts', () => {
  it('creates a contact with normalized emails, E.164 phones and handles, and reads it back', async () => {
    const c = await create('admin1', {
      name: 'Olga Petrova',
      emails: [' Olga@Example.COM ', 'olga@example.com'],
      phones: ['8 (916) 123-45-67'],
      handles: [{ channel: 'Telegram', id: ' 777 ' }],
      company: 'Acme',
      attributes: { tier: 'gold' },
    });
    expect(c).toMatchObject({
      name: 'Olga Petrova',
      emails: ['olga@example.com'],
      phones: ['+79161234567'],
      handles: [{ channel: 'telegram', id: '777' }],
      company: 'Acme',
      attributes: { tier: 'gold' },
    });
    expect(c).not.toHaveProperty('handleKeys');
    const got = await call('agent1', 'GET', `/${c.id}`);
    expect(got.status).toBe(200);
    expect(got.body).toEqual(c);
  });

  it('refuses an email, phone or handle that another live contact holds, naming the field (409)', async () => {
    const a = await create('admin1', { name: 'Unique', emails: ['uniq@example.com'], phones: ['+7 903 000-00-01'], handles: [{ channel: 'slack', id: 'U1' }] });
    const email = await call('admin1', 'POST', '', { emails: ['UNIQ@example.com'] });
    expect(email.status).toBe(409);
    expect(email.body!.error).toMatchObject({ code: 'SB_ERR_CONFLICT', details: { field: 'emails', value: 'uniq@example.com', contactId: a.id } });
    const phone = await call('admin1', 'POST', '', { phones: ['89030000001'] });
    expect(phone.body!.error.details).toMatchObject({ field: 'phones', value: '+79030000001' });
    const handle = await call('admin1', 'POST', '', { handles: [{ channel: 'SLACK', id: 'U1' }] });
    expect(handle.body!.error.details).toMatchObject({ field: 'handles', value: 'slack:U1' });

    const b = await create('admin1', { name: 'Other' });
    const patch = await call('admin1', 'PATCH', `/${b.id}`, { emails: ['uniq@example.com'] });
    expect(patch.status).toBe(409);
    expect(patch.body!.error.message).toContain('uniq@example.com');
    // Adding what the contact already has is not a clash with itself.
    expect((await call('admin1', 'PATCH', `/${a.id}`, { emails: ['uniq@example.com'] })).status).toBe(200);
    // Another tenant is another world.
    await create('admin2', { emails: ['uniq@example.com'], phones: ['+79030000001'], handles: [{ channel: 'slack', id: 'U1' }] });
  });

  it('patch adds identifiers without removing any, sets and clears fields and attributes', async () => {
    const c = await create('admin1', { name: 'Patchy', emails: ['p1@example.com'], attributes: { a: '1', b: '2' } });
    const res = await call('super1', 'PATCH', `/${c.id}`, {
      emails: ['P2@example.com'],
      phones: ['+1 415 555 2671'],
      handles: [{ channel: 'whatsapp', id: '+14155552671' }],
      company: 'Initech',
      attributes: { a: '10', b: null, c: '3' },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      emails: ['p1@example.com', 'p2@example.com'],
      phones: ['+14155552671'],
      handles: [{ channel: 'whatsapp', id: '+14155552671' }],
      company: 'Initech',
      attributes: { a: '10', c: '3' },
    });
    const cleared = await call('super1', 'PATCH', `/${c.id}`, { name: null, company: null });
    expect(cleared.body).not.toHaveProperty('name');
    expect(cleared.body).not.toHaveProperty('company');
    expect(cleared.body!.emails).toEqual(['p1@example.com', 'p2@example.com']);
  });

  it('answers 400 for what is not an email or a phone, and for fields it does not know', async () => {
    expect((await call('admin1', 'POST', '', { emails: ['not-an-email'] })).body!.error).toMatchObject({ code: 'SB_ERR_VALIDATION', details: { path: '/emails/0' } });
    expect((await call('admin1', 'POST', '', { phones: ['call me'] })).body!.error).toMatchObject({ code: 'SB_ERR_VALIDATION', details: { path: '/phones/0' } });
    expect((await call('admin1', 'POST', '', { name: 'X', nickname: 'x' })).status).toBe(400);
    expect((await call('admin1', 'POST', '', { attributes: { 'bad key': 'x' } })).status).toBe(400);
    expect((await call('admin1', 'GET', '?channel=telegram')).status).toBe(400);
  });
});

describe('search and look-ups', () => {
  const ids: Record<string, string> = {};
  beforeAll(async () => {
    ids.ivan = (await create('admin1', { name: 'Ivan Searchable', emails: ['ivan@shop.example'], phones: ['+7 926 555-12-34'], company: 'Shop Ltd' })).id;
    ids.maria = (await create('admin1', { name: 'Maria Searchable', emails: ['maria@shop.example'], handles: [{ channel: 'telegram', id: '4242' }] })).id;
    ids.petr = (await create('admin1', { name: 'Petr Searchable', company: 'Other Inc' })).id;
  });

  it('finds by part of a name, an email, a company or a phone’s digits, any case', async () => {
    const q = async (text: string) => ((await call('agent1', 'GET', `?q=${encodeURIComponent(text)}`)).body!.items as { id: string }[]).map((c) => c.id);
    expect(await q('searchable')).toEqual([ids.petr, ids.maria, ids.ivan]);
    expect(await q('MARIA@')).toEqual([ids.maria]);
    expect(await q('shop ltd')).toEqual([ids.ivan]);
    expect(await q('926 555')).toEqual([ids.ivan]);
    expect(await q('.*')).toEqual([]);
  });

  it('looks up exactly by email, phone in any spelling, and channel + handle', async () => {
    const one = async (query: string) => ((await call('reader1', 'GET', `?${query}`)).body!.items as { id: string }[]).map((c) => c.id);
    expect(await one('email=IVAN@shop.example')).toEqual([ids.ivan]);
    expect(await one(`phone=${encodeURIComponent('8 (926) 555-12-34')}`)).toEqual([ids.ivan]);
    expect(await one('channel=Telegram&handle=4242')).toEqual([ids.maria]);
    expect(await one('email=nobody@shop.example')).toEqual([]);
  });

  it('pages with a cursor', async () => {
    const first = await call('agent1', 'GET', '?q=searchable&limit=2');
    expect(first.body!.items).toHaveLength(2);
    expect(first.body!.nextCursor).toEqual(expect.any(String));
    const second = await call('agent1', 'GET', `?q=searchable&limit=2&cursor=${first.body!.nextCursor}`);
    expect((second.body!.items as { id: string }[]).map((c) => c.id)).toEqual([ids.ivan]);
    expect(second.body!.nextCursor).toBeNull();
    expect((await call('agent1', 'GET', '?cursor=garbage')).status).toBe(400);
  });
});

describe('merge', () => {
  it('moves the other contact’s identifiers, attributes and notes over; its id answers with the survivor', async () => {
    const a = await create('admin1', { name: 'Anna Keep', emails: ['anna@merge.example'], attributes: { tier: 'gold' } });
    const b = await create('admin1', {
      emails: ['anna.old@merge.example'],
      phones: ['+7 915 111-22-33'],
      handles: [{ channel: 'telegram', id: 'anna_tg' }],
      company: 'Merge Co',
      attributes: { tier: 'silver', city: 'Kazan' },
    });
    const note = await call('agent1', 'POST', `/${b.id}/notes`, { text: 'Called about order 5521' });
    expect(note.status).toBe(201);
    events.length = 0;

    const merged = await call('super1', 'POST', `/${a.id}/merge`, { from: b.id });
    expect(merged.status).toBe(200);
    expect(merged.body).toMatchObject({
      id: a.id,
      name: 'Anna Keep',
      emails: ['anna@merge.example', 'anna.old@merge.example'],
      phones: ['+79151112233'],
      handles: [{ channel: 'telegram', id: 'anna_tg' }],
      company: 'Merge Co',
      attributes: { tier: 'gold', city: 'Kazan' },
    });

    const old = await call('agent1', 'GET', `/${b.id}`);
    expect(old.status).toBe(200);
    expect(old.body).toMatchObject({ id: a.id, mergedFrom: b.id });
    const byEmail = await call('agent1', 'GET', '?email=anna.old@merge.example');
    expect((byEmail.body!.items as { id: string }[]).map((c) => c.id)).toEqual([a.id]);
    const notes = await call('agent1', 'GET', `/${a.id}/notes`);
    expect(notes.body!.items).toEqual([expect.objectContaining({ contactId: a.id, text: 'Called about order 5521', by: 'a-agent' })]);
    // Notes and changes sent to the old id reach the survivor.
    expect((await call('agent1', 'POST', `/${b.id}/notes`, { text: 'later' })).body).toMatchObject({ contactId: a.id });
    expect((await call('admin1', 'PATCH', `/${b.id}`, { attributes: { vip: 'yes' } })).body).toMatchObject({ id: a.id, mergedFrom: b.id, attributes: { vip: 'yes' } });
    // The moved email now belongs to the survivor.
    const clash = await call('admin1', 'POST', '', { emails: ['anna.old@merge.example'] });
    expect(clash.body!.error.details).toMatchObject({ field: 'emails', contactId: a.id });

    expect(events).toEqual([
      expect.objectContaining({
        type: 'contact.merged',
        tenantId: T1,
        v: 1,
        data: expect.objectContaining({ source: 'directory', contactId: a.id, mergedId: b.id, emails: ['anna.old@merge.example'], by: 'a-super' }),
      }),
    ]);

    // Sending the merge again changes nothing and answers the same survivor.
    const again = await call('super1', 'POST', `/${a.id}/merge`, { from: b.id });
    expect(again.status).toBe(200);
    expect(again.body!.emails).toEqual(['anna@merge.example', 'anna.old@merge.example']);
  });

  it('flattens merges of merges, refuses a contact into itself, and one merged elsewhere', async () => {
    const a = await create('admin1', { name: 'Chain A' });
    const b = await create('admin1', { name: 'Chain B', emails: ['chain-b@example.com'] });
    const c = await create('admin1', { name: 'Chain C' });
    const d = await create('admin1', { name: 'Chain D' });
    expect((await call('admin1', 'POST', `/${a.id}/merge`, { from: b.id })).status).toBe(200);
    expect((await call('admin1', 'POST', `/${c.id}/merge`, { from: a.id })).status).toBe(200);
    expect((await call('agent1', 'GET', `/${b.id}`)).body).toMatchObject({ id: c.id, mergedFrom: b.id, emails: ['chain-b@example.com'] });
    const raw = await store.collection<{ _id: string; mergedInto: string | null }>('directory_contacts').findOne({ _id: b.id });
    expect(raw?.mergedInto).toBe(c.id);

    expect((await call('admin1', 'POST', `/${c.id}/merge`, { from: c.id })).status).toBe(400);
    expect((await call('admin1', 'POST', `/${a.id}/merge`, { from: c.id })).status).toBe(400);
    const elsewhere = await call('admin1', 'POST', `/${d.id}/merge`, { from: b.id });
    expect(elsewhere.status).toBe(409);
    expect(elsewhere.body!.error.message).toContain(c.id);
    expect((await call('admin1', 'POST', `/${d.id}/merge`, { from: newId() })).status).toBe(404);
  });

  it('deletes a contact with what was merged into it; a merged id is refused', async () => {
    const a = await create('admin1', { name: 'Gone', emails: ['gone@example.com'] });
    const b = await create('admin1', { name: 'Gone too', emails: ['gone-too@example.com'] });
    await call('admin1', 'POST', `/${a.id}/merge`, { from: b.id });
    expect((await call('admin1', 'DELETE', `/${b.id}`)).status).toBe(409);
    expect((await call('admin1', 'DELETE', `/${a.id}`)).body).toEqual({ deleted: true, id: a.id });
    expect((await call('admin1', 'GET', `/${a.id}`)).status).toBe(404);
    expect((await call('admin1', 'GET', `/${b.id}`)).status).toBe(404);
    // The emails are free again.
    await create('admin1', { emails: ['gone@example.com', 'gone-too@example.com'] });
  });
});

describe('access and tenants', () => {
  it('lets every role and contacts:read keys read; only admins, supervisors and contacts:write keys write', async () => {
    expect((await call('agent1', 'GET', '')).status).toBe(200);
    expect((await call('reader1', 'GET', '')).status).toBe(200);
    expect((await call('other1', 'GET', '')).status).toBe(403);
    expect((await call('nobody', 'GET', '')).status).toBe(401);
    expect((await call('agent1', 'POST', '', { name: 'No' })).status).toBe(403);
    expect((await call('reader1', 'POST', '', { name: 'No' })).status).toBe(403);
    const c = await create('writer1', { name: 'By key' });
    expect((await call('super1', 'PATCH', `/${c.id}`, { company: 'X' })).status).toBe(200);
    expect((await call('agent1', 'DELETE', `/${c.id}`)).status).toBe(403);
    expect((await call('agent1', 'POST', `/${c.id}/notes`, { text: 'agents write notes' })).status).toBe(201);
    expect((await call('writer1', 'POST', `/${c.id}/notes`, { text: 'so do keys' })).body).toMatchObject({ by: 'apikey:k-write' });
  });

  it('never shows one tenant’s contact to another: every route answers 404', async () => {
    const c = await create('admin1', { name: 'Tenant one only', emails: ['t1-only@example.com'] });
    const mine = await create('admin2', { name: 'Tenant two' });
    expect((await call('admin2', 'GET', `/${c.id}`)).status).toBe(404);
    expect((await call('admin2', 'PATCH', `/${c.id}`, { company: 'x' })).status).toBe(404);
    expect((await call('admin2', 'DELETE', `/${c.id}`)).status).toBe(404);
    expect((await call('admin2', 'POST', `/${c.id}/notes`, { text: 'x' })).status).toBe(404);
    expect((await call('admin2', 'GET', `/${c.id}/notes`)).status).toBe(404);
    expect((await call('admin2', 'POST', `/${c.id}/merge`, { from: mine.id })).status).toBe(404);
    expect((await call('admin2', 'POST', `/${mine.id}/merge`, { from: c.id })).status).toBe(404);
    expect((await call('admin2', 'GET', '?email=t1-only@example.com')).body!.items).toEqual([]);
    expect((await call('admin2', 'GET', '?q=tenant')).body!.items).toEqual([expect.objectContaining({ id: mine.id })]);
    expect((await call('admin1', 'GET', `/${c.id}`)).status).toBe(200);
  });
});
