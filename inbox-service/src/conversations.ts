import { attachmentKindOf, type BlobStore } from '@switchboard/blob';
import type { Bus } from '@switchboard/bus';
import { newId, type Attachment, type ConversationStatus, type ConversationView, type MessageView } from '@switchboard/contracts';
import { errors, SbError } from '@switchboard/http';
import { DuplicateKeyError } from '@switchboard/store';
import type { Logger } from '@switchboard/logging';
import type { Metrics } from '@switchboard/metrics';
import type { Fanout } from './fanout.js';
import { preview } from './ingest.js';
import type { ConversationRecord, MessageRecord, TenantRepositories } from './repositories/index.js';
import { conversationView, messageView } from './views.js';
import type { WebOfflineMail } from './web-offline-mail.js';

export interface Actor {
  agentId: string;
  name: string;
  /** 'system' for automation (agentId "automation:<ruleId>"): the message is marked as not written by a person. */
  kind?: 'agent' | 'system';
}

/** An agent's reply: text, files uploaded before (POST /api/v1/blobs), or both. */
export interface ReplyInput {
  text?: string;
  attachments?: { ref: string }[];
  idempotencyKey: string;
  /** Channels with threads (Slack): into this thread (a message's thread.ref), or null for the channel's top level. */
  thread?: string | null;
}

/** What agents do to conversations: reply, assign, change status, mark read. Tenant-scoped by `r`. */
export class ConversationService {
  constructor(
    private readonly bus: Bus,
    private readonly fanout: Fanout,
    private readonly logger: Logger,
    private readonly metrics: Metrics,
    private readonly blobs: BlobStore,
    /** Mails web replies to visitors who left the chat; absent = replies wait in the chat only. */
    private readonly offlineMail?: WebOfflineMail,
  ) {}

  async get(r: TenantRepositories, id: string): Promise<ConversationRecord> {
    const c = await r.conversations.findById(id);
    if (!c) throw errors.notFound('The conversation');
    return c;
  }

  /**
   * An agent's reply. The same idempotencyKey twice returns the first message and sends nothing
   * more. Web replies go straight to the visitor's room (and, when the visitor is away, by email:
   * see web-offline-mail.ts); other channels through sb.outbound.
   */
  async reply(r: TenantRepositories, conversationId: string, actor: Actor, input: ReplyInput): Promise<MessageView> {
    const refs = input.attachments ?? [];
    if (input.text === undefined && refs.length === 0) {
      throw errors.validation('A reply needs text, at least one attachment, or both.', { path: '/text' });
    }
    const conv = await this.get(r, conversationId);
    const key = { channel: conv.channel, channelAccountId: conv.channelAccountId, externalId: `out:${input.idempotencyKey}` };
    const existing = await r.messages.findOne(key);
    if (existing) {
      if (existing.conversationId !== conv._id) throw errors.conflict('This idempotencyKey was already used for another conversation.');
      return messageView(existing);
    }
    const attachments = await this.attachments(r.tenantId, refs);
    if (input.thread !== undefined) await this.checkThread(r, conv, input.thread);
    const bumped = await r.conversations.findOneAndUpdate({ _id: conv._id }, { $inc: { lastSeq: 1 } }, { returnDocument: 'after' });
    if (!bumped) throw errors.notFound('The conversation');
    const now = new Date();
    let message: MessageRecord;
    try {
      message = await r.messages.insertOne({
        _id: newId(),
        conversationId: conv._id,
        seq: bumped.lastSeq,
        direction: 'out',
        ...key,
        author: { kind: actor.kind ?? 'agent', id: actor.agentId, name: actor.name },
        ...(input.text !== undefined ? { text: input.text } : {}),
        attachments,
        ...(typeof input.thread === 'string' ? { thread: { ref: input.thread } } : input.thread === null ? { topLevel: true as const } : {}),
        status: 'queued',
        applied: true,
        sentAt: now,
        createdAt: now,
      });
    } catch (err) {
      if (err instanceof DuplicateKeyError) {
        const again = await r.messages.findOne(key);
        if (again) return messageView(again);
      }
      throw err;
    }
    const log = this.logger.child({ tenantId: r.tenantId, conversationId: conv._id, messageId: message._id });
    message = await this.deliver(r, conv, message, actor.name);
    const updated = await r.conversations.findOneAndUpdate(
      { _id: conv._id },
      { $set: { updatedAt: now, lastMessage: { direction: 'out', at: now, text: preview(input.text ?? filesLine(attachments)) }, unreadCount: 0, waitingSince: null } },
      { returnDocument: 'after' },
    );
    const view = messageView(message);
    if (updated) {
      this.fanout.messageToAgents(r.tenantId, view, conversationView(updated), true);
      if (conv.channel === 'web') this.fanout.messageToVisitor(r.tenantId, conv.inboxId, conv.threadKey, view, true);
    }
    await this.bus
      .publishEvent({
        id: newId(),
        v: 1,
        type: 'message.created',
        tenantId: r.tenantId,
        at: now.toISOString(),
        data: { conversationId: conv._id, messageId: message._id, channel: conv.channel, direction: 'out', agentId: actor.agentId, authorKind: actor.kind ?? 'agent' },
      })
      .catch((err: unknown) => log.warn({ err }, 'message.created event not published'));
    this.metrics.messagesStored.inc({ channel: conv.channel, direction: 'out' });
    this.metrics.outbound.inc({ channel: conv.channel, status: message.status ?? 'queued' });
    log.info({ seq: message.seq, status: message.status }, 'agent reply stored');
    return view;
  }

  /**
   * Send a reply whose delivery failed once more. Only a failed outbound message qualifies. It goes
   * back on sb.outbound with its original idempotencyKey, so a connector that did deliver it after
   * all reports "sent" again instead of sending twice. Status back to queued, reason cleared.
   */
  async retry(r: TenantRepositories, conversationId: string, messageId: string, actor: Actor): Promise<MessageView> {
    const conv = await this.get(r, conversationId);
    const current = await r.messages.findOne({ _id: messageId, conversationId: conv._id });
    if (!current) throw errors.notFound('The message');
    if (current.direction !== 'out' || current.status !== 'failed') throw notRetryable();
    // Claim the retry atomically: two agents pressing Retry at once queue it once.
    let message = await r.messages.findOneAndUpdate(
      { _id: current._id, status: 'failed' },
      { $set: { status: 'queued' }, $unset: { error: '' }, $inc: { retries: 1 } },
      { returnDocument: 'after' },
    );
    if (!message) throw notRetryable();
    message = await this.deliver(r, conv, message, message.author.name ?? actor.name);
    const log = this.logger.child({ tenantId: r.tenantId, conversationId: conv._id, messageId: message._id });
    const view = messageView(message);
    this.fanout.messageToAgents(r.tenantId, view, conversationView(conv), false);
    this.metrics.outbound.inc({ channel: conv.channel, status: message.status ?? 'queued' });
    log.info({ retries: message.retries, status: message.status, by: actor.agentId }, 'failed reply retried');
    return view;
  }

  /**
   * Sends a stored reply (new or retried) on its way and answers it as it then stands. Web: sent
   * to the chat at once, and mailed when the visitor is away (see web-offline-mail.ts). Other
   * channels: queued on sb.outbound under the reply's own idempotency key (externalId is
   * "out:<key>"), so a connector never sends a delivered reply twice. A reply that could not be
   * queued is marked failed with the reason, for the agent's Retry.
   */
  private async deliver(r: TenantRepositories, conv: ConversationRecord, message: MessageRecord, authorName: string): Promise<MessageRecord> {
    const mark = async (set: Partial<MessageRecord>) =>
      (await r.messages.findOneAndUpdate({ _id: message._id }, { $set: set }, { returnDocument: 'after' })) ?? message;
    if (conv.channel === 'web') {
      const sent = await mark({ status: 'sent' });
      if ((await this.offlineMail?.mailIfAway(r, conv, sent, { name: authorName })) !== 'failed') return sent;
      return mark({ status: 'failed', error: 'The visitor is away, and the email copy of this reply could not be queued; it waits in the chat.' });
    }
    // The reply's own trace: on its command, the connector's delivery lines and the status that comes back.
    const traceId = newId();
    try {
      await this.bus.publishOutbound({
        id: newId(),
        v: 1,
        tenantId: r.tenantId,
        conversationId: conv._id,
        messageId: message._id,
        channel: conv.channel,
        channelAccountId: conv.channelAccountId,
        threadKey: conv.threadKey,
        ...(message.thread ? { thread: message.thread.ref } : message.topLevel ? { thread: null } : {}),
        ...(message.text !== undefined ? { text: message.text } : {}),
        ...(message.attachments.length ? { attachments: message.attachments } : {}),
        author: { name: authorName },
        idempotencyKey: message.externalId.replace(/^out:/, ''),
        traceId,
      });
      this.logger.debug({ tenantId: r.tenantId, conversationId: conv._id, messageId: message._id, traceId }, 'reply queued for its channel');
      return message;
    } catch (err) {
      this.logger.error({ err, tenantId: r.tenantId, conversationId: conv._id, messageId: message._id }, 'could not queue reply for its channel');
      return mark({ status: 'failed', error: 'The message could not be queued for delivery; try again.' });
    }
  }

  /**
   * A reply's thread must be one of this conversation's (a thread.ref its messages carry); the
   * top level (null) only on a conversation with threads. Refused with 400 before anything is stored.
   */
  private async checkThread(r: TenantRepositories, conv: ConversationRecord, thread: string | null): Promise<void> {
    const found = await r.messages.findOne(thread === null ? { conversationId: conv._id, thread: { $exists: true } } : { conversationId: conv._id, 'thread.ref': thread });
    if (found) return;
    throw errors.validation(
      thread === null ? 'This conversation has no threads; leave out "thread".' : `"${thread}" is not a thread of this conversation; use the thread.ref of one of its messages.`,
      { path: '/thread' },
    );
  }

  /**
   * The files a reply names, as attachments: each must be a blob of this tenant (an unknown ref
   * or another tenant's is refused, naming it, before anything is stored); name, type and size
   * come from what was stored, never from the client.
   */
  private async attachments(tenantId: string, refs: readonly { ref: string }[]): Promise<Attachment[]> {
    const metas = await Promise.all(refs.map((a) => this.blobs.stat(tenantId, a.ref)));
    return metas.map((meta, i) => {
      if (!meta) {
        throw errors.validation(`Attachment ${i + 1} (${refs[i]!.ref}) is not a file of this team; upload it with POST /api/v1/blobs first.`, {
          path: `/attachments/${i}/ref`,
        });
      }
      return { kind: attachmentKindOf(meta.mime), ref: meta.ref, name: meta.name, mime: meta.mime, size: meta.size };
    });
  }

  async assign(r: TenantRepositories, id: string, agentId: string | null): Promise<ConversationView> {
    if (agentId !== null) {
      const agent = await r.agents.findById(agentId);
      if (!agent) throw errors.validation('agentId does not name an agent of this team.', { path: '/agentId' });
    }
    return this.change(r, id, { assigneeId: agentId });
  }

  /**
   * Runs after a conversation was set resolved, by an agent, a bulk action or automation (the CSAT
   * survey, csat/). Its failure is logged and never undoes the change.
   */
  onResolved?: (r: TenantRepositories, conversationId: string) => Promise<void>;

  /** Any status but 'snoozed' (that needs a time: snooze()); leaving a snooze forgets its time. */
  async setStatus(r: TenantRepositories, id: string, status: ConversationStatus): Promise<ConversationView> {
    if (status === 'snoozed') throw errors.validation('A conversation is snoozed with POST /api/v1/conversations/:id/snooze, which takes the time to open it again.', { path: '/status' });
    const view = await this.change(r, id, { status }, true, ['snoozedUntil']);
    if (status === 'resolved' && this.onResolved) {
      await this.onResolved(r, id).catch((err: unknown) => this.logger.error({ err, tenantId: r.tenantId, conversationId: id }, 'after-resolve step failed'));
    }
    return view;
  }

  /** Set the conversation aside until `until` (the snooze waker, or the customer's next message, opens it again). */
  snooze(r: TenantRepositories, id: string, until: Date, now = new Date()): Promise<ConversationView> {
    checkSnoozeTime(until, now);
    return this.change(r, id, { status: 'snoozed', snoozedUntil: until });
  }

  /**
   * Open a snoozed conversation whose time has come. Conditional on it still being snoozed and
   * due, so when several instances sweep at once only one wakes it; null if another did (or an
   * agent changed it meanwhile).
   */
  async wake(r: TenantRepositories, id: string, now = new Date()): Promise<ConversationView | null> {
    const woken = await r.conversations.findOneAndUpdate(
      { _id: id, status: 'snoozed', snoozedUntil: { $lte: now } },
      { $set: { status: 'open', updatedAt: now }, $unset: { snoozedUntil: '' } },
      { returnDocument: 'after' },
    );
    if (!woken) return null;
    this.logger.info({ tenantId: r.tenantId, conversationId: id }, 'snoozed conversation opened again');
    return this.announce(r, woken, ['status', 'snoozedUntil']);
  }

  /**
   * What ticketing keeps on a conversation (its ticket's team and nearest SLA due time): written
   * and told to agents, without moving the conversation in the newest-first list.
   */
  setTicketFields(r: TenantRepositories, id: string, fields: { teamId: string | null; slaDueAt: Date | null }): Promise<ConversationView> {
    return this.change(r, id, fields, false);
  }

  markRead(r: TenantRepositories, id: string): Promise<ConversationView> {
    return this.change(r, id, { unreadCount: 0 }, false);
  }

  private async change(r: TenantRepositories, id: string, set: Partial<ConversationRecord>, touch = true, unset: (keyof ConversationRecord)[] = []): Promise<ConversationView> {
    const updated = await r.conversations.findOneAndUpdate(
      { _id: id },
      { $set: { ...set, ...(touch ? { updatedAt: new Date() } : {}) }, ...(unset.length ? { $unset: Object.fromEntries(unset.map((k) => [k, ''])) } : {}) },
      { returnDocument: 'after' },
    );
    if (!updated) throw errors.notFound('The conversation');
    return this.announce(r, updated, Object.keys(set));
  }

  /** Agents' lists follow at once; sb.events hears `conversation.updated` (webhooks, ticketing). */
  private async announce(r: TenantRepositories, updated: ConversationRecord, changes: string[]): Promise<ConversationView> {
    const id = updated._id;
    const view = conversationView(updated);
    this.fanout.conversationToAgents(r.tenantId, view);
    await this.bus
      .publishEvent({
        id: newId(),
        v: 1,
        type: 'conversation.updated',
        tenantId: r.tenantId,
        at: new Date().toISOString(),
        data: { conversationId: id, changes },
      })
      .catch((err: unknown) => this.logger.warn({ err, tenantId: r.tenantId, conversationId: id }, 'conversation.updated event not published'));
    return view;
  }

  async listMessages(
    r: TenantRepositories,
    conversationId: string,
    q: { afterSeq?: number; beforeSeq?: number; limit: number },
  ): Promise<MessageView[]> {
    await this.get(r, conversationId);
    if (q.afterSeq !== undefined) {
      const items = await r.messages.find({ conversationId, seq: { $gt: q.afterSeq } }, { sort: { seq: 1 }, limit: q.limit });
      return items.map(messageView);
    }
    const filter = q.beforeSeq !== undefined ? { conversationId, seq: { $lt: q.beforeSeq } } : { conversationId };
    const items = await r.messages.find(filter, { sort: { seq: -1 }, limit: q.limit });
    return items.reverse().map(messageView);
  }
}

/** The longest a conversation may be snoozed. */
export const MAX_SNOOZE_MS = 366 * 86_400_000;

/** A snooze must end in the future and within a year. */
export function checkSnoozeTime(until: Date, now: Date): void {
  if (Number.isNaN(until.getTime())) throw errors.validation('until is not a date and time.', { path: '/until' });
  if (until.getTime() <= now.getTime()) throw new SbError('SB_ERR_SNOOZE_IN_PAST', 400, 'The snooze time has already passed; pick a time in the future.', { path: '/until' });
  if (until.getTime() - now.getTime() > MAX_SNOOZE_MS) throw new SbError('SB_ERR_SNOOZE_TOO_FAR', 400, 'A conversation can be snoozed for at most a year.', { path: '/until' });
}

/** The conversation list's line for a reply of files only: "📎 invoice.pdf", "📎 photo.jpg +2". */
function filesLine(attachments: readonly Attachment[]): string {
  const first = attachments[0]?.name ?? 'File';
  return `📎 ${first}${attachments.length > 1 ? ` +${attachments.length - 1}` : ''}`;
}

/** Retry is only for a reply whose delivery failed. */
const notRetryable = () =>
  new SbError('SB_ERR_NOT_RETRYABLE', 409, 'Only a reply whose delivery failed can be sent again; this one is not failed (it may have been retried already).');
