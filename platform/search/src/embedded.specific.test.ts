/** What only the embedded adapter has: snapshots that survive close, restarts and kill -9; a lock. */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSearchIndex, describeSearch, SearchError, type IndexSchema, type SearchIndex } from './index.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const child = fileURLToPath(new URL('./fixtures/embedded-child.ts', import.meta.url));

const SCHEMA: IndexSchema = { fields: { title: 'text', body: 'text', status: 'keyword', at: 'date' }, boost: { title: 2 } };

async function eventually(check: () => boolean, withinMs = 3000): Promise<boolean> {
  const deadline = Date.now() + withinMs;
  while (Date.now() < deadline) {
    if (check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return check();
}

describe('EmbeddedSearchIndex', () => {
  let dir: string;
  let search: SearchIndex | undefined;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sb-search-embedded-'));
  });

  afterEach(async () => {
    await search?.close().catch(() => undefined);
    search = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  const open = async (flushAfterMs?: number) =>
    (search = await createSearchIndex({ driver: 'embedded', dir, ...(flushAfterMs ? { flushAfterMs } : {}) }));

  it('keeps schemas, documents and deletions across close and reopen', async () => {
    let s = await open();
    await s.ensureIndex('tickets', SCHEMA);
    await s.ensureIndex('articles', { fields: { title: 'text' } });
    await s.indexMany('tickets', [
      { tenantId: 't1', id: 'a', locale: 'en', fields: { title: 'Orders are late', status: 'open', at: new Date(5) } },
      { tenantId: 't1', id: 'gone', locale: 'en', fields: { title: 'Orders removed' } },
      { tenantId: 't2', id: 'b', locale: 'ru', fields: { title: 'Заказы опаздывают', body: 'Срочно' } },
      { tenantId: 't3', id: 'c', locale: 'en', fields: { title: 'Orders of a tenant that leaves' } },
    ]);
    await s.delete('tickets', 't1', 'gone');
    await s.deleteTenant('tickets', 't3');
    await s.index('articles', { tenantId: 't1', id: 'x', locale: 'de', fields: { title: 'Bestellungen' } });
    await s.close();

    s = await open();
    await s.ensureIndex('tickets', SCHEMA);
    const en = await s.query('tickets', { tenantId: 't1', text: 'order' });
    expect(en.hits.map((h) => h.id)).toEqual(['a']);
    expect(en.hits[0]).toMatchObject({ fields: { status: 'open', at: new Date(5) }, highlights: { title: ['<mark>Orders</mark> are late'] } });
    expect((await s.query('tickets', { tenantId: 't2', text: 'заказ' })).hits.map((h) => h.id)).toEqual(['b']);
    expect((await s.query('tickets', { tenantId: 't3', text: '' })).total).toBe(0);
    expect((await s.query('articles', { tenantId: 't1', text: 'bestellung' })).total).toBe(1);
    await expect(s.ensureIndex('tickets', { fields: { title: 'text' } })).rejects.toMatchObject({ code: 'SB_ERR_SEARCH_SCHEMA_CONFLICT' });

    // Writes after a reopen persist too (the engine was loaded, not rebuilt).
    await s.index('tickets', { tenantId: 't1', id: 'd', locale: 'en', fields: { title: 'More orders' } });
    await s.reset('articles', { fields: { name: 'text' } });
    await s.close();
    s = await open();
    expect((await s.query('tickets', { tenantId: 't1', text: 'orders' })).total).toBe(2);
    await s.ensureIndex('articles', { fields: { name: 'text' } });
    expect((await s.query('articles', { tenantId: 't1', text: '' })).total).toBe(0);
  });

  it('writes a snapshot after the debounce without close, atomically, with a timer that lets Node exit', async () => {
    const s = await open(50);
    await s.ensureIndex('kb', { fields: { title: 'text' } });
    const file = join(dir, 'kb.json');
    await s.index('kb', { tenantId: 't1', id: 'a', locale: 'en', fields: { title: 'First' } });
    expect(existsSync(file) && readFileSync(file, 'utf8').includes('First')).toBe(false);
    expect((s as unknown as { timer: NodeJS.Timeout }).timer.hasRef()).toBe(false);
    expect(await eventually(() => existsSync(file) && readFileSync(file, 'utf8').includes('First'))).toBe(true);
    expect(existsSync(`${file}.tmp`)).toBe(false);
  });

  it('has what was written before the debounce window after kill -9, and loses at most that window', async () => {
    const proc = spawn(process.execPath, ['--import', 'tsx', child, dir], { cwd: repoRoot, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    proc.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const signal = await new Promise<NodeJS.Signals | null>((resolve) => proc.on('exit', (_code, sig) => resolve(sig)));
    expect(signal, stderr).toBe('SIGKILL');
    // The killed process left its lock behind; opening takes it over.
    const s = await open();
    expect((await s.query('kb', { tenantId: 't1', text: 'order' })).hits.map((h) => h.id)).toEqual(['a']);
    expect((await s.query('kb', { tenantId: 't2', text: 'заказы' })).hits.map((h) => h.id)).toEqual(['b']);
    expect((await s.query('kb', { tenantId: 't1', text: 'window' })).total).toBe(0);
  });

  it('rebuilds an engine saved with another field layout from the stored documents', async () => {
    let s = await open();
    await s.ensureIndex('kb', { fields: { title: 'text' } });
    await s.index('kb', { tenantId: 't1', id: 'a', locale: 'ru', fields: { title: 'Возврат заказов' } });
    await s.close();
    const file = join(dir, 'kb.json');
    const snapshot = JSON.parse(readFileSync(file, 'utf8')) as { layout: string; tenants: Record<string, { engine: unknown }> };
    const layout = snapshot.layout;
    snapshot.layout = 'from another version';
    snapshot.tenants.t1!.engine = { garbage: true };
    writeFileSync(file, JSON.stringify(snapshot));

    s = await open();
    const { hits } = await s.query('kb', { tenantId: 't1', text: 'заказ' });
    expect(hits.map((h) => h.highlights)).toEqual([{ title: ['Возврат <mark>заказов</mark>'] }]);
    await s.close();
    expect((JSON.parse(readFileSync(file, 'utf8')) as { layout: string }).layout).toBe(layout);
  });

  it('refuses an unreadable snapshot with a sentence naming the file', async () => {
    writeFileSync(join(dir, 'kb.json'), '{"format": 1, "schema": ');
    const err = await createSearchIndex({ driver: 'embedded', dir }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SearchError);
    expect(err).toMatchObject({ code: 'SB_ERR_SEARCH_UNAVAILABLE', statusCode: 503 });
    expect((err as Error).message).toContain(join(dir, 'kb.json'));
    // The failed open released the folder.
    rmSync(join(dir, 'kb.json'));
    await open();
  });

  it('opens a folder once: a second index on it is SB_ERR_SEARCH_LOCKED', async () => {
    await open();
    await expect(createSearchIndex({ driver: 'embedded', dir })).rejects.toMatchObject({ code: 'SB_ERR_SEARCH_LOCKED' });
    await search!.close();
    expect(existsSync(join(dir, 'LOCK'))).toBe(false);
    await open();
  });

  it('reports a snapshot it cannot write through ping, and retries it', async () => {
    const s = await open(30);
    await s.ensureIndex('kb', { fields: { title: 'text' } });
    await s.ping().catch(() => undefined);
    expect(await eventually(() => existsSync(join(dir, 'kb.json')))).toBe(true);
    mkdirSync(join(dir, 'kb.json.tmp')); // opening the temp file for writing now fails
    await s.index('kb', { tenantId: 't1', id: 'a', locale: 'en', fields: { title: 'Blocked' } });
    let pingError: unknown;
    expect(
      await eventually(() => {
        void s.ping().then(
          () => (pingError = undefined),
          (e: unknown) => (pingError = e),
        );
        return pingError !== undefined;
      }),
    ).toBe(true);
    expect(pingError).toMatchObject({ code: 'SB_ERR_SEARCH_UNAVAILABLE' });
    rmSync(join(dir, 'kb.json.tmp'), { recursive: true });
    expect(await eventually(() => readFileSync(join(dir, 'kb.json'), 'utf8').includes('Blocked'))).toBe(true);
    await s.ping();
  });

  it('says which adapter runs, without secrets', () => {
    expect(describeSearch({ driver: 'embedded', dir: '/data/search' })).toBe('search: embedded under /data/search');
    expect(describeSearch({ driver: 'elasticsearch', url: 'http://elastic:pw@es:9200' })).toBe(
      'search: elasticsearch at http://elastic:***@es:9200 (indices sb-*)',
    );
  });
});
