import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Socket } from 'socket.io-client';
import { newId, type MessageView, type WidgetSession } from '@switchboard/contracts';
import { eventually, sleep } from '@switchboard/testkit';
import { Repositories } from '../src/repositories/index.js';
import { agentSocket, agentToken, connected, emitAck, injectApi, seedTenant, startInstance, widgetSocket, type Instance, type SeededTenant } from './harness.js';

type AckResult<T> = { ok: true; data: T } | { ok: false; error: { code: string; message: string } };

/**
 * Read receipts from the website: the widget's `messages:read { upToSeq }` turns the agents'
 * replies up to that seq from "sent" into "read", and the consoles hear it as message:updated.
 */
describe('widget read receipts reach the agents', () => {
  let hub: Instance;
  let repos: Repositories;
  let t: SeededTenant;
  let token = '';
  const sockets: Socket[] = [];

  const open = async (s: Socket) => {
    sockets.push(s);
    await connected(s);
    return s;
  };
  const read = (s: Socket, upToSeq: unknown) => emitAck<AckResult<{ marked: number }>>(s, 'messages:read', { upToSeq });
  const reply = async (conversationId: string, text: string): Promise<MessageView> => {
    const res = await injectApi(hub.app, 'POST', `/conversations/${conversationId}/messages`, { text, idempotencyKey: `seen-${newId()}` }, token);
    expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
    const stored = await eventually(async () => {
      const m = await repos.forTenant(t.tenantId).messages.findOne({ conversationId, direction: 'out', text });
      return m?.status === 'sent' ? m : null;
    }, 10_000, `"${text}" sent to the chat`);
    return { ...(res.body as MessageView), id: stored._id, seq: stored.seq };
  };
  const statusOf = async (id: string) => (await repos.forTenant(t.tenantId).messages.findById(id))?.status;

  beforeAll(async () => {
    hub = await startInstance();
    repos = new Repositories(hub.platform.store);
    t = await seedTenant(repos, 'seen');
    token = await agentToken(hub, t);
  });
  afterAll(async () => {
    sockets.forEach((s) => s.disconnect());
    await hub.close();
  });

  it('the replies the visitor read become "read" for the consoles; later ones stay "sent"; a second read changes nothing', async () => {
    const visitor = await open(widgetSocket(hub.url, t.widgetToken));
    const session = await emitAck<AckResult<WidgetSession>>(visitor, 'session:resume', {});
    expect(session.ok).toBe(true);
    expect((await emitAck<AckResult<unknown>>(visitor, 'message:send', { clientId: newId(), text: 'Is my order on its way?' })).ok).toBe(true);
    const conversationId = await eventually(async () => (await repos.forTenant(t.tenantId).messages.findOne({ text: 'Is my order on its way?' }))?.conversationId, 10_000, 'the visitor message is stored');

    const agent = await open(agentSocket(hub.url, token));
    const readUpdates: MessageView[] = [];
    agent.on('message:updated', (m: MessageView) => {
      if (m.status === 'read') readUpdates.push(m);
    });

    const first = await reply(conversationId, 'It left the warehouse today.');
    const second = await reply(conversationId, 'Tracking number follows.');
    expect(second.seq).toBeGreaterThan(first.seq);

    // The visitor saw the first reply only.
    expect(await read(visitor, first.seq)).toEqual({ ok: true, data: { marked: 1 } });
    const got = await eventually(() => readUpdates[0], 5000, 'message:updated (read) reached the agent');
    expect(got).toMatchObject({ id: first.id, conversationId, direction: 'out', status: 'read', text: 'It left the warehouse today.' });
    expect(await statusOf(first.id)).toBe('read');
    expect(await statusOf(second.id)).toBe('sent');

    // The same mark again (another tab, a reconnect): nothing changes, nothing is emitted.
    expect(await read(visitor, first.seq)).toEqual({ ok: true, data: { marked: 0 } });
    await sleep(300);
    expect(readUpdates).toHaveLength(1);

    // Then everything: the second reply turns read; a mark past the end is capped, never harmful.
    expect(await read(visitor, second.seq + 50)).toEqual({ ok: true, data: { marked: 1 } });
    await eventually(() => readUpdates.length === 2, 5000, 'the second reply read');
    expect(readUpdates[1]).toMatchObject({ id: second.id, status: 'read' });
    expect(await statusOf(second.id)).toBe('read');
    expect((await repos.forTenant(t.tenantId).conversations.findById(conversationId))?.contactReadSeq).toBe(second.seq);
  });

  it('a failed reply stays failed, and an older mark never turns a read reply back', async () => {
    const visitor = await open(widgetSocket(hub.url, t.widgetToken));
    await emitAck(visitor, 'session:resume', {});
    expect((await emitAck<AckResult<unknown>>(visitor, 'message:send', { clientId: newId(), text: 'Second visitor here' })).ok).toBe(true);
    const conversationId = await eventually(async () => (await repos.forTenant(t.tenantId).messages.findOne({ text: 'Second visitor here' }))?.conversationId, 10_000, 'the visitor message is stored');
    const ok = await reply(conversationId, 'Hello second visitor');
    const bad = await reply(conversationId, 'This one failed');
    // A website reply fails when its email copy cannot be queued; it is set here as that path stores it.
    await repos.forTenant(t.tenantId).messages.updateOne({ _id: bad.id }, { $set: { status: 'failed', error: 'The email copy could not be queued.' } });

    expect(await read(visitor, bad.seq)).toEqual({ ok: true, data: { marked: 1 } });
    expect(await statusOf(ok.id)).toBe('read');
    expect(await statusOf(bad.id)).toBe('failed');
    expect(await read(visitor, 0)).toEqual({ ok: true, data: { marked: 0 } });
    expect(await statusOf(ok.id)).toBe('read');
  });

  it('a bad upToSeq is refused with a code', async () => {
    const visitor = await open(widgetSocket(hub.url, t.widgetToken));
    for (const bad of [-1, 1.5, '3', null, Number.NaN]) {
      const res = await read(visitor, bad);
      expect(res.ok, String(bad)).toBe(false);
      if (!res.ok) expect(res.error.code).toBe('SB_ERR_VALIDATION');
    }
    // A visitor without a conversation yet has nothing to mark.
    expect(await read(visitor, 5)).toEqual({ ok: true, data: { marked: 0 } });
  });
});
