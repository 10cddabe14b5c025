import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, sleep } from '@switchboard/testkit';
import type { MessageView } from '@switchboard/contracts';
import type { ChannelAccount, Connector } from '../types.js';
import { startConnectorHost, type ConnectorHost, type HostOptions } from './host.js';

/** A provider stand-in on 127.0.0.1 that records the API calls the connector makes. */
export interface StandIn {
  url: string;
  close(): Promise<void>;
}

export interface WebhookCall {
  headers: Record<string, string>;
  body: string | Buffer;
  /** Default POST. */
  method?: 'GET' | 'POST';
}

export interface ConformanceHarness<S extends StandIn> {
  standIn(): Promise<S>;
  connector(standIn: S): Connector;
  /** What an admin pastes when connecting an account against the stand-in. */
  credentials(standIn: S): Record<string, string>;
  settings?(standIn: S): Record<string, string>;
  /** A webhook exactly as the provider sends it for a text message `id` in conversation `chat`, signed for `account`. */
  inboundMessage(account: ChannelAccount, msg: { id: string; chat: string; text: string }): WebhookCall;
  /** The same call with a signature the account's secret did not make. */
  badSignature(call: WebhookCall): WebhookCall;
  /** Texts the stand-in was asked to deliver, in order. */
  sentTexts(standIn: S): string[];
  host?: HostOptions;
}

async function post(host: ConnectorHost, path: string, call: WebhookCall): Promise<Response> {
  return fetch(`${host.url}${path}`, {
    method: call.method ?? 'POST',
    headers: call.headers,
    ...(call.method === 'GET' ? {} : { body: typeof call.body === 'string' ? call.body : new Uint8Array(call.body) }),
  });
}

/**
 * What every channel must do (style rule 7). Runs the connector inside inbox-service on the real
 * bus against the harness's provider stand-in.
 */
export function connectorConformance<S extends StandIn>(name: string, harness: ConformanceHarness<S>): void {
  describe(`connector conformance: ${name}`, () => {
    let standIn: S;
    let host: ConnectorHost;
    let account: ChannelAccount;
    let path: string;
    let seq = 0;
    const uid = () => `${Date.now()}${++seq}`;

    beforeAll(async () => {
      standIn = await harness.standIn();
      host = await startConnectorHost(harness.connector(standIn), harness.host);
      const created = await host.api('POST', `/api/v1/channels/${name}`, {
        name: `${name} support`,
        credentials: harness.credentials(standIn),
        ...(harness.settings ? { settings: harness.settings(standIn) } : {}),
      });
      expect(created.status, JSON.stringify(created.json)).toBe(201);
      account = await host.account(created.json.accountId);
      path = new URL(created.json.webhookUrl).pathname;
    });
    afterAll(async () => {
      await host?.close();
      await standIn?.close();
    });

    it('the admin API never returns a secret', async () => {
      const list = await host.api('GET', `/api/v1/channels/${name}`);
      expect(list.status).toBe(200);
      const text = JSON.stringify(list.json);
      for (const secret of Object.values(account.credentials)) expect(text).not.toContain(secret);
      expect(list.json.items[0].credentialsSet.length).toBeGreaterThan(0);
    });

    it('stores a message once when the provider delivers its webhook twice', async () => {
      const chat = `chat-${uid()}`;
      const call = harness.inboundMessage(account, { id: uid(), chat, text: 'Hello, is my parcel on its way?' });
      expect((await post(host, path, call)).status).toBe(200);
      expect((await post(host, path, call)).status).toBe(200);
      const stored = await eventually(async () => {
        const all = await host.messages(account.accountId);
        return all.filter((m) => m.text === 'Hello, is my parcel on its way?').length > 0 && all;
      }, 10_000, 'message stored');
      await sleep(300);
      expect((await host.messages(account.accountId)).filter((m) => m.text === 'Hello, is my parcel on its way?')).toHaveLength(1);
      expect(stored.length).toBeGreaterThan(0);
    });

    it('answers 401 to a bad signature and publishes nothing', async () => {
      const call = harness.badSignature(harness.inboundMessage(account, { id: uid(), chat: `chat-${uid()}`, text: 'forged message' }));
      const res = await post(host, path, call);
      expect(res.status).toBe(401);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('SB_ERR_WEBHOOK_SIGNATURE');
      await sleep(300);
      expect((await host.messages(account.accountId)).some((m) => m.text === 'forged message')).toBe(false);
    });

    it('answers 413 to a body over the limit', async () => {
      const big = 'x'.repeat(host.platform.config.bodyLimit + 1);
      const call = harness.inboundMessage(account, { id: uid(), chat: `chat-${uid()}`, text: big });
      const res = await post(host, path, call);
      expect(res.status).toBe(413);
    });

    it('answers 404 for an account that is not connected', async () => {
      const call = harness.inboundMessage(account, { id: uid(), chat: `chat-${uid()}`, text: 'to nobody' });
      const res = await post(host, `/webhooks/${name}/00000000-0000-7000-8000-000000000000`, call);
      expect(res.status).toBe(404);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('SB_ERR_CHANNEL_ACCOUNT_NOT_FOUND');
    });

    it('answers 503 while the broker does not confirm, and the provider retry is then stored', async () => {
      const call = harness.inboundMessage(account, { id: uid(), chat: `chat-${uid()}`, text: 'sent while the broker was down' });
      host.breakable.broken = true;
      try {
        expect((await post(host, path, call)).status).toBe(503);
      } finally {
        host.breakable.broken = false;
      }
      await sleep(300);
      expect((await host.messages(account.accountId)).some((m) => m.text === 'sent while the broker was down')).toBe(false);
      expect((await post(host, path, call)).status).toBe(200);
      await eventually(async () => (await host.messages(account.accountId)).some((m) => m.text === 'sent while the broker was down'), 10_000, 'retry stored');
    });

    it('round trip: customer → agent socket → agent reply → provider API → status "sent" on screen', async () => {
      const socket = await host.agent();
      const incoming = new Promise<MessageView>((resolve) => {
        socket.on('message:new', (m: MessageView) => {
          if (m.text === 'Can I change my delivery address?') resolve(m);
        });
      });
      const chat = `chat-${uid()}`;
      expect((await post(host, path, harness.inboundMessage(account, { id: uid(), chat, text: 'Can I change my delivery address?' }))).status).toBe(200);
      const msg = await incoming;
      const sentStatus = new Promise<MessageView>((resolve) => {
        socket.on('message:updated', (m: MessageView) => {
          if (m.text === 'Yes — reply with the new address.' && m.status === 'sent') resolve(m);
        });
      });
      const reply = await host.api('POST', `/api/v1/conversations/${msg.conversationId}/messages`, {
        text: 'Yes — reply with the new address.',
        idempotencyKey: `reply-${uid()}`,
      });
      expect(reply.status, JSON.stringify(reply.json)).toBeLessThan(300);
      await eventually(() => harness.sentTexts(standIn).includes('Yes — reply with the new address.'), 10_000, 'stand-in received the send call');
      const updated = await sentStatus;
      expect(updated.status).toBe('sent');
      expect(harness.sentTexts(standIn).filter((t) => t === 'Yes — reply with the new address.')).toHaveLength(1);
      const view = await host.api('GET', `/api/v1/channels/${name}/${account.accountId}`);
      expect(view.json.lastInboundAt).not.toBeNull();
      expect(view.json.lastOutboundAt).not.toBeNull();
    });
  });
}
