/** Behaviour only the embedded journal has: surviving kill -9, the LOCK, torn lines, compaction. */
import { spawn } from 'node:child_process';
import { appendFile, mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { InboundEvent } from '@switchboard/contracts';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { inboundEvent, sleep, waitFor } from './bus.contract.js';
import { createBus, type Bus } from './index.js';

const dirs: string[] = [];
const open: Bus[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'sb-bus-embedded-'));
  dirs.push(dir);
  return dir;
}
async function embedded(dir: string): Promise<Bus> {
  const bus = await createBus({ driver: 'embedded', dir, partitions: 4, retryDelayMs: 5 });
  open.push(bus);
  return bus;
}
afterEach(async () => {
  await Promise.allSettled(open.splice(0).map((bus) => bus.close()));
});
afterAll(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('embedded bus (journal)', () => {
  it('after kill -9, delivers every unacknowledged message again and no acknowledged one', async () => {
    const dir = await tempDir();
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', fileURLToPath(new URL('./testing/embedded-crash-child.ts', import.meta.url)), dir, '20', '5'],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
    await waitFor('the child to be mid-handler', () => out.includes('READY'), 20_000);
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');

    // Acknowledged = its ack line is on disk. A handler's ack is recorded while the next message of
    // the thread may already be handled, so the kill can come before the last acks of the first 5
    // are written: those come again (at-least-once), the recorded ones never.
    const queues = join(dir, 'queues');
    let recorded = 0;
    for (const file of await readdir(queues)) {
      if (file.endsWith('.acks')) recorded += (await readFile(join(queues, file), 'utf8')).split('\n').filter(Boolean).length;
    }
    expect(recorded).toBeLessThanOrEqual(5);

    const bus = await embedded(dir); // takes over the LOCK of the dead process
    const got: InboundEvent[] = [];
    await bus.consumeInbound(async (event) => {
      got.push(event);
    });
    await waitFor('the unacknowledged events', () => got.length >= 20 - recorded);
    await sleep(50);
    expect(got.map((e) => e.text)).toEqual(Array.from({ length: 20 - recorded }, (_, i) => String(i + recorded)));
  });

  it('close and reopen: pending messages come again, acknowledged ones never', async () => {
    const dir = await tempDir();
    const first = await embedded(dir);
    const events = Array.from({ length: 10 }, (_, i) => inboundEvent({ text: String(i) }));
    for (const event of events) await first.publishInbound(event);
    await first.close();

    const second = await embedded(dir);
    const got: string[] = [];
    await second.consumeInbound(async (event) => {
      got.push(event.id);
    });
    await waitFor('all 10', () => got.length === 10);
    await second.close();

    const third = await embedded(dir);
    let again = 0;
    await third.consumeInbound(async () => {
      again++;
    });
    await sleep(100);
    expect(again).toBe(0);
    expect(got).toEqual(events.map((e) => e.id));
  });

  it('refuses a second bus on the same journal', async () => {
    const dir = await tempDir();
    await embedded(dir);
    await expect(embedded(dir)).rejects.toMatchObject({ code: 'SB_ERR_BUS_LOCKED' });
  });

  it('ignores a torn last line left by a crash mid-write', async () => {
    const dir = await tempDir();
    const first = await embedded(dir);
    await first.publishOutbound({
      id: 'o-1', v: 1, tenantId: 't1', conversationId: 'c', messageId: 'm', channel: 'email',
      channelAccountId: 'a', threadKey: 'x', text: 'hi', idempotencyKey: 'k-1',
    });
    await first.close();
    await appendFile(join(dir, 'queues', 'sb.outbound.email.jsonl'), '{"s":2,"id":"o-2","rk":"em');
    const second = await embedded(dir);
    const got: string[] = [];
    await second.consumeOutbound('email', async (command) => {
      got.push(command.id);
    });
    await waitFor('the intact command', () => got.length === 1);
    expect(got).toEqual(['o-1']);
    expect(await readFile(join(dir, 'queues', 'sb.outbound.email.jsonl'), 'utf8')).not.toContain('"o-2"');
  });

  it('cuts a torn line off the inbound log so the next event is still replayable', async () => {
    const dir = await tempDir();
    const first = await embedded(dir);
    const before = inboundEvent();
    await first.publishInbound(before);
    await first.close();
    await appendFile(join(dir, 'log', 'sb.inbound.log.jsonl'), '{"s":0,"id":"torn","rk":"1.tele');
    const second = await embedded(dir);
    const handled: string[] = [];
    await second.consumeInbound(async (event) => {
      handled.push(event.id);
    });
    await waitFor('the pending event', () => handled.length === 1);
    const after = inboundEvent();
    await second.publishInbound(after);
    await waitFor('the new event', () => handled.length === 2);
    expect(await second.replayInbound({ from: new Date(0) })).toEqual({ replayed: 2 });
    await waitFor('both replayed', () => handled.length === 4);
    expect(handled.slice(2).sort()).toEqual([before.id, after.id].sort());
  });

  it('truncates a fully acknowledged queue journal once it is large (the inbound log is kept)', async () => {
    const dir = await tempDir();
    const bus = await embedded(dir);
    let handled = 0;
    await bus.consumeInbound(async () => {
      handled++;
    });
    // 150 × 8 KB in one partition: past the 1 MB compaction threshold.
    for (let i = 0; i < 150; i++) await bus.publishInbound(inboundEvent({ threadKey: 'chat-big', text: 'x'.repeat(8_000) }));
    await waitFor('all handled', () => handled === 150);
    const size = (file: string) => stat(join(dir, file)).then((s) => s.size, () => 0);
    // 1.2 MB went through one partition. Whether the journal was cut once at the end (0 bytes) or
    // mid-way, whenever the consumer had caught up (the rest stays below the threshold), depends
    // on timing; either way no journal keeps what was acknowledged.
    await waitFor('the work journals to be truncated', async () => {
      const sizes = await Promise.all([0, 1, 2, 3].map((p) => size(`queues/sb.inbound.work.${p}.jsonl`)));
      return sizes.every((n) => n < 1 << 20);
    });
    expect(await size('log/sb.inbound.log.jsonl')).toBeGreaterThan(150 * 8_000);
  });
});
