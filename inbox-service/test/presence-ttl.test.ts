import { connect, createServer, type AddressInfo, type Server, type Socket as TcpSocket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Socket } from 'socket.io-client';
import { hashPassword } from '@switchboard/auth';
import { newId, type AgentPresenceView } from '@switchboard/contracts';
import { createStore, type DocumentStore } from '@switchboard/store';
import { eventually, sleep, tempDir, testRedisUrl } from '@switchboard/testkit';
import type { Realtime } from '../../agent-console/src/realtime.js';
import { presenceConsole } from './presence-console.js';
import { rooms } from '../src/fanout.js';
import { Repositories } from '../src/repositories/index.js';
import { agentSocket, agentToken, connected, injectApi, seedTenant, startInstance, type Instance, type SeededTenant } from './harness.js';

/**
 * Presence of an agent whose console dies without a goodbye, on real Redis and two inbox
 * instances: the agent's console (the agent-console's own socket module) reaches instance A
 * through a TCP relay that can go silent — a frozen laptop, a cut network: no FIN, no close
 * frame, A still holds the socket. A teammate on instance B must see the agent offline within
 * the presence TTL, not after socket.io's ping timeout (45 s).
 */
const TTL_MS = 1_500;

/** A TCP relay to `target` that can stop passing bytes while keeping both connections open. */
async function relay(target: string): Promise<{ url: string; freeze(): void; close(): Promise<void> }> {
  const { hostname, port } = new URL(target);
  const open: TcpSocket[] = [];
  let frozen = false;
  const server: Server = createServer((client) => {
    const upstream = connect(Number(port), hostname);
    open.push(client, upstream);
    client.on('data', (b) => void (frozen || upstream.write(b)));
    upstream.on('data', (b) => void (frozen || client.write(b)));
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
    client.on('close', () => frozen || upstream.destroy());
    upstream.on('close', () => frozen || client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    freeze: () => void (frozen = true),
    close: async () => {
      for (const s of open) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe('presence: a console gone without a goodbye turns offline within PRESENCE_TTL_MS', () => {
  const data = tempDir('sb-presence-ttl');
  const env = { REDIS_URL: testRedisUrl, PRESENCE_TTL_MS: String(TTL_MS) };
  let store: DocumentStore;
  let a: Instance;
  let b: Instance;
  let tenant: SeededTenant;
  let annId: string;
  let console_: Realtime;
  let teammate: Socket;
  let bridge: Awaited<ReturnType<typeof relay>>;
  const heard: (AgentPresenceView & { at: number })[] = [];

  beforeAll(async () => {
    store = await createStore({ driver: 'embedded', dir: data.dir });
    a = await startInstance(env, { store });
    b = await startInstance(env, { store });
    const repos = new Repositories(store);
    tenant = await seedTenant(repos, 'presence');
    annId = newId();
    await repos.forTenant(tenant.tenantId).agents.insertOne({ _id: annId, email: `ann-${annId.slice(-6)}@example.test`, name: 'Ann', role: 'agent', passwordHash: await hashPassword('ann password'), createdAt: new Date() });

    teammate = agentSocket(b.url, await agentToken(b, tenant, 'Teammate'));
    teammate.on('presence', (p: AgentPresenceView) => heard.push({ ...p, at: Date.now() }));
    await connected(teammate);
    bridge = await relay(a.url);
  });

  afterAll(async () => {
    console_?.stop();
    teammate?.disconnect();
    await bridge?.close();
    // Let A handle the disconnect (it asks B over Redis whether Ann has another console) first.
    await eventually(async () => (await a.realtime.io.of('/agent').fetchSockets()).length === 0, 10_000, 'consoles gone');
    await sleep(300);
    await a?.close();
    await b?.close();
    await store?.close();
    data.remove();
  });

  const annToken = () => a.platform.tokens.signAccess({ agentId: annId, tenantId: tenant.tenantId, role: 'agent', name: 'Ann' });
  const annOnB = async () => {
    const res = await injectApi(b.app, 'GET', '/agents/presence', undefined, await agentToken(b, tenant));
    return (res.body.items as AgentPresenceView[]).find((p) => p.agentId === annId);
  };

  it("stays online while the console's heartbeats arrive, however long past the TTL", async () => {
    const token = await annToken();
    const states: string[] = [];
    console_ = presenceConsole(bridge.url, token, (s) => void states.push(s));
    await eventually(() => heard.find((p) => p.agentId === annId && p.status === 'online'), 10_000, 'teammate hears Ann online');
    expect(states).toContain('live');
    // Three TTLs: only the console's presence:heartbeat (every third of the TTL) keeps her online;
    // socket.io's own ping comes every 25 s.
    await sleep(3 * TTL_MS);
    expect((await annOnB())?.status).toBe('online');
    expect(heard.filter((p) => p.agentId === annId && p.status === 'offline')).toEqual([]);
  });

  it('is shown offline to the team within the TTL once the console falls silent, though its socket is still open', async () => {
    bridge.freeze();
    // A heartbeat the relay passed on just before the freeze may still be read by the server:
    // her last sign of life is at the latest once that moment is over.
    await sleep(200);
    const silentAt = Date.now();
    const offline = await eventually(() => heard.find((p) => p.agentId === annId && p.status === 'offline'), 4 * TTL_MS, 'teammate hears Ann offline');
    // TTL from the last heartbeat, plus one sweep (a quarter of the TTL), plus scheduling slack.
    expect(offline.at - silentAt).toBeLessThan(TTL_MS + TTL_MS / 4 + 1_000);
    // No disconnect told anyone: instance A still holds her socket.
    expect(await a.realtime.io.of('/agent').in(rooms.agent(tenant.tenantId, annId)).fetchSockets()).toHaveLength(1);
    const shown = await annOnB();
    expect(shown?.status).toBe('offline');
    // Offline since her last sign of life, not since the sweep noticed.
    expect(Date.parse(shown!.since!)).toBeLessThanOrEqual(silentAt);
    // Announced once, though both instances sweep.
    await sleep(TTL_MS);
    expect(heard.filter((p) => p.agentId === annId && p.status === 'offline')).toHaveLength(1);
  });
});
