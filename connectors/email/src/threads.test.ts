import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStore, type DocumentStore } from '@switchboard/store';
import { TenantCollection, type TenantDoc } from '@switchboard/tenancy';
import { tempDir } from '@switchboard/testkit';
import { baseSubject, EmailThreads, mergeReferences, replySubject, subjectToken } from './threads.js';

let store: DocumentStore;
const data = tempDir('sb-email-threads');
const ctxFor = (tenantId: string) => ({ collection: (name: string) => new TenantCollection(store.collection<TenantDoc>(name), tenantId) as never });

beforeAll(async () => {
  store = await createStore({ driver: 'embedded', dir: data.dir });
});
afterAll(async () => {
  await store.close();
  data.remove();
});

const mail = (over: Partial<{ messageId: string; inReplyTo: string[]; references: string[]; subject: string }>) => ({
  inReplyTo: [],
  references: [],
  subject: 'Where is my order?',
  ...over,
});

describe('email threading', () => {
  it('a reply to a known Message-ID joins its thread; References are searched newest first', async () => {
    const threads = new EmailThreads(ctxFor('t1'), 'acc-1');
    const first = mail({ messageId: 'a1@customer' });
    const key = await threads.resolve(first, 'x');
    await threads.noteInbound(key, first, { address: 'ann@customer' });
    await threads.noteOutbound(key, 'ours-1@shop');
    expect(await threads.resolve(mail({ messageId: 'a2@customer', inReplyTo: ['ours-1@shop'], references: ['unknown@x', 'ours-1@shop'] }), 'y')).toBe(key);
    // Outlook style: only References, and the known id is not the last one.
    expect(await threads.resolve(mail({ messageId: 'a3@customer', references: ['a1@customer', 'lost@elsewhere'] }), 'z')).toBe(key);
  });

  it('replies that arrive before the mail they answer still agree on one thread (the References root)', async () => {
    const threads = new EmailThreads(ctxFor('t1'), 'acc-1');
    const late = await threads.resolve(mail({ messageId: 'c2@x', inReplyTo: ['c1@x'], references: ['root@x', 'c1@x'] }), 'f');
    const original = await threads.resolve(mail({ messageId: 'c1@x', inReplyTo: ['root@x'], references: ['root@x'] }), 'f');
    const root = await threads.resolve(mail({ messageId: 'root@x' }), 'f');
    expect(late).toBe(original);
    expect(root).toBe(original);
  });

  it('falls back to the [#n] token when a client dropped the headers, and numbers threads per tenant', async () => {
    const threads = new EmailThreads(ctxFor('t2'), 'acc-2');
    const first = mail({ messageId: 'm1@c', subject: 'Broken vase' });
    const key = await threads.resolve(first, 'x');
    const thread = await threads.noteInbound(key, first, { address: 'bob@c' });
    expect(thread.number).toBe(1001);
    expect(replySubject(thread)).toBe('Re: Broken vase [#1001]');
    expect(await threads.resolve(mail({ messageId: 'm2@c', subject: 'RE: Broken vase [#1001]' }), 'y')).toBe(key);
    // Another tenant's thread numbers are its own, and its tokens never reach across.
    const other = new EmailThreads(ctxFor('t3'), 'acc-3');
    expect(await other.resolve(mail({ messageId: 'm3@c', subject: 'Re: [#1001]' }), 'z')).not.toBe(key);
  });

  it('a redelivered mail resolves to the thread it was first put in', async () => {
    const threads = new EmailThreads(ctxFor('t4'), 'acc-4');
    const first = mail({ messageId: 'dup@c', subject: 'Hello [#1001]' });
    const key = await threads.resolve(first, 'x');
    await threads.noteInbound(key, first, { address: 'c@c' });
    expect(await threads.resolve(first, 'x')).toBe(key);
    const again = await threads.noteInbound(key, first, { address: 'c@c' });
    expect(again.number).toBe(1001);
  });

  it('our reply answers the newest mail and carries the chain, capped with the root kept', async () => {
    const threads = new EmailThreads(ctxFor('t5'), 'acc-5');
    const first = mail({ messageId: 'r1@c', references: [] });
    const key = await threads.resolve(first, 'x');
    let thread = await threads.noteInbound(key, first, { address: 'd@c', name: 'Dora' });
    await threads.sent(thread, 'o1@shop');
    thread = (await threads.get(key))!;
    expect(thread.lastMessageId).toBe('o1@shop');
    expect(thread.references).toEqual(['r1@c', 'o1@shop']);
    const long = mergeReferences(Array.from({ length: 30 }, (_, i) => `id${i}`), 'new');
    expect(long).toHaveLength(20);
    expect(long[0]).toBe('id0');
    expect(long.at(-1)).toBe('new');
  });

  it('subjects read as people read them', () => {
    expect(baseSubject('Re: RE: Fwd: AW: Ответ: Broken vase [#1042]')).toBe('Broken vase');
    expect(subjectToken('Re: Broken vase [#1042]')).toBe(1042);
    expect(subjectToken('Order #1042')).toBeUndefined();
  });
});
