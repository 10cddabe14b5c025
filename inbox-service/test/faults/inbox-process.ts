/**
 * The inbox service as a real child process (inbox-service/src/main.ts), for the fault tests:
 * killed with SIGKILL, restarted on the same DATA_DIR and bus prefix. Also what those tests need
 * around it: seeding the embedded store while no process holds it, reading conversations through
 * the REST API, removing the RabbitMQ queues a service declared, and running `npm run replay`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Connection } from 'rabbitmq-client';
import { TokenService } from '@switchboard/auth';
import type { ConversationView, InboundEvent, MessageView } from '@switchboard/contracts';
import { createStore, type DocumentStore } from '@switchboard/store';
import { eventually, testAmqpUrl } from '@switchboard/testkit';
import { freePort } from '../../../test/support/hub-process.js';
import { Repositories } from '../../src/repositories/index.js';
import { JWT_SECRET, seedTenant, type SeededTenant } from '../harness.js';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export interface InboxProcess {
  url: string;
  output(): string;
  /** SIGKILL (default) or SIGTERM; resolves once the process has exited. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/** `node --import tsx inbox-service/src/main.ts` on `dataDir`, healthy within 60 s. */
export async function startInboxProcess(dataDir: string, env: Record<string, string>): Promise<InboxProcess> {
  const port = await freePort();
  let out = '';
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'inbox-service/src/main.ts'], {
    cwd: root,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/root',
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      DEMO_SEED: 'false',
      JWT_SECRET,
      LOG_LEVEL: 'warn',
      LOG_FORMAT: 'json',
      RATE_LIMIT_AGENT_PER_MIN: '0',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d: Buffer) => (out = (out + d.toString()).slice(-20_000)));
  child.stderr?.on('data', (d: Buffer) => (out = (out + d.toString()).slice(-20_000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  try {
    await eventually(async () => child.exitCode === null && (await fetch(`${url}/readyz`)).ok, 60_000, `inbox service on ${url} ready`);
  } catch (err) {
    child.kill('SIGKILL');
    await exited;
    throw new Error(`${(err as Error).message}\n--- inbox-service output ---\n${out}`);
  }
  return {
    url,
    output: () => out,
    async stop(signal = 'SIGKILL') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}

/** Opens the embedded store under `dataDir` (only while no service process holds it). */
/** Message `i` of customer `conversation` on the tenant's Telegram account; text "<conversation>:<i>". */
export function burstEvent(tenant: SeededTenant, idPrefix: string, conversation: number, i: number): InboundEvent {
  const now = new Date().toISOString();
  return {
    id: `${idPrefix}-${conversation}-${i}`,
    v: 1,
    tenantId: tenant.tenantId,
    channel: 'telegram',
    channelAccountId: tenant.channelAccountId,
    kind: 'message',
    externalId: `tg-${conversation}-${i}`,
    threadKey: `chat-${conversation}`,
    sender: { externalId: `tg-user-${conversation}`, name: `Customer ${conversation}` },
    text: `${conversation}:${i}`,
    sentAt: now,
    receivedAt: now,
  };
}

export function openStore(dataDir: string): Promise<DocumentStore> {
  return createStore({ driver: 'embedded', dir: path.join(dataDir, 'store') });
}

/** A tenant with an admin agent and a Telegram inbox, written before the service starts. */
export async function seedStore(dataDir: string, label: string): Promise<SeededTenant> {
  const store = await openStore(dataDir);
  try {
    return await seedTenant(new Repositories(store), label);
  } finally {
    await store.close();
  }
}

/** Reads a tenant's conversations and messages through the REST API, fetching only what is new. */
export class ApiReader {
  private readonly seen = new Map<string, { afterSeq: number; messages: MessageView[] }>();
  private token: Promise<string>;

  constructor(
    private readonly url: () => string,
    tenant: SeededTenant,
  ) {
    this.token = new TokenService(JWT_SECRET, 3600).signAccess({ agentId: tenant.agentId, tenantId: tenant.tenantId, role: 'admin', name: 'Fault test' });
  }

  private async get<T>(pathAndQuery: string): Promise<T> {
    const res = await fetch(`${this.url()}/api/v1${pathAndQuery}`, { headers: { authorization: `Bearer ${await this.token}` } });
    if (!res.ok) throw new Error(`GET ${pathAndQuery}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  }

  async conversations(): Promise<ConversationView[]> {
    const items: ConversationView[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 100; page++) {
      const q: string = `/conversations?status=all&limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const body: { items: ConversationView[]; nextCursor: string | null } = await this.get(q);
      items.push(...body.items);
      cursor = body.nextCursor;
      if (!cursor) break;
    }
    return items;
  }

  /** Messages stored so far: a cheap estimate (the conversations' last seq numbers). */
  async lastSeqSum(): Promise<number> {
    return (await this.conversations()).reduce((n, c) => n + c.lastSeq, 0);
  }

  /** Every message of the tenant (new ones are fetched after the highest seq already read). */
  async messages(): Promise<Map<string, MessageView[]>> {
    for (const c of await this.conversations()) {
      let entry = this.seen.get(c.id);
      if (!entry) this.seen.set(c.id, (entry = { afterSeq: 0, messages: [] }));
      for (let page = 0; page < 1000 && entry.afterSeq < c.lastSeq; page++) {
        const { items } = await this.get<{ items: MessageView[] }>(`/conversations/${c.id}/messages?afterSeq=${entry.afterSeq}&limit=500`);
        if (items.length === 0) break;
        entry.messages.push(...items);
        entry.afterSeq = items[items.length - 1]!.seq;
      }
    }
    return new Map([...this.seen].map(([id, e]) => [id, e.messages]));
  }
}

/** Names of the bus queues a running service knows (its /metrics queue depths) under `prefix`. */
export async function queuesOf(url: string, prefix: string): Promise<string[]> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const names = new Set<string>();
  for (const m of text.matchAll(/sb_queue_depth\{[^}]*queue="([^"]+)"/g)) if (m[1]!.startsWith(`${prefix}.`)) names.add(m[1]!);
  return [...names];
}

async function withBroker(use: (conn: Connection) => Promise<void>): Promise<void> {
  const conn = new Connection(testAmqpUrl);
  conn.on('error', () => undefined);
  try {
    await conn.onConnect(5_000);
    await use(conn);
  } finally {
    await conn.close();
  }
}

/** Deletes queues by name (the event-group queues a child process declared, which RabbitScratch does not know). */
export function deleteQueues(names: Iterable<string>): Promise<void> {
  return withBroker(async (conn) => {
    for (const queue of names) await conn.queueDelete({ queue }).catch(() => undefined);
  });
}

/** Empties queues: the messages in them are lost (what a replay has to make good). */
export function purgeQueues(names: Iterable<string>): Promise<void> {
  return withBroker(async (conn) => {
    for (const queue of names) await conn.queuePurge({ queue });
  });
}

/** Sum of a Prometheus counter over all its labels, from a running service's /metrics. */
export async function counterOf(url: string, name: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  let sum = 0;
  for (const m of text.matchAll(new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.e+-]+)$`, 'gm'))) sum += Number(m[1]);
  return sum;
}

/** `npm run replay -- <args>` as a child process (node --import tsx scripts/replay.ts), within 60 s. */
export function runReplayCli(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/replay.ts', ...args], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.once('error', reject);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
