import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Socket } from 'socket.io-client';
import type { Bus } from '@switchboard/bus';
import { RabbitScratch } from '@switchboard/bus/testing';
import { createStore, type DocumentStore } from '@switchboard/store';
import type { MessageView } from '@switchboard/contracts';
import { eventually, sleep, tempDir, testAmqpUrl, testRedisUrl, uniqueName } from '@switchboard/testkit';
import type { DeadLetterRecord } from '../src/dead-letters/repository.js';
import { Repositories } from '../src/repositories/index.js';
import { agentSocket, agentToken, connected, inboundMessage, seedTenant, startInstance, type Instance, type SeededTenant } from './harness.js';

/**
 * Two inbox-service instances on real RabbitMQ and Redis sharing one store (as they would share
 * MongoDB): an event published twice is stored once and reaches an agent connected to the
 * instance that did not consume it.
 */
describe('inbox-service on RabbitMQ + Redis, two instances', () => {
  const prefix = uniqueName('sbt');
  const data = tempDir('sb-shared-store');
  let store: DocumentStore;
  let busA: Bus;
  let busB: Bus;
  let publisher: Bus;
  let a: Instance;
  let b: Instance;
  let tenant: SeededTenant;
  let socket: Socket;
  const received: MessageView[] = [];
  const env = { AMQP_URL: testAmqpUrl, REDIS_URL: testRedisUrl, BUS_PARTITIONS: '4' };
  const scratch = new RabbitScratch();
  const bus = () => scratch.bus({ partitions: 4, prefix, deliveryLimit: 3, retryDelayMs: 50 });

  beforeAll(async () => {
    store = await createStore({ driver: 'embedded', dir: data.dir });
    [busA, busB, publisher] = await Promise.all([bus(), bus(), bus()]);
    a = await startInstance(env, { store, bus: busA }, { consume: true });
    b = await startInstance(env, { store, bus: busB }, { consume: false });
    const repos = new Repositories(store);
    tenant = await seedTenant(repos, 'multi');
    socket = agentSocket(b.url, await agentToken(b, tenant));
    socket.on('message:new', (m: MessageView) => received.push(m));
    await connected(socket);
  });

  afterAll(async () => {
    socket?.disconnect();
    await a?.close();
    await b?.close();
    await Promise.all([busA, busB, publisher].map((x) => x?.close()));
    await scratch.cleanup();
    await store?.close();
    data.remove();
  });

  it('stores an event published twice once, and the agent on the other instance sees it live', async () => {
    const event = inboundMessage(tenant, { externalId: 'tg-msg-1001', text: 'Is my parcel on its way?' });
    await publisher.publishInbound(event);
    await publisher.publishInbound({ ...event, id: 'another-delivery-id' });

    const r = new Repositories(store).forTenant(tenant.tenantId);
    await eventually(async () => (await r.messages.countDocuments({ externalId: 'tg-msg-1001' })) === 1, 10_000, 'message stored');
    await eventually(() => received.some((m) => m.text === 'Is my parcel on its way?'), 10_000, 'agent on instance B got it');
    await sleep(500); // give a wrongly-stored second copy time to show up
    expect(await r.messages.countDocuments({ externalId: 'tg-msg-1001' })).toBe(1);
    expect(new Set(received.filter((m) => m.text === 'Is my parcel on its way?').map((m) => m.id)).size).toBe(1);
    const [conv] = await r.conversations.find({ threadKey: 'chat-42' });
    expect(conv?.unreadCount).toBe(1);
    expect(conv?.contact.name).toBe('Olga Petrova');
  });

  it('dead-letters a malformed InboundEvent with its reason and stores nothing', async () => {
    const bad = inboundMessage(tenant, { externalId: 'tg-msg-bad' }) as Record<string, unknown>;
    delete bad.tenantId;
    await publisher.publishInbound(bad);
    // The consuming instance keeps every dead letter (inbox-service/src/dead-letters): no tenant in the body, so no team's.
    const letter = await eventually(() => store.collection<DeadLetterRecord>('dead_letters').findOne({ messageId: bad.id as string }), 10_000, 'dead letter kept');
    expect(letter.reason).toMatch(/tenantId/);
    expect(letter.source).toMatch(/inbound/);
    expect(letter.tenantId).toBeNull();
    const r = new Repositories(store).forTenant(tenant.tenantId);
    expect(await r.messages.countDocuments({ externalId: 'tg-msg-bad' })).toBe(0);
  });
});
