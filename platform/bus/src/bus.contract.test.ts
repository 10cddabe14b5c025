import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { busContract, contractDefaults } from './bus.contract.js';
import { createBus } from './index.js';
import { RabbitScratch } from './testing/rabbitmq-scratch.js';

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

busContract('embedded', async (options) => {
  const dir = await mkdtemp(join(tmpdir(), 'sb-bus-'));
  dirs.push(dir);
  return createBus({ driver: 'embedded', dir, ...contractDefaults, ...options });
});

// RabbitMQ always runs here (TEST_AMQP_URL or the local broker); a unique prefix per bus.
const rabbit = new RabbitScratch();
afterAll(() => rabbit.cleanup());

busContract('rabbitmq', (options) => rabbit.bus({ ...contractDefaults, ...options }));
