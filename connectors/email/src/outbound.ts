import { randomUUID } from 'node:crypto';
import nodemailer from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport/index.js';
import type { OutboundCommand } from '@switchboard/contracts';
import { DeliveryError, permanent, transient, type ChannelAccount, type ConnectorContext } from '@switchboard/connectors-sdk';
import { dkimOf, smtpOut, type SmtpOut } from './settings.js';
import { EmailThreads, replySubject } from './threads.js';

export interface SmtpTimeouts {
  /** Connecting, greeting and each command (default 30 s). */
  timeoutMs: number;
}

export function smtpTransport(out: SmtpOut, t: SmtpTimeouts): nodemailer.Transporter<SMTPTransport.SentMessageInfo> {
  return nodemailer.createTransport({
    host: out.host,
    port: out.port,
    secure: out.secure,
    ...(out.password ? { auth: { user: out.user, pass: out.password } } : {}),
    tls: { rejectUnauthorized: !out.allowSelfSigned },
    connectionTimeout: t.timeoutMs,
    greetingTimeout: t.timeoutMs,
    socketTimeout: t.timeoutMs,
  });
}

/** An SMTP error in words an agent can act on, classed as the SMTP reply code says: 5xx never succeeds, 4xx may. */
export function smtpFailure(err: unknown): Error {
  const e = err as { code?: string; responseCode?: number; response?: string; message?: string };
  const said = (e.response ?? e.message ?? String(err)).replace(/\s+/g, ' ').trim().slice(0, 500);
  if (e.code === 'EAUTH') return permanent(`The SMTP server refused the login: ${said}`, e.responseCode);
  if (e.code === 'EENVELOPE' && !e.responseCode) return permanent(`The mail could not be addressed: ${said}`);
  if (typeof e.responseCode === 'number') {
    return e.responseCode >= 500
      ? permanent(`The mail server refused the message (SMTP ${e.responseCode}): ${said}`, e.responseCode)
      : transient(`The mail server deferred the message (SMTP ${e.responseCode}): ${said}`, e.responseCode);
  }
  return transient(`The mail server could not be reached: ${said}`);
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** The agent's plain text as simple HTML: paragraphs, line breaks and clickable links, nothing else. */
export function textToHtml(text: string): string {
  const linkify = (s: string) => s.replace(/\bhttps?:\/\/[^\s<>"']+[^\s<>"'.,;:!?)\]]/g, (url) => `<a href="${url}">${url}</a>`);
  const paragraphs = text.trim().split(/\n{2,}/).map((p) => `<p>${linkify(escapeHtml(p)).replace(/\n/g, '<br>')}</p>`);
  return `<!doctype html><html><body style="font-family:sans-serif;font-size:14px;line-height:1.5">${paragraphs.join('\n')}</body></html>`;
}

function quoteName(name: string): string {
  return name.replace(/["\\\r\n]/g, '').trim();
}

function mailbox(a: { address: string; name?: string }): string | { name: string; address: string } {
  return a.name ? { name: quoteName(a.name), address: a.address } : a.address;
}

/**
 * An agent's reply as a real mail client writes it: From the inbox address with the agent's name,
 * To the customer, "Re: <subject> [#n]", In-Reply-To the newest mail of the thread and References
 * the chain, text with an HTML alternative, the agent's files, DKIM-signed when configured.
 */
export async function sendMail(command: OutboundCommand, account: ChannelAccount, ctx: ConnectorContext, t: SmtpTimeouts): Promise<{ externalId: string }> {
  const out = smtpOut(account);
  if (!out.host) throw permanent('No outgoing SMTP server is configured for this mailbox.');
  const threads = new EmailThreads(ctx, account.accountId);
  const mailTo = command.mailTo;
  const thread = mailTo
    ? await threads.openTo(command.threadKey, mailTo.subject, { address: mailTo.address, ...(mailTo.name ? { name: mailTo.name } : {}) })
    : await threads.get(command.threadKey);
  if (!thread) throw permanent('This conversation has no email thread to answer (no mail was received in it).');
  const address = account.settings.address ?? out.user;
  const domain = address.split('@')[1] ?? 'switchboard.local';
  // Stable per reply: a retry after a timeout sends the same Message-ID, so a receiving server that saw it can tell.
  const messageId = `${command.idempotencyKey.replace(/[^A-Za-z0-9._-]/g, '') || randomUUID()}.${command.messageId.slice(0, 40)}@${domain}`;
  await threads.noteOutbound(command.threadKey, messageId);

  const attachments = [];
  for (const a of command.attachments ?? []) {
    const blob = await ctx.readBlob(a.ref);
    if (!blob) throw permanent(`The attachment "${a.name ?? a.ref}" no longer exists.`);
    attachments.push({ filename: a.name ?? blob.meta.name, content: blob.data, contentType: a.mime ?? blob.meta.mime });
  }
  const team = account.settings.fromName ?? account.name;
  const agent = command.author?.name;
  const text = command.text ?? '';
  const transport = smtpTransport(out, t);
  try {
    await transport.sendMail({
      messageId: `<${messageId}>`,
      from: { name: quoteName(agent ? `${agent} (${team})` : team), address },
      to: mailbox(thread.customer),
      ...(thread.cc?.length ? { cc: thread.cc.map(mailbox) } : {}),
      // Our first mail of a thread we started is no answer: its own subject, the number for threading.
      subject: mailTo && !thread.lastMessageId ? `${thread.subject || mailTo.subject} [#${thread.number}]` : replySubject(thread),
      ...(thread.lastMessageId ? { inReplyTo: `<${thread.lastMessageId}>` } : {}),
      ...(thread.references.length ? { references: thread.references.map((r) => `<${r}>`) } : {}),
      text,
      html: command.html ?? textToHtml(text),
      attachments,
      ...(dkimOf(account) ? { dkim: dkimOf(account) } : {}),
    });
  } catch (err) {
    const failure = smtpFailure(err);
    // Shown on a website reply, whose chat copy did reach the conversation: say which copy failed.
    if (mailTo && failure instanceof DeliveryError) throw new DeliveryError(`The email to ${mailTo.address} was not sent: ${failure.message}`, failure.permanent, failure.providerStatus);
    throw failure;
  } finally {
    transport.close();
  }
  await threads.sent(thread, messageId);
  return { externalId: messageId };
}

/** Does the outgoing server accept our login? (connect, EHLO, STARTTLS/TLS, AUTH, QUIT) */
export async function checkSmtp(account: ChannelAccount, t: SmtpTimeouts): Promise<{ ok: boolean; reason?: string }> {
  const out = smtpOut(account);
  const transport = smtpTransport(out, t);
  try {
    await transport.verify();
    return { ok: true };
  } catch (err) {
    return { ok: false, reason: `SMTP ${out.host}:${out.port}: ${smtpFailure(err).message}` };
  } finally {
    transport.close();
  }
}
