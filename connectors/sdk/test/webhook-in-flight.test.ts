/**
 * Load shedding when the process itself is saturated: past `maxWebhooksInFlight` webhooks being
 * handled at once, the next one is answered 503 SB_ERR_WEBHOOK_BUSY with Retry-After at once
 * (the provider retries), instead of every sender waiting longer and longer; /metrics shows the
 * webhooks in flight and the ones shed. The bus's publish is held here to keep webhooks in flight.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBus, type Bus } from '@switchboard/bus';
import { tempDir } from '@switchboard/testkit';
import { startLoopbackHub, type LoopbackHub } from './loopback-hub.js';

const LIMIT = 2;
const data = tempDir('sb-webhook-in-flight');
let bus: Bus;
let hub: LoopbackHub;
let release: () => void = () => undefined;
const held = new Promise<void>((resolve) => (release = resolve));

beforeAll(async () => {
  bus = await createBus({ driver: 'embedded', dir: `${data.dir}/bus`, partitions: 2 });
  const publish = bus.publishInbound.bind(bus);
  bus.publishInbound = async (...args) => {
    await held;
    return publish(...args);
  };
  hub = await startLoopbackHub(data.dir, bus, { maxWebhooksInFlight: LIMIT });
});

afterAll(async () => {
  release();
  await hub?.app.close();
  await hub?.platform.close();
  await bus?.close();
  data.remove();
});

const webhook = (chatId: string) => hub.webhook(chatId);

async function metric(name: string): Promise<string> {
  const text = await (await fetch(`${hub.url}/metrics`)).text();
  return text
    .split('\n')
    .filter((line) => line.startsWith(name))
    .join('\n');
}

describe('webhooks past the in-flight limit of a process', () => {
  it('answers the next one 503 SB_ERR_WEBHOOK_BUSY at once, and takes webhooks again once one is answered', async () => {
    const first = [webhook('chat-a'), webhook('chat-b')];
    const deadline = Date.now() + 10_000;
    while (!(await metric('sb_webhooks_in_flight')).includes(` ${LIMIT}`) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(await metric('sb_webhooks_in_flight')).toMatch(new RegExp(`^sb_webhooks_in_flight\\{[^}]*\\} ${LIMIT}$`, 'm'));

    const refused = await webhook('chat-c');
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('1');
    const body = (await refused.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('SB_ERR_WEBHOOK_BUSY');
    expect(body.error.message).toContain('retry later');
    expect(await metric('sb_webhooks_shed_total')).toMatch(/^sb_webhooks_shed_total\{[^}]*channel="loopback"[^}]*reason="in_flight"[^}]*\} 1$/m);

    release();
    expect((await Promise.all(first)).map((r) => r.status)).toEqual([200, 200]);
    expect(await metric('sb_webhooks_in_flight')).toMatch(/^sb_webhooks_in_flight\{[^}]*\} 0$/m);
    expect((await webhook('chat-c')).status).toBe(200);
  });
});
