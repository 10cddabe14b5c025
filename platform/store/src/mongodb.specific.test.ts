/** MongoStore behaviour that needs no server: a configured but unreachable MongoDB fails loudly. */
import { describe, expect, it } from 'vitest';
import { createStore, describeStore, StoreError } from './index.js';

describe('MongoStore without a server', () => {
  it('fails createStore with SB_ERR_STORE_UNAVAILABLE naming MONGODB_URL, without the password', async () => {
    const started = Date.now();
    const err = await createStore({
      driver: 'mongodb',
      url: 'mongodb://sb:secret@127.0.0.1:1/switchboard',
      serverSelectionTimeoutMs: 300,
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreError);
    expect(err).toMatchObject({ code: 'SB_ERR_STORE_UNAVAILABLE', statusCode: 503 });
    expect((err as Error).message).toContain('MONGODB_URL');
    expect((err as Error).message).toContain('mongodb://sb:***@127.0.0.1:1/switchboard');
    expect((err as Error).message).not.toContain('secret');
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('says which adapter runs, without secrets', () => {
    expect(describeStore({ driver: 'mongodb', url: 'mongodb://u:p@db:27017/sb' })).toBe('store: mongodb at mongodb://u:***@db:27017/sb');
    expect(describeStore({ driver: 'embedded', dir: './data/store' })).toBe('store: embedded under ./data/store');
  });
});
