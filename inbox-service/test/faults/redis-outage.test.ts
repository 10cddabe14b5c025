/**
 * Redis stopped under two inbox-service instances that share a store and fan out through the
 * socket.io Redis adapter. Redis is a private redis-server (the shared one of the other tests is
 * never touched); RabbitMQ is the shared broker under a scratch prefix. Instance A consumes the
 * inbound work, instance B only serves consoles.
 *
 * While Redis is down: events are still consumed and stored exactly once, the agent's console on
 * A still gets them live over socket.io, a console can still connect, and the REST API still
 * answers (presence with a coded 503). When Redis is back — empty, as after a crash — B's console
 * gets live messages again and the agent shows online again, without restarting anything; and
 * the agent console on B (the console's own store, on a socket that stayed connected throughout)
 * ends up with what was stored on A during the outage: B tells it to `resync` once Redis is back,
 * and it fetches the list and the open conversation after its last seq. Likewise a website
 * visitor's chat (the widget's own chat module) on B gets the reply an agent sent through A.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Socket } from 'socket.io-client';
import type { Bus } from '@switchboard/bus';
import { RabbitScratch } from '@switchboard/bus/testing';
import type { MessageView, ResyncEvent } from '@switchboard/contracts';
import { createStore, type DocumentStore } from '@switchboard/store';
import { eventually, sleep, startPrivateRedis, tempDir, testAmqpUrl, uniqueName, type PrivateServer } from '@switchboard/testkit';
import { ApiClient } from '../../../agent-console/src/api.js';
import { ConsoleStore } from '../../../agent-console/src/console-store.js';
import { createSocketRealtime, type ConnectionState } from '../../../agent-console/src/realtime.js';
import { memoryStorage, writeSession } from '../../../agent-console/src/session.js';
import { WebSocket } from 'ws';
import { createChat, type Chat } from '../../../widget/src/chat.js';
import { memoryStorage as widgetStorage } from '../../../widget/src/storage.js';
import type { WebSocketFactory } from '../../../widget/src/wire.js';
import { Repositories } from '../../src/repositories/index.js';
import { agentSocket, agentToken, connected, inboundMessage, seedTenant, startInstance, type Instance, type SeededTenant } from '../harness.js';

/** Messages per phase. */
const BATCH = 20;
/** Short, so heartbeats (a third of it) come back quickly after Redis does. */
const PRESENCE_TTL_MS = 1_500;

/**
 * A console: records the texts of the messages it is sent live, and says it is there with
 * `presence:heartbeat` every third of the TTL, as the agent console does (answered or not).
 */
async function console_(url: string, token: string): Promise<{ socket: Socket; texts: Set<string> }> {
  const socket = agentSocket(url, token);
  const texts = new Set<string>();
  socket.on('message:new', (m: MessageView) => texts.add(m.text ?? ''));
  await connected(socket);
  const beat = () => void socket.timeout(PRESENCE_TTL_MS).emitWithAck('presence:heartbeat', {}).catch(() => undefined);
  beat();
  const timer = setInterval(beat, PRESENCE_TTL_MS / 3);
  socket.on('disconnect', () => clearInterval(timer));
  return { socket, texts };
}

describe('Redis stopped under two inbox instances', () => {
  const prefix = uniqueName('sbt');
  const data = tempDir('sb-redis-outage');
  const scratch = new RabbitScratch();
  const opened: Socket[] = [];
  let redis: PrivateServer;
  let store: DocumentStore;
  let busA: Bus;
  let busB: Bus;
  let publisher: Bus;
  let a: Instance;
  let b: Instance;
  let tenant: SeededTenant;
  let token: string;
  let onA: { socket: Socket; texts: Set<string> };
  let onB: { socket: Socket; texts: Set<string> };
  /** The agent console's store on B, with chat-0's conversation open. */
  let consoleB: ConsoleStore;
  const consoleStates: ConnectionState[] = [];
  /** REST calls of consoleB: when, and the path. */
  const consoleCalls: Array<{ at: number; path: string }> = [];
  const resyncsOnB: Array<ResyncEvent & { at: number }> = [];
  let chat0 = '';
  /** A visitor on the website, their widget connected to B. */
  let visitor: Chat;
  const visitorStates: string[] = [];
  let webConversation = '';
  let duringStoredAt = 0;

  const publish = async (phase: string) => {
    const texts: string[] = [];
    for (let i = 0; i < BATCH; i++) {
      const text = `${phase} message ${i}`;
      texts.push(text);
      await publisher.publishInbound(inboundMessage(tenant, { externalId: `${phase}-${i}`, threadKey: `chat-${i % 4}`, text }));
    }
    return texts;
  };
  const storedOnce = async (phase: string) => {
    const r = new Repositories(store).forTenant(tenant.tenantId);
    const stored = await eventually(
      async () => {
        const found = await r.messages.find({ externalId: { $in: Array.from({ length: BATCH }, (_, i) => `${phase}-${i}`) } });
        return found.length >= BATCH ? found : undefined;
      },
      15_000,
      `${phase}: ${BATCH} messages stored`,
    );
    await sleep(200); // a wrongly stored second copy would show up by now
    const again = await r.messages.find({ externalId: { $in: stored.map((m) => m.externalId) } });
    expect(again.length).toBe(BATCH);
  };
  const get = async (instance: Instance, path: string) => {
    const res = await fetch(`${instance.url}/api/v1${path}`, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(10_000) });
    return { status: res.status, json: (await res.json()) as any };
  };
  /** Resolves once the agent shows online through `instance`'s REST API; throws what it shows otherwise. */
  const shownOnline = async (instance: Instance) => {
    const { status, json } = await get(instance, '/agents/presence');
    const shown = status === 200 ? (json.items as Array<{ agentId: string; status: string }>).find((p) => p.agentId === tenant.agentId)?.status : `HTTP ${status} ${json.error?.code}`;
    if (shown !== 'online') throw new Error(`the agent shows ${shown}`);
    return true;
  };

  beforeAll(async () => {
    redis = await startPrivateRedis();
    store = await createStore({ driver: 'embedded', dir: data.dir });
    const bus = () => scratch.bus({ partitions: 2, prefix, deliveryLimit: 3, retryDelayMs: 50 });
    [busA, busB, publisher] = await Promise.all([bus(), bus(), bus()]);
    const env = { AMQP_URL: testAmqpUrl, REDIS_URL: redis.url, BUS_PARTITIONS: '2', PRESENCE_TTL_MS: String(PRESENCE_TTL_MS) };
    a = await startInstance(env, { store, bus: busA }, { consume: true });
    b = await startInstance(env, { store, bus: busB }, { consume: false });
    tenant = await seedTenant(new Repositories(store), 'redis-outage');
    token = await agentToken(a, tenant);
    onA = await console_(a.url, token);
    onB = await console_(b.url, token);
    opened.push(onA.socket, onB.socket);
    onB.socket.on('resync', (ev: ResyncEvent) => resyncsOnB.push({ ...ev, at: Date.now() }));

    // The agent console itself (store, REST client and socket module) against instance B.
    const storage = memoryStorage();
    writeSession(storage, { accessToken: token, refreshToken: 'unused', agent: { id: tenant.agentId, tenantId: tenant.tenantId, email: tenant.email, name: 'Agent', role: 'admin' } });
    const api = new ApiClient({
      storage,
      baseUrl: b.url,
      onSignedOut: () => undefined,
      fetch: (input, init) => {
        consoleCalls.push({ at: Date.now(), path: String(input).slice(b.url.length) });
        return fetch(input, { ...init, signal: AbortSignal.timeout(10_000) });
      },
    });
    consoleB = new ConsoleStore({
      api,
      storage,
      createRealtime: () => createSocketRealtime({ origin: b.url, token: () => token, refreshAccess: async () => token }),
      isFocused: () => false,
    });
    consoleB.connection.subscribe((state) => void consoleStates.push(state));
    consoleB.start();
    await eventually(() => consoleB.connection.value === 'live' && consoleB.listLoaded.value, 10_000, 'the console on B is live');

    visitor = createChat({ hubOrigin: b.url, inboxToken: tenant.widgetToken, storage: widgetStorage(), ackTimeoutMs: 5_000, wire: { WebSocket: WebSocket as unknown as WebSocketFactory } });
    visitor.state.subscribe((s) => visitorStates.at(-1) !== s.connection && void visitorStates.push(s.connection));
    visitor.send('Hello from the website');
    await eventually(() => visitor.state.get().messages[0]?.seq === 1 && visitor.state.get().conversationId, 10_000, 'the visitor on B is chatting');
    webConversation = visitor.state.get().conversationId!;
  }, 60_000);

  afterAll(async () => {
    consoleB?.signOut();
    visitor?.close();
    for (const s of opened) s.disconnect();
    await redis?.start().catch(() => undefined); // a clean close of both instances
    await a?.close();
    await b?.close();
    await Promise.all([busA, busB, publisher].map((x) => x?.close()));
    await scratch.cleanup();
    await store?.close();
    await redis?.dispose();
    data.remove();
  }, 60_000);

  it('with Redis up, both instances\' consoles get messages live and the agent shows online', async () => {
    const texts = await publish('before');
    await storedOnce('before');
    await eventually(() => texts.every((t) => onA.texts.has(t) && onB.texts.has(t)), 10_000, 'both consoles got every message');
    await eventually(() => shownOnline(b), 5_000, 'agent online');

    // The console on B opens chat-0's conversation and hears its messages live.
    chat0 = (await new Repositories(store).forTenant(tenant.tenantId).conversations.findOne({ threadKey: 'chat-0' }))!._id;
    await consoleB.open(chat0);
    await eventually(() => texts.filter((t, i) => i % 4 === 0).every((t) => consoleTexts().has(t)), 10_000, 'the console on B shows chat-0');
  });

  it('with Redis down, ingest, storage and the consoles on the consuming instance go on', async () => {
    await redis.stop('SIGKILL');
    const downAt = Date.now();
    const texts = await publish('during');
    await storedOnce('during');
    const storedMs = Date.now() - downAt;
    await eventually(() => texts.every((t) => onA.texts.has(t)), 10_000, 'the console on A got every message');
    const liveMs = Date.now() - downAt;

    // A console opening now still connects and hears what comes next.
    const late = await console_(a.url, token);
    opened.push(late.socket);
    const [extra] = await publishOne('during-late');
    await eventually(() => late.texts.has(extra!) && onA.texts.has(extra!), 10_000, 'the new console got the next message');
    // An agent answers the website visitor through A: the widget on B does not hear it live.
    const reply = await fetch(`${a.url}/api/v1/conversations/${webConversation}/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'Reply during the outage', idempotencyKey: `outage-reply-${prefix}` }),
      signal: AbortSignal.timeout(10_000),
    });
    expect(reply.status).toBe(201);
    duringStoredAt = Date.now();
    // Nothing of it reached B's console live: A's emits to other instances are lost.
    expect([...texts, extra!].filter((t) => consoleTexts().has(t))).toEqual([]);
    expect(visitor.state.get().messages.map((m) => m.text)).toEqual(['Hello from the website']);

    // The REST API answers: conversations as usual, presence with a coded 503.
    const started = Date.now();
    const list = await get(a, '/conversations?status=all&limit=50');
    expect(list.status).toBe(200);
    expect(list.json.items.length).toBeGreaterThan(0);
    const presence = await get(a, '/agents/presence');
    expect(presence.status).toBe(503);
    expect(presence.json.error.code).toBe('SB_ERR_UNAVAILABLE');
    const restMs = Date.now() - started;
    console.log(`[redis-outage] Redis down: ${BATCH} stored ${storedMs} ms after the kill, live on A by ${liveMs} ms; two REST calls ${restMs} ms`);
    expect(restMs).toBeLessThan(5_000);
  }, 45_000);

  it('with Redis back, cross-instance fan-out and presence resume by themselves', async () => {
    const backAt = Date.now();
    await redis.start();

    // B tells its consoles to resync; the console on B, connected throughout, fetches what it missed.
    const r = new Repositories(store).forTenant(tenant.tenantId);
    const missed = (await r.messages.find({ conversationId: chat0 })).map((m) => m.text ?? '').filter((t) => t.startsWith('during'));
    expect(missed.length).toBe(BATCH / 4 + 1);
    await eventually(() => missed.every((t) => consoleTexts().has(t)), 15_000, "the console on B shows chat-0's messages stored during the outage");
    const resyncMs = Date.now() - backAt;
    const [resync] = resyncsOnB;
    expect(resync).toBeDefined();
    expect(Date.parse(resync!.since)).toBeLessThanOrEqual(duringStoredAt);
    expect(Date.parse(resync!.until)).toBeGreaterThanOrEqual(backAt);
    expect(consoleCalls.some((c) => c.at >= resync!.at - 50 && c.path.startsWith(`/api/v1/conversations/${chat0}/messages?afterSeq=`))).toBe(true);
    // The list too: every conversation shows its last message of the outage.
    for (const conv of await r.conversations.find({})) {
      await eventually(() => (consoleB.conversations.value.find((c) => c.id === conv._id)?.lastSeq ?? 0) >= conv.lastSeq, 5_000, `the list shows ${conv.threadKey} up to seq ${conv.lastSeq}`);
    }
    // Caught up without a reconnect.
    expect(consoleStates.slice(consoleStates.indexOf('live'))).toEqual(['live']);
    // The visitor too (each widget waits up to 3 s, so a busy hub is not asked by all at once).
    await eventually(() => visitor.state.get().messages.some((m) => m.text === 'Reply during the outage'), 10_000, 'the visitor on B shows the reply sent during the outage');
    expect(visitorStates.slice(visitorStates.indexOf('online'))).toEqual(['online']);

    await eventually(() => shownOnline(b), 10_000, 'agent online again');
    const presenceMs = Date.now() - backAt;
    // Publish until B's console hears one live: the adapter's subscriber resubscribes by itself.
    let round = 0;
    await eventually(
      async () => {
        const [text] = await publishOne(`after-probe-${round++}`);
        await sleep(200);
        return onB.texts.has(text!);
      },
      15_000,
      'the console on B hears live messages again',
    );
    const fanoutMs = Date.now() - backAt;
    const texts = await publish('after');
    await storedOnce('after');
    await eventually(() => texts.every((t) => onA.texts.has(t) && onB.texts.has(t)), 10_000, 'both consoles got every message');
    // Both instances lost Redis: each told its own consoles, none was told twice.
    expect(resyncsOnB).toHaveLength(1);
    console.log(`[redis-outage] Redis back: console on B resynced after ${resyncMs} ms, presence online again after ${presenceMs} ms, fan-out to B after ${fanoutMs} ms (${round} probes)`);
  }, 45_000);

  function consoleTexts(): Set<string> {
    return new Set((consoleB.thread.value?.conversationId === chat0 ? consoleB.thread.value.messages : []).map((m) => m.text ?? ''));
  }

  async function publishOne(externalId: string): Promise<string[]> {
    const text = `${externalId} message`;
    await publisher.publishInbound(inboundMessage(tenant, { externalId, threadKey: 'chat-0', text }));
    return [text];
  }
});
