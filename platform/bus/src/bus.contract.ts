/**
 * The one contract suite of the Bus seam, run against every adapter (bus.contract.test.ts).
 * It asserts what a user of the bus notices: what arrives, in which order, what becomes a dead
 * letter with which reason, what comes again.
 */
import { randomUUID } from 'node:crypto';
import type { DomainEvent, InboundEvent, OutboundCommand } from '@switchboard/contracts';
import { afterEach, describe, expect, it } from 'vitest';
import { partitionOf } from './core.js';
import { PermanentFailure, type Bus, type DeadLetter, type Delivery } from './types.js';

/** Settings a test may ask the factory for; anything not given uses the suite's defaults. */
export interface ContractBusOptions {
  partitions?: number;
  deliveryLimit?: number;
  retryDelayMs?: number;
  /** Load shedding: publishInbound refuses while a work partition holds this many (bus default 1000). */
  maxInboundBacklog?: number;
}

/** The suite's defaults; factories apply them (fast retries keep the suite short). */
export const contractDefaults: Required<Omit<ContractBusOptions, 'maxInboundBacklog'>> = { partitions: 4, deliveryLimit: 3, retryDelayMs: 5 };

/** Poll until `check` returns a truthy value; fail with `what` after `timeoutMs`. */
export async function waitFor<T>(what: string, check: () => T | Promise<T>, timeoutMs = 10_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(10);
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function inboundEvent(overrides: Partial<InboundEvent> = {}): InboundEvent {
  const id = randomUUID();
  const now = new Date().toISOString();
  return {
    id,
    v: 1,
    tenantId: 't1',
    channel: 'telegram',
    channelAccountId: 'bot-1',
    kind: 'message',
    externalId: `ext-${id}`,
    threadKey: 'chat-1',
    sender: { externalId: 'u-1', name: 'Ada' },
    text: 'hello',
    sentAt: now,
    receivedAt: now,
    ...overrides,
  };
}

export function outboundCommand(overrides: Partial<OutboundCommand> = {}): OutboundCommand {
  const id = randomUUID();
  return {
    id,
    v: 1,
    tenantId: 't1',
    conversationId: 'c-1',
    messageId: `m-${id}`,
    channel: 'telegram',
    channelAccountId: 'bot-1',
    threadKey: 'chat-1',
    text: 'hi there',
    idempotencyKey: `k-${id}`,
    ...overrides,
  };
}

export function domainEvent(type: string, overrides: Partial<DomainEvent> = {}): DomainEvent {
  return { id: randomUUID(), v: 1, type, tenantId: 't1', at: new Date().toISOString(), data: {}, ...overrides };
}

export function busContract(name: string, makeBus: (options?: ContractBusOptions) => Promise<Bus>): void {
  describe(`Bus contract: ${name}`, () => {
    const open: Bus[] = [];
    const make = async (options?: ContractBusOptions) => {
      const bus = await makeBus({ ...contractDefaults, ...options });
      open.push(bus);
      return bus;
    };
    afterEach(async () => {
      await Promise.allSettled(open.splice(0).map((bus) => bus.close()));
    });

    /** Collect dead letters as they arrive. */
    async function deadLetters(bus: Bus): Promise<DeadLetter[]> {
      const letters: DeadLetter[] = [];
      await bus.consumeDeadLetters(async (letter) => {
        letters.push(letter);
      });
      return letters;
    }

    it('inbound: a published event reaches the handler with its envelope', async () => {
      const bus = await make();
      const got: Array<{ event: InboundEvent; delivery: Delivery }> = [];
      await bus.consumeInbound(async (event, delivery) => {
        got.push({ event, delivery });
      });
      const event = inboundEvent();
      const before = Date.now();
      await bus.publishInbound(event, { traceId: 'trace-123' });
      await waitFor('the event', () => got.length === 1);
      const [{ event: received, delivery }] = got as [{ event: InboundEvent; delivery: Delivery }];
      expect(received).toEqual(event);
      expect(delivery.messageId).toBe(event.id);
      expect(delivery.headers['x-sb-trace-id']).toBe('trace-123');
      expect(delivery.deliveryCount).toBe(1);
      expect(delivery.routingKey).toMatch(/^\d+\.telegram$/);
      expect(delivery.publishedAt.getTime()).toBeGreaterThanOrEqual(before - 1000);
      expect(delivery.publishedAt.getTime()).toBeLessThanOrEqual(Date.now() + 1000);
    });

    it('outbound: a command published before anyone consumes is kept for its channel only', async () => {
      const bus = await make();
      const forTelegram = outboundCommand({ channel: 'telegram' });
      const forSlack = outboundCommand({ channel: 'slack' });
      await bus.publishOutbound(forTelegram);
      await bus.publishOutbound(forSlack);
      const telegram: OutboundCommand[] = [];
      const slack: OutboundCommand[] = [];
      await bus.consumeOutbound('telegram', async (command) => {
        telegram.push(command);
      });
      await bus.consumeOutbound('slack', async (command) => {
        slack.push(command);
      });
      await waitFor('both commands', () => telegram.length === 1 && slack.length === 1);
      expect(telegram).toEqual([forTelegram]);
      expect(slack).toEqual([forSlack]);
    });

    it('events: a subscribed group receives a published domain event', async () => {
      const bus = await make();
      const got: Array<{ event: DomainEvent; delivery: Delivery }> = [];
      await bus.subscribeEvents('indexer', ['#'], async (event, delivery) => {
        got.push({ event, delivery });
      });
      const event = domainEvent('message.created', { data: { conversationId: 'c-1' } });
      await bus.publishEvent(event);
      await waitFor('the event', () => got.length === 1);
      expect(got[0]?.event).toEqual(event);
      expect(got[0]?.delivery.routingKey).toBe('message.created');
    });

    it('keeps publish order per thread (200 events) while other threads interleave, partitions in parallel', async () => {
      const bus = await make();
      const threads = ['chat-A', 'chat-B', 'chat-C', 'chat-D', 'chat-E', 'chat-F'];
      const seen = new Map<string, number[]>();
      const running = new Map<string, number>();
      let inFlight = 0;
      let maxInFlight = 0;
      let overlapWithinThread = false;
      await bus.consumeInbound(async (event) => {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        running.set(event.threadKey, (running.get(event.threadKey) ?? 0) + 1);
        if ((running.get(event.threadKey) ?? 0) > 1) overlapWithinThread = true;
        if (Math.random() < 0.3) await sleep(1);
        else await new Promise((resolve) => setImmediate(resolve));
        const list = seen.get(event.threadKey) ?? [];
        list.push(Number(event.text));
        seen.set(event.threadKey, list);
        running.set(event.threadKey, (running.get(event.threadKey) ?? 1) - 1);
        inFlight--;
      });
      const expected = new Map<string, number[]>();
      let total = 0;
      for (let i = 0; i < 200; i++) {
        // chat-A gets every one of its 200; the others interleave between them.
        const batch = [threads[0] as string, threads[1 + (i % 5)] as string];
        for (const threadKey of batch) {
          const list = expected.get(threadKey) ?? [];
          list.push(list.length);
          expected.set(threadKey, list);
          await bus.publishInbound(inboundEvent({ threadKey, text: String(list.length - 1) }));
          total++;
        }
      }
      await waitFor('every event', () => [...seen.values()].reduce((n, l) => n + l.length, 0) === total, 20_000);
      expect(seen.get('chat-A')).toHaveLength(200);
      for (const [threadKey, list] of expected) expect(seen.get(threadKey), threadKey).toEqual(list);
      expect(overlapWithinThread).toBe(false);
      expect(maxInFlight).toBeGreaterThan(1);
    });

    it('dead-letters a malformed InboundEvent with a reason naming the field; the handler never sees it', async () => {
      const bus = await make();
      const letters = await deadLetters(bus);
      const handled: string[] = [];
      await bus.consumeInbound(async (event) => {
        handled.push(event.id);
      });
      const { tenantId: _dropped, ...malformed } = inboundEvent();
      const valid = inboundEvent();
      await bus.publishInbound(malformed);
      await bus.publishInbound(valid);
      await waitFor('the dead letter and the valid event', () => letters.length === 1 && handled.length === 1);
      expect(handled).toEqual([valid.id]);
      const [letter] = letters as [DeadLetter];
      expect(letter.reason).toMatch(/^invalid InboundEvent: /);
      expect(letter.reason).toContain('tenantId');
      expect(letter.source).toMatch(/\.inbound\.work\.\d+$/);
      expect(JSON.parse(letter.raw)).toEqual(malformed);
      expect(letter.messageId).toBe(malformed.id);
      expect(letter.headers['x-sb-trace-id']).toBeTruthy();
      expect(Math.abs(letter.deadAt.getTime() - Date.now())).toBeLessThan(10_000);
    });

    it('dead-letters unparsable JSON with its raw text', async () => {
      const bus = await make();
      const letters = await deadLetters(bus);
      let handled = 0;
      await bus.consumeInbound(async () => {
        handled++;
      });
      await bus.publishInboundRaw('{"update_id": 7, oops', { channel: 'telegram', partitionKey: { tenantId: 't1', threadKey: 'x' } });
      await waitFor('the dead letter', () => letters.length === 1);
      expect(letters[0]?.reason).toMatch(/^unparsable JSON: /);
      expect(letters[0]?.raw).toBe('{"update_id": 7, oops');
      expect(letters[0]?.routingKey).toMatch(/^\d+\.telegram$/);
      expect(handled).toBe(0);
    });

    it('retries a failing handler up to the delivery limit, then dead-letters it; the partition moves on', async () => {
      const bus = await make({ deliveryLimit: 3 });
      const letters = await deadLetters(bus);
      const poison = inboundEvent({ threadKey: 'chat-P', text: 'poison' });
      const next = inboundEvent({ threadKey: 'chat-P', text: 'next' });
      const attempts: number[] = [];
      const handled: string[] = [];
      await bus.consumeInbound(async (event, delivery) => {
        if (event.id === poison.id) {
          attempts.push(delivery.deliveryCount);
          throw new Error('CRM said 500');
        }
        handled.push(event.id);
      });
      await bus.publishInbound(poison);
      await bus.publishInbound(next);
      await waitFor('the dead letter and the next event', () => letters.length === 1 && handled.length === 1);
      expect(attempts).toEqual([1, 2, 3]);
      expect(letters[0]?.reason).toBe('CRM said 500');
      expect(letters[0]?.messageId).toBe(poison.id);
      expect(handled).toEqual([next.id]);
    });

    it('dead-letters at once on PermanentFailure (outbound too)', async () => {
      const bus = await make();
      const letters = await deadLetters(bus);
      let calls = 0;
      await bus.consumeOutbound('email', async () => {
        calls++;
        throw new PermanentFailure('mailbox does not exist');
      });
      const command = outboundCommand({ channel: 'email' });
      await bus.publishOutbound(command);
      await waitFor('the dead letter', () => letters.length === 1);
      await sleep(50);
      expect(calls).toBe(1);
      expect(letters[0]?.reason).toBe('mailbox does not exist');
      expect(letters[0]?.source).toMatch(/\.outbound\.email$/);
      expect(letters[0]?.routingKey).toBe('email');
      expect(JSON.parse(letters[0]?.raw ?? '')).toEqual(command);
    });

    it('retryDeadLetter feeds a dead letter back to where it came from', async () => {
      const bus = await make();
      const letters = await deadLetters(bus);
      const event = inboundEvent({ threadKey: 'chat-R' });
      const calls: Delivery[] = [];
      const handled: InboundEvent[] = [];
      await bus.consumeInbound(async (received, delivery) => {
        calls.push(delivery);
        if (calls.length === 1) throw new PermanentFailure('contact service down');
        handled.push(received);
      });
      await bus.publishInbound(event);
      await waitFor('the dead letter', () => letters.length === 1);
      await bus.retryDeadLetter(letters[0] as DeadLetter);
      await waitFor('the retried event', () => handled.length === 1);
      expect(handled[0]).toEqual(event);
      expect(calls[1]?.routingKey).toBe(calls[0]?.routingKey);
      expect(calls[1]?.messageId).toBe(event.id);
      expect(calls[1]?.headers['x-sb-trace-id']).toBe(calls[0]?.headers['x-sb-trace-id']);
    });

    it('each event group receives every matching event once; patterns filter', async () => {
      const bus = await make();
      const got: Record<string, string[]> = { search: [], webhooks: [], ticketing: [] };
      await bus.subscribeEvents('search', ['message.*'], async (e) => void got.search?.push(e.type));
      await bus.subscribeEvents('webhooks', ['#'], async (e) => void got.webhooks?.push(e.type));
      await bus.subscribeEvents('ticketing', ['ticket.updated', 'sla.*'], async (e) => void got.ticketing?.push(e.type));
      for (const type of ['message.created', 'ticket.updated', 'message.note.added', 'sla.breached']) {
        await bus.publishEvent(domainEvent(type));
      }
      await waitFor('all groups', () => got.webhooks?.length === 4 && got.search?.length === 1 && got.ticketing?.length === 2);
      await sleep(100);
      expect(got.webhooks).toEqual(['message.created', 'ticket.updated', 'message.note.added', 'sla.breached']);
      expect(got.search).toEqual(['message.created']);
      expect(got.ticketing).toEqual(['ticket.updated', 'sla.breached']);
    });

    it('two consumers of one outbound channel share the work without duplicates', async () => {
      const bus = await make();
      const byConsumer: Record<'a' | 'b', string[]> = { a: [], b: [] };
      const worker = (who: 'a' | 'b') => async (command: OutboundCommand) => {
        byConsumer[who].push(command.id);
        await sleep(3);
      };
      await bus.consumeOutbound('whatsapp', worker('a'), { prefetch: 1 });
      await bus.consumeOutbound('whatsapp', worker('b'), { prefetch: 1 });
      const ids: string[] = [];
      for (let i = 0; i < 40; i++) {
        const command = outboundCommand({ channel: 'whatsapp' });
        ids.push(command.id);
        await bus.publishOutbound(command);
      }
      await waitFor('all commands', () => byConsumer.a.length + byConsumer.b.length >= 40);
      await sleep(50);
      const all = [...byConsumer.a, ...byConsumer.b];
      expect(all).toHaveLength(40);
      expect(new Set(all)).toEqual(new Set(ids));
      expect(byConsumer.a.length).toBeGreaterThan(0);
      expect(byConsumer.b.length).toBeGreaterThan(0);
    });

    it('replayInbound re-delivers exactly the events published since the given time', async () => {
      const bus = await make();
      const handled: string[] = [];
      const replayedFlags: boolean[] = [];
      await bus.consumeInbound(async (event, delivery) => {
        handled.push(event.id);
        replayedFlags.push('x-sb-replayed-at' in delivery.headers);
      });
      const old = inboundEvent({ threadKey: 'chat-old' });
      await bus.publishInbound(old);
      await waitFor('the old event', () => handled.length === 1);
      await sleep(20);
      const from = new Date();
      await sleep(5);
      const recent = [inboundEvent({ threadKey: 'chat-1' }), inboundEvent({ threadKey: 'chat-2' }), inboundEvent({ threadKey: 'chat-1' })];
      for (const event of recent) await bus.publishInbound(event);
      await waitFor('the recent events', () => handled.length === 4);
      const result = await bus.replayInbound({ from });
      expect(result).toEqual({ replayed: 3 });
      await waitFor('the replayed events', () => handled.length === 7);
      await sleep(50);
      expect(handled.slice(4).sort()).toEqual(recent.map((e) => e.id).sort());
      expect(handled).toHaveLength(7);
      expect(replayedFlags.slice(4)).toEqual([true, true, true]);
    });

    it('replayInbound with `to` re-delivers only the events published up to that time', async () => {
      const bus = await make();
      const handled: string[] = [];
      await bus.consumeInbound(async (event) => {
        handled.push(event.id);
      });
      const from = new Date();
      await sleep(5);
      const early = inboundEvent({ threadKey: 'chat-early' });
      await bus.publishInbound(early);
      await sleep(20);
      const to = new Date();
      await sleep(20);
      const late = inboundEvent({ threadKey: 'chat-late' });
      await bus.publishInbound(late);
      await waitFor('both events', () => handled.length === 2);
      expect(await bus.replayInbound({ from, to })).toEqual({ replayed: 1 });
      await waitFor('the replayed event', () => handled.length === 3);
      await sleep(50);
      expect(handled.slice(2)).toEqual([early.id]);
      expect(handled.filter((id) => id === late.id)).toHaveLength(1);
    });

    it('closing a subscription mid-retry hands the message back; it comes again counted', async () => {
      const bus = await make({ retryDelayMs: 60_000, deliveryLimit: 5 });
      const counts: number[] = [];
      const first = await bus.consumeOutbound('slack', async (_command, delivery) => {
        counts.push(delivery.deliveryCount);
        throw new Error('slack is down');
      });
      await bus.publishOutbound(outboundCommand({ channel: 'slack' }));
      await waitFor('the first attempt', () => counts.length === 1);
      const started = Date.now();
      await first.close();
      expect(Date.now() - started).toBeLessThan(5_000); // the back-off did not hold close() up
      const again: number[] = [];
      await bus.consumeOutbound('slack', async (_command, delivery) => {
        again.push(delivery.deliveryCount);
      });
      await waitFor('the redelivery', () => again.length === 1);
      expect(again[0]).toBe(2);
    });

    it('depths() reports waiting messages per queue', async () => {
      const bus = await make();
      for (let i = 0; i < 3; i++) await bus.publishOutbound(outboundCommand({ channel: 'instagram' }));
      const key = await waitFor('the instagram queue to hold 3', async () => {
        const depths = await bus.depths();
        const name = Object.keys(depths).find((k) => k.endsWith('.outbound.instagram'));
        return name && depths[name] === 3 ? name : undefined;
      });
      const depths = await bus.depths();
      expect(Object.keys(depths).filter((k) => /\.inbound\.work\.\d+$/.test(k))).toHaveLength(bus.partitions);
      let handled = 0;
      await bus.consumeOutbound('instagram', async () => {
        handled++;
      });
      await waitFor('the queue to drain', async () => handled === 3 && (await bus.depths())[key] === 0);
    });

    it('sheds load: a backed-up partition answers SB_ERR_BUS_BUSY (503), others still accept, and it accepts again once drained', async () => {
      const bus = await make({ maxInboundBacklog: 5 });
      const busy = inboundEvent({ threadKey: 'chat-busy' });
      const p = partitionOf(busy.tenantId, busy.threadKey, bus.partitions);
      const work = (depths: Record<string, number>) => depths[Object.keys(depths).find((k) => k.endsWith(`.inbound.work.${p}`))!] ?? 0;
      // No consumer yet: the partition fills. The bus reads depths at most once a second, off
      // the publish path, so a few more may be accepted before it notices.
      let accepted = 0;
      const refusal = await waitFor(
        'a publish to be refused',
        async () => {
          try {
            await bus.publishInbound(inboundEvent({ threadKey: 'chat-busy' }));
            accepted++;
            await sleep(50);
            return undefined;
          } catch (err) {
            return err as { code?: string; statusCode?: number; message?: string };
          }
        },
        8_000,
      );
      expect(refusal).toMatchObject({ code: 'SB_ERR_BUS_BUSY', statusCode: 503 });
      expect(refusal.message).toContain('retry later');
      expect(accepted).toBeGreaterThanOrEqual(5);
      expect(work(await bus.depths())).toBe(accepted);
      // Another partition is not held up by this one.
      const other = Array.from({ length: 50 }, (_, i) => `chat-${i}`).find((k) => partitionOf('t1', k, bus.partitions) !== p)!;
      await bus.publishInbound(inboundEvent({ threadKey: other }));
      // Nothing accepted was lost: a consumer gets all of it, and then the partition accepts again.
      const handled = new Set<string>();
      await bus.consumeInbound(async (event) => {
        handled.add(event.id);
      });
      await waitFor('the backlog to drain', async () => handled.size === accepted + 1 && work(await bus.depths()) === 0);
      await waitFor(
        'the partition to accept again',
        async () => {
          try {
            await bus.publishInbound(inboundEvent({ threadKey: 'chat-busy' }));
            return true;
          } catch {
            await sleep(100);
            return false;
          }
        },
        5_000,
      );
    });

    it('refuses to publish an invalid outbound command, and anything after close', async () => {
      const bus = await make();
      await expect(bus.publishOutbound({ ...outboundCommand(), channel: 'pigeon' } as unknown as OutboundCommand)).rejects.toMatchObject({
        code: 'SB_ERR_BUS_INVALID_MESSAGE',
      });
      await bus.close();
      await expect(bus.publishInbound(inboundEvent())).rejects.toMatchObject({ code: 'SB_ERR_BUS_CLOSED' });
    });
  });
}
