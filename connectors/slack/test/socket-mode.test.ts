import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConnectorHost, type ConnectorHost } from '@switchboard/connectors-sdk/testing';
import { eventually, sleep } from '@switchboard/testkit';
import { slackConnector } from '../src/index.js';
import { startSocketModeStandIn, type SocketModeStandIn } from './socket-mode-stand-in.js';
import { startWebApiStandIn, type WebApiStandIn } from './web-api-stand-in.js';

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`./fixtures/${name}.json`, import.meta.url), 'utf8')) as Record<string, any>;

describe('slack Socket Mode (on loopback)', () => {
  let socketServer: SocketModeStandIn;
  let api: WebApiStandIn;
  let host: ConnectorHost;
  let accountId: string;

  beforeAll(async () => {
    socketServer = await startSocketModeStandIn();
    api = await startWebApiStandIn(undefined, undefined, socketServer.url);
    api.users.set('U0CUSTOMER', { name: 'dana', real_name: 'Dana Scully' });
    host = await startConnectorHost(slackConnector({ slackApiUrl: api.apiUrl }));
    const created = await host.api('POST', '/api/v1/channels/slack', {
      name: 'Socket workspace',
      credentials: { botToken: api.botToken, signingSecret: 'a1b2c3d4e5f60718293a4b5c6d7e8f90', appToken: api.appToken },
      settings: { mode: 'socket' },
    });
    expect(created.status, JSON.stringify(created.json)).toBe(201);
    accountId = created.json.accountId;
    await socketServer.connected();
  });
  afterAll(async () => {
    await host?.close();
    await api?.close();
    await socketServer?.close();
  });

  it('stores a pushed message and acknowledges its envelope only after the broker confirmed', async () => {
    const first = socketServer.push(fixture('message'));
    await eventually(async () => (await host.messages(accountId)).some((m) => m.externalId === 'C0SHARED1:1735725600.000100'), 10_000, 'stored');
    await eventually(() => socketServer.acked.has(first), 5_000, 'acked');

    host.breakable.broken = true;
    const second = socketServer.push(fixture('thread_reply'));
    await sleep(500);
    host.breakable.broken = false;
    expect(socketServer.acked.has(second)).toBe(false);
    expect((await host.messages(accountId)).some((m) => m.externalId === 'C0SHARED1:1735725660.000200')).toBe(false);
  });
});
