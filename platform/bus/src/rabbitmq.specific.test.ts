/** Behaviour only the RabbitMQ adapter has: single active consumer across processes, start-up. */
import { afterAll, describe, expect, it } from 'vitest';
import { inboundEvent, waitFor } from './bus.contract.js';
import { createBus, type Bus } from './index.js';
import { RabbitScratch, uniquePrefix } from './testing/rabbitmq-scratch.js';

const rabbit = new RabbitScratch();
afterAll(() => rabbit.cleanup());

describe('RabbitMQ bus', () => {
  it('each partition is active on exactly one instance; the other takes over when it closes', async () => {
    const prefix = uniquePrefix();
    const a = await rabbit.bus({ prefix, partitions: 4, retryDelayMs: 5 });
    const b = await rabbit.bus({ prefix, partitions: 4, retryDelayMs: 5 });
    const handledBy = new Map<number, Set<string>>();
    const log: Array<{ who: string; partition: number; text: string }> = [];
    const consume = (bus: Bus, who: string) =>
      bus.consumeInbound(async (event, delivery) => {
        const partition = Number(delivery.routingKey.split('.')[0]);
        log.push({ who, partition, text: event.text ?? '' });
        const set = handledBy.get(partition) ?? new Set<string>();
        set.add(who);
        handledBy.set(partition, set);
      });
    await consume(a, 'a');
    await consume(b, 'b');
    try {
      for (let i = 0; i < 40; i++) await a.publishInbound(inboundEvent({ threadKey: `thread-${i}`, text: `first-${i}` }));
      await waitFor('the first 40', () => log.length === 40);
      expect([...handledBy.keys()].sort()).toEqual([0, 1, 2, 3]);
      for (const [partition, who] of handledBy) expect(who.size, `partition ${partition}`).toBe(1);
      const firstOwners = new Map([...handledBy].map(([p, who]) => [p, [...who][0]]));

      // Failover: close whichever instance owns partition 0; the survivor gets all of its work.
      const owner0 = firstOwners.get(0);
      const [gone, survivor, survivorName] = owner0 === 'a' ? [a, b, 'b'] : [b, a, 'a'];
      await gone.close();
      handledBy.clear();
      for (let i = 0; i < 40; i++) await survivor.publishInbound(inboundEvent({ threadKey: `thread-${i}`, text: `second-${i}` }));
      await waitFor('the second 40', () => log.length === 80);
      for (const [partition, who] of handledBy) expect([...who], `partition ${partition}`).toEqual([survivorName]);
      expect(handledBy.size).toBe(4);
    } finally {
      await Promise.allSettled([a.close(), b.close()]);
    }
  });

  it('fails start-up with a coded error naming AMQP_URL when the broker cannot be reached', async () => {
    const started = Date.now();
    const error = await createBus({
      driver: 'rabbitmq',
      url: 'amqp://guest:s3cret@127.0.0.1:1',
      partitions: 4,
      prefix: uniquePrefix(),
      connectTimeoutMs: 1_000,
    }).catch((err: unknown) => err);
    expect(error).toMatchObject({ code: 'SB_ERR_BUS_UNREACHABLE', statusCode: 503 });
    expect((error as Error).message).toContain('AMQP_URL');
    expect((error as Error).message).not.toContain('s3cret');
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
