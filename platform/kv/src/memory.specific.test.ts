/** What only the memory adapter has: the sweep of expired keys and a timer that lets Node exit. */
import { describe, expect, it } from 'vitest';
import { MemoryKeyValue } from './memory.js';

describe('MemoryKeyValue', () => {
  it('sweeps expired keys nobody reads', async () => {
    const kv = new MemoryKeyValue(20);
    await kv.set('a', '1', { ttlMs: 50 });
    await kv.sadd('b', 'x');
    await kv.expire('b', 50);
    await kv.set('c', 'kept');
    expect(kv.size).toBe(3);
    const deadline = Date.now() + 2000;
    while (kv.size > 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(kv.size).toBe(1);
    expect(await kv.get('c')).toBe('kept');
    await kv.close();
  });

  it('does not keep the process alive, and refuses calls after close', async () => {
    const kv = new MemoryKeyValue(1000);
    expect((kv as unknown as { timer: NodeJS.Timeout }).timer.hasRef()).toBe(false);
    await kv.close();
    await expect(kv.get('a')).rejects.toMatchObject({ code: 'SB_ERR_KV_CLOSED' });
    await expect(kv.ping()).rejects.toMatchObject({ code: 'SB_ERR_KV_CLOSED' });
  });
});
