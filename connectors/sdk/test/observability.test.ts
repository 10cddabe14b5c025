/**
 * What an operator sees of a message's way through the system, on the real RabbitMQ: one traceId
 * from the connector's webhook through the bus into the inbox's log lines (and one for a reply,
 * out to the channel and back as its status), and /metrics with a latency histogram for every
 * stage, outbound results by status, dead letters, sockets and queue depths.
 */
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Socket } from 'socket.io-client';
import { newId } from '@switchboard/contracts';
import { STAGES } from '@switchboard/metrics';
import { eventually } from '@switchboard/testkit';
import { LOOPBACK_SIGNATURE_HEADER, loopbackConnector, loopbackSignature } from '../src/index.js';
import { startConnectorHost, type ConnectorHost } from '../src/testing/index.js';
import { startLoopbackStandIn, type LoopbackStandIn } from './loopback-stand-in.js';

interface LogLine {
  msg: string;
  level: number;
  traceId?: string;
  messageId?: string;
  [field: string]: unknown;
}

/** Sum of one metric's samples whose labels include every given label, from Prometheus text. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | null {
  let found: number | null = null;
  for (const m of text.matchAll(new RegExp(`^${name}(?:\\{([^}]*)\\})? (\\S+)$`, 'gm'))) {
    const given = Object.fromEntries([...(m[1] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((l) => [l[1]!, l[2]!]));
    if (Object.entries(labels).every(([k, v]) => given[k] === v)) found = (found ?? 0) + Number(m[2]);
  }
  return found;
}

describe('observability: traces and metrics of a message on the real bus', () => {
  let provider: LoopbackStandIn;
  let host: ConnectorHost;
  let agent: Socket;
  let accountId: string;
  let secret: string;
  const lines: LogLine[] = [];

  const webhook = (body: object) => {
    const raw = JSON.stringify(body);
    return fetch(`${host.url}/webhooks/loopback/${accountId}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [LOOPBACK_SIGNATURE_HEADER]: loopbackSignature(secret, raw) },
      body: raw,
    });
  };
  const traced = (traceId: string) => lines.filter((l) => l.traceId === traceId).map((l) => l.msg);
  const reply = async (conversationId: string, text: string): Promise<string> => {
    const res = await host.api('POST', `/api/v1/conversations/${conversationId}/messages`, { text, idempotencyKey: `k-${newId()}` });
    expect(res.status, JSON.stringify(res.json)).toBeLessThan(300);
    return res.json.id as string;
  };
  const outboundStatus = async (messageId: string, status: string) =>
    eventually(async () => (await host.messages(accountId)).find((m) => m._id === messageId && m.status === status), 10_000, `reply ${messageId} ${status}`);

  beforeAll(async () => {
    const logs = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString('utf8').split('\n')) if (line) lines.push(JSON.parse(line) as LogLine);
        done();
      },
    });
    provider = await startLoopbackStandIn();
    host = await startConnectorHost(loopbackConnector(), { logs });
    const created = await host.api('POST', '/api/v1/channels/loopback', { name: 'Observed', credentials: {}, settings: { deliverUrl: provider.url } });
    accountId = created.json.accountId;
    secret = (await host.account(accountId)).credentials.secret as string;
    agent = await host.agent();
  });
  afterAll(async () => {
    agent?.disconnect();
    await host?.close();
    await provider?.close();
  });

  let conversationId: string;

  it('carries the webhook\'s traceId on the lines of every stage: webhook, publish, consume, store, emit', async () => {
    const shown = new Promise<void>((resolve) => agent.once('message:new', () => resolve()));
    expect((await webhook({ id: 'm-traced', chatId: 'chat-traced', from: { id: 'u1', name: 'Ada' }, text: 'where is my parcel?' })).status).toBe(200);
    await shown;
    const stored = await eventually(async () => (await host.messages(accountId)).find((m) => m.externalId === 'm-traced'), 10_000, 'stored');
    conversationId = stored.conversationId;
    const traceId = (stored as unknown as { traceId?: string }).traceId;
    expect(traceId).toMatch(/\S{8,}/);
    await eventually(() => traced(traceId!).includes('message emitted to agents'), 5_000, 'the emit line');
    expect(traced(traceId!)).toEqual(
      expect.arrayContaining(['webhook received', 'inbound event published', 'inbound event consumed', 'message stored', 'message emitted to agents']),
    );
    // One webhook, one trace: no other request's lines carry it.
    expect(lines.filter((l) => l.traceId === traceId && l.msg === 'webhook received')).toHaveLength(1);
  });

  it('gives a reply its own traceId, seen queued by the inbox, delivered by the connector and its status consumed back', async () => {
    const messageId = await reply(conversationId, 'it left our warehouse today');
    await outboundStatus(messageId, 'sent');
    const queued = lines.find((l) => l.msg === 'reply queued for its channel' && l.messageId === messageId);
    expect(queued?.traceId).toBeTruthy();
    await eventually(() => traced(queued!.traceId!).filter((m) => m === 'inbound event consumed').length > 0, 5_000, 'the status consumed');
    expect(traced(queued!.traceId!)).toEqual(expect.arrayContaining(['reply queued for its channel', 'reply consumed', 'reply delivered', 'inbound event consumed']));
  });

  it('/metrics counts every stage, outbound by status, dead letters, sockets and queue depths', async () => {
    // A provider hiccup (503, retried and then sent) and a permanent refusal (400: failed, dead-lettered).
    provider.failWith.push(503);
    await outboundStatus(await reply(conversationId, 'retried once'), 'sent');
    provider.failWith.push(400);
    await outboundStatus(await reply(conversationId, 'refused'), 'failed');

    const scrape = async () => (await fetch(`${host.url}/metrics`)).text();
    const text = await eventually(async () => {
      const t = await scrape();
      return (sample(t, 'sb_dead_letters_total') ?? 0) >= 1 ? t : null;
    }, 5_000, 'the dead letter counted');
    for (const stage of STAGES) {
      expect(sample(text, 'sb_stage_seconds_count', { stage, channel: 'loopback' }), `stage ${stage}`).toBeGreaterThan(0);
    }
    expect(sample(text, 'sb_outbound_total', { channel: 'loopback', status: 'sent' })).toBeGreaterThanOrEqual(2);
    expect(sample(text, 'sb_outbound_total', { channel: 'loopback', status: 'retry' })).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'sb_outbound_total', { channel: 'loopback', status: 'failed' })).toBeGreaterThanOrEqual(1);
    const outboundQueue = [...text.matchAll(/^sb_dead_letters_total\{[^}]*source="([^"]+)"/gm)].map((m) => m[1]);
    expect(outboundQueue.some((q) => q?.includes('outbound'))).toBe(true);
    expect(sample(text, 'sb_sockets', { namespace: '/agent' })).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'sb_queue_depth')).not.toBeNull();
    expect(sample(text, 'sb_redeliveries_total')).not.toBeNull();
  });
});
