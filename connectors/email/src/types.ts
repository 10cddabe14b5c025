import type { EmailNoise } from '@switchboard/contracts';

/** One mailbox address as written in a header. */
export interface Address {
  name?: string;
  /** Lower-cased address, e.g. "anna@example.com". */
  address: string;
}

/** A file found in a mail: a real attachment or an inline (cid:) image. */
export interface MailFile {
  filename: string;
  mime: string;
  size: number;
  /** Content-ID without angle brackets, for inline images referenced as cid:… in the HTML. */
  contentId?: string;
  inline: boolean;
  content: Buffer;
}

/**
 * A mail read from its raw RFC 822 bytes: every header we thread, classify and show by, the
 * decoded bodies (any charset, RFC 2047 words, quoted-printable and base64 already undone) and
 * the files. Never thrown away: a mail that cannot be read in full carries `parseError` and
 * whatever could be read.
 */
export interface ParsedMail {
  /** Message-ID without angle brackets; absent when the mail had none. */
  messageId?: string;
  /** In-Reply-To ids, without angle brackets, in order. */
  inReplyTo: string[];
  /** References ids, without angle brackets, oldest first. */
  references: string[];
  subject: string;
  from?: Address;
  replyTo?: Address;
  to: Address[];
  cc: Address[];
  /** Date header, or undefined when missing or unreadable. */
  date?: Date;
  /** Plain text body; derived from the HTML when the mail has only HTML. */
  text: string;
  /** HTML body as sent (not sanitized: see sanitize.ts). */
  html?: string;
  files: MailFile[];
  /** Lower-case header name → raw values (for classification). */
  headers: Map<string, string[]>;
  noise?: { kind: EmailNoise; reason: string };
  /** Offset in `text` where quoted history / signature starts, when there is any. */
  quoteStart?: number;
  /** Why the mail could not be read in full. */
  parseError?: string;
}

/** Connection settings of a mailbox reached over IMAP. */
export interface ImapSettings {
  host: string;
  port: number;
  /** Implicit TLS (993); false = plain, upgraded with STARTTLS when the server offers it. */
  secure: boolean;
  user: string;
  password: string;
  /** Default "INBOX". */
  mailbox?: string;
  /** Accept self-signed certificates (tests, internal servers). Default false. */
  allowSelfSigned?: boolean;
}

/** Where an IMAP mailbox was read up to; kept so a restart neither skips nor repeats. */
export interface MailboxState {
  uidValidity: string;
  lastUid: number;
}

export interface MailboxCursor {
  load(): Promise<MailboxState | null>;
  save(state: MailboxState): Promise<void>;
}
