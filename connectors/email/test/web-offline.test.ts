import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import nodemailer from 'nodemailer';
import type { Socket } from 'socket.io-client';
import { newId, type MessageView, type WidgetSession } from '@switchboard/contracts';
import { startConnectorHost, type ConnectorHost } from '@switchboard/connectors-sdk/testing';
import { Repositories } from '@switchboard/inbox-service';
import { eventually, sleep } from '@switchboard/testkit';
import { connected, emitAck, seedTenant, widgetSocket } from '../../../inbox-service/test/harness.js';
import { emailChannel, emailConnector } from '../src/index.js';
import { SmtpSink } from './smtp-sink.js';

type AckResult<T> = { ok: true; data: T } | { ok: false; error: { code: string; message: string } };

/**
 * Offline replies: an agent answers in a website chat the visitor has left; the reply stays in the
 * chat and also leaves by email through the team's email inbox, to the address the visitor gave.
 */
const SUPPORT = 'help@shop.example';
const SITE = 'https://shop.example';
let host: ConnectorHost;
let sink: SmtpSink;
let repos: Repositories;
let smtpPort = 0;
const sockets: Socket[] = [];

interface Visitor {
  socket: Socket;
  visitorToken: string;
  conversationId: string;
}

/** A visitor who opened the widget on the tenant's website inbox and wrote one line. */
async function visitorWrites(tenantId: string, widgetToken: string, text: string, email?: string): Promise<Visitor> {
  const socket = widgetSocket(host.url, widgetToken, undefined, SITE);
  sockets.push(socket);
  await connected(socket);
  const session = await emitAck<AckResult<WidgetSession>>(socket, 'session:resume', {});
  if (!session.ok) throw new Error(session.error.message);
  await emitAck(socket, 'message:send', { clientId: newId(), text });
  const r = repos.forTenant(tenantId);
  const conv = await eventually(async () => (await r.conversations.find({ channel: 'web' })).find((c) => c.lastMessage?.text === text), 10_000, 'web conversation');
  if (email) {
    // What the widget's offline form sends: the address goes on the visitor's contact.
    const res = await emitAck<AckResult<unknown>>(socket, 'visitor:update', { email, name: 'Vera Visitor' });
    if (!res.ok) throw new Error(res.error.message);
  }
  return { socket, visitorToken: session.data.visitorToken, conversationId: conv._id };
}

async function leaves(v: Visitor): Promise<void> {
  v.socket.disconnect();
  await sleep(50);
}

async function replyAs(token: string, conversationId: string, body: Record<string, unknown>) {
  const res = await fetch(`${host.url}/api/v1/conversations/${conversationId}/messages`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ idempotencyKey: newId(), ...body }),
  });
  return { status: res.status, json: (await res.json()) as MessageView };
}
const reply = (conversationId: string, body: Record<string, unknown>) => replyAs(host.adminToken, conversationId, body);

async function messagesOf(conversationId: string): Promise<MessageView[]> {
  return (await host.api('GET', `/api/v1/conversations/${conversationId}/messages`)).json.items as MessageView[];
}

const mailWith = (text: string) => eventually(() => sink.received.find((m) => m.parsed.text?.includes(text)), 10_000, `mail with "${text}"`);

beforeAll(async () => {
  sink = await new SmtpSink().start();
  host = await startConnectorHost(emailConnector(), {
    mount: async (app, platform) =>
      void (await app.register(emailChannel, { platform, smtp: { port: 0, host: '127.0.0.1' }, onSmtpListening: (port) => (smtpPort = port), timeoutMs: 5_000 })),
  });
  repos = new Repositories(host.platform.store);
  const created = await host.api('POST', '/api/v1/channels/email', {
    name: 'Shop support',
    credentials: { smtpPassword: sink.password },
    settings: { address: SUPPORT, fromName: 'Shop Support', smtpHost: '127.0.0.1', smtpPort: String(sink.port), smtpUser: sink.user },
  });
  expect(created.status, JSON.stringify(created.json)).toBe(201);
  await repos.forTenant(host.tenant.tenantId).inboxes.updateOne({ _id: host.tenant.inboxId }, { $set: { allowedOrigins: [SITE] } });
  await eventually(() => smtpPort > 0, 5_000, 'SMTP server listening');
});

afterAll(async () => {
  sockets.forEach((s) => s.disconnect());
  await host?.close();
  await sink?.close();
});

describe('replies to a visitor who left the chat go out by email', () => {
  let away: Visitor;
  let firstMail: Awaited<ReturnType<typeof mailWith>>;

  it('the reply stays in the chat and reaches the visitor as a mail from the support address', async () => {
    away = await visitorWrites(host.tenant.tenantId, host.tenant.widgetToken, 'Do you have the blue vase in stock?', 'vera@visitor.example');
    await leaves(away);
    const res = await reply(away.conversationId, { text: 'Yes, two left! Shall I reserve one for you?' });
    expect(res.status).toBe(201);
    expect(res.json.status).toBe('sent');

    firstMail = await mailWith('Yes, two left! Shall I reserve one for you?');
    expect(firstMail.to).toEqual(['vera@visitor.example']);
    expect(firstMail.parsed.to).toMatchObject({ value: [{ address: 'vera@visitor.example', name: 'Vera Visitor' }] });
    expect(firstMail.parsed.from?.value[0]).toEqual({ name: 'Agent email (Shop Support)', address: SUPPORT });
    expect(firstMail.parsed.subject).toMatch(/^Website: new reply \[#\d+\]$/);
    expect(firstMail.parsed.inReplyTo).toBeUndefined();
    // The way back to the site: the inbox's website, as a link.
    expect(firstMail.parsed.text).toContain('continue the chat on https://shop.example/');
    expect(firstMail.parsed.html).toContain('<a href="https://shop.example/">');

    // Back on the site, the widget shows the reply.
    const back = widgetSocket(host.url, host.tenant.widgetToken, away.visitorToken, SITE);
    sockets.push(back);
    await connected(back);
    const session = await emitAck<AckResult<WidgetSession>>(back, 'session:resume', {});
    if (!session.ok) throw new Error(session.error.message);
    expect(session.data.messages.map((m) => m.text)).toContain('Yes, two left! Shall I reserve one for you?');
    back.disconnect();
    await sleep(50);
  });

  it("the agent's files travel with the mail, which continues the same email thread", async () => {
    const upload = await fetch(`${host.url}/api/v1/blobs?name=${encodeURIComponent('vase.pdf')}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${host.adminToken}`, 'content-type': 'application/pdf' },
      body: '%PDF-1.4 vase spec',
    });
    const { ref } = (await upload.json()) as { ref: string };
    const res = await reply(away.conversationId, { text: 'Here is the spec sheet.', attachments: [{ ref }] });
    expect(res.status).toBe(201);
    const mail = await mailWith('Here is the spec sheet.');
    expect(mail.parsed.attachments.map((a) => [a.filename, a.content.toString()])).toEqual([['vase.pdf', '%PDF-1.4 vase spec']]);
    expect(mail.parsed.subject).toBe(`Re: ${firstMail.parsed.subject}`);
    expect(mail.parsed.inReplyTo).toBe(firstMail.parsed.messageId);
  });

  it("the visitor's answer to the mail comes back into the website chat, without the quoted history", async () => {
    const agent = await host.agent();
    const live = new Promise<MessageView>((resolve) => agent.on('message:new', (m: MessageView) => m.text?.startsWith('Please reserve') && resolve(m)));
    await nodemailer.createTransport({ host: '127.0.0.1', port: smtpPort, secure: false, ignoreTLS: true }).sendMail({
      from: 'Vera Visitor <vera@visitor.example>',
      to: SUPPORT,
      subject: `Re: ${firstMail.parsed.subject}`,
      inReplyTo: firstMail.parsed.messageId!,
      references: [firstMail.parsed.messageId!],
      text: 'Please reserve one, I will come on Friday.\n\nOn Mon, Admin wrote:\n> Yes, two left! Shall I reserve one for you?',
    });
    const m = await live;
    expect(m.conversationId).toBe(away.conversationId);
    expect(m.direction).toBe('in');
    expect(m.text).toBe('Please reserve one, I will come on Friday.');
    const emailConversations = (await host.conversations((await host.api('GET', '/api/v1/channels/email')).json.items[0].accountId)).length;
    expect(emailConversations).toBe(0);
  });

  it('a visitor with the widget open gets the reply live and no mail', async () => {
    const here = await visitorWrites(host.tenant.tenantId, host.tenant.widgetToken, 'Is shipping free?', 'here@visitor.example');
    const live = new Promise<MessageView>((resolve) => here.socket.on('message:new', (m: MessageView) => m.direction === 'out' && resolve(m)));
    expect((await reply(here.conversationId, { text: 'Shipping is free over 50 EUR.' })).status).toBe(201);
    expect((await live).text).toBe('Shipping is free over 50 EUR.');
    // Then the visitor leaves: the next reply is mailed, and it is the only mail they ever got.
    await leaves(here);
    await reply(here.conversationId, { text: 'Your order qualifies, by the way.' });
    await mailWith('Your order qualifies, by the way.');
    expect(sink.received.filter((m) => m.to.includes('here@visitor.example')).map((m) => m.parsed.text?.split('\n')[0])).toEqual(['Your order qualifies, by the way.']);
  });

  it('a mail the server refuses marks the reply failed with the reason; the chat keeps it', async () => {
    const v = await visitorWrites(host.tenant.tenantId, host.tenant.widgetToken, 'Can I pay by invoice?', 'refused@visitor.example');
    await leaves(v);
    sink.failNext.push({ code: 550, message: '5.1.1 Mailbox does not exist' });
    const res = await reply(v.conversationId, { text: 'Yes, invoices are fine.' });
    expect(res.status).toBe(201);
    const failed = await eventually(async () => (await messagesOf(v.conversationId)).find((m) => m.id === res.json.id && m.status === 'failed'), 10_000, 'reply marked failed');
    expect(failed.error).toMatch(/^The email to refused@visitor\.example was not sent: .*550.*Mailbox does not exist/);
    expect(failed.text).toBe('Yes, invoices are fine.');
  });

  it('a visitor who left no address, or a team without an email inbox: nothing is mailed and the reply is stored', async () => {
    const anonymous = await visitorWrites(host.tenant.tenantId, host.tenant.widgetToken, 'Just browsing');
    await leaves(anonymous);
    const other = await seedTenant(repos, 'nomail');
    const otherToken = await host.platform.tokens.signAccess({ agentId: other.agentId, tenantId: other.tenantId, role: 'admin', name: 'Other' });
    const noInbox = await visitorWrites(other.tenantId, other.widgetToken, 'Hello?', 'nomail@visitor.example');
    await leaves(noInbox);

    const a = await reply(anonymous.conversationId, { text: 'Let us know if we can help.' });
    const b = await replyAs(otherToken, noInbox.conversationId, { text: 'Hi, how can we help?' });
    expect([a.status, a.json.status, b.status, b.json.status]).toEqual([201, 'sent', 201, 'sent']);
    // A later mailed reply arrives; the two before it were never sent.
    const v = await visitorWrites(host.tenant.tenantId, host.tenant.widgetToken, 'One more question', 'later@visitor.example');
    await leaves(v);
    await reply(v.conversationId, { text: 'Sure, ask away.' });
    await mailWith('Sure, ask away.');
    await sleep(200);
    expect(sink.texts().filter((t) => t.includes('Let us know if we can help.') || t.includes('Hi, how can we help?'))).toEqual([]);
    expect((await messagesOf(anonymous.conversationId)).find((m) => m.id === a.json.id)?.status).toBe('sent');
  });
});
