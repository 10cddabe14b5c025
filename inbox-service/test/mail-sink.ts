import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface SunkMail {
  to: string;
  /** The body as a mail client shows it (quoted-printable decoded). */
  text: string;
}

/** A loopback SMTP sink: what the hub sends arrives here over real SMTP (as in access.test.ts). */
export async function smtpSink(): Promise<{ url: string; mails: SunkMail[]; close(): Promise<void> }> {
  const mails: SunkMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      let body = '';
      stream.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      stream.on('end', () => {
        mails.push({ to: session.envelope.rcptTo.map((r) => r.address).join(','), text: quotedPrintable(body) });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return { url: `smtp://127.0.0.1:${port}`, mails, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** Mail bodies arrive quoted-printable encoded; a mail client shows them decoded. */
export function quotedPrintable(text: string): string {
  return text.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/** The token of the invitation link (`…/#/invite/<token>`) in the last mail to `to`. */
export function invitationToken(mails: SunkMail[], to: string): string | null {
  const mail = mails.filter((m) => m.to === to).at(-1);
  const m = mail && /\/#\/invite\/([A-Za-z0-9_%-]+)/.exec(mail.text);
  return m ? decodeURIComponent(m[1]!) : null;
}
