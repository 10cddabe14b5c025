import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImapFlow } from 'imapflow';
import { startConnectorHost, type ConnectorHost } from '@switchboard/connectors-sdk/testing';
import { eventually, sleep } from '@switchboard/testkit';
import { emailChannel, emailConnector } from '../src/index.js';
import { startDovecot, type Dovecot } from './dovecot.js';
import { SmtpSink } from './smtp-sink.js';

const USER = 'desk@imap.example';
const PASSWORD = 'imap-secret-pw';
let dovecot: Dovecot;
let sink: SmtpSink;
let host: ConnectorHost;
let accountId: string;

function mail(n: number, over: { subject?: string; inReplyTo?: string } = {}): string {
  return [
    `From: Customer ${n} <c${n}@customer.example>`,
    `To: ${USER}`,
    `Subject: ${over.subject ?? `Question ${n}`}`,
    `Message-ID: <imap-${n}@customer.example>`,
    ...(over.inReplyTo ? [`In-Reply-To: <${over.inReplyTo}>`, `References: <${over.inReplyTo}>`] : []),
    `Date: ${new Date().toUTCString()}`,
    'Content-Type: text/plain; charset=utf-8',
    '',
    `Body of mail ${n}`,
    '',
  ].join('\r\n');
}

async function append(raw: string): Promise<void> {
  const client = new ImapFlow({ host: dovecot.host, port: dovecot.port, secure: false, auth: { user: USER, pass: PASSWORD }, logger: false });
  await client.connect();
  await client.append('INBOX', raw);
  await client.logout();
}

const bodies = async () => (await host.messages(accountId)).map((m) => m.text ?? '').filter((t) => t.startsWith('Body of mail'));

beforeAll(async () => {
  dovecot = await startDovecot();
  dovecot.addUser(USER, PASSWORD);
  sink = await new SmtpSink().start();
  host = await startConnectorHost(emailConnector(), {
    env: { IMAP_POLL_INTERVAL_MS: '60000' },
    mount: async (app, platform) => void (await app.register(emailChannel, { platform, smtp: false, timeoutMs: 5_000 })),
  });
});

afterAll(async () => {
  await host?.close();
  await sink?.close();
  await dovecot?.close();
});

describe('an IMAP mailbox configured through the REST API', () => {
  it('refuses a wrong IMAP password with the server’s words, creating nothing', async () => {
    const res = await host.api('POST', '/api/v1/channels/email', {
      name: 'Desk',
      credentials: { smtpPassword: sink.password, imapPassword: 'wrong' },
      settings: { address: USER, smtpHost: '127.0.0.1', smtpPort: String(sink.port), smtpUser: sink.user, imapHost: dovecot.host, imapPort: String(dovecot.port), imapSecure: 'false' },
    });
    expect(res.status).toBe(422);
    expect(res.json.error.message).toMatch(/IMAP/);
    expect((await host.api('GET', '/api/v1/channels/email')).json.items).toHaveLength(0);
  });

  it('picks up mail already there and new mail as it arrives (IDLE), each once, threaded', async () => {
    await append(mail(1));
    const res = await host.api('POST', '/api/v1/channels/email', {
      name: 'Desk',
      credentials: { smtpPassword: sink.password, imapPassword: PASSWORD },
      settings: { address: USER, smtpHost: '127.0.0.1', smtpPort: String(sink.port), smtpUser: sink.user, imapHost: dovecot.host, imapPort: String(dovecot.port), imapSecure: 'false' },
    });
    expect(res.status, JSON.stringify(res.json)).toBe(201);
    accountId = res.json.accountId;
    await eventually(async () => (await bodies()).includes('Body of mail 1'), 15_000, 'existing mail imported');
    // The poll interval is a minute: only IDLE can bring this one in time.
    await append(mail(2, { subject: 'Re: Question 1', inReplyTo: 'imap-1@customer.example' }));
    await eventually(async () => (await bodies()).includes('Body of mail 2'), 15_000, 'new mail pushed by IDLE');
    const all = await host.messages(accountId);
    const one = all.find((m) => m.text === 'Body of mail 1')!;
    const two = all.find((m) => m.text === 'Body of mail 2')!;
    expect(two.conversationId).toBe(one.conversationId);
  });

  it('after the account is stopped and started again, mail that came meanwhile arrives once and nothing repeats', async () => {
    expect((await host.api('PATCH', `/api/v1/channels/email/${accountId}`, { status: 'disabled' })).status).toBe(200);
    await append(mail(3));
    await append(mail(4));
    await sleep(500);
    expect(await bodies()).not.toContain('Body of mail 3');
    expect((await host.api('PATCH', `/api/v1/channels/email/${accountId}`, { status: 'active' })).status).toBe(200);
    await eventually(async () => (await bodies()).includes('Body of mail 4'), 15_000, 'mail received while stopped');
    await sleep(1_000);
    expect((await bodies()).sort()).toEqual(['Body of mail 1', 'Body of mail 2', 'Body of mail 3', 'Body of mail 4']);
  });
});
