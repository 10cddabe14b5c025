import { attachmentKindOf, type BlobStore } from '@switchboard/blob';
import type { Bus } from '@switchboard/bus';
import { newId, type Attachment, type ConversationStatus, type ConversationView, type MessageView } from '@switchboard/contracts';
import { errors } from '@switchboard/http';
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
}

/** An agent's reply: text, files uploaded before (POST /api/v1/blobs), or both. */
export interface ReplyInput {
  text?: string;
  attachments?: { ref: string }[];
  idempotencyKey: string;
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
        author: { kind: 'agent', id: actor.agentId, name: actor.name },
        ...(input.text !== undefined ? { text: input.text } : {}),
        attachments,
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
    if (conv.channel === 'web') {
      message = (await r.messages.findOneAndUpdate({ _id: message._id }, { $set: { status: 'sent' } }, { returnDocument: 'after' })) ?? message;
      if ((await this.offlineMail?.mailIfAway(r, conv, message, actor)) === 'failed') {
        message =
          (await r.messages.findOneAndUpdate(
            { _id: message._id },
            { $set: { status: 'failed', error: 'The visitor is away, and the email copy of this reply could not be queued; it waits in the chat.' } },
            { returnDocument: 'after' },
          )) ?? message;
      }
    } else {
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
          ...(input.text !== undefined ? { text: input.text } : {}),
          ...(attachments.length ? { attachments } : {}),
          author: { name: actor.name },
          idempotencyKey: input.idempotencyKey,
        });
      } catch (err) {
        log.error({ err }, 'could not queue reply for its channel');
        message =
          (await r.messages.findOneAndUpdate(
            { _id: message._id },
            { $set: { status: 'failed', error: 'The message could not be queued for delivery; try again.' } },
            { returnDocument: 'after' },
          )) ?? message;
      }
    }
    const updated = await r.conversations.findOneAndUpdate(
      { _id: conv._id },
      { $set: { updatedAt: now, lastMessage: { direction: 'out', at: now, text: preview(input.text ?? filesLine(attachments)) }, unreadCount: 0 } },
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
        data: { conversationId: conv._id, messageId: message._id, channel: conv.channel, direction: 'out', agentId: actor.agentId },
      })
      .catch((err: unknown) => log.warn({ err }, 'message.created event not published'));
    this.metrics.messagesStored.inc({ channel: conv.channel, direction: 'out' });
    this.metrics.outbound.inc({ channel: conv.channel, status: message.status ?? 'queued' });
    log.info({ seq: message.seq, status: message.status }, 'agent reply stored');
    return view;
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

  setStatus(r: TenantRepositories, id: string, status: ConversationStatus): Promise<ConversationView> {
    return this.change(r, id, { status });
  }

  markRead(r: TenantRepositories, id: string): Promise<ConversationView> {
    return this.change(r, id, { unreadCount: 0 }, false);
  }

  private async change(r: TenantRepositories, id: string, set: Partial<ConversationRecord>, touch = true): Promise<ConversationView> {
    const updated = await r.conversations.findOneAndUpdate(
      { _id: id },
      { $set: { ...set, ...(touch ? { updatedAt: new Date() } : {}) } },
      { returnDocument: 'after' },
    );
    if (!updated) throw errors.notFound('The conversation');
    const view = conversationView(updated);
    this.fanout.conversationToAgents(r.tenantId, view);
    await this.bus
      .publishEvent({
        id: newId(),
        v: 1,
        type: 'conversation.updated',
        tenantId: r.tenantId,
        at: new Date().toISOString(),
        data: { conversationId: id, changes: Object.keys(set) },
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

/** The conversation list's line for a reply of files only: "📎 invoice.pdf", "📎 photo.jpg +2". */
function filesLine(attachments: readonly Attachment[]): string {
  const first = attachments[0]?.name ?? 'File';
  return `📎 ${first}${attachments.length > 1 ? ` +${attachments.length - 1}` : ''}`;
}
