import { cpSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBus, topology, type Bus } from '@switchboard/bus';
import { RabbitScratch, uniquePrefix } from '@switchboard/bus/testing';
import type { MessageView } from '@switchboard/contracts';
import { eventually, sleep, tempDir, testAmqpUrl } from '@switchboard/testkit';
import { startInstance, type SeededTenant } from '../harness.js';
import { ApiReader, burstEvent, counterOf, deleteQueues, purgeQueues, queuesOf, runReplayCli, seedStore } from './inbox-process.js';

/**
 * `npm run replay` (scripts/replay.ts, spawned as a process) against a running inbox service on
 * the same bus and store: replaying what was already stored changes nothing; replaying what the
 * work queues lost, or what a store restored from a backup misses, makes the store complete again.
 * The service runs in this process (the kill -9 test, crash-burst.test.ts, needs a child; this one
 * does not, and a child start costs ~8 s on a busy 2-core machine).
 */

interface Service {
  url: string;
  stop(): Promise<void>;
}

/** The inbox service on `dataDir` (embedded store; the bus from `env`, else the journal there). */
async function startService(dataDir: string, env: Record<string, string>): Promise<Service> {
  const instance = await startInstance({ DATA_DIR: dataDir, ...env });
  return { url: instance.url, stop: () => instance.close() };
}

const event = (tenant: SeededTenant, conversation: number, i: number) => burstEvent(tenant, 'replay', conversation, i);

/** Publishes messages first..last-1 of each conversation, each conversation in order. */
async function publish(bus: Bus, tenant: SeededTenant, conversations: number, first: number, last: number): Promise<void> {
  await Promise.all(
    Array.from({ length: conversations }, async (_, c) => {
      for (let i = first; i < last; i++) await bus.publishInbound(event(tenant, c, i));
    }),
  );
}

const total = (messages: Map<string, MessageView[]>) => [...messages.values()].reduce((n, m) => n + m.length, 0);

/** Every conversation holds "<c>:0" … "<c>:<n-1>" exactly once, in seq order. */
function expectComplete(messages: Map<string, MessageView[]>, conversations: number, perConversation: number): void {
  expect(messages.size).toBe(conversations);
  const seen = new Set<number>();
  for (const list of messages.values()) {
    const c = Number(list[0]?.text?.split(':')[0]);
    seen.add(c);
    expect([...list].sort((a, b) => a.seq - b.seq).map((m) => m.text)).toEqual(Array.from({ length: perConversation }, (_, i) => `${c}:${i}`));
  }
  expect(seen.size).toBe(conversations);
}

async function settle(api: ApiReader, expected: number): Promise<Map<string, MessageView[]>> {
  let messages = new Map<string, MessageView[]>();
  await eventually(
    async () => {
      messages = await api.messages();
      return total(messages) >= expected;
    },
    30_000,
    `${expected} messages readable through the API`,
  );
  return messages;
}

describe('npm run replay on RabbitMQ', () => {
  const CONVERSATIONS = 10;
  const prefix = uniquePrefix();
  const data = tempDir('sb-replay-rabbit');
  const scratch = new RabbitScratch();
  const env = { AMQP_URL: testAmqpUrl, BUS_PREFIX: prefix, BUS_PARTITIONS: '4' };
  const childQueues = new Set<string>();
  let connector: Bus;
  let tenant: SeededTenant;
  let service: Service | undefined;
  let api: ApiReader;
  let from: Date;

  const start = async () => {
    service = await startService(data.dir, env);
    return service;
  };

  beforeAll(async () => {
    tenant = await seedStore(data.dir, 'replay');
    connector = await scratch.bus({ partitions: 4, prefix });
    await start();
    api = new ApiReader(() => service!.url, tenant);
    from = new Date(Date.now() - 1000);
  }, 90_000);

  afterAll(async () => {
    if (service) for (const q of await queuesOf(service.url, prefix).catch(() => [])) childQueues.add(q);
    await service?.stop();
    await connector?.close();
    await scratch.cleanup();
    await deleteQueues(childQueues);
    data.remove();
  });

  it('leaves the store unchanged when everything was already processed', async () => {
    await publish(connector, tenant, CONVERSATIONS, 0, 20);
    const before = await settle(api, 200);
    expectComplete(before, CONVERSATIONS, 20);
    const conversationsBefore = (await api.conversations()).map((c) => ({ id: c.id, lastSeq: c.lastSeq, unreadCount: c.unreadCount }));
    const duplicates = await counterOf(service!.url, 'sb_inbound_duplicates_total');

    const run = await runReplayCli(['--from', from.toISOString()], env);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/replayed 200 inbound events into the work queues in \d+\.\d s/);

    // The service recognises each replayed event as stored.
    await eventually(async () => (await counterOf(service!.url, 'sb_inbound_duplicates_total')) - duplicates === 200, 30_000, '200 replayed duplicates handled');
    const after = await new ApiReader(() => service!.url, tenant).messages();
    expect(total(after)).toBe(200);
    expect(new Set([...after.values()].flat().map((m) => m.id))).toEqual(new Set([...before.values()].flat().map((m) => m.id)));
    const conversationsAfter = (await api.conversations()).map((c) => ({ id: c.id, lastSeq: c.lastSeq, unreadCount: c.unreadCount }));
    expect(conversationsAfter.sort((a, b) => a.id.localeCompare(b.id))).toEqual(conversationsBefore.sort((a, b) => a.id.localeCompare(b.id)));
  }, 120_000);

  it('stores what the work queues lost while no consumer ran', async () => {
    await service!.stop();
    service = undefined;
    await publish(connector, tenant, CONVERSATIONS, 20, 40);
    const work = Array.from({ length: 4 }, (_, p) => topology(prefix).work(p));
    const queued = await connector.depths();
    expect(work.reduce((n, q) => n + (queued[q] ?? 0), 0)).toBe(200);
    await purgeQueues(work);
    const purged = await connector.depths();
    expect(work.reduce((n, q) => n + (purged[q] ?? 0), 0)).toBe(0);

    await start();
    expect(total(await api.messages())).toBe(200); // the second batch is gone from the work queues

    const run = await runReplayCli(['--from', from.toISOString()], env);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/replayed 400 inbound events/);
    const after = await settle(api, 400);
    expectComplete(after, CONVERSATIONS, 40);
  }, 120_000);

  it('refuses bad arguments with a message and exit code 2', async () => {
    const [noFrom, badTime, reversed] = await Promise.all([
      runReplayCli([], env),
      runReplayCli(['--from', 'yesterday'], env),
      runReplayCli(['--from', '2026-01-02T00:00:00Z', '--to', '2026-01-01T00:00:00Z'], env),
    ]);
    expect(noFrom.code).toBe(2);
    expect(noFrom.stderr).toMatch(/--from is required/);
    expect(badTime.code).toBe(2);
    expect(badTime.stderr).toMatch(/--from must be an ISO 8601 time such as 2026-12-01T08:00:00Z, got "yesterday"/);
    expect(reversed.code).toBe(2);
    expect(reversed.stderr).toMatch(/--to .* is before --from/);
  }, 60_000);
});

describe('npm run replay on the embedded bus', () => {
  const CONVERSATIONS = 5;
  const data = tempDir('sb-replay-embedded');
  const backup = tempDir('sb-replay-backup');
  let tenant: SeededTenant;
  let service: Service | undefined;

  afterAll(async () => {
    await service?.stop();
    data.remove();
    backup.remove();
  });

  it('makes a store restored from an earlier copy complete again', async () => {
    tenant = await seedStore(data.dir, 'replay-embedded');
    const storeDir = path.join(data.dir, 'store');
    cpSync(storeDir, backup.dir, { recursive: true }); // the backup: tenant and inbox, no messages yet
    const from = new Date(Date.now() - 1000);

    // A connector publishes into the journal while the service is down (one process per journal).
    const bus = await createBus({ driver: 'embedded', dir: path.join(data.dir, 'bus'), partitions: 8 });
    await publish(bus, tenant, CONVERSATIONS, 0, 10);
    await sleep(10);
    const middle = new Date();
    await sleep(10);
    await publish(bus, tenant, CONVERSATIONS, 10, 20);
    await bus.close();

    service = await startService(data.dir, {});
    const api = new ApiReader(() => service!.url, tenant);
    // While the service holds the journal, the CLI cannot open it.
    const [stored, locked] = await Promise.all([settle(api, 100), runReplayCli(['--from', from.toISOString()], { DATA_DIR: data.dir })]);
    expectComplete(stored, CONVERSATIONS, 20);
    expect(locked.code).toBe(1);
    expect(locked.stderr).toMatch(/SB_ERR_BUS_LOCKED/);

    await service.stop();
    service = undefined;
    rmSync(storeDir, { recursive: true, force: true });
    cpSync(backup.dir, storeDir, { recursive: true });

    // In two windows: --to bounds the first, the second starts where it ended.
    const first = await runReplayCli(['--from', from.toISOString(), '--to', middle.toISOString()], { DATA_DIR: data.dir });
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/replayed 50 inbound events/);
    const second = await runReplayCli(['--from', middle.toISOString()], { DATA_DIR: data.dir });
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toMatch(/replayed 50 inbound events/);

    service = await startService(data.dir, {});
    expectComplete(await settle(new ApiReader(() => service!.url, tenant), 100), CONVERSATIONS, 20);
  }, 120_000);
});
