import { describe, expect, it } from 'vitest';
import { Metrics } from './index.js';

/** A sample line with these labels (in any order) and value. */
function sample(name: string, labels: Record<string, string>, value: number): RegExp {
  const body = Object.entries(labels).map(([k, v]) => `(?=[^}]*${k}="${v.replace(/\./g, '\\.')}")`).join('');
  return new RegExp(`^${name}\\{${body}[^}]*\\} ${value}$`, 'm');
}

describe('Metrics', () => {
  it('renders stage latencies, counters and queue depths in Prometheus text format', async () => {
    const m = new Metrics({ service: 'test', defaultMetrics: false });
    m.stageSeconds.observe({ stage: 'store', channel: 'web' }, 0.004);
    m.messagesStored.inc({ channel: 'web', direction: 'in' });
    m.watchQueues(async () => ({ 'sb.inbound.work.0': 7 }));
    const { contentType, body } = await m.render();
    expect(contentType).toContain('text/plain');
    expect(body).toMatch(sample('sb_stage_seconds_bucket', { le: '0.005', service: 'test', stage: 'store', channel: 'web' }, 1));
    expect(body).toMatch(sample('sb_messages_stored_total', { service: 'test', channel: 'web', direction: 'in' }, 1));
    expect(body).toMatch(sample('sb_queue_depth', { service: 'test', queue: 'sb.inbound.work.0' }, 7));
  });

  it('keeps the last depths when the broker cannot be read', async () => {
    const m = new Metrics({ service: 'test', defaultMetrics: false });
    let fail = false;
    m.watchQueues(async () => {
      if (fail) throw new Error('down');
      return { q: 3 };
    });
    await m.render();
    fail = true;
    expect((await m.render()).body).toMatch(sample('sb_queue_depth', { service: 'test', queue: 'q' }, 3));
  });
});
