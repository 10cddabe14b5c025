import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bus } from '@switchboard/bus';
import { RabbitScratch, uniquePrefix } from '@switchboard/bus/testing';
import type { InboundEvent } from '@switchboard/contracts';
import { eventually, sleep, tempDir, testAmqpUrl } from '@switchboard/testkit';
import { Repositories } from '../../src/repositories/index.js';
import type { SeededTenant } from '../harness.js';
import { ApiReader, burstEvent, deleteQueues, openStore, queuesOf, seedStore, startInboxProcess, type InboxProcess } from './inbox-process.js';

const EVENTS = 10_000;
const CONVERSATIONS = 50;
const PER_CONVERSATION = EVENTS / CONVERSATIONS;
const PARTITIONS = 8;
/** The connector's load shedding: at most ~2,000 events wait, so the burst is still arriving at the kill. */
const MAX_BACKLOG = 250;

/**
 * "Nothing lost": a connector publishes a burst of 10,000 inbound messages (50 conversations) to
 * RabbitMQ while the inbox service (a real process on the embedded store) is killed with SIGKILL
 * in the middle of storing them, the connector still publishing, and started again on the same
 * data folder. Afterwards the store
 * holds every message exactly once, each conversation in publish order.
 */
describe('inbox service killed with SIGKILL in the middle of a 10,000-message burst', () => {
  const prefix = uniquePrefix();
  const data = tempDir('sb-crash-burst');
  const scratch = new RabbitScratch();
  const env = { AMQP_URL: testAmqpUrl, BUS_PREFIX: prefix, BUS_PARTITIONS: String(PARTITIONS) };
  const childQueues = new Set<string>();
  let connector: Bus;
  let tenant: SeededTenant;
  let service: InboxProcess | undefined;

  beforeAll(async () => {
    tenant = await seedStore(data.dir, 'crash');
    connector = await scratch.bus({ partitions: PARTITIONS, prefix, maxInboundBacklog: MAX_BACKLOG });
  });

  afterAll(async () => {
    await service?.stop('SIGKILL');
    await connector?.close();
    await scratch.cleanup();
    await deleteQueues(childQueues);
    data.remove();
  });

  const event = (conversation: number, i: number) => burstEvent(tenant, 'burst', conversation, i);

  it('stores every message exactly once and in publish order per conversation', async () => {
    const started = performance.now();
    const starting = startInboxProcess(data.dir, env);

    // The connector starts the burst while the service starts: one publisher per conversation
    // (publish order = i), all conversations at once. While the service is down the work queues
    // back up: the bus then refuses (SB_ERR_BUS_BUSY, a webhook's 503) and, like the channel
    // provider, the connector sends the same event again a little later.
    let published = 0;
    let refused = 0;
    const publish = async (e: InboundEvent) => {
      for (;;) {
        try {
          return await connector.publishInbound(e);
        } catch (err) {
          if ((err as { code?: string }).code !== 'SB_ERR_BUS_BUSY' || performance.now() - started > 170_000) throw err;
          refused++;
          await sleep(250);
        }
      }
    };
    const publishing = Promise.all(
      Array.from({ length: CONVERSATIONS }, async (_, c) => {
        for (let i = 0; i < PER_CONVERSATION; i++) {
          await publish(event(c, i));
          published++;
        }
      }),
    );
    publishing.catch(() => undefined);

    let current = await starting;
    service = current;
    const api = new ApiReader(() => current.url, tenant);
    // Polled every 250 ms: the reads compete with the ingest they watch.
    const storedAtLeast = (n: number) => async () => {
      const sum = await api.lastSeqSum();
      if (sum >= n) return sum;
      await sleep(250);
      return false;
    };

    // Some, but far from all, stored: kill -9.
    const before = await eventually(storedAtLeast(1_000), 40_000, 'first 1,000 messages stored');
    await current.stop('SIGKILL');
    const killedAt = performance.now();
    const publishedAtKill = published;
    expect(before).toBeLessThan(EVENTS);
    expect(publishedAtKill).toBeLessThan(EVENTS);

    current = await startInboxProcess(data.dir, env);
    service = current;
    const restarted = performance.now();
    await publishing;
    const publishedAt = performance.now();
    expect(published).toBe(EVENTS);

    await eventually(storedAtLeast(EVENTS), 60_000, `${EVENTS} messages stored`);
    // …and nothing left to deliver, so a wrongly stored extra copy could not come later.
    await eventually(async () => {
      const depths = await connector.depths();
      return Object.entries(depths).every(([q, n]) => n === 0 || !q.includes('.inbound.work.'));
    }, 30_000, 'work queues drained');
    const done = performance.now();
    for (const q of await queuesOf(current.url, prefix)) childQueues.add(q);
    await current.stop('SIGTERM');
    service = undefined;

    // Now read the store itself.
    const store = await openStore(data.dir);
    try {
      const r = new Repositories(store).forTenant(tenant.tenantId);
      const stored = await r.messages.find({}, { sort: { seq: 1 } });
      expect(stored).toHaveLength(EVENTS);
      expect(new Set(stored.map((m) => m.externalId)).size).toBe(EVENTS);
      expect(stored.every((m) => m.applied)).toBe(true);
      const conversations = await r.conversations.find({});
      expect(conversations).toHaveLength(CONVERSATIONS);
      for (const conv of conversations) {
        const texts = stored.filter((m) => m.conversationId === conv._id).map((m) => m.text);
        const c = Number(conv.threadKey.replace('chat-', ''));
        expect(texts).toEqual(Array.from({ length: PER_CONVERSATION }, (_, i) => `${c}:${i}`));
      }
    } finally {
      await store.close();
    }
    expect((await connector.depths())[`${prefix}.dead`] ?? 0).toBe(0);
    const checked = performance.now();

    const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
    console.info(
      `crash-burst: ${EVENTS} events; killed with ~${before} stored and ${publishedAtKill} published after ${s(killedAt - started)}; restarted in ${s(restarted - killedAt)}; ` +
        `all published after ${s(publishedAt - started)} (${refused} publishes refused as busy and sent again); all stored after ${s(done - started)}; store checked after ${s(checked - started)}`,
    );
  }, 240_000);
});
