/**
 * Test support for RabbitMQ-backed bus tests: a unique prefix per run and removal of every queue
 * and exchange created under it, so runs never collide or leave topology behind.
 */
import { randomBytes } from 'node:crypto';
import { Connection } from 'rabbitmq-client';
import { createBus } from '../index.js';
import { topology } from '../core.js';
import type { Bus, BusConfig } from '../types.js';

export const testAmqpUrl = process.env.TEST_AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';

export function uniquePrefix(): string {
  return `sbt${randomBytes(4).toString('hex')}`;
}

export class RabbitScratch {
  private readonly prefixes = new Set<string>();
  private readonly queues = new Set<string>();

  /** A RabbitMQ bus whose queues are remembered (at close) for cleanup. */
  async bus(config: Partial<Extract<BusConfig, { driver: 'rabbitmq' }>> & { partitions: number }): Promise<Bus> {
    const prefix = config.prefix ?? uniquePrefix();
    this.prefixes.add(prefix);
    const bus = await createBus({ driver: 'rabbitmq', url: testAmqpUrl, ...config, prefix });
    const close = bus.close.bind(bus);
    bus.close = async () => {
      try {
        for (const name of Object.keys(await bus.depths())) this.queues.add(name);
      } catch {
        // already closed: its queues were recorded then
      }
      await close();
    };
    return bus;
  }

  async cleanup(): Promise<void> {
    const conn = new Connection(testAmqpUrl);
    conn.on('error', () => undefined);
    try {
      await conn.onConnect(5_000);
      for (const prefix of this.prefixes) {
        const names = topology(prefix);
        this.queues.add(names.log);
        for (const exchange of [names.inbound, names.outbound, names.events, names.dead]) {
          await conn.exchangeDelete({ exchange }).catch(() => undefined);
        }
      }
      for (const queue of this.queues) await conn.queueDelete({ queue }).catch(() => undefined);
    } finally {
      await conn.close();
    }
  }
}
