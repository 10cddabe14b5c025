import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface SunkMail {
  from: string | null;
  to: string[];
  raw: Buffer;
  parsed: ParsedMail;
}

/**
 * The provider side of outbound mail: a real SMTP server on 127.0.0.1 that requires a login and
 * keeps what it was sent, and can be told to refuse (5xx) or defer (4xx) the next mails.
 */
export class SmtpSink {
  readonly received: SunkMail[] = [];
  /** Answers for the next DATA commands, consumed in order: e.g. { code: 451, message: '4.7.1 Try again later' }. */
  readonly failNext: { code: number; message: string }[] = [];
  url = '';
  port = 0;
  private server: SMTPServer | undefined;

  constructor(
    readonly user = 'support',
    readonly password = 'sink-password-123',
  ) {}

  async start(): Promise<this> {
    this.server = new SMTPServer({
      authMethods: ['PLAIN', 'LOGIN'],
      allowInsecureAuth: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onAuth: (auth, _session, callback) => {
        if (auth.username === this.user && auth.password === this.password) return callback(null, { user: auth.username });
        callback(Object.assign(new Error('5.7.8 Authentication credentials invalid'), { responseCode: 535 }));
      },
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          const fail = this.failNext.shift();
          if (fail) return callback(Object.assign(new Error(fail.message), { responseCode: fail.code }));
          const raw = Buffer.concat(chunks);
          simpleParser(raw).then(
            (parsed) => {
              this.received.push({
                from: session.envelope.mailFrom ? session.envelope.mailFrom.address : null,
                to: session.envelope.rcptTo.map((r) => r.address),
                raw,
                parsed,
              });
              callback(null, 'OK: sunk');
            },
            (err: Error) => callback(err),
          );
        });
      },
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', () => resolve()));
    this.port = (this.server.server.address() as AddressInfo).port;
    this.url = `smtp://127.0.0.1:${this.port}`;
    return this;
  }

  texts(): string[] {
    return this.received.map((m) => (m.parsed.text ?? '').trim());
  }

  close(): Promise<void> {
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
