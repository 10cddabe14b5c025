import { describe, expect, it } from 'vitest';
import { deadLetterApi, type DeadLetter } from './dead-letters.js';

const letter: DeadLetter = { id: 'l-1', source: 'sb.inbound.work.3', reason: 'boom', deadAt: '2026-01-01T10:00:00.000Z', preview: '{}' };

describe('dead letters in the console', () => {
  it('lists the letters still waiting, the largest page the API gives', async () => {
    const calls: string[] = [];
    const api = deadLetterApi({ call: async <T>(method: string, path: string) => (calls.push(`${method} ${path}`), { items: [letter], nextCursor: null } as T) });
    expect(await api.waiting()).toEqual([letter]);
    expect(calls).toEqual(['GET /api/v1/dead-letters?status=dead&limit=200']);
  });

  it('retries and discards one by its id', async () => {
    const calls: string[] = [];
    const api = deadLetterApi({ call: async <T>(method: string, path: string) => (calls.push(`${method} ${path}`), {} as T) });
    await api.settle('l-1', 'retry');
    await api.settle('l-2', 'discard');
    expect(calls).toEqual(['POST /api/v1/dead-letters/l-1/retry', 'POST /api/v1/dead-letters/l-2/discard']);
  });
});
