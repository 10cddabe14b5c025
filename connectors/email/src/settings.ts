import { Type } from 'typebox';
import type { ChannelAccount } from '@switchboard/connectors-sdk';
import type { ImapSettings } from './types.js';

const Bool = (description: string) => Type.Optional(Type.Union([Type.Literal('true'), Type.Literal('false')], { description }));
const Host = (description: string) => Type.String({ minLength: 1, maxLength: 253, pattern: '^[A-Za-z0-9.:\\[\\]-]+$', description });
const Port = (description: string) => Type.String({ pattern: '^[1-9]\\d{0,4}$', description });

/** Secrets of a mailbox: sealed with SECRETS_KEY at rest, never returned by the API. */
export const EmailCredentials = Type.Object(
  {
    smtpPassword: Type.Optional(Type.String({ minLength: 1, maxLength: 1000, description: 'Password (or app password) of the outgoing SMTP server.' })),
    imapPassword: Type.Optional(Type.String({ minLength: 1, maxLength: 1000, description: 'Password (or app password) of the IMAP mailbox.' })),
    dkimPrivateKey: Type.Optional(
      Type.String({ pattern: '-----BEGIN (RSA )?PRIVATE KEY-----', maxLength: 10_000, description: 'PEM private key that signs outgoing mail (DKIM).' }),
    ),
    webhookSecret: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_-]{16,256}$', description: 'Signs raw mail POSTed to the webhook (generated when omitted).' })),
  },
  { additionalProperties: false },
);

/** Non-secret settings of a mailbox (strings, like every channel's settings). */
export const EmailSettings = Type.Object(
  {
    address: Type.String({ format: 'email', maxLength: 320, description: 'The support address customers write to; our replies come from it.' }),
    fromName: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'Team name after the agent\'s in From, e.g. "Acme Support". Default: the inbox name.' })),
    smtpHost: Host('Outgoing SMTP server (relay), e.g. smtp.gmail.com.'),
    smtpPort: Type.Optional(Port('Default 587 (465 when smtpSecure is true).')),
    smtpSecure: Bool('true = implicit TLS (port 465); false = STARTTLS when offered. Default false.'),
    smtpUser: Type.Optional(Type.String({ minLength: 1, maxLength: 320, description: 'SMTP login; default the address.' })),
    imapHost: Type.Optional(Host('IMAP server to read the mailbox from, e.g. imap.gmail.com. Unset = mail arrives by SMTP (MX) or the webhook.')),
    imapPort: Type.Optional(Port('Default 993 (143 when imapSecure is false).')),
    imapSecure: Bool('true = implicit TLS (993, default); false = plain with STARTTLS when offered.'),
    imapUser: Type.Optional(Type.String({ minLength: 1, maxLength: 320, description: 'IMAP login; default the address.' })),
    imapMailbox: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'Folder to read; default INBOX.' })),
    imapInitialSyncDays: Type.Optional(Type.String({ pattern: '^\\d{1,3}$', description: 'On first connect, import mail of the last N days. Default 3.' })),
    dkimDomain: Type.Optional(Type.String({ minLength: 3, maxLength: 253, description: 'Domain that signs (d=), usually the address\'s domain.' })),
    dkimSelector: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9._-]{1,63}$', description: 'DKIM selector (s=); its public key is published at <selector>._domainkey.<domain>.' })),
    allowSelfSigned: Bool('Accept self-signed TLS certificates of the SMTP/IMAP servers (internal servers). Default false.'),
  },
  { additionalProperties: false },
);

/** The support address in the one form routing compares: lower case, "+tag" dropped. */
export function normalizeAddress(address: string): string {
  const lower = address.trim().toLowerCase();
  const at = lower.lastIndexOf('@');
  if (at < 0) return lower;
  const local = lower.slice(0, at).replace(/\+.*$/, '');
  return `${local}${lower.slice(at)}`;
}

export interface SmtpOut {
  host: string;
  port: number;
  secure: boolean;
  user: string;
  password: string | undefined;
  allowSelfSigned: boolean;
}

export function smtpOut(account: ChannelAccount): SmtpOut {
  const s = account.settings;
  const secure = s.smtpSecure === 'true';
  return {
    host: s.smtpHost ?? '',
    port: s.smtpPort ? Number(s.smtpPort) : secure ? 465 : 587,
    secure,
    user: s.smtpUser ?? s.address ?? '',
    password: account.credentials.smtpPassword,
    allowSelfSigned: s.allowSelfSigned === 'true',
  };
}

/** IMAP settings of an account, or null when its mail does not come over IMAP. */
export function imapIn(account: ChannelAccount): ImapSettings | null {
  const s = account.settings;
  if (!s.imapHost) return null;
  const secure = s.imapSecure !== 'false';
  return {
    host: s.imapHost,
    port: s.imapPort ? Number(s.imapPort) : secure ? 993 : 143,
    secure,
    user: s.imapUser ?? s.address ?? '',
    password: account.credentials.imapPassword ?? '',
    ...(s.imapMailbox ? { mailbox: s.imapMailbox } : {}),
    allowSelfSigned: s.allowSelfSigned === 'true',
  };
}

export function dkimOf(account: ChannelAccount): { domainName: string; keySelector: string; privateKey: string } | undefined {
  const { dkimDomain, dkimSelector } = account.settings;
  const key = account.credentials.dkimPrivateKey;
  if (!dkimSelector || !key) return undefined;
  const domainName = dkimDomain ?? (account.settings.address ?? '').split('@')[1] ?? '';
  return domainName ? { domainName, keySelector: dkimSelector, privateKey: key } : undefined;
}
