import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import nodemailer from 'nodemailer';
import { dkimVerify } from 'mailauth/lib/dkim/verify.js';
import type { MessageView } from '@switchboard/contracts';
import { startConnectorHost, type ConnectorHost } from '@switchboard/connectors-sdk/testing';
import { eventually, sleep } from '@switchboard/testkit';
import { emailChannel, emailConnector } from '../src/index.js';
import { SmtpSink } from './smtp-sink.js';

/** Where our SMTP server listens in this run (port 0 → a free one). */
let smtpPort = 0;
let host: ConnectorHost;
let sink: SmtpSink;
let accountId: string;
const SUPPORT = 'help@shop.example';

/** The customer's side: a real mail client/MTA talking SMTP to our MX. */
function customerMta() {
  return nodemailer.createTransport({ host: '127.0.0.1', port: smtpPort, secure: false, ignoreTLS: true });
}

async function messagesOf(conversationId: string): Promise<MessageView[]> {
  const res = await host.api('GET', `/api/v1/conversations/${conversationId}/messages`);
  return res.json.items as MessageView[];
}

async function waitForMessage(match: (m: { text?: string; conversationId: string; email?: unknown }) => boolean, what: string) {
  return eventually(async () => (await host.messages(accountId)).find(match as never), 10_000, what);
}

beforeAll(async () => {
  sink = await new SmtpSink().start();
  host = await startConnectorHost(emailConnector(), {
    mount: async (app, platform) =>
      void (await app.register(emailChannel, {
        platform,
        smtp: { port: 0, host: '127.0.0.1', maxBytes: 300_000 },
        onSmtpListening: (port) => (smtpPort = port),
        timeoutMs: 5_000,
      })),
  });
  const created = await host.api('POST', '/api/v1/channels/email', {
    name: 'Shop support',
    credentials: { smtpPassword: sink.password },
    settings: { address: SUPPORT, fromName: 'Shop Support', smtpHost: '127.0.0.1', smtpPort: String(sink.port), smtpUser: sink.user },
  });
  expect(created.status, JSON.stringify(created.json)).toBe(201);
  accountId = created.json.accountId;
  await eventually(() => smtpPort > 0, 5_000, 'SMTP server listening');
});

afterAll(async () => {
  await host?.close();
  await sink?.close();
});

describe('email in over SMTP, replies out over SMTP', () => {
  let conversationId: string;
  let customerMessageId: string;

  it('a customer mail with text, HTML, an attachment and an inline image becomes a conversation agents see live', async () => {
    const socket = await host.agent();
    const live = new Promise<MessageView>((resolve) => socket.on('message:new', (m: MessageView) => m.email?.subject === 'Order 5521 arrived broken' && resolve(m)));
    const info = await customerMta().sendMail({
      from: 'Anna Smirnova <anna@customer.example>',
      to: SUPPORT,
      cc: ['Boris Petrov <boris@customer.example>', `Shop <${SUPPORT}>`],
      subject: 'Order 5521 arrived broken',
      text: 'Hello, the vase in order 5521 arrived broken. Photo attached.',
      html: '<p>Hello, the vase in order 5521 arrived <b>broken</b>.</p><img src="cid:photo@anna"><img src="https://tracker.example/open.gif"><script>alert(1)</script>',
      attachments: [
        { filename: 'receipt.pdf', content: Buffer.from('%PDF-1.4 receipt'), contentType: 'application/pdf' },
        { filename: 'vase.png', content: Buffer.from('89504e470d0a1a0a', 'hex'), contentType: 'image/png', cid: 'photo@anna' },
      ],
    });
    customerMessageId = info.messageId.replace(/[<>]/g, '');
    const m = await live;
    conversationId = m.conversationId;
    expect(m.text).toContain('the vase in order 5521 arrived broken');
    expect(m.email?.from).toBe('Anna Smirnova <anna@customer.example>');
    expect(m.email?.messageId).toBe(customerMessageId);
    expect(m.attachments.map((a) => a.name).sort()).toEqual(['receipt.pdf', 'vase.png']);
    // The inline image points at our blob store; the tracker and the script are gone.
    const png = m.attachments.find((a) => a.name === 'vase.png')!;
    expect(m.html).toContain(`/api/v1/blobs/${encodeURIComponent(png.ref)}`);
    expect(m.html).not.toContain('tracker.example/open.gif"');
    expect(m.html).not.toContain('<script');
    const file = await fetch(`${host.url}/api/v1/blobs/${encodeURIComponent(m.attachments.find((a) => a.name === 'receipt.pdf')!.ref)}`, {
      headers: { authorization: `Bearer ${host.adminToken}` },
    });
    expect(Buffer.from(await file.arrayBuffer()).toString()).toBe('%PDF-1.4 receipt');
    const conv = (await host.conversations(accountId)).find((c) => c._id === conversationId);
    expect(conv).toBeDefined();
  });

  it("the agent's reply leaves as a real mail: From the inbox with the agent's name, threaded, text + HTML", async () => {
    const reply = await host.api('POST', `/api/v1/conversations/${conversationId}/messages`, {
      text: 'Sorry about that, Anna!\n\nA new vase ships today: https://shop.example/track/5521',
      idempotencyKey: 'reply-vase-0001',
    });
    expect(reply.status).toBe(201);
    const mail = await eventually(() => sink.received.find((r) => r.parsed.subject?.includes('Order 5521')), 10_000, 'reply reached the SMTP server');
    expect(mail.from).toBe(SUPPORT);
    // Reply all: the customer, and the colleague she copied; never ourselves.
    expect(mail.to.sort()).toEqual(['anna@customer.example', 'boris@customer.example']);
    expect([mail.parsed.cc].flat().flatMap((c) => c?.value ?? [])).toEqual([{ name: 'Boris Petrov', address: 'boris@customer.example' }]);
    expect(mail.parsed.from?.value[0]).toEqual({ name: 'Agent email (Shop Support)', address: SUPPORT }) // the seeded agent's name;
    expect(mail.parsed.subject).toMatch(/^Re: Order 5521 arrived broken \[#\d+\]$/);
    expect(mail.parsed.inReplyTo).toBe(`<${customerMessageId}>`);
    expect([mail.parsed.references].flat()).toContain(`<${customerMessageId}>`);
    expect(mail.parsed.text?.trim()).toBe('Sorry about that, Anna!\n\nA new vase ships today: https://shop.example/track/5521');
    expect(mail.parsed.html).toContain('<a href="https://shop.example/track/5521">');
    expect(mail.raw.toString()).toMatch(/Content-Type: multipart\/alternative/i);
    expect(mail.parsed.messageId).toMatch(/@shop\.example>$/);
    await eventually(async () => (await messagesOf(conversationId)).some((m) => m.direction === 'out' && m.status === 'sent'), 10_000, 'status sent');
  });

  it("the agent's files travel as attachments of the mail", async () => {
    const upload = await fetch(`${host.url}/api/v1/blobs?name=${encodeURIComponent('return-label.pdf')}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${host.adminToken}`, 'content-type': 'application/pdf' },
      body: '%PDF-1.4 return label',
    });
    expect(upload.status).toBe(201);
    const { ref } = (await upload.json()) as { ref: string };
    const reply = await host.api('POST', `/api/v1/conversations/${conversationId}/messages`, {
      text: 'Here is your return label.',
      attachments: [{ ref }],
      idempotencyKey: 'reply-label-0001',
    });
    expect(reply.status, JSON.stringify(reply.json)).toBe(201);
    const mail = await eventually(() => sink.received.find((r) => r.parsed.text?.includes('Here is your return label.')), 10_000, 'mail with file');
    expect(mail.parsed.attachments.map((a) => [a.filename, a.contentType, a.content.toString()])).toEqual([['return-label.pdf', 'application/pdf', '%PDF-1.4 return label']]);
  });

  it("the customer's answer to our reply lands in the same conversation", async () => {
    const ours = sink.received.find((r) => r.parsed.subject?.includes('Order 5521'))!;
    await customerMta().sendMail({
      from: 'Anna Smirnova <anna@customer.example>',
      to: SUPPORT,
      subject: ours.parsed.subject!.replace(/^Re: /, 'Re: Re: '),
      inReplyTo: ours.parsed.messageId!,
      references: [`<${customerMessageId}>`, ours.parsed.messageId!],
      text: 'Thank you, that was quick!\n\nOn Mon, Admin wrote:\n> Sorry about that, Anna!\n> A new vase ships today',
    });
    const m = await waitForMessage((x) => x.text?.startsWith('Thank you, that was quick!') === true, 'answer stored');
    expect(m.conversationId).toBe(conversationId);
    const view = (await messagesOf(conversationId)).find((x) => x.text?.startsWith('Thank you'))!;
    expect(view.email?.quoteStart).toBeGreaterThan(0);
    expect(view.text!.slice(0, view.email!.quoteStart).trim()).toBe('Thank you, that was quick!');
  });

  it('a client that drops the threading headers still threads by the [#n] token in the subject', async () => {
    const ours = sink.received.find((r) => r.parsed.subject?.includes('Order 5521'))!;
    const token = /\[#\d+\]/.exec(ours.parsed.subject!)![0];
    await customerMta().sendMail({
      from: 'anna@customer.example',
      to: SUPPORT,
      subject: `AW: Order 5521 ${token}`,
      text: 'One more thing: please gift-wrap it.',
    });
    const m = await waitForMessage((x) => x.text === 'One more thing: please gift-wrap it.', 'token reply stored');
    expect(m.conversationId).toBe(conversationId);
  });

  it('a new mail from the same person without threading headers opens a new conversation', async () => {
    await customerMta().sendMail({ from: 'anna@customer.example', to: SUPPORT, subject: 'Another question', text: 'Do you ship to Latvia?' });
    const m = await waitForMessage((x) => x.text === 'Do you ship to Latvia?', 'new mail stored');
    expect(m.conversationId).not.toBe(conversationId);
  });

  it('refuses recipients that are not our mailboxes at RCPT time (no open relay) and stores nothing', async () => {
    const err = await customerMta()
      .sendMail({ from: 'spammer@bad.example', to: 'someone@elsewhere.example', subject: 'relay me', text: 'relay test' })
      .then(() => null, (e: { responseCode?: number }) => e);
    expect(err?.responseCode).toBe(550);
    await sleep(200);
    expect((await host.messages(accountId)).some((m) => m.text === 'relay test')).toBe(false);
  });

  it('refuses mail over the size limit with 552', async () => {
    const err = await customerMta()
      .sendMail({ from: 'anna@customer.example', to: SUPPORT, subject: 'huge', text: 'x'.repeat(400_000) })
      .then(() => null, (e: { responseCode?: number }) => e);
    expect(err?.responseCode).toBe(552);
  });

  it('plus-addressing reaches the same mailbox', async () => {
    await customerMta().sendMail({ from: 'bob@customer.example', to: 'Help+orders@shop.example', subject: 'plus', text: 'Sent to help+orders' });
    await waitForMessage((x) => x.text === 'Sent to help+orders', 'plus-addressed mail stored');
  });

  it('answers 451 while the broker does not confirm, and the retry is stored once', async () => {
    const raw = [
      'From: carl@customer.example',
      `To: ${SUPPORT}`,
      'Subject: while the broker was down',
      'Message-ID: <broker-down-1@customer.example>',
      '',
      'Sent while the broker was down.',
      '',
    ].join('\r\n');
    const envelope = { from: 'carl@customer.example', to: [SUPPORT] };
    host.breakable.broken = true;
    const err = await customerMta()
      .sendMail({ envelope, raw })
      .then(() => null, (e: { responseCode?: number }) => e)
      .finally(() => (host.breakable.broken = false));
    expect(err?.responseCode).toBe(451);
    await customerMta().sendMail({ envelope, raw });
    await customerMta().sendMail({ envelope, raw }); // the sender retried once more after a lost 250
    await waitForMessage((x) => x.text === 'Sent while the broker was down.', 'retry stored');
    await sleep(300);
    expect((await host.messages(accountId)).filter((m) => m.text === 'Sent while the broker was down.')).toHaveLength(1);
  });

  it('auto-replies and bounces are stored in their thread, marked, and never answered automatically', async () => {
    const ours = sink.received.find((r) => r.parsed.subject?.includes('Order 5521'))!;
    await customerMta().sendMail({
      from: 'anna@customer.example',
      to: SUPPORT,
      subject: `Automatic reply: ${ours.parsed.subject}`,
      inReplyTo: ours.parsed.messageId!,
      headers: { 'Auto-Submitted': 'auto-replied', 'X-Auto-Response-Suppress': 'All' },
      text: 'I am out of the office until Monday.',
    });
    const m = await waitForMessage((x) => x.text === 'I am out of the office until Monday.', 'auto-reply stored');
    expect(m.conversationId).toBe(conversationId);
    const view = (await messagesOf(conversationId)).find((x) => x.text === 'I am out of the office until Monday.')!;
    expect(view.email?.noise).toBe('auto-reply');
    expect(view.email?.noiseReason).toMatch(/Auto-Submitted/i);
  });

  it('a mail that cannot be read is stored with a parse-error mark and the original attached, never dropped', async () => {
    const garbage = Buffer.concat([Buffer.from('\x00\x01\x02 this is not a mail \xff\xfe\r\n'), Buffer.alloc(64, 0xfe), Buffer.from('\r\n')]);
    await customerMta().sendMail({ envelope: { from: 'broken@customer.example', to: [SUPPORT] }, raw: garbage });
    const stored = await eventually(
      async () => (await host.messages(accountId)).find((m) => (m as { email?: { parseError?: string } }).email?.parseError),
      10_000,
      'damaged mail stored',
    );
    const original = stored.attachments.find((a) => (a as { name?: string }).name === 'original.eml') as { ref: string } | undefined;
    expect(original).toBeDefined();
    const res = await fetch(`${host.url}/api/v1/blobs/${encodeURIComponent(original!.ref)}`, { headers: { authorization: `Bearer ${host.adminToken}` } });
    expect(Buffer.from(await res.arrayBuffer()).includes(Buffer.from('this is not a mail'))).toBe(true);
  });
});

describe('outbound failures reach the agent', () => {
  let conversationId: string;

  beforeAll(async () => {
    await customerMta().sendMail({ from: 'dora@customer.example', to: SUPPORT, subject: 'Failing replies', text: 'Please answer me.' });
    conversationId = (await waitForMessage((x) => x.text === 'Please answer me.', 'mail stored')).conversationId;
  });

  it('a 4xx deferral is retried and the reply is then sent once', async () => {
    sink.failNext.push({ code: 451, message: '4.7.1 Greylisted, try again later' });
    const before = sink.received.length;
    await host.api('POST', `/api/v1/conversations/${conversationId}/messages`, { text: 'First answer', idempotencyKey: 'defer-0001' });
    await eventually(async () => (await messagesOf(conversationId)).some((m) => m.text === 'First answer' && m.status === 'sent'), 15_000, 'sent after retry');
    expect(sink.received.length - before).toBe(1);
  });

  it("a 5xx refusal shows as failed with the mail server's words", async () => {
    sink.failNext.push({ code: 550, message: '5.1.1 <dora@customer.example>: Recipient address rejected: User unknown' });
    await host.api('POST', `/api/v1/conversations/${conversationId}/messages`, { text: 'Second answer', idempotencyKey: 'reject-0001' });
    const failed = await eventually(
      async () => (await messagesOf(conversationId)).find((m) => m.text === 'Second answer' && m.status === 'failed'),
      15_000,
      'failed status',
    );
    expect(failed.error).toContain('550');
    expect(failed.error).toContain('User unknown');
  });
});

describe('mailbox credentials and DKIM', () => {
  it('are stored encrypted at rest and never returned by the API', async () => {
    const raw = await host.platform.store.collection<{ _id: string; credentials: Record<string, string> }>('channel_accounts').findOne({ _id: accountId });
    expect(raw?.credentials.smtpPassword).toBeDefined();
    expect(JSON.stringify(raw)).not.toContain(sink.password);
    const view = await host.api('GET', `/api/v1/channels/email/${accountId}`);
    expect(JSON.stringify(view.json)).not.toContain(sink.password);
    expect(view.json.credentialsSet).toContain('smtpPassword');
  });

  it('a wrong SMTP password is refused when the mailbox is connected', async () => {
    const res = await host.api('POST', '/api/v1/channels/email', {
      name: 'Wrong password',
      credentials: { smtpPassword: 'not-the-password' },
      settings: { address: 'other@shop.example', smtpHost: '127.0.0.1', smtpPort: String(sink.port), smtpUser: sink.user },
    });
    expect(res.status).toBe(422);
    expect(res.json.error.message).toMatch(/login/i);
  });

  it('one address routes to one inbox', async () => {
    const res = await host.api('POST', '/api/v1/channels/email', {
      name: 'Duplicate',
      credentials: { smtpPassword: sink.password },
      settings: { address: 'HELP@shop.example', smtpHost: '127.0.0.1', smtpPort: String(sink.port), smtpUser: sink.user },
    });
    expect(res.status).toBe(422);
    expect(res.json.error.message).toContain('already connected');
  });

  it('signs replies with DKIM when a key is configured; the signature verifies', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
    const created = await host.api('POST', '/api/v1/channels/email', {
      name: 'Signed',
      credentials: { smtpPassword: sink.password, dkimPrivateKey: pem },
      settings: { address: 'signed@brand.example', smtpHost: '127.0.0.1', smtpPort: String(sink.port), smtpUser: sink.user, dkimSelector: 'sb2026' },
    });
    expect(created.status, JSON.stringify(created.json)).toBe(201);
    const signedAccount = created.json.accountId as string;
    await customerMta().sendMail({ from: 'erik@customer.example', to: 'signed@brand.example', subject: 'Signed please', text: 'Is this signed?' });
    const msg = await eventually(async () => (await host.messages(signedAccount)).find((m) => m.text === 'Is this signed?'), 10_000, 'stored');
    await host.api('POST', `/api/v1/conversations/${msg.conversationId}/messages`, { text: 'Yes, it is.', idempotencyKey: 'dkim-0001' });
    const mail = await eventually(() => sink.received.find((r) => r.parsed.subject?.includes('Signed please')), 10_000, 'signed reply');
    expect(mail.raw.toString()).toMatch(/DKIM-Signature: .*d=brand\.example/s);
    const spki = publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
    const result = await dkimVerify(mail.raw, {
      resolver: async (name: string, type: string) => {
        if (name === 'sb2026._domainkey.brand.example' && type === 'TXT') return [[`v=DKIM1; k=rsa; p=${spki}`]];
        throw Object.assign(new Error('not found'), { code: 'ENOTFOUND' });
      },
    });
    expect(result.results[0]?.status.result).toBe('pass');
  });
});
