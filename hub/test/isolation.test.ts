import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io as connect, type Socket } from 'socket.io-client';
import { AGENT_SOCKET_EVENTS } from '@switchboard/inbox-service';
import { sleep } from '@switchboard/testkit';
import { EXEMPT, VALID_BODIES, familyOf, fill, routeKey } from './route-fixtures.js';
import { call, snapshot, startWorld, type RouteEntry, type World } from './world.js';

/**
 * Generated from the route table of the hub and the /agent event list: every route with a path
 * parameter is tried by tenant B (its admin and its all-scopes API key) on tenant A's object.
 */
describe('tenant isolation, generated from the route table', () => {
  let w: World;
  let before: Record<string, unknown[]>;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    w = await startWorld('iso');
    before = await snapshot(w.hub, w.a.tenantId);
  });
  afterAll(async () => {
    sockets.forEach((s) => s.disconnect());
    await w?.close();
  });

  const guarded = () => w.routes.filter((r) => !r.isPublic && !EXEMPT[routeKey(r)]);
  const withParams = () => guarded().filter((r) => r.url.includes(':'));
  const bodyFor = (r: RouteEntry) => {
    if (!r.body) return undefined;
    const make = VALID_BODIES[routeKey(r)];
    if (!make) throw new Error(`${routeKey(r)} has a body schema but no valid body in hub/test/route-fixtures.ts`);
    return make(w.a);
  };

  it('the hub mounts the API and every route with a parameter has a fixture family', () => {
    expect(w.routes.length).toBeGreaterThan(15);
    const uncovered = withParams().filter((r) => !familyOf(r.url)).map(routeKey);
    expect(uncovered).toEqual([]);
  });

  it('every non-public route refuses a request without a token, and one with a forged token, with 401', async () => {
    const failures: string[] = [];
    for (const r of guarded()) {
      const url = fill(r.url, w.a);
      for (const token of [undefined, 'forged.token.value', 'sbk_00000000000000000000000000000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA']) {
        const res = await call(w.app, r.method, url, { ...(token ? { token } : {}), body: bodyFor(r) });
        if (res.status !== 401 || res.body?.error?.code !== 'SB_ERR_UNAUTHORIZED') failures.push(`${routeKey(r)} (${token ?? 'no token'}) → ${res.status}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it("tenant B's admin gets 404 for tenant A's object on every route with a parameter", async () => {
    const failures: string[] = [];
    for (const r of withParams()) {
      const res = await call(w.app, r.method, fill(r.url, w.a), { token: w.b.adminToken, body: bodyFor(r) });
      if (res.status !== 404 || res.body?.error?.code !== 'SB_ERR_NOT_FOUND') failures.push(`${routeKey(r)} → ${res.status} ${JSON.stringify(res.body)}`);
    }
    expect(failures).toEqual([]);
  });

  it("tenant B's all-scopes API key gets 404 for tenant A's object (403 where keys are not allowed at all)", async () => {
    const failures: string[] = [];
    for (const r of withParams()) {
      const res = await call(w.app, r.method, fill(r.url, w.a), { token: w.b.apiKey, body: bodyFor(r) });
      const expected = r.scope ? [404, 'SB_ERR_NOT_FOUND'] : [403, 'SB_ERR_FORBIDDEN'];
      if (res.status !== expected[0] || res.body?.error?.code !== expected[1]) failures.push(`${routeKey(r)} → ${res.status} ${JSON.stringify(res.body)}`);
    }
    expect(failures).toEqual([]);
  });

  it("lists seen by tenant B contain nothing of tenant A's", async () => {
    const leaks: string[] = [];
    const aIds = [w.a.conversationId, w.a.agentId, w.a.adminId, w.a.apiKeyId, w.a.tenantId];
    for (const r of guarded().filter((x) => x.method === 'GET' && !x.url.includes(':'))) {
      for (const token of [w.b.adminToken, w.b.apiKey]) {
        const res = await call(w.app, 'GET', r.url, { token });
        const text = JSON.stringify(res.body);
        for (const id of aIds) if (text.includes(id)) leaks.push(`${r.url} shows ${id}`);
      }
    }
    expect(leaks).toEqual([]);
  });

  it("every /agent socket event refuses tenant A's ids to tenant B, and A's room hears nothing", async () => {
    const open = (token: string) =>
      new Promise<Socket>((resolve, reject) => {
        const s = connect(`${w.url}/agent`, { auth: { token }, transports: ['websocket'], forceNew: true, reconnection: false });
        sockets.push(s);
        s.once('connect', () => resolve(s));
        s.once('connect_error', reject);
      });
    const socketA = await open(w.a.adminToken);
    const heardByA: unknown[] = [];
    expect(await socketA.timeout(5000).emitWithAck('conversation:join', { conversationId: w.a.conversationId })).toMatchObject({ ok: true });
    socketA.onAny((event, payload) => heardByA.push([event, payload]));
    const socketB = await open(w.b.adminToken);
    const events = Object.keys(AGENT_SOCKET_EVENTS);
    expect(events.length).toBeGreaterThan(0);
    for (const event of events) {
      const answer = await socketB.timeout(5000).emitWithAck(event, { conversationId: w.a.conversationId, typing: true, status: 'away' });
      // An event naming no conversation (presence:set) acts on B's own team: A must hear nothing of it, below.
      if (!AGENT_SOCKET_EVENTS[event as keyof typeof AGENT_SOCKET_EVENTS].conversationId) continue;
      expect(answer, event).toEqual({ ok: false, error: { code: 'SB_ERR_NOT_FOUND', message: 'The conversation was not found.' } });
    }
    await sleep(200);
    expect(heardByA).toEqual([]);
  });

  it("changed nothing of tenant A's", async () => {
    expect(await snapshot(w.hub, w.a.tenantId)).toEqual(before);
  });
});
