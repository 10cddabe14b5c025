import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Socket } from 'socket.io-client';
import { newId } from '@switchboard/contracts';
import { eventually } from '@switchboard/testkit';
import { Repositories } from '../repositories/index.js';
import type { ConversationRecord } from '../repositories/records.js';
import { agentSocket, agentToken, connected, inboundMessage, injectApi, seedTenant, startInstance, type Instance, type SeededTenant } from '../../test/harness.js';

interface Result {
  id: string;
  ok: boolean;
  conversation?: { id: string; status: string; assigneeId: string | null; unreadCount: number };
  error?: { code: string; message: string };
}

describe('POST /api/v1/conversations/bulk', () => {
  let hub: Instance;
  let repos: Repositories;
  let t: SeededTenant;
  let other: SeededTenant;
  let token = '';
  let tg: ConversationRecord[] = [];
  let web: ConversationRecord;
  let foreign: ConversationRecord;
  const sockets: Socket[] = [];

  const bulk = (body: unknown, as = token) => injectApi(hub.app, 'POST', '/conversations/bulk', body, as);
  const results = (res: { body: Record<string, any> }) => res.body.results as Result[];

  beforeAll(async () => {
    hub = await startInstance();
    repos = new Repositories(hub.platform.store);
    t = await seedTenant(repos, 'bulk');
    other = await seedTenant(repos, 'bulk-other');
    token = await agentToken(hub, t);
    for (const threadKey of ['tg-1', 'tg-2', 'tg-3']) await hub.platform.bus.publishInbound(inboundMessage(t, { threadKey }));
    await hub.platform.bus.publishInbound({ ...inboundMessage(t, { threadKey: 'web-visitor' }), channel: 'web', channelAccountId: t.inboxId });
    await hub.platform.bus.publishInbound(inboundMessage(other, { threadKey: 'tg-foreign' }));
    const r = repos.forTenant(t.tenantId);
    tg = await eventually(async () => {
      const found = await r.conversations.find({ channel: 'telegram' }, { sort: { threadKey: 1 } });
      return found.length === 3 ? found : null;
    });
    web = await eventually(() => r.conversations.findOne({ threadKey: 'web-visitor' }));
    foreign = await eventually(() => repos.forTenant(other.tenantId).conversations.findOne({ threadKey: 'tg-foreign' }));
  });

  afterAll(async () => {
    sockets.forEach((s) => s.disconnect());
    await hub?.close();
  });

  it('resolves each conversation, tells the agents live, and reports every id in the order sent', async () => {
    const s = agentSocket(hub.url, token);
    sockets.push(s);
    const heard: string[] = [];
    s.on('conversation:updated', (c: { id: string; status: string }) => c.status === 'resolved' && heard.push(c.id));
    await connected(s);

    const ids = tg.map((c) => c._id);
    const res = await bulk({ ids, action: 'status', status: 'resolved' });
    expect(res.status).toBe(200);
    expect(results(res).map((x) => [x.id, x.ok, x.conversation?.status])).toEqual(ids.map((id) => [id, true, 'resolved']));
    // Each is heard at least once (resolving also sends the CSAT survey link, another update).
    await eventually(() => (new Set(heard).size === 3 ? heard : null));
    expect([...new Set(heard)].sort()).toEqual([...ids].sort());
    for (const id of ids) expect((await injectApi(hub.app, 'GET', `/conversations/${id}`, undefined, token)).body.status).toBe('resolved');

    const reopened = await bulk({ ids, action: 'status', status: 'open' });
    expect(results(reopened).every((x) => x.ok && x.conversation?.status === 'open')).toBe(true);
  });

  it("answers another team's id and an unknown id as not found, per item, and leaves them unchanged", async () => {
    const res = await bulk({ ids: [tg[0]!._id, foreign._id, 'no-such-conversation'], action: 'status', status: 'pending' });
    expect(res.status).toBe(200);
    const [mine, theirs, unknown] = results(res);
    expect(mine).toMatchObject({ ok: true, conversation: { status: 'pending' } });
    expect(theirs).toEqual({ id: foreign._id, ok: false, error: { code: 'SB_ERR_NOT_FOUND', message: 'The conversation was not found.' } });
    expect(unknown).toEqual({ id: 'no-such-conversation', ok: false, error: { code: 'SB_ERR_NOT_FOUND', message: 'The conversation was not found.' } });
    expect(JSON.stringify(theirs)).not.toContain('Olga');
    expect((await repos.forTenant(other.tenantId).conversations.findById(foreign._id))?.status).toBe('open');
  });

  it('an agent limited to some inboxes cannot change a conversation of another inbox', async () => {
    const agentId = newId();
    await repos.forTenant(t.tenantId).agents.insertOne({ _id: agentId, email: `web-${agentId}@example.test`, name: 'Web only', role: 'agent', passwordHash: 'x', inboxIds: [t.inboxId], createdAt: new Date() });
    const webOnly = await hub.platform.tokens.signAccess({ agentId, tenantId: t.tenantId, role: 'agent', name: 'Web only' });
    const res = await bulk({ ids: [web._id, tg[1]!._id], action: 'assign', agentId }, webOnly);
    expect(results(res).map((x) => [x.ok, x.error?.code ?? x.conversation?.assigneeId])).toEqual([
      [true, agentId],
      [false, 'SB_ERR_NOT_FOUND'],
    ]);
    expect((await repos.forTenant(t.tenantId).conversations.findById(tg[1]!._id))?.assigneeId).toBeNull();
  });

  it('assigns, unassigns and marks read', async () => {
    const ids = tg.map((c) => c._id);
    const assigned = await bulk({ ids, action: 'assign', agentId: t.agentId });
    expect(results(assigned).map((x) => x.conversation?.assigneeId)).toEqual([t.agentId, t.agentId, t.agentId]);
    const unassigned = await bulk({ ids, action: 'assign', agentId: null });
    expect(results(unassigned).map((x) => x.conversation?.assigneeId)).toEqual([null, null, null]);
    expect(tg.every((c) => c.unreadCount > 0)).toBe(true);
    const read = await bulk({ ids, action: 'read' });
    expect(results(read).map((x) => x.conversation?.unreadCount)).toEqual([0, 0, 0]);
  });

  it('refuses a request that is wrong as a whole with 400 and a code, changing nothing', async () => {
    const id = tg[2]!._id;
    const cases: [unknown, string][] = [
      [{ ids: [id], action: 'status' }, '/status'],
      [{ ids: [id], action: 'assign' }, '/agentId'],
      [{ ids: [id], action: 'assign', agentId: foreign.assigneeId ?? other.agentId }, '/agentId'],
    ];
    for (const [body, path] of cases) {
      const res = await bulk(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'SB_ERR_VALIDATION', details: { path } });
    }
    for (const body of [{ ids: [], action: 'read' }, { ids: [id, id], action: 'read' }, { ids: Array.from({ length: 101 }, (_, i) => `c${i}`), action: 'read' }, { ids: [id], action: 'delete' }]) {
      const res = await bulk(body);
      expect(res.status, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect(res.body.error.code).toBe('SB_ERR_VALIDATION');
    }
    expect((await repos.forTenant(t.tenantId).conversations.findById(id))?.assigneeId).toBeNull();
  });
});
