import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerAddress, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import type { Logger } from '@switchboard/logging';

export interface InboundSmtpOptions {
  host: string;
  /** 0 = any free port (tests). */
  port: number;
  /** Largest mail accepted, bytes (advertised with SIZE; bigger mail is refused with 552). */
  maxBytes: number;
  /** Name in the greeting and in EHLO answers. */
  hostname?: string;
  /** PEM key and certificate: STARTTLS is offered only with them. */
  tls?: { key: Buffer; cert: Buffer };
  /** Recipients per mail (more are refused with 452, as RFC 5321 allows). Default 100. */
  maxRecipients?: number;
  /** Which of our mailboxes an envelope recipient is; null = not ours (550). */
  route(recipient: string): Promise<string | null>;
  /**
   * The mail for the routed mailboxes. Resolves once it is safely queued (broker confirmed):
   * only then the sender gets 250. A rejection answers 451 so the sending server retries later.
   */
  accept(raw: Buffer, mailboxes: string[], envelope: { from: string | null; to: string[]; remoteAddress: string }): Promise<void>;
  logger: Logger;
}

export interface InboundSmtp {
  port: number;
  close(): Promise<void>;
}

function smtpError(code: number, message: string): Error {
  return Object.assign(new Error(message), { responseCode: code });
}

/** Which mailboxes the session's recipients were routed to, kept per session. */
const routed = new WeakMap<SMTPServerSession, Set<string>>();

/**
 * Our MX: accepts mail for the tenants' support addresses only (recipient check at RCPT time),
 * refuses mail over the size limit, and says 250 only after the mail was handed on safely.
 * Never an open relay: no AUTH, and every recipient must be one of our mailboxes.
 */
export async function startInboundSmtp(opts: InboundSmtpOptions): Promise<InboundSmtp> {
  const maxRecipients = opts.maxRecipients ?? 100;
  const log = opts.logger.child({ component: 'smtp-inbound' });
  const server = new SMTPServer({
    name: opts.hostname,
    banner: 'Switchboard ESMTP',
    size: opts.maxBytes,
    authOptional: true,
    disabledCommands: opts.tls ? ['AUTH'] : ['AUTH', 'STARTTLS'],
    ...(opts.tls ? { key: opts.tls.key, cert: opts.tls.cert } : {}),
    logger: false,
    // A slow or silent client must not hold a connection forever.
    socketTimeout: 120_000,
    closeTimeout: 5_000,
    onMailFrom(address: SMTPServerAddress, _session: SMTPServerSession, callback: (err?: Error | null) => void) {
      const args = address.args ? (address.args as Record<string, string>) : {};
      const declared = Number(args.SIZE ?? 0);
      if (declared > opts.maxBytes) return callback(smtpError(552, `5.3.4 Message too big: this server accepts up to ${opts.maxBytes} bytes`));
      callback();
    },
    onRcptTo(address: SMTPServerAddress, session: SMTPServerSession, callback: (err?: Error | null) => void) {
      const set = routed.get(session) ?? new Set<string>();
      if (session.envelope.rcptTo.length >= maxRecipients) return callback(smtpError(452, '4.5.3 Too many recipients'));
      opts.route(address.address).then(
        (mailbox) => {
          if (!mailbox) return callback(smtpError(550, `5.1.1 <${address.address}>: no such mailbox here`));
          set.add(mailbox);
          routed.set(session, set);
          callback();
        },
        (err: unknown) => {
          log.error({ err }, 'recipient lookup failed');
          callback(smtpError(451, '4.3.0 Temporary lookup failure, try again later'));
        },
      );
    },
    onData(stream: SMTPServerDataStream, session: SMTPServerSession, callback: (err?: Error | null, message?: string) => void) {
      const chunks: Buffer[] = [];
      let size = 0;
      stream.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size <= opts.maxBytes) chunks.push(chunk);
      });
      stream.on('error', (err) => callback(err));
      stream.on('end', () => {
        if (stream.sizeExceeded || size > opts.maxBytes) {
          return callback(smtpError(552, `5.3.4 Message too big: this server accepts up to ${opts.maxBytes} bytes`));
        }
        const mailboxes = [...(routed.get(session) ?? [])];
        routed.delete(session);
        const envelope = {
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : null,
          to: session.envelope.rcptTo.map((r) => r.address),
          remoteAddress: session.remoteAddress,
        };
        opts.accept(Buffer.concat(chunks), mailboxes, envelope).then(
          () => callback(null, 'OK: queued'),
          (err: unknown) => {
            log.error({ err, to: envelope.to }, 'mail could not be queued; asking the sender to retry');
            callback(smtpError(451, '4.3.0 Temporary failure, try again later'));
          },
        );
      });
    },
  });
  server.on('error', (err) => log.warn({ err }, 'SMTP server error'));
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.server.off('error', reject);
      resolve();
    });
  });
  const port = (server.server.address() as AddressInfo).port;
  log.info({ host: opts.host, port }, 'accepting mail over SMTP');
  return {
    port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
