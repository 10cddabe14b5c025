import type { Server } from 'socket.io';
import type { Bus } from '@switchboard/bus';
import { newId, type Attachment } from '@switchboard/contracts';
import type { Logger } from '@switchboard/logging';
import { rooms } from './fanout.js';
import type { ConversationRecord, InboxRecord, MessageRecord, TenantRepositories } from './repositories/index.js';
import { normalizeOrigin } from './web-origins.js';

/** The email thread a website conversation's mailed replies share (one per conversation). */
export const webMailThreadKey = (conversationId: string) => `web:${conversationId}`;

/** Whether any socket of the visitor is open on any node (socket.io's cluster adapter asks them all). */
export async function visitorConnected(io: Server, tenantId: string, inboxId: string, visitorId: string): Promise<boolean> {
  const sockets = await io.of('/widget').in(rooms.visitor(tenantId, inboxId, visitorId)).fetchSockets();
  return sockets.length > 0;
}

export interface WebOfflineMailDeps {
  io: Server;
  bus: Bus;
  logger: Logger;
}

/**
 * Offline replies: an agent's reply in a website conversation whose visitor has no widget open
 * is also mailed to the visitor, through the tenant's email inbox (its connector sends it, as any
 * email reply). The chat keeps the reply; the mail is a copy. A mail that cannot be sent comes
 * back as the reply's "failed" status with the reason, so agents see it.
 */
export class WebOfflineMail {
  constructor(private readonly deps: WebOfflineMailDeps) {}

  /**
   * After a web reply was stored: mails it when the visitor is away. Never throws — the chat copy
   * stands; 'failed' = the mail could not be queued (the caller marks the reply failed).
   */
  async mailIfAway(r: TenantRepositories, conv: ConversationRecord, message: MessageRecord, author: { name: string }): Promise<'queued' | 'skipped' | 'failed'> {
    const log = this.deps.logger.child({ tenantId: r.tenantId, conversationId: conv._id, messageId: message._id });
    try {
      if (await this.connected(conv, log)) return 'skipped';
      const contact = await r.contacts.findById(conv.contact.id);
      const address = contact?.email ?? conv.contact.email;
      if (!address) {
        log.info('visitor is away and left no email address; the reply waits in the chat');
        return 'skipped';
      }
      const emailInbox = await this.emailInbox(r);
      if (!emailInbox) {
        log.info('visitor is away but the team has no email inbox to mail the reply from; the reply waits in the chat');
        return 'skipped';
      }
      const webInbox = await r.inboxes.findById(conv.inboxId);
      const name = contact?.name ?? conv.contact.name;
      const link = pageLink(webInbox, (contact as { attributes?: Record<string, unknown> } | null)?.attributes);
      await this.deps.bus.publishOutbound({
        id: newId(),
        v: 1,
        tenantId: r.tenantId,
        conversationId: conv._id,
        messageId: message._id,
        channel: 'email',
        channelAccountId: emailInbox.channelAccountId,
        threadKey: webMailThreadKey(conv._id),
        text: mailText(message.text, message.attachments, link),
        ...(message.attachments.length ? { attachments: message.attachments.slice(0, 50) } : {}),
        author: { name: author.name.slice(0, 300) },
        // One mail per reply, whatever retries happen: the email connector never sends a key twice.
        idempotencyKey: `web-offline-${message._id}`,
        mailTo: {
          address,
          ...(name ? { name: name.slice(0, 300) } : {}),
          subject: `${webInbox?.name ?? 'Chat'}: new reply`.slice(0, 500),
        },
      });
      log.info({ emailInboxId: emailInbox._id }, 'visitor is away; reply queued for email');
      return 'queued';
    } catch (err) {
      log.error({ err }, 'could not queue the email copy of a reply to an away visitor');
      return 'failed';
    }
  }

  private async connected(conv: ConversationRecord, log: Logger): Promise<boolean> {
    try {
      return await visitorConnected(this.deps.io, conv.tenantId, conv.inboxId, conv.threadKey);
    } catch (err) {
      // A node that does not answer in time: mail anyway — a copy too many beats a reply never seen.
      log.warn({ err }, 'could not tell whether the visitor is connected; mailing the reply');
      return false;
    }
  }

  /** The team's oldest email inbox: the address its website replies are mailed from. */
  private async emailInbox(r: TenantRepositories): Promise<InboxRecord | null> {
    const [first] = await r.inboxes.find({ channel: 'email' }, { sort: { createdAt: 1 }, limit: 1 });
    return first ?? null;
  }
}

/**
 * A link back to the website. A page URL the site set on the visitor (attribute `pageUrl`) only
 * when it is on one of the inbox's allowed origins — the visitor chose the address this goes to,
 * so nothing they set may put a foreign link in a mail from the team; else the first allowed origin.
 */
export function pageLink(inbox: Pick<InboxRecord, 'allowedOrigins'> | null, attributes: Record<string, unknown> | undefined): string | undefined {
  const allowed = inbox?.allowedOrigins ?? [];
  const page = attributes?.pageUrl ?? attributes?.page_url;
  if (typeof page === 'string' && page.length <= 2000) {
    try {
      const url = new URL(page);
      if ((url.protocol === 'https:' || url.protocol === 'http:') && allowed.includes(normalizeOrigin(url.origin))) return url.href;
    } catch {
      // not a URL: fall back to the site
    }
  }
  return allowed[0] ? `${allowed[0]}/` : undefined;
}

/** The reply's text, then a signature block ("-- ") saying where the conversation continues. */
export function mailText(text: string | undefined, attachments: readonly Attachment[], link: string | undefined): string {
  const parts: string[] = [];
  if (text?.trim()) parts.push(text.trim());
  if (attachments.length) parts.push(`Attached: ${attachments.map((a) => a.name ?? 'file').join(', ')}`);
  const where = link ? `Answer this email, or continue the chat on ${link}` : 'Answer this email, or continue the chat on our website.';
  parts.push(`-- \nYou left the chat before we answered. ${where}`);
  return parts.join('\n\n').slice(0, 65_536);
}
