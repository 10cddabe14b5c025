/**
 * `npm start` stopped with SIGTERM (docker stop, a deploy) while a reply is half-way out to its
 * channel: the delivery finishes and is recorded, sent once, and the process exits 0. (Timeouts,
 * second signals and HTTP requests in flight: platform/runtime/test/serve-process.test.ts.)
 */
import path from 'node:path';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOOPBACK_SIGNATURE_HEADER, loopbackSignature } from '@switchboard/connectors-sdk';
import { createStore } from '@switchboard/store';
import { eventually, sleep, tempDir } from '@switchboard/testkit';
import { startHubProcess, type HubProcess } from '../../test/support/hub-process.js';

const SECRET = 'graceful-shutdown-test-secret';

/** The loopback channel's provider, answering each delivery only when told to. */
async function holdingProvider() {
  const held: ServerResponse[] = [];
  let calls = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      calls++;
      held.push(res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/deliver`,
    calls: () => calls,
    held: () => held.length,
    releaseAll() {
      for (const res of held.splice(0)) res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id: `lb-${calls}` }));
    },
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe('graceful shutdown of a service process', () => {
  const data = tempDir('sb-graceful');
  let provider: Awaited<ReturnType<typeof holdingProvider>>;
  let hub: HubProcess | undefined;

  const api = async (method: string, path: string, token?: string, body?: unknown) => {
    const res = await fetch(`${hub!.url}/api/v1${path}`, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const json = (await res.json()) as any;
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  };
  const signIn = async () => (await api('POST', '/auth/login', undefined, { email: 'admin@demo.switchboard.local', password: 'switchboard-demo' })).accessToken as string;

  beforeAll(async () => {
    provider = await holdingProvider();
  });
  afterAll(async () => {
    provider.releaseAll();
    await hub?.stop('SIGKILL');
    await provider.close();
    data.remove();
  });

  it('finishes the delivery in flight at SIGTERM, records it, then exits 0', async () => {
    hub = await startHubProcess({ SHUTDOWN_TIMEOUT_MS: '8000' }, data.dir);
    const token = await signIn();
    const { accountId } = await api('POST', '/channels/loopback', token, { name: 'Held', credentials: { secret: SECRET }, settings: { deliverUrl: provider.url } });
    const raw = JSON.stringify({ id: 'm-1', chatId: 'chat-1', from: { id: 'u1', name: 'Ada' }, text: 'hello?' });
    const hook = await fetch(`${hub.url}/webhooks/loopback/${accountId}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [LOOPBACK_SIGNATURE_HEADER]: loopbackSignature(SECRET, raw) },
      body: raw,
    });
    expect(hook.status).toBe(200);
    const conversationId = await eventually(
      async () => ((await api('GET', '/conversations?status=all', token)).items as { id: string; channel: string }[]).find((c) => c.channel === 'loopback')?.id,
      15_000,
      'the conversation',
    );
    const replyId = (await api('POST', `/conversations/${conversationId}/messages`, token, { text: 'on its way', idempotencyKey: 'graceful-1' })).id as string;
    await eventually(() => provider.held() === 1, 15_000, 'the delivery reaching the provider');

    const signalled = Date.now();
    const exit = hub.stop('SIGTERM');
    await sleep(700);
    const released = Date.now();
    provider.releaseAll();
    expect(await exit).toBe(0);
    const exited = Date.now();
    expect(exited).toBeGreaterThanOrEqual(released);
    expect(exited - signalled).toBeLessThan(8_000);

    // The connector wrote down what it sent before the process let go of the store: a restart
    // reports the reply sent and never sends it again.
    const store = await createStore({ driver: 'embedded', dir: path.join(data.dir, 'store') });
    try {
      const delivery = await store.collection<{ _id: string; messageId: string; externalId: string }>('connector_deliveries').findOne({ messageId: replyId });
      expect(delivery).toMatchObject({ messageId: replyId, externalId: 'lb-1' });
    } finally {
      await store.close();
    }
    expect(provider.calls()).toBe(1);
  }, 60_000);
});
