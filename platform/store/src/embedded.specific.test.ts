/** What only the embedded store has: files that survive restarts and kill -9, a lock, compaction. */
import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createStore, DuplicateKeyError, StoreError, type Doc, type DocumentStore } from './index.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Row = Doc & Record<string, any>;

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const child = fileURLToPath(new URL('./fixtures/embedded-child.ts', import.meta.url));

function runChild(mode: 'write' | 'hold', dir: string) {
  const proc = spawn(process.execPath, ['--import', 'tsx', child, mode, dir], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  proc.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) =>
    proc.on('exit', (code, signal) => resolve({ code, signal, stderr })),
  );
  const ready = new Promise<void>((resolve, reject) => {
    proc.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && resolve());
    void exited.then((r) => reject(new Error(`child exited early: ${r.code ?? r.signal} ${r.stderr}`)));
  });
  ready.catch(() => undefined);
  return { proc, exited, ready };
}

const lines = (file: string) => readFileSync(file, 'utf8').split('\n').filter(Boolean).length;

describe('EmbeddedStore', () => {
  let dir: string;
  let store: DocumentStore | undefined;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sb-embedded-'));
  });

  afterEach(async () => {
    await store?.close();
    store = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps documents, Dates and index definitions across close and reopen', async () => {
    store = await createStore({ driver: 'embedded', dir });
    const tickets = store.collection<Row>('tickets');
    const since = new Date('2024-01-01T00:00:00Z');
    await tickets.createIndex({ keys: { tenantId: 1, number: 1 }, unique: true, name: 'ticket_no' });
    await tickets.createIndex({ keys: { ext: 1 }, unique: true, partial: { openedAt: { $gte: since } } });
    await tickets.insertOne({ _id: 'a', tenantId: 't', number: 1, openedAt: new Date('2024-02-01T00:00:00Z'), ext: 'x' });
    await tickets.insertOne({ _id: 'b', tenantId: 't', number: 2, openedAt: new Date('2023-02-01T00:00:00Z'), ext: 'x' });
    await tickets.updateOne({ _id: 'a' }, { $set: { status: 'open' }, $push: { log: 'opened' } });
    await tickets.insertOne({ _id: 'gone', tenantId: 't', number: 3 });
    await tickets.deleteOne({ _id: 'gone' });
    await store.close();

    store = await createStore({ driver: 'embedded', dir });
    const reopened = store.collection<Row>('tickets');
    expect(await reopened.find({}, { sort: { _id: 1 } })).toEqual([
      { _id: 'a', tenantId: 't', number: 1, openedAt: new Date('2024-02-01T00:00:00Z'), ext: 'x', status: 'open', log: ['opened'] },
      { _id: 'b', tenantId: 't', number: 2, openedAt: new Date('2023-02-01T00:00:00Z'), ext: 'x' },
    ]);
    await expect(reopened.insertOne({ _id: 'c', tenantId: 't', number: 1 })).rejects.toMatchObject({ index: 'ticket_no' });
    await expect(
      reopened.insertOne({ _id: 'd', tenantId: 't', number: 4, openedAt: new Date('2024-03-01T00:00:00Z'), ext: 'x' }),
    ).rejects.toBeInstanceOf(DuplicateKeyError);
    await reopened.insertOne({ _id: 'e', tenantId: 't', number: 5, openedAt: new Date('2022-01-01T00:00:00Z'), ext: 'x' });
  });

  it('has every write whose promise resolved after the process was killed with SIGKILL', async () => {
    const { exited } = runChild('write', dir);
    const result = await exited;
    expect(result.signal, result.stderr).toBe('SIGKILL');
    // The killed process left its lock behind; opening takes it over.
    expect(existsSync(join(dir, 'LOCK'))).toBe(true);

    store = await createStore({ driver: 'embedded', dir });
    const messages = store.collection<Row>('messages');
    expect(await messages.countDocuments({ _id: { $regex: '^m' } })).toBe(49);
    expect(await messages.findOne({ _id: 'm8' })).toBeNull();
    expect(await messages.findOne({ _id: 'm7' })).toEqual({ _id: 'm7', n: 7, at: new Date(1_700_000_000_007), text: 'edited' });
    expect(await messages.findOne({ _id: 'counter' })).toEqual({ _id: 'counter', n: 1100 });
    expect(await store.collection<Row>('events').countDocuments({})).toBe(100);
    await expect(messages.insertOne({ _id: 'dup', n: 3 })).rejects.toBeInstanceOf(DuplicateKeyError);
  });

  it('refuses a folder another live store holds, and takes it over once that process is gone', async () => {
    store = await createStore({ driver: 'embedded', dir });
    await expect(createStore({ driver: 'embedded', dir })).rejects.toMatchObject({ code: 'SB_ERR_STORE_LOCKED' });
    await store.close();
    store = undefined;

    const holder = runChild('hold', dir);
    await holder.ready;
    const err = await createStore({ driver: 'embedded', dir }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreError);
    expect((err as StoreError).message).toContain(`process ${holder.proc.pid}`);
    holder.proc.kill('SIGKILL');
    await holder.exited;
    store = await createStore({ driver: 'embedded', dir });
    await store.ping();
  });

  it('survives a torn last line in a datafile', async () => {
    store = await createStore({ driver: 'embedded', dir });
    const items = store.collection<Row>('items');
    for (let i = 0; i < 20; i++) await items.insertOne({ _id: `i${i}`, v: i });
    await store.close();
    appendFileSync(join(dir, 'items.db'), '{"_id":"torn","v":');

    store = await createStore({ driver: 'embedded', dir });
    expect(await store.collection('items').countDocuments({})).toBe(20);
  });

  it('compacts the append-only datafiles on open and on its timer', async () => {
    store = await createStore({ driver: 'embedded', dir, compactEveryMs: 50 });
    const items = store.collection<Row>('items');
    await items.insertOne({ _id: 'a', n: 0 });
    await items.insertOne({ _id: 'b', n: 0 });
    for (let i = 0; i < 30; i++) await items.updateOne({ _id: 'a' }, { $inc: { n: 1 } });
    const file = join(dir, 'items.db');
    const deadline = Date.now() + 5000;
    while (lines(file) > 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(lines(file)).toBe(2);
    await store.close();

    store = await createStore({ driver: 'embedded', dir, compactEveryMs: 60_000 });
    const again = store.collection<Row>('items');
    for (let i = 0; i < 10; i++) await again.updateOne({ _id: 'b' }, { $inc: { n: 1 } });
    expect(lines(file)).toBe(12);
    await store.close();
    store = await createStore({ driver: 'embedded', dir });
    await store.collection('items').countDocuments({});
    expect(lines(file)).toBe(2);
    expect(await store.collection<Row>('items').findOne({ _id: 'b' })).toEqual({ _id: 'b', n: 10 });
  });

  it('keeps every write made between compactions that replace the datafile under its open handle', async () => {
    store = await createStore({ driver: 'embedded', dir, compactEveryMs: 30 });
    const items = store.collection<Row>('items');
    const file = join(dir, 'items.db');
    for (let round = 0; round < 3; round++) {
      await items.insertOne({ _id: `r${round}`, n: 0 });
      for (let i = 0; i < 5; i++) await items.updateOne({ _id: `r${round}` }, { $inc: { n: 1 } });
      // Wait for the timer's compaction (one line per document) before writing again.
      const deadline = Date.now() + 5000;
      while (lines(file) > round + 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      expect(lines(file)).toBe(round + 1);
    }
    await items.updateOne({ _id: 'r0' }, { $set: { last: true } });
    await store.close();
    store = await createStore({ driver: 'embedded', dir });
    const rows = await store.collection<Row>('items').find({}, { sort: { _id: 1 } });
    expect(rows).toEqual([
      { _id: 'r0', n: 5, last: true },
      { _id: 'r1', n: 5 },
      { _id: 'r2', n: 5 },
    ]);
  });

  it('drop removes the files; close makes further calls fail with a coded error', async () => {
    store = await createStore({ driver: 'embedded', dir });
    await store.collection('a').insertOne({ _id: '1' });
    await store.collection('b').createIndex({ keys: { x: 1 } });
    expect(readdirSync(dir).sort()).toEqual(['LOCK', 'a.db', 'b.db', 'b.indexes.json']);
    await store.drop();
    expect(readdirSync(dir)).toEqual(['LOCK']);
    await store.close();
    expect(readdirSync(dir)).toEqual([]);
    await expect(store.collection('a').findOne({})).rejects.toMatchObject({ code: 'SB_ERR_STORE_CLOSED' });
    store = undefined;
  });
});
