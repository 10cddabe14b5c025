import type { EmailNoise } from '@switchboard/contracts';
import type { MailFile, ParsedMail } from './types.js';

/** What classifyNoise looks at: the headers, sender, subject and the MIME types of the parts. */
export type NoiseInput = Pick<ParsedMail, 'headers' | 'subject'> &
  Partial<Pick<ParsedMail, 'from'>> & {
    files?: ReadonlyArray<Pick<MailFile, 'mime'>>;
    /** Top-level Content-Type as written; default: the content-type header. */
    contentType?: string;
  };

export interface Noise {
  kind: EmailNoise;
  /** The header or part that gave it away, e.g. "Auto-Submitted: auto-replied". */
  reason: string;
}

/** Subjects servers put on delivery status notifications (non-delivery reports). */
const DSN_SUBJECT =
  /undeliver(?:ed|able)|returned mail|returned to sender|delivery status notification|delivery (?:has )?fail|mail delivery (?:failed|failure|subsystem)|failure notice|non[- ]?delivery|could not be delivered|nicht zustellbar|unzustellbar|non remis|non recapitabile|no se puede entregar|недоставленное сообщение|не удалось доставить|не доставлено|сообщение не доставлено/iu;

/** Subjects of out-of-office and other automatic replies, at the start of the subject. */
const AUTO_REPLY_SUBJECT =
  /^\s*(?:automatic reply|auto(?:matic)?[- ]?(?:reply|response|answer)|autoreply|autorespond|out of (?:the )?office|abwesend|abwesenheitsnotiz|automatische antwort|r[ée]ponse automatique|absence du bureau|respuesta autom[áa]tica|risposta automatica|автоответ|автоматический ответ|auto\s*:)/iu;

/** Vacation wording anywhere in the subject (vacation(1) writes "I am on vacation"). */
const VACATION_SUBJECT =
  /\b(?:on (?:vacation|holiday|leave)|away from (?:my |the )?(?:e-?mail|mail|desk|office)|out of (?:the )?office|vacation reply|im urlaub)\b|в отпуске|нет на месте|отсутствую|автоответ/iu;

const LIST_HEADERS = ['list-id', 'list-unsubscribe', 'list-post'] as const;
const CAMPAIGN_HEADERS = ['x-campaign', 'x-campaignid', 'x-mailchimp-campaign', 'x-mc-user'] as const;

/** Reasons end up in EmailMeta.noiseReason (300 characters at most). */
function reasonOf(name: string, value: string): string {
  const v = value.replace(/\s+/g, ' ').trim();
  const text = v ? `${name}: ${v}` : name;
  return text.length > 200 ? `${text.slice(0, 199)}…` : text;
}

function first(headers: Map<string, string[]>, name: string): string | undefined {
  return headers.get(name)?.[0];
}

function quoted(subject: string): string {
  const s = subject.replace(/\s+/g, ' ').trim();
  return JSON.stringify(s.length > 80 ? `${s.slice(0, 79)}…` : s);
}

/** The first token of a header value, lower-cased: "auto-replied; owner-email=…" → "auto-replied". */
function token(value: string): string {
  return (value.split(';')[0] ?? '').trim().toLowerCase();
}

/**
 * Tells bounces, automatic replies and list mail apart from mail a person wrote, so that
 * automation never answers them (mail loops). Bounce beats auto-reply beats list: a DSN carries
 * Auto-Submitted too, and an out-of-office reply may come from a list server.
 */
export function classifyNoise(mail: NoiseInput): Noise | undefined {
  return bounce(mail) ?? autoReply(mail) ?? list(mail);
}

function bounce(mail: NoiseInput): Noise | undefined {
  const { headers } = mail;
  const contentType = mail.contentType ?? first(headers, 'content-type') ?? '';
  if (/^\s*multipart\/report\b/i.test(contentType)) {
    const reportType = /report-type\s*=\s*"?([\w.-]+)/i.exec(contentType)?.[1]?.toLowerCase();
    if (reportType === 'delivery-status' || reportType === 'global-delivery-status') {
      return { kind: 'bounce', reason: `Content-Type: multipart/report; report-type=${reportType}` };
    }
  }
  const dsnPart = mail.files?.find((f) => /^message\/(?:global-)?delivery-status$/i.test(f.mime));
  if (dsnPart) return { kind: 'bounce', reason: `${dsnPart.mime.toLowerCase()} part` };

  if (headers.has('x-ms-exchange-message-is-ndr')) return { kind: 'bounce', reason: 'X-MS-Exchange-Message-Is-Ndr' };
  const failed = first(headers, 'x-failed-recipients');
  if (failed !== undefined) return { kind: 'bounce', reason: reasonOf('X-Failed-Recipients', failed) };

  const from = mail.from?.address ?? '';
  if (/^(?:mailer-daemon|postmaster)(?:@|$)/i.test(from)) return { kind: 'bounce', reason: `From: ${from}` };

  if (DSN_SUBJECT.test(mail.subject)) {
    const returnPath = headers.get('return-path');
    if (returnPath?.some((v) => /^<?\s*>?$/.test(v.trim()))) {
      return { kind: 'bounce', reason: `Return-Path: <> with subject ${quoted(mail.subject)}` };
    }
    const autoSubmitted = first(headers, 'auto-submitted');
    if (autoSubmitted !== undefined && token(autoSubmitted) && token(autoSubmitted) !== 'no') {
      return { kind: 'bounce', reason: `${reasonOf('Auto-Submitted', autoSubmitted)} with subject ${quoted(mail.subject)}` };
    }
  }
  return undefined;
}

function autoReply(mail: NoiseInput): Noise | undefined {
  const { headers, subject } = mail;
  // RFC 3834: any value but "no" means a machine sent it (auto-replied, auto-generated, auto-notified).
  for (const value of headers.get('auto-submitted') ?? []) {
    const t = token(value);
    if (t && t !== 'no') return { kind: 'auto-reply', reason: reasonOf('Auto-Submitted', value) };
  }
  const contentType = mail.contentType ?? first(headers, 'content-type') ?? '';
  if (/^\s*multipart\/report\b/i.test(contentType) && /report-type\s*=\s*"?disposition-notification/i.test(contentType)) {
    // A read receipt (MDN).
    return { kind: 'auto-reply', reason: 'Content-Type: multipart/report; report-type=disposition-notification' };
  }
  // Headers only autoresponders write: enough on their own.
  for (const name of ['x-autoreply', 'x-autorespond'] as const) {
    const value = first(headers, name);
    if (value !== undefined && !/^\s*(?:no|false|0)\s*$/i.test(value)) {
      return { kind: 'auto-reply', reason: reasonOf(name === 'x-autoreply' ? 'X-Autoreply' : 'X-Autorespond', value) };
    }
  }
  for (const value of headers.get('precedence') ?? []) {
    if (token(value) === 'auto_reply') return { kind: 'auto-reply', reason: reasonOf('Precedence', value) };
  }
  const rulesLoop = first(headers, 'x-ms-exchange-inbox-rules-loop');
  if (rulesLoop !== undefined) return { kind: 'auto-reply', reason: reasonOf('X-MS-Exchange-Inbox-Rules-Loop', rulesLoop) };

  if (AUTO_REPLY_SUBJECT.test(subject)) {
    // Outlook sets X-Auto-Response-Suppress on ordinary mail too; together with the subject it is telling.
    const suppress = first(headers, 'x-auto-response-suppress');
    const extra = suppress !== undefined ? ` (${reasonOf('X-Auto-Response-Suppress', suppress)})` : '';
    return { kind: 'auto-reply', reason: `Subject: ${quoted(subject)}${extra}` };
  }
  // vacation(1) marks its answers with Precedence: bulk only: the subject tells it from list mail.
  for (const value of headers.get('precedence') ?? []) {
    const t = token(value);
    if ((t === 'bulk' || t === 'junk' || t === 'list') && VACATION_SUBJECT.test(subject)) {
      return { kind: 'auto-reply', reason: `${reasonOf('Precedence', value)} with subject ${quoted(subject)}` };
    }
  }
  return undefined;
}

function list(mail: NoiseInput): Noise | undefined {
  const { headers } = mail;
  for (const name of LIST_HEADERS) {
    const value = first(headers, name);
    if (value !== undefined) {
      const label = name === 'list-id' ? 'List-Id' : name === 'list-unsubscribe' ? 'List-Unsubscribe' : 'List-Post';
      return { kind: 'list', reason: name === 'list-id' ? reasonOf(label, value) : label };
    }
  }
  for (const value of headers.get('precedence') ?? []) {
    const t = token(value);
    if (t === 'list' || t === 'bulk' || t === 'junk') return { kind: 'list', reason: reasonOf('Precedence', value) };
  }
  for (const name of CAMPAIGN_HEADERS) {
    if (headers.has(name)) return { kind: 'list', reason: name.replace(/(^|-)(\w)/g, (_m, d: string, c: string) => d + c.toUpperCase()) };
  }
  return undefined;
}
