import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { partitionOf, type Bus } from '@switchboard/bus';
import { RabbitScratch } from '@switchboard/bus/testing';
import { createStore, type Collection, type Doc, type DocumentStore } from '@switchboard/store';
import { eventually, sleep, tempDir } from '@switchboard/testkit';
import { Repositories } from '../src/repositories/index.js';
import { agentToken, inboundMessage, injectApi, seedTenant, startInstance, type Instance, type SeededTenant } from './harness.js';

const PARTITIONS = 2;
const DELIVERY_LIMIT = 3;

/**
 * The store as the inbox sees it, except that inserting a message whose text contains `POISON`
 * fails while `refusing` is on — as a database refuses a write it cannot take — so ingest throws
 * on every attempt until the cause is removed.
 */
function refusingStore(store: DocumentStore, state: { refusing: boolean }): DocumentStore {
  const wrap = <T extends Doc>(c: Collection<T>): Collection<T> =>
    new Proxy(c, {
      get(target, prop) {
        if (prop === 'insertOne') {
          return async (doc: T) => {
            if (state.refusing && c.name === 'messages' && String((doc as { text?: unknown }).text).includes('POISON')) {
              throw new Error('messages: the database refused the write (document failed validation)');
            }
            return target.insertOne(doc);
          };
        }
        const value = Reflect.get(target, prop) as unknown;
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  return new Proxy(store, {
    get(target, prop) {
      if (prop === 'collection') return <T extends Doc>(name: string) => wrap(target.collection<T>(name));
      const value = Reflect.get(target, prop) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/** Another thread of the tenant whose events land in the same work partition as `threadKey`. */
function samePartition(tenantId: string, threadKey: string): string {
  const p = partitionOf(tenantId, threadKey, PARTITIONS);
  for (let i = 0; i < 1000; i++) if (partitionOf(tenantId, `chat-${i}`, PARTITIONS) === p && `chat-${i}` !== threadKey) return `chat-${i}`;
  throw new Error('no other thread in the same partition');
}

/**
 * A poison inbound event, on real RabbitMQ: ingest fails on it every time, so after the delivery
 * limit it is dead-lettered with its reason and kept for the team's admins, while later events of
 * its partition are stored. Admins (and only they, only their team's) list it; once the cause is
 * gone, Retry stores the message exactly once.
 */
describe('dead letters of a poison inbound event', () => {
  const data = tempDir('sb-dead-letters');
  const scratch = new RabbitScratch();
  const state = { refusing: true };
  let store: DocumentStore;
  let bus: Bus;
  let inbox: Instance;
  let a: SeededTenant;
  let b: SeededTenant;
  let adminA: string;
  let adminB: string;
  let plainA: string;
  let poison: ReturnType<typeof inboundMessage>;
  let letterId: string;

  const api = (method: string, url: string, token: string) => injectApi(inbox.app, method, url, undefined, token);
  const messages = (t: SeededTenant, externalId: string) => new Repositories(store).forTenant(t.tenantId).messages.find({ externalId });

  beforeAll(async () => {
    store = await createStore({ driver: 'embedded', dir: data.dir });
    bus = await scratch.bus({ partitions: PARTITIONS, deliveryLimit: DELIVERY_LIMIT, retryDelayMs: 50 });
    inbox = await startInstance({ BUS_PARTITIONS: String(PARTITIONS) }, { store: refusingStore(store, state), bus });
    const repos = new Repositories(store);
    a = await seedTenant(repos, 'dl-a');
    b = await seedTenant(repos, 'dl-b');
    adminA = await agentToken(inbox, a);
    adminB = await agentToken(inbox, b);
    const email = `plain-${a.tenantId.slice(-6)}@example.test`;
    expect((await injectApi(inbox.app, 'POST', '/agents', { email, name: 'Plain', role: 'agent', password: 'plain agent password' }, adminA)).status).toBe(201);
    const login = await inbox.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password: 'plain agent password' } });
    plainA = (login.json() as { accessToken: string }).accessToken;
  }, 30_000);

  afterAll(async () => {
    await inbox?.close();
    await bus?.close();
    await scratch.cleanup();
    await store?.close();
    data.remove();
  });

  it('dead-letters the poison event with its reason after the delivery limit; a later event of its partition is stored', async () => {
    poison = inboundMessage(a, { externalId: 'tg-poison-1', threadKey: 'chat-poison', text: 'POISON: this one cannot be stored' });
    const later = inboundMessage(a, { externalId: 'tg-after-1', threadKey: samePartition(a.tenantId, 'chat-poison'), text: 'I am next in line' });
    await bus.publishInbound(poison);
    await bus.publishInbound(later);

    const stored = await eventually(async () => (await messages(a, 'tg-after-1'))[0], 15_000, 'the later event stored');
    expect(stored.text).toBe('I am next in line');
    const kept = await eventually(async () => (await api('GET', '/dead-letters', adminA)).body.items?.[0], 10_000, 'the letter listed');
    expect(kept).toMatchObject({
      status: 'dead',
      reason: 'messages: the database refused the write (document failed validation)',
      deliveryCount: DELIVERY_LIMIT,
      traceId: poison.traceId,
      truncated: false,
      handledBy: null,
    });
    expect(kept.source).toMatch(new RegExp(`\\.inbound\\.work\\.${partitionOf(a.tenantId, 'chat-poison', PARTITIONS)}$`));
    expect(kept.preview).toContain('"externalId":"tg-poison-1"');
    expect(await messages(a, 'tg-poison-1')).toEqual([]);
    letterId = kept.id;

    const one = await api('GET', `/dead-letters/${letterId}`, adminA);
    expect(one.status).toBe(200);
    expect(JSON.parse(one.body.body)).toMatchObject({ externalId: 'tg-poison-1', tenantId: a.tenantId, text: 'POISON: this one cannot be stored' });
  });

  it("another team's admin sees nothing of it, and an agent who is not an admin is refused", async () => {
    expect((await api('GET', '/dead-letters', adminB)).body).toEqual({ items: [], nextCursor: null });
    for (const [method, url] of [['GET', `/dead-letters/${letterId}`], ['POST', `/dead-letters/${letterId}/retry`], ['POST', `/dead-letters/${letterId}/discard`]] as const) {
      const res = await api(method, url, adminB);
      expect(res.status, `${method} ${url}`).toBe(404);
      expect(res.body.error.code).toBe('SB_ERR_NOT_FOUND');
    }
    for (const [method, url] of [['GET', '/dead-letters'], ['GET', `/dead-letters/${letterId}`], ['POST', `/dead-letters/${letterId}/retry`]] as const) {
      const res = await api(method, url, plainA);
      expect(res.status, `${method} ${url}`).toBe(403);
      expect(res.body.error.code).toBe('SB_ERR_FORBIDDEN');
    }
    expect((await api('GET', `/dead-letters/${letterId}`, adminA)).body.status).toBe('dead');
  });

  it('once the cause is gone, Retry stores the message exactly once and the letter shows retried', async () => {
    state.refusing = false;
    const res = await api('POST', `/dead-letters/${letterId}/retry`, adminA);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ id: letterId, status: 'retried', handledBy: a.agentId });

    const [message] = await eventually(async () => {
      const found = await messages(a, 'tg-poison-1');
      return found.length ? found : null;
    }, 10_000, 'the retried message stored');
    expect(message).toMatchObject({ text: 'POISON: this one cannot be stored', applied: true, traceId: poison.traceId });
    await sleep(500); // a second copy would show up by now
    expect(await messages(a, 'tg-poison-1')).toHaveLength(1);

    expect((await api('GET', `/dead-letters/${letterId}`, adminA)).body).toMatchObject({ status: 'retried', handledBy: a.agentId });
    const again = await api('POST', `/dead-letters/${letterId}/retry`, adminA);
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: 'SB_ERR_DEAD_LETTER_SETTLED' });
    expect(again.body.error.message).toMatch(/already retried/);
    expect((await api('POST', `/dead-letters/${letterId}/discard`, adminA)).body.error.code).toBe('SB_ERR_DEAD_LETTER_SETTLED');
    const audit = await api('GET', '/audit?type=deadletter.retried', adminA);
    expect(audit.body.items).toEqual([expect.objectContaining({ agentId: a.agentId, details: expect.objectContaining({ target: letterId }) })]);
  });

  it('an invalid event of the team is discarded once; letters naming no team are in no team’s list but counted', async () => {
    const invalid = { ...inboundMessage(a, { externalId: 'tg-invalid-1' }), kind: 'not-a-kind' };
    await bus.publishInbound(invalid);
    await bus.publishInboundRaw('this is not JSON at all');
    const listed = await eventually(async () => (await api('GET', '/dead-letters?status=dead', adminA)).body.items?.find((l: { preview: string }) => l.preview.includes('tg-invalid-1')), 10_000, 'invalid event listed');
    expect(listed.reason).toMatch(/invalid InboundEvent/);
    expect(listed.deliveryCount).toBe(1);

    const discarded = await api('POST', `/dead-letters/${listed.id}/discard`, adminA);
    expect(discarded.status).toBe(200);
    expect(discarded.body).toMatchObject({ status: 'discarded', handledBy: a.agentId });
    expect((await api('POST', `/dead-letters/${listed.id}/retry`, adminA)).body.error).toMatchObject({ code: 'SB_ERR_DEAD_LETTER_SETTLED', message: expect.stringMatching(/already discarded/) });

    // The letter without a tenant is kept (the operator finds it in the logs and in /metrics), never shown to a team.
    await eventually(async () => /sb_dead_letters_kept_total\{[^}]*owner="none"[^}]*\} 1/.test((await inbox.app.inject({ method: 'GET', url: '/metrics' })).body), 10_000, 'counted');
    const metrics = (await inbox.app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toMatch(/sb_dead_letters_kept_total\{[^}]*owner="team"[^}]*\} 2/);
    for (const token of [adminA, adminB]) {
      const all = (await api('GET', '/dead-letters', token)).body.items as { preview: string }[];
      expect(all.some((l) => l.preview.includes('not JSON'))).toBe(false);
    }
  });

  it('pages newest first with a cursor and filters by status and source', async () => {
    const first = await api('GET', '/dead-letters?limit=1', adminA);
    expect(first.body.items).toHaveLength(1);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await api('GET', `/dead-letters?limit=1&cursor=${first.body.nextCursor}`, adminA);
    expect(second.body.items).toHaveLength(1);
    expect(second.body.items[0].id).not.toBe(first.body.items[0].id);
    expect(second.body.items[0].id).toBe(letterId);
    expect(second.body.nextCursor).toBeNull();
    expect((await api('GET', '/dead-letters?status=retried', adminA)).body.items.map((l: { id: string }) => l.id)).toEqual([letterId]);
    const source = first.body.items[0].source as string;
    const bySource = (await api('GET', `/dead-letters?source=${encodeURIComponent(source)}`, adminA)).body.items as { source: string }[];
    expect(bySource.length).toBeGreaterThan(0);
    expect(bySource.every((l) => l.source === source)).toBe(true);
    expect((await api('GET', '/dead-letters?cursor=not-a-cursor', adminA)).status).toBe(400);
  });
});
