/**
 * Presence when a whole inbox-service process dies: the agent's console (the agent-console's own
 * socket module, heartbeats and reconnects included) reaches instance A — a real child process —
 * through a TCP relay standing in for the load balancer. A is killed with SIGKILL: no goodbye,
 * no disconnect handler, its presence entries stay in Redis. A teammate on the surviving instance
 * B must see the agent offline within the presence TTL plus one sweep, and online again once the
 * console reconnects, now to B. Redis is a private redis-server; A and B each have their own
 * embedded store, copied from one seeded store so they know the same tenant and agents.
 */
import { cpSync } from 'node:fs';
import path from 'node:path';
import { createServer, connect, type AddressInfo, type Server, type Socket as TcpSocket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Socket } from 'socket.io-client';
import { hashPassword } from '@switchboard/auth';
import { newId, type AgentPresenceView } from '@switchboard/contracts';
import type { DocumentStore } from '@switchboard/store';
import { eventually, startPrivateRedis, tempDir, type PrivateServer } from '@switchboard/testkit';
import type { ConnectionState, Realtime } from '../../../agent-console/src/realtime.js';
import { presenceConsole } from '../presence-console.js';
import { Repositories } from '../../src/repositories/index.js';
import { agentSocket, agentToken, connected, injectApi, seedTenant, startInstance, type Instance, type SeededTenant } from '../harness.js';
import { openStore, startInboxProcess, type InboxProcess } from './inbox-process.js';

/** Small, so the test takes seconds; heartbeats come every third of it, sweeps every quarter. */
const TTL_MS = 2_000;
const SWEEP_MS = TTL_MS / 4;

/** A TCP relay to one backend at a time, like a load balancer; with none, connections are refused. */
async function balancer(target: string): Promise<{ url: string; route(target: string | null): void; close(): Promise<void> }> {
  let backend: URL | null = new URL(target);
  const open = new Set<TcpSocket>();
  const server: Server = createServer((client) => {
    open.add(client);
    client.on('close', () => open.delete(client));
    if (!backend) return void client.destroy();
    const upstream = connect(Number(backend.port), backend.hostname);
    open.add(upstream);
    upstream.on('close', () => open.delete(upstream));
    client.pipe(upstream);
    upstream.pipe(client);
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    route: (next) => void (backend = next ? new URL(next) : null),
    close: async () => {
      for (const s of open) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe('presence: an inbox-service process killed with SIGKILL', () => {
  const dataA = tempDir('sb-presence-kill-a');
  const dataB = tempDir('sb-presence-kill-b');
  let redis: PrivateServer;
  let storeB: DocumentStore;
  let a: InboxProcess;
  let b: Instance;
  let lb: Awaited<ReturnType<typeof balancer>>;
  let tenant: SeededTenant;
  let annId: string;
  let annConsole: Realtime | undefined;
  let teammate: Socket;
  const states: ConnectionState[] = [];
  const heard: (AgentPresenceView & { at: number })[] = [];

  beforeAll(async () => {
    redis = await startPrivateRedis();
    // One seeded store (the tenant, a teammate and Ann), copied for each instance.
    const seeding = await openStore(dataA.dir);
    try {
      const repos = new Repositories(seeding);
      tenant = await seedTenant(repos, 'presence-kill');
      annId = newId();
      await repos.forTenant(tenant.tenantId).agents.insertOne({ _id: annId, email: `ann-${annId.slice(-6)}@example.test`, name: 'Ann', role: 'agent', passwordHash: await hashPassword('ann password'), createdAt: new Date() });
    } finally {
      await seeding.close();
    }
    cpSync(path.join(dataA.dir, 'store'), path.join(dataB.dir, 'store'), { recursive: true });
    storeB = await openStore(dataB.dir);

    const env = { REDIS_URL: redis.url, PRESENCE_TTL_MS: String(TTL_MS) };
    [a, b] = await Promise.all([startInboxProcess(dataA.dir, env), startInstance(env, { store: storeB })]);
    lb = await balancer(a.url);
    teammate = agentSocket(b.url, await agentToken(b, tenant, 'Teammate'));
    teammate.on('presence', (p: AgentPresenceView) => heard.push({ ...p, at: Date.now() }));
    await connected(teammate);
  }, 60_000);

  afterAll(async () => {
    annConsole?.stop();
    teammate?.disconnect();
    await lb?.close();
    await a?.stop('SIGKILL');
    await b?.close();
    await storeB?.close();
    await redis?.dispose();
    dataA.remove();
    dataB.remove();
  }, 30_000);

  const annOnB = async () => {
    const res = await injectApi(b.app, 'GET', '/agents/presence', undefined, await agentToken(b, tenant));
    expect(res.status).toBe(200);
    return (res.body.items as AgentPresenceView[]).find((p) => p.agentId === annId);
  };
  const heardAnn = (status: string, after = 0) => heard.find((p) => p.agentId === annId && p.status === status && p.at >= after);

  it('shows the agent online on the other instance while her console is on A', async () => {
    const token = await b.platform.tokens.signAccess({ agentId: annId, tenantId: tenant.tenantId, role: 'agent', name: 'Ann' });
    annConsole = presenceConsole(lb.url, token, (s) => void states.push(s));
    await eventually(() => heardAnn('online'), 15_000, 'the teammate on B hears Ann online');
    expect((await annOnB())?.status).toBe('online');
  }, 30_000);

  it('shows her offline on B within the TTL plus one sweep after A is killed, and online again once she reconnects to B', async () => {
    // The balancer has no backend until it notices A is gone: the console keeps retrying.
    lb.route(null);
    const killedAt = Date.now();
    await a.stop('SIGKILL');
    const offline = await eventually(() => heardAnn('offline', killedAt), 4 * TTL_MS + 5_000, 'the teammate on B hears Ann offline');
    const offlineMs = offline.at - killedAt;
    // Her last heartbeat was at most a third of the TTL before the kill; a loaded machine adds slack.
    expect(offlineMs).toBeLessThan(TTL_MS + SWEEP_MS + 2_500);
    const shown = await annOnB();
    expect(shown?.status).toBe('offline');
    // Offline since her last sign of life, not since the sweep noticed.
    expect(Date.parse(shown!.since!)).toBeLessThanOrEqual(killedAt);
    expect(states.at(-1)).not.toBe('live');

    // The balancer now sends everyone to B; the console reconnects by itself.
    const routedAt = Date.now();
    lb.route(b.url);
    await eventually(() => heardAnn('online', routedAt), 20_000, 'the teammate on B hears Ann online again');
    const onlineMs = Date.now() - routedAt;
    expect(states.at(-1)).toBe('live');
    expect((await annOnB())?.status).toBe('online');
    // Told once that she went, by whichever sweeper claimed it (only B's is left).
    expect(heard.filter((p) => p.agentId === annId && p.status === 'offline')).toHaveLength(1);
    console.log(`[presence-kill] TTL ${TTL_MS} ms: offline on B ${offlineMs} ms after the SIGKILL, online again ${onlineMs} ms after rerouting`);
  }, 45_000);
});
