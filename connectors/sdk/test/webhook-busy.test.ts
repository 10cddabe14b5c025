/**
 * Load shedding at the edge: while a conversation's work partition is backed up, a channel's
 * webhook answers 503 SB_ERR_WEBHOOK_BUSY with Retry-After (the provider retries later) and the
 * backlog shows in /metrics — never a silent, growing queue. Nothing consumes inbound work here
 * (no inbox service is mounted), so the partition only fills.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBus, type Bus } from '@switchboard/bus';
import { tempDir } from '@switchboard/testkit';
import { startLoopbackHub, type LoopbackHub } from './loopback-hub.js';

const LIMIT = 3;
const data = tempDir('sb-webhook-busy');
let bus: Bus;
let hub: LoopbackHub;

beforeAll(async () => {
  bus = await createBus({ driver: 'embedded', dir: `${data.dir}/bus`, partitions: 2, maxInboundBacklog: LIMIT });
  hub = await startLoopbackHub(data.dir, bus);
});

afterAll(async () => {
  await hub?.app.close();
  await hub?.platform.close();
  await bus?.close();
  data.remove();
});

describe('webhook under a backed-up inbound partition', () => {
  it('answers 503 SB_ERR_WEBHOOK_BUSY with Retry-After, and /metrics shows the depth', async () => {
    let accepted = 0;
    let refused: Response | undefined;
    const deadline = Date.now() + 8_000;
    // The bus reads depths at most once a second, so a few more than the limit get in first.
    while (!refused && Date.now() < deadline) {
      const res = await hub.webhook('chat-1');
      if (res.status === 200) accepted++;
      else refused = res;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(refused?.status).toBe(503);
    expect(refused!.headers.get('retry-after')).toBe('1');
    const body = (await refused!.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('SB_ERR_WEBHOOK_BUSY');
    expect(body.error.message).toContain('retry later');
    expect(accepted).toBeGreaterThanOrEqual(LIMIT);

    const metrics = await (await fetch(`${hub.url}/metrics`)).text();
    const depths = [...metrics.matchAll(/^sb_queue_depth\{[^}]*queue="[^"]*\.inbound\.work\.\d+"[^}]*\} (\d+)/gm)].map((m) => Number(m[1]));
    expect(depths.reduce((a, b) => a + b, 0)).toBe(accepted);
    expect(Math.max(...depths)).toBeGreaterThanOrEqual(LIMIT);
  });
});
