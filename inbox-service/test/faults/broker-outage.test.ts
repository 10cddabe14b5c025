/**
 * RabbitMQ killed (SIGKILL) and started again in the middle of a burst of webhooks. The Telegram
 * connector and the inbox service run in one process on a private RabbitMQ node (the shared
 * broker of the other tests is never touched). While the broker is down a webhook is held at most
 * PUBLISH_HOLD_MS per attempt and then answered 503 SB_ERR_WEBHOOK_UNAVAILABLE, never 2xx; the
 * sender retries what got 503, as Telegram does; once the node is back, publishing and consuming
 * resume without restarting anything, and every update ends up stored exactly once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConnectorHost, type ConnectorHost } from '@switchboard/connectors-sdk/testing';
import { SECRET_HEADER, telegramConnector } from '@switchboard/connector-telegram';
import { PUBLISH_HOLD_MS } from '@switchboard/bus';
import { eventually, sleep, startPrivateRabbitMq, type PrivateRabbitMq } from '@switchboard/testkit';
import { startBotApiStandIn, type BotApiStandIn } from '../../../connectors/telegram/test/bot-api-stand-in.js';

const UPDATES = 150;
const SENDERS = 6;
/** The sender gives up on an update after this long (a bound for the test, not a product limit). */
const SEND_DEADLINE_MS = 40_000;

function update(i: number) {
  const chatId = 700_000 + (i % 10);
  return {
    update_id: 600_000_000 + i,
    message: {
      message_id: 1000 + i,
      from: { id: chatId, is_bot: false, first_name: 'Burst', last_name: String(i % 10) },
      chat: { id: chatId, first_name: 'Burst', type: 'private' },
      date: 1_735_725_600 + i,
      text: `burst message ${i}`,
    },
  };
}

describe('RabbitMQ stopped and restarted in the middle of a webhook burst', () => {
  let rabbit: PrivateRabbitMq;
  let api: BotApiStandIn;
  let host: ConnectorHost;
  let accountId: string;
  let secret: string;
  let path: string;
  let firstStartMs = 0;

  beforeAll(async () => {
    rabbit = await startPrivateRabbitMq();
    firstStartMs = rabbit.lastStartMs;
    api = await startBotApiStandIn();
    host = await startConnectorHost(telegramConnector({ apiRoot: api.url }), { amqpUrl: rabbit.url, env: { PUBLIC_URL: 'https://support.example.com' } });
    const created = await host.api('POST', '/api/v1/channels/telegram', { name: 'Burst bot', credentials: { botToken: api.token } });
    expect(created.status, JSON.stringify(created.json)).toBe(201);
    accountId = created.json.accountId;
    secret = (await host.account(accountId)).credentials.webhookSecret as string;
    path = new URL(created.json.webhookUrl).pathname;
  }, 90_000);

  afterAll(async () => {
    try {
      await rabbit?.start().catch(() => undefined); // a clean close needs the broker
      await host?.close();
      await api?.close();
    } finally {
      await rabbit?.dispose();
    }
  }, 60_000);

  it('answers 503 while the broker is down, resumes by itself, and stores every update exactly once', async () => {
    const acked = new Set<number>();
    const statuses = new Map<number, number>();
    const unexpected: string[] = [];
    // From the moment the node's processes are gone until it answers AMQP again.
    let brokerDown = false;
    let answeredWhileDown = 0;
    let okWhileDown = 0;
    let slowest503Ms = 0;

    const send = async (i: number) => {
      const deadline = Date.now() + SEND_DEADLINE_MS;
      let delay = 100;
      while (Date.now() < deadline) {
        const downAtSend = brokerDown;
        const sentAt = Date.now();
        let status = 0;
        let code: string | undefined;
        try {
          const res = await fetch(`${host.url}${path}`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', [SECRET_HEADER]: secret },
            body: JSON.stringify(update(i)),
            signal: AbortSignal.timeout(15_000),
          });
          status = res.status;
          const text = await res.text();
          if (status === 503) code = (JSON.parse(text) as { error?: { code?: string } }).error?.code;
        } catch (err) {
          unexpected.push(`update ${i}: ${(err as Error).message}`);
        }
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
        if (downAtSend && brokerDown) {
          answeredWhileDown++;
          if (status >= 200 && status < 300) okWhileDown++;
        }
        if (status >= 200 && status < 300) {
          acked.add(i);
          return;
        }
        if (status === 503) {
          slowest503Ms = Math.max(slowest503Ms, Date.now() - sentAt);
          if (code !== 'SB_ERR_WEBHOOK_UNAVAILABLE') unexpected.push(`update ${i}: 503 with code ${code}`);
        } else {
          unexpected.push(`update ${i}: HTTP ${status}`);
        }
        // Telegram and Meta retry with a growing delay.
        await sleep(delay);
        delay = Math.min(delay * 2, 1000);
      }
    };

    const queue = Array.from({ length: UPDATES }, (_, i) => i);
    const senders = Array.from({ length: SENDERS }, async () => {
      for (let i = queue.shift(); i !== undefined; i = queue.shift()) await send(i);
    });

    // The outage: once a third of the burst is acknowledged, kill the node (no clean shutdown:
    // what it confirmed must have been on disk), keep it down a while, start it again.
    const outage = (async () => {
      await eventually(() => acked.size >= UPDATES / 3, 20_000, 'a third of the burst acknowledged');
      const stopAt = Date.now();
      await rabbit.stop('SIGKILL');
      brokerDown = true; // the node's processes are gone: nothing can be confirmed now
      // Longer than a publish's hold, so requests sent now are answered while it is still down.
      await sleep(PUBLISH_HOLD_MS + 1_000);
      const restartAt = Date.now();
      await rabbit.start();
      brokerDown = false;
      return { stoppedAfter: acked.size, downMs: restartAt - stopAt, restartMs: rabbit.lastStartMs, backAt: Date.now() };
    })();

    const [o] = await Promise.all([outage, ...senders]);
    const sentAt = Date.now();
    const stored = await eventually(
      async () => {
        const messages = await host.messages(accountId);
        return messages.length >= UPDATES ? messages : undefined;
      },
      20_000,
      `all ${UPDATES} updates stored`,
    );
    const storedAt = Date.now();

    console.log(
      `[broker-outage] private RabbitMQ first start ${firstStartMs} ms, restart ${o.restartMs} ms; ` +
        `killed after ${o.stoppedAfter} acks, down ${o.downMs} ms + restart; ` +
        `HTTP statuses ${JSON.stringify(Object.fromEntries(statuses))}, slowest 503 ${slowest503Ms} ms; ` +
        `all stored ${storedAt - o.backAt} ms after the broker was back (${storedAt - sentAt} ms after the last 2xx)`,
    );

    expect(unexpected).toEqual([]);
    expect(acked.size).toBe(UPDATES);
    expect(statuses.get(503) ?? 0, 'the outage fell inside the burst').toBeGreaterThan(0);
    expect(answeredWhileDown, 'requests answered while the broker was down').toBeGreaterThan(0);
    expect(okWhileDown, '2xx answered while the broker was down').toBe(0);
    // Held for a reconnect, then refused: the webhook never hangs for the whole outage.
    expect(slowest503Ms).toBeLessThan(PUBLISH_HOLD_MS + 2_000);
    // Exactly once: retried and acknowledged updates alike.
    const perExternalId = new Map<string, number>();
    for (const m of stored) perExternalId.set(m.externalId, (perExternalId.get(m.externalId) ?? 0) + 1);
    expect(perExternalId.size).toBe(UPDATES);
    expect([...perExternalId.values()].every((n) => n === 1)).toBe(true);
    for (let i = 0; i < UPDATES; i++) expect(perExternalId.has(`${700_000 + (i % 10)}:${1000 + i}`)).toBe(true);
    // The outage is nobody's message's fault: none of them ends up a dead letter for the admins.
    await sleep(500);
    const letters = await host.api('GET', '/api/v1/dead-letters');
    expect(letters.status).toBe(200);
    expect(letters.json.items.map((l: { reason: string }) => l.reason)).toEqual([]);
  }, 120_000);
});
