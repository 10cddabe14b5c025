import { createHash } from 'node:crypto';
import type { Attachment, EmailMeta } from '@switchboard/contracts';
import type { ConnectorContext, InboundDraft } from '@switchboard/connectors-sdk';
import { parseMail } from './parse.js';
import { emailHtmlForStorage } from './sanitize.js';
import { normalizeAddress } from './settings.js';
import { EmailThreads, idKey } from './threads.js';
import type { Address, MailFile, ParsedMail } from './types.js';

/** Text we keep of one mail body (the contract's limit); the full mail stays in the blob store when cut. */
const MAX_TEXT = 65_536;
const MAX_HTML = 1_000_000;

export interface MailAccount {
  tenantId: string;
  accountId: string;
  settings: Record<string, string>;
}

export function formatAddress(a: Address): string {
  return a.name ? `${a.name} <${a.address}>` : a.address;
}

/** The idempotency key of a mail: its Message-ID, or a hash of its bytes when it has none. */
export function mailExternalId(mail: Pick<ParsedMail, 'messageId'>, raw: Buffer): string {
  return mail.messageId ? `mid:${idKey(mail.messageId)}` : `sha256:${createHash('sha256').update(raw).digest('hex')}`;
}

function attachmentKind(mime: string): Attachment['kind'] {
  if (mime.startsWith('image/')) return 'image';
  if (mime.startsWith('video/')) return 'video';
  if (mime.startsWith('audio/')) return 'audio';
  return 'file';
}

async function saveFile(file: MailFile, ctx: ConnectorContext): Promise<Attachment> {
  const meta = await ctx.saveBlob(file.content, { mime: file.mime, name: file.filename });
  return { kind: attachmentKind(file.mime), name: file.filename, mime: file.mime, size: meta.size, ref: meta.ref };
}

/**
 * One raw mail (from SMTP, IMAP or the HTTP intake) → the inbound event the inbox stores: threaded,
 * files in the blob store, HTML made safe, noise and parse errors marked. A mail that cannot be
 * read in full is still delivered, with the original attached as an .eml file.
 */
export async function mailToEvent(raw: Buffer, account: MailAccount, ctx: ConnectorContext): Promise<InboundDraft> {
  const mail = await parseMail(raw);
  const text = mail.text.replace(/\s+$/, '');
  const threads = new EmailThreads(ctx, account.accountId);
  const externalId = mailExternalId(mail, raw);

  const attachments: Attachment[] = [];
  const inline = new Map<string, string>();
  for (const file of mail.files) {
    const saved = await saveFile(file, ctx);
    attachments.push(saved);
    if (file.contentId) inline.set(file.contentId, saved.ref);
  }
  if (mail.parseError || text.length > MAX_TEXT || (mail.html?.length ?? 0) > MAX_HTML) {
    // The original, exactly as received: nothing of a damaged or oversized mail is ever lost.
    const original = await ctx.saveBlob(raw, { mime: 'message/rfc822', name: 'original.eml' });
    attachments.push({ kind: 'file', name: 'original.eml', mime: 'message/rfc822', size: original.size, ref: original.ref });
  }

  const sender = mail.replyTo ?? mail.from;
  const fromAddress = mail.from?.address ?? sender?.address ?? 'unknown@invalid';
  const threadKey = await threads.resolve(mail, externalId);
  const customer = sender ? { address: sender.address, ...(sender.name ? { name: sender.name } : {}) } : { address: fromAddress };
  // Reply-all: everyone the customer wrote to or copied, except this mailbox and the customer.
  const ours = normalizeAddress(account.settings.address ?? '');
  const seen = new Set([ours, normalizeAddress(customer.address)]);
  const cc: Address[] = [];
  for (const a of [...mail.to, ...mail.cc]) {
    const key = normalizeAddress(a.address);
    if (!a.address.includes('@') || seen.has(key)) continue;
    seen.add(key);
    cc.push(a.name ? { address: a.address, name: a.name } : { address: a.address });
  }
  await threads.noteInbound(threadKey, mail, customer, cc);

  const email: EmailMeta = {
    subject: mail.subject.slice(0, 2000),
    ...(mail.messageId ? { messageId: mail.messageId.slice(0, 1000) } : {}),
    ...(mail.from ? { from: formatAddress(mail.from).slice(0, 1000) } : {}),
    ...(mail.to.length ? { to: mail.to.slice(0, 100).map((a) => formatAddress(a).slice(0, 1000)) } : {}),
    ...(mail.cc.length ? { cc: mail.cc.slice(0, 100).map((a) => formatAddress(a).slice(0, 1000)) } : {}),
    ...(mail.quoteStart !== undefined && mail.quoteStart < Math.min(text.length, MAX_TEXT) ? { quoteStart: mail.quoteStart } : {}),
    ...(mail.noise ? { noise: mail.noise.kind, noiseReason: mail.noise.reason.slice(0, 300) } : {}),
    ...(mail.parseError ? { parseError: mail.parseError.slice(0, 1000) } : {}),
  };
  const html = mail.html ? emailHtmlForStorage(mail.html, inline) : undefined;
  return {
    kind: 'message',
    externalId,
    threadKey,
    sender: {
      externalId: fromAddress.slice(0, 200),
      email: fromAddress.slice(0, 320),
      ...(mail.from?.name ? { name: mail.from.name.slice(0, 300) } : {}),
    },
    text: text.slice(0, MAX_TEXT),
    ...(html && html.length <= MAX_HTML ? { html } : {}),
    ...(attachments.length ? { attachments: attachments.slice(0, 50) } : {}),
    ...(mail.inReplyTo[0] ? { replyTo: `mid:${idKey(mail.inReplyTo[0])}`.slice(0, 200) } : {}),
    sentAt: (mail.date && mail.date.getTime() <= Date.now() + 86_400_000 ? mail.date : new Date()).toISOString(),
    email,
  };
}
