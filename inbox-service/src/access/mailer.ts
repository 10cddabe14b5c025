import nodemailer from 'nodemailer';
import type { Logger } from '@switchboard/logging';

export interface Mail {
  to: string;
  subject: string;
  text: string;
}

export interface Mailer {
  readonly configured: boolean;
  send(mail: Mail): Promise<void>;
}

/**
 * Mail over SMTP (SMTP_URL). Without it, mail cannot leave the process: the message is written to
 * the log at warn level so a one-process install can still finish a password reset.
 */
export function createMailer(opts: { smtpUrl: string | undefined; from: string }, logger: Logger): Mailer {
  if (!opts.smtpUrl) {
    return {
      configured: false,
      async send(mail) {
        logger.warn({ to: mail.to, subject: mail.subject, text: mail.text }, 'SMTP_URL is not set: this email was not sent; its text is logged here instead');
      },
    };
  }
  const transport = nodemailer.createTransport(opts.smtpUrl);
  return {
    configured: true,
    async send(mail) {
      await transport.sendMail({ from: opts.from, to: mail.to, subject: mail.subject, text: mail.text });
    },
  };
}
