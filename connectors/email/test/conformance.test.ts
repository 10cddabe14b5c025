import { connectorConformance } from '@switchboard/connectors-sdk/testing';
import { emailChannel, emailConnector, mailSignature, SIGNATURE_HEADER } from '../src/index.js';
import { SmtpSink } from './smtp-sink.js';

/** Raw mail POSTed to the webhook, the way a mail server's pipe (Postfix, Exim) hands it on. */
function rawMail(msg: { id: string; chat: string; text: string }): string {
  return [
    `From: Customer ${msg.chat} <${msg.chat}@customer.example>`,
    'To: Support <support@acme.example>',
    'Subject: My parcel',
    `Message-ID: <${msg.id}@customer.example>`,
    `References: <${msg.chat}-root@customer.example>`,
    `In-Reply-To: <${msg.chat}-root@customer.example>`,
    `Date: ${new Date().toUTCString()}`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
    '',
    msg.text,
    '',
  ].join('\r\n');
}

connectorConformance<SmtpSink & { url: string }>('email', {
  standIn: () => new SmtpSink().start(),
  connector: () => emailConnector(),
  host: { mount: async (app, platform) => void (await app.register(emailChannel, { platform, smtp: false, timeoutMs: 5_000 })) },
  credentials: (sink) => ({ smtpPassword: sink.password }),
  settings: (sink) => ({ address: 'support@acme.example', smtpHost: '127.0.0.1', smtpPort: String(sink.port), smtpUser: sink.user, fromName: 'Acme Support' }),
  inboundMessage: (account, msg) => {
    const body = rawMail(msg);
    return {
      headers: { 'content-type': 'message/rfc822', [SIGNATURE_HEADER]: mailSignature(account.credentials.webhookSecret!, Buffer.from(body)) },
      body,
    };
  },
  badSignature: (call) => ({ ...call, headers: { ...call.headers, [SIGNATURE_HEADER]: `sha256=${'0'.repeat(64)}` } }),
  sentTexts: (sink) => sink.texts(),
});
