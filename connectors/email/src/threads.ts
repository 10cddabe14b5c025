import { createHash } from 'node:crypto';
import type { ConnectorContext } from '@switchboard/connectors-sdk';
import type { TenantDoc } from '@switchboard/tenancy';

/** Every Message-ID we have seen or sent on an account, and the thread it belongs to. */
export interface MessageIdRecord extends TenantDoc {
  accountId: string;
  messageId: string;
  threadKey: string;
  direction: 'in' | 'out';
  createdAt: Date;
}

/** One email conversation as the connector threads and answers it. */
export interface ThreadRecord extends TenantDoc {
  accountId: string;
  threadKey: string;
  /** Per-tenant number shown in subjects as "[#1042]": the fallback when a client drops the threading headers. */
  number: number;
  /** Subject of the mail that opened the thread, without Re:/Fwd: prefixes and our token. */
  subject: string;
  /** Who our replies go to: the customer's Reply-To or From of their latest mail. */
  customer: { address: string; name?: string };
  /** Everyone else on the customer's latest mail (To and Cc but us): our replies copy them, as "reply all" does. */
  cc?: { address: string; name?: string }[];
  /** The newest Message-ID in the thread (ours or theirs): our next reply's In-Reply-To. */
  lastMessageId: string | null;
  /** References of the thread, oldest first (capped): our next reply's References. */
  references: string[];
  createdAt: Date;
  updatedAt: Date;
}

interface CounterRecord extends TenantDoc {
  next: number;
}

/** Where a mailbox read over IMAP got to (see imap.ts). */
export interface MailboxRecord extends TenantDoc {
  accountId: string;
  uidValidity: string;
  lastUid: number;
  updatedAt: Date;
}

export const EMAIL_COLLECTIONS = [
  { name: 'email_message_ids' },
  { name: 'email_threads', indexes: [{ keys: { tenantId: 1 as const, accountId: 1 as const, number: 1 as const } }] },
  { name: 'email_counters' },
  { name: 'email_mailboxes' },
];

/** References we carry forward; long threads keep the first (the root) and the newest ones, as RFC 5322 suggests. */
const MAX_REFERENCES = 20;
const TOKEN_RE = /\[#(\d{1,12})\]/;
const PREFIX_RE = /^\s*((re|fwd?|aw|wg|sv|vs|antw|tr|ответ|отв|пересл|fw)\s*(\[\d+\])?\s*:\s*)+/i;

/** Message-IDs can be up to ~1000 characters; keys stay short and stable. */
export function idKey(messageId: string): string {
  const clean = messageId.trim().toLowerCase();
  return clean.length <= 120 ? clean : `sha256:${createHash('sha256').update(clean).digest('hex')}`;
}

/** The subject a person would call the thread: no Re:/Fwd: chains, no "[#1042]" token. */
export function baseSubject(subject: string): string {
  return subject.replace(TOKEN_RE, ' ').replace(PREFIX_RE, '').replace(/\s+/g, ' ').trim();
}

export function subjectToken(subject: string): number | undefined {
  const m = TOKEN_RE.exec(subject);
  return m ? Number(m[1]) : undefined;
}

/** "Re: <subject> [#1042]" for our replies (the token once, never Re: Re:). */
export function replySubject(thread: Pick<ThreadRecord, 'subject' | 'number'>): string {
  const base = thread.subject || 'Your message';
  return `Re: ${base} [#${thread.number}]`;
}

export function mergeReferences(current: string[], ...ids: (string | null | undefined)[]): string[] {
  const all = [...current];
  for (const id of ids) if (id && !all.includes(id)) all.push(id);
  if (all.length <= MAX_REFERENCES) return all;
  return [all[0]!, ...all.slice(all.length - (MAX_REFERENCES - 1))];
}

/**
 * Threads of one account, on the connector's tenant-pinned collections. Records have
 * deterministic ids, so a retried write is an upsert and never a second record.
 */
export class EmailThreads {
  private readonly ids;
  private readonly threads;
  private readonly counters;

  constructor(
    ctx: Pick<ConnectorContext, 'collection'>,
    private readonly accountId: string,
  ) {
    this.ids = ctx.collection<MessageIdRecord>('email_message_ids');
    this.threads = ctx.collection<ThreadRecord>('email_threads');
    this.counters = ctx.collection<CounterRecord>('email_counters');
  }

  private idDoc(messageId: string): string {
    return `${this.accountId}:${idKey(messageId)}`;
  }

  private threadDoc(threadKey: string): string {
    return `${this.accountId}:${threadKey}`;
  }

  /**
   * Which conversation a mail belongs to: a Message-ID it answers that we know (In-Reply-To, then
   * References newest first); else the "[#1042]" token in its subject (never for a website chat's
   * "web:" thread, which only our own Message-IDs reach); else the root of its
   * References chain, so replies in one chain agree even when they arrive before the mail they
   * answer; else a new thread named after its own Message-ID.
   */
  async resolve(mail: { messageId?: string; inReplyTo: string[]; references: string[]; subject: string }, fallbackId: string): Promise<string> {
    const answered = [...mail.inReplyTo, ...[...mail.references].reverse()];
    for (const id of answered) {
      const known = await this.ids.findById(this.idDoc(id));
      if (known) return known.threadKey;
    }
    if (mail.messageId) {
      const self = await this.ids.findById(this.idDoc(mail.messageId));
      if (self) return self.threadKey;
    }
    const token = subjectToken(mail.subject);
    if (token !== undefined) {
      const thread = await this.threads.findOne({ accountId: this.accountId, number: token });
      // Not a website chat's thread: its answers reach the visitor's chat, and anyone can type "[#1042]".
      if (thread && !thread.threadKey.startsWith('web:')) return thread.threadKey;
    }
    const root = mail.references[0] ?? mail.inReplyTo[0] ?? mail.messageId ?? fallbackId;
    return `mid:${idKey(root)}`;
  }

  async get(threadKey: string): Promise<ThreadRecord | null> {
    return this.threads.findById(this.threadDoc(threadKey));
  }

  /** Records an inbound mail: its Message-ID, and the thread (numbered when new) our reply will answer. */
  async noteInbound(
    threadKey: string,
    mail: { messageId?: string; references: string[]; inReplyTo: string[]; subject: string },
    customer: { address: string; name?: string },
    cc: { address: string; name?: string }[] = [],
  ): Promise<ThreadRecord> {
    const now = new Date();
    if (mail.messageId) {
      await this.ids.updateOne(
        { _id: this.idDoc(mail.messageId) },
        { $setOnInsert: { accountId: this.accountId, messageId: mail.messageId, threadKey, direction: 'in', createdAt: now } },
        { upsert: true },
      );
    }
    const existing = await this.get(threadKey);
    const references = mergeReferences(existing?.references ?? [], ...mail.references, ...mail.inReplyTo, mail.messageId);
    const set = {
      customer,
      cc: cc.slice(0, 20),
      references,
      updatedAt: now,
      ...(mail.messageId ? { lastMessageId: mail.messageId } : {}),
    };
    if (existing) {
      return (await this.threads.findOneAndUpdate({ _id: existing._id }, { $set: set }, { returnDocument: 'after' })) ?? existing;
    }
    const number = await this.nextNumber();
    const created = await this.threads.findOneAndUpdate(
      { _id: this.threadDoc(threadKey) },
      {
        $set: set,
        $setOnInsert: {
          accountId: this.accountId,
          threadKey,
          number,
          subject: baseSubject(mail.subject),
          createdAt: now,
          ...(mail.messageId ? {} : { lastMessageId: null }),
        },
      },
      { upsert: true, returnDocument: 'after' },
    );
    if (!created) throw new Error('email thread upsert returned nothing');
    return created;
  }

  /**
   * A thread we start ourselves (a website reply mailed to a visitor who left the chat): numbered
   * when new, addressed to `customer` (the visitor may have changed their address since), no Cc.
   */
  async openTo(threadKey: string, subject: string, customer: { address: string; name?: string }): Promise<ThreadRecord> {
    return this.noteInbound(threadKey, { references: [], inReplyTo: [], subject }, customer, []);
  }

  /** Before sending: our Message-ID is known, so the customer's answer threads even if we crash right after. */
  async noteOutbound(threadKey: string, messageId: string): Promise<void> {
    await this.ids.updateOne(
      { _id: this.idDoc(messageId) },
      { $setOnInsert: { accountId: this.accountId, messageId, threadKey, direction: 'out', createdAt: new Date() } },
      { upsert: true },
    );
  }

  /** After sending: our mail is now the newest in the thread. */
  async sent(thread: ThreadRecord, messageId: string): Promise<void> {
    await this.threads.updateOne(
      { _id: thread._id },
      { $set: { lastMessageId: messageId, references: mergeReferences(thread.references, messageId), updatedAt: new Date() } },
    );
  }

  private async nextNumber(): Promise<number> {
    // Counted per tenant, starting at 1001 so tokens never look like a quantity ("[#3]").
    const counter = await this.counters.findOneAndUpdate(
      { _id: `${this.counters.tenantId}:threads` },
      { $inc: { next: 1 } },
      { upsert: true, returnDocument: 'after' },
    );
    return 1000 + (counter?.next ?? 1);
  }
}
