import { PermanentFailure, type Bus, type Delivery } from '@switchboard/bus';
import { newId, type DeliveryStatus, type InboundEvent } from '@switchboard/contracts';
import { DuplicateKeyError } from '@switchboard/store';
import type { Logger } from '@switchboard/logging';
import type { Metrics } from '@switchboard/metrics';
import type { Fanout } from './fanout.js';
import type { ContactRecord, ConversationRecord, MessageRecord, Repositories, TenantRepositories } from './repositories/index.js';
import { contactSummary, conversationView, messageView } from './views.js';

/** What every log line about one inbound event names. */
interface LogContext {
  tenantId: string;
  channel: string;
  externalId: string;
  traceId: string | undefined;
}

const statusRank: Record<DeliveryStatus, number> = { queued: 0, sent: 1, delivered: 2, read: 3, failed: 4 };

/**
 * Turns inbound events into stored contacts, conversations and messages — exactly once, even
 * when the bus delivers an event again after a crash — and only then tells agents and visitors.
 */
export class Ingest {
  constructor(
    private readonly repos: Repositories,
    private readonly bus: Bus,
    private readonly fanout: Fanout,
    private readonly logger: Logger,
    private readonly metrics: Metrics,
  ) {}

  readonly handle = async (event: InboundEvent, delivery: Delivery): Promise<void> => {
    if (delivery.deliveryCount > 1) this.metrics.redeliveries.inc();
    else this.metrics.stageSeconds.observe({ stage: 'consume', channel: event.channel }, Math.max(0, Date.now() - delivery.publishedAt.getTime()) / 1000);
    // The fields every line of this event carries, given per call: a child logger per event ran
    // the logger's redaction over its bindings for every message, logged or not (≈2 % of the CPU).
    const ctx: LogContext = {
      tenantId: event.tenantId,
      channel: event.channel,
      externalId: event.externalId,
      traceId: event.traceId ?? delivery.headers['x-sb-trace-id'],
    };
    this.logger.debug({ ...ctx, kind: event.kind, eventId: event.id, attempt: delivery.deliveryCount }, 'inbound event consumed');
    const tenant = await this.repos.getTenant(event.tenantId);
    if (!tenant) throw new PermanentFailure(`unknown tenant "${event.tenantId}"`);
    const r = this.repos.forTenant(event.tenantId);
    switch (event.kind) {
      case 'message':
        return this.message(r, event, ctx);
      case 'edit':
      case 'delete':
        return this.editOrDelete(r, event);
      case 'status':
        return this.status(r, event);
      case 'reaction':
        return this.reaction(r, event);
      case 'read':
        return this.readReceipt(r, event);
      case 'typing':
        return this.typing(r, event);
    }
  };

  private async message(r: TenantRepositories, original: InboundEvent, ctx: LogContext): Promise<void> {
    const started = performance.now();
    const event = (await webAnswer(r, original)) ?? original;
    const inbox = await r.inboxes.findOne({ channel: event.channel, channelAccountId: event.channelAccountId });
    if (!inbox) throw new PermanentFailure(`no inbox for ${event.channel} account "${event.channelAccountId}"`);
    const key = { channel: event.channel, channelAccountId: event.channelAccountId, externalId: event.externalId };

    let message = await r.messages.findOne(key);
    let conversation: ConversationRecord | null;
    let contactRecord: ContactRecord | undefined;
    /** The conversation showed an earlier message before this one was stored (so it is not new). */
    let hadMessages = false;
    if (!message) {
      contactRecord = await this.upsertContact(r, event);
      const contact = contactSummary(contactRecord);
      const now = new Date();
      conversation = await r.conversations.findOneAndUpdate(
        { channel: event.channel, channelAccountId: event.channelAccountId, threadKey: event.threadKey },
        {
          $inc: { lastSeq: 1 },
          $set: { contact },
          $setOnInsert: {
            _id: newId(),
            inboxId: inbox._id,
            status: 'open',
            assigneeId: null,
            unreadCount: 0,
            lastMessage: null,
            createdAt: now,
            updatedAt: now,
          },
        },
        { upsert: true, returnDocument: 'after' },
      );
      if (!conversation) throw new Error('conversation upsert returned nothing');
      hadMessages = conversation.lastMessage != null;
      const record: MessageRecord = {
        _id: newId(),
        tenantId: r.tenantId,
        conversationId: conversation._id,
        seq: conversation.lastSeq,
        direction: 'in',
        ...key,
        author: { kind: 'contact', id: contact.id, ...(event.sender.name ? { name: event.sender.name } : {}) },
        attachments: event.attachments ?? [],
        applied: false,
        sentAt: new Date(event.sentAt),
        createdAt: now,
        ...(event.text !== undefined ? { text: event.text } : {}),
        ...(event.html !== undefined ? { html: event.html } : {}),
        ...(event.replyTo ? { replyTo: await replyTarget(r, event, event.replyTo) } : {}),
        ...(event.thread ? { thread: { ref: event.thread, ...(event.thread === event.externalId ? { root: true as const } : {}) } } : {}),
        ...(event.email ? { email: event.email } : {}),
        ...(event.channel === 'web' ? { clientId: event.externalId } : {}),
        ...(event.traceId ? { traceId: event.traceId } : {}),
      };
      try {
        message = await r.messages.insertOne(record);
      } catch (err) {
        if (!(err instanceof DuplicateKeyError)) throw err;
        message = await r.messages.findOne(key);
        if (!message) throw err;
      }
    } else {
      this.metrics.duplicates.inc({ channel: event.channel });
      this.logger.debug({ ...ctx, messageId: message._id }, 'duplicate inbound event; already stored');
    }

    if (!message.applied) {
      const at = message.createdAt;
      conversation = await r.conversations.findOneAndUpdate(
        { _id: message.conversationId },
        {
          $inc: { unreadCount: 1 },
          // The customer writing ends a snooze at once (as it reopens a resolved conversation).
          $unset: { snoozedUntil: '' },
          $set: { status: 'open', updatedAt: at, lastMessage: { direction: 'in', at, ...(message.text !== undefined ? { text: preview(message.text) } : {}) } },
        },
        { returnDocument: 'after' },
      );
      // The customer waits from their first unanswered message on (the "waiting longest" sort).
      if (conversation && conversation.waitingSince == null) {
        conversation =
          (await r.conversations.findOneAndUpdate({ _id: conversation._id, waitingSince: null }, { $set: { waitingSince: at } }, { returnDocument: 'after' })) ??
          conversation;
      }
      if (conversation) await this.announceNew(r, conversation, message, event.traceId, { author: contactRecord, hadMessages });
      // The event goes out before `applied` is set: a crash in between re-publishes (at-least-once).
      await this.bus.publishEvent({
        id: newId(),
        v: 1,
        type: 'message.created',
        tenantId: r.tenantId,
        at: new Date().toISOString(),
        data: {
          conversationId: message.conversationId,
          messageId: message._id,
          channel: message.channel,
          direction: 'in',
          // Automation must never answer auto-replies, bounces or list mail (mail loops).
          ...(message.email?.noise ? { noise: message.email.noise } : {}),
        },
        ...(event.traceId ? { traceId: event.traceId } : {}),
      });
      await r.messages.updateOne({ _id: message._id }, { $set: { applied: true } });
      this.metrics.messagesStored.inc({ channel: event.channel, direction: 'in' });
      this.metrics.stageSeconds.observe({ stage: 'store', channel: event.channel }, (performance.now() - started) / 1000);
      this.logger.info({ ...ctx, conversationId: message.conversationId, messageId: message._id, seq: message.seq }, 'message stored');
    } else {
      conversation = await r.conversations.findById(message.conversationId);
    }
    if (!conversation) return;
    // Emitting again for a duplicate is harmless: clients merge by message id.
    const emitStarted = performance.now();
    this.emit(conversation, message, true);
    this.metrics.stageSeconds.observe({ stage: 'emit', channel: event.channel }, (performance.now() - emitStarted) / 1000);
    this.logger.debug({ ...ctx, conversationId: conversation._id, messageId: message._id }, 'message emitted to agents');
    const received = Date.parse(event.receivedAt);
    if (Number.isFinite(received)) {
      this.metrics.stageSeconds.observe({ stage: 'end_to_end', channel: event.channel }, Math.max(0, Date.now() - received) / 1000);
    }
  }

  private async upsertContact(r: TenantRepositories, event: InboundEvent): Promise<ContactRecord> {
    const s = event.sender;
    const fields = pick({ name: s.name, handle: s.handle, phone: s.phone, email: s.email, avatarUrl: s.avatarUrl });
    // Most messages come from a contact we know, unchanged: a read instead of a write then.
    const known = await r.contacts.findOne({ channel: event.channel, externalId: s.externalId });
    // A website visitor's name, email and phone are set by identify() and the pre-chat form; a
    // message carries the contact as it was when it was sent, which may be before an identify
    // that is stored first: it only fills a contact that does not exist yet.
    const snapshot = event.channel === 'web';
    if (known && (snapshot || Object.entries(fields).every(([k, v]) => known[k as keyof typeof fields] === v))) return known;
    const now = new Date();
    const contact = await r.contacts.findOneAndUpdate(
      { channel: event.channel, externalId: s.externalId },
      snapshot
        ? { $setOnInsert: { ...fields, _id: newId(), createdAt: now, updatedAt: now } }
        : { $set: { ...fields, updatedAt: now }, $setOnInsert: { _id: newId(), createdAt: now } },
      { upsert: true, returnDocument: 'after' },
    );
    if (!contact) throw new Error('contact upsert returned nothing');
    return contact;
  }

  private async editOrDelete(r: TenantRepositories, event: InboundEvent): Promise<void> {
    if (!event.replyTo) throw new PermanentFailure(`${event.kind} event without replyTo (the edited message's externalId)`);
    const target = { channel: event.channel, channelAccountId: event.channelAccountId, externalId: event.replyTo };
    const update =
      event.kind === 'edit'
        ? { $set: { editedAt: new Date(event.sentAt), ...(event.text !== undefined ? { text: event.text } : {}), ...(event.html !== undefined ? { html: event.html } : {}) } }
        : { $set: { deletedAt: new Date(event.sentAt) } };
    const message = await r.messages.findOneAndUpdate(target, update, { returnDocument: 'after' });
    if (!message) throw new Error(`${event.kind} for a message not stored yet (${event.replyTo})`);
    const conversation = await r.conversations.findById(message.conversationId);
    if (conversation) this.emit(conversation, message, false);
    // A redelivered edit publishes again: consumers re-read the message, so that is harmless.
    await this.bus.publishEvent({
      id: newId(),
      v: 1,
      type: 'message.updated',
      tenantId: r.tenantId,
      at: new Date().toISOString(),
      data: { conversationId: message.conversationId, messageId: message._id, channel: message.channel, changes: event.kind === 'edit' ? ['text'] : ['deletedAt'] },
      ...(event.traceId ? { traceId: event.traceId } : {}),
    });
  }

  /** Delivery status of one of our outbound messages; replyTo is our message id. Never goes backwards. */
  private async status(r: TenantRepositories, event: InboundEvent): Promise<void> {
    if (!event.replyTo || !event.status) throw new PermanentFailure('status event needs replyTo (message id) and status');
    const current = await r.messages.findById(event.replyTo);
    if (!current) throw new PermanentFailure(`status for unknown message "${event.replyTo}"`);
    if (current.status && current.status !== 'failed' && statusRank[event.status] <= statusRank[current.status]) return;
    const message = await r.messages.findOneAndUpdate(
      { _id: current._id },
      { $set: { status: event.status, ...(event.text && event.status === 'failed' ? { error: event.text } : {}) } },
      { returnDocument: 'after' },
    );
    const conversation = message && (await r.conversations.findById(message.conversationId));
    if (message && conversation) this.emit(conversation, message, false);
  }

  private async reaction(r: TenantRepositories, event: InboundEvent): Promise<void> {
    if (!event.replyTo || !event.reaction) throw new PermanentFailure('reaction event needs replyTo and reaction');
    const message = await r.messages.findOneAndUpdate(
      { channel: event.channel, channelAccountId: event.channelAccountId, externalId: event.replyTo },
      { $addToSet: { reactions: { emoji: event.reaction, by: event.sender.externalId } } },
      { returnDocument: 'after' },
    );
    const conversation = message && (await r.conversations.findById(message.conversationId));
    if (message && conversation) this.emit(conversation, message, false);
  }

  /** The customer read our messages up to replyTo (or all): outbound messages become "read". */
  private async readReceipt(r: TenantRepositories, event: InboundEvent): Promise<void> {
    const conversation = await r.conversations.findOne({
      channel: event.channel,
      channelAccountId: event.channelAccountId,
      threadKey: event.threadKey,
    });
    if (!conversation) return;
    const unread = await r.messages.find({ conversationId: conversation._id, direction: 'out', status: { $in: ['sent', 'delivered'] } });
    for (const m of unread) {
      const updated = await r.messages.findOneAndUpdate({ _id: m._id }, { $set: { status: 'read' } }, { returnDocument: 'after' });
      if (updated) this.emit(conversation, updated, false);
    }
  }

  private async typing(r: TenantRepositories, event: InboundEvent): Promise<void> {
    const conversation = await r.conversations.findOne({
      channel: event.channel,
      channelAccountId: event.channelAccountId,
      threadKey: event.threadKey,
    });
    if (!conversation) return;
    this.fanout.typingToAgents(r.tenantId, conversation._id, {
      typing: event.text !== 'false',
      who: 'contact',
      ...(event.sender.name ? { name: event.sender.name } : {}),
    });
  }

  /**
   * contact.created and conversation.created (automation, webhooks), published with the first
   * message that stores them, before message.created and before `applied` is set (so at least once).
   * A contact made earlier by the widget (identify, attributes) is announced with its first message.
   */
  private async announceNew(
    r: TenantRepositories,
    conversation: ConversationRecord,
    message: MessageRecord,
    traceId: string | undefined,
    /** What this delivery already knows: the author's record as it just read or wrote it; whether the conversation had a message before. */
    known: { author?: ContactRecord | undefined; hadMessages: boolean },
  ): Promise<void> {
    const publish = (type: string, data: Record<string, unknown>) =>
      this.bus.publishEvent({ id: newId(), v: 1, type, tenantId: r.tenantId, at: new Date().toISOString(), data, ...(traceId ? { traceId } : {}) });
    const contactId = message.author.id;
    if (contactId) {
      const contact = known.author?._id === contactId ? known.author : await r.contacts.findById(contactId);
      if (contact && !contact.announcedAt) {
        await publish('contact.created', { contactId, channel: message.channel, conversationId: conversation._id });
        await r.contacts.updateOne({ _id: contactId }, { $set: { announcedAt: new Date() } });
      }
    }
    // Not new when it showed a message before; else no message comes before seq 1, and later ones
    // look (a crash may have left a gap in seq). The look reads the whole conversation: keep it rare.
    if (known.hadMessages) return;
    if (message.seq <= 1 || !(await r.messages.findOne({ conversationId: conversation._id, seq: { $lt: message.seq } }))) {
      await publish('conversation.created', { conversationId: conversation._id, channel: conversation.channel, inboxId: conversation.inboxId, contactId: contactId ?? null });
    }
  }

  private emit(conversation: ConversationRecord, message: MessageRecord, isNew: boolean): void {
    const view = messageView(message);
    this.fanout.messageToAgents(conversation.tenantId, view, conversationView(conversation), isNew);
    if (conversation.channel === 'web') {
      this.fanout.messageToVisitor(conversation.tenantId, conversation.inboxId, conversation.threadKey, view, isNew);
    }
  }
}

/**
 * A visitor's answer to a website reply we mailed them (web-offline-mail.ts): the email connector
 * threads it under "web:<conversationId>", so it goes back into that website conversation, as the
 * visitor's message, without the quoted history. Auto-replies and bounces stay in the email inbox.
 */
async function webAnswer(r: TenantRepositories, event: InboundEvent): Promise<InboundEvent | null> {
  if (event.channel !== 'email' || !event.threadKey.startsWith('web:') || event.email?.noise) return null;
  const conv = await r.conversations.findById(event.threadKey.slice(4));
  if (conv?.channel !== 'web') return null;
  const { html: _html, email, ...rest } = event;
  const quote = email?.quoteStart;
  const { quoteStart: _quote, ...meta } = email ?? {};
  return {
    ...rest,
    channel: 'web',
    channelAccountId: conv.channelAccountId,
    threadKey: conv.threadKey,
    sender: { externalId: conv.threadKey, ...(event.sender.email ? { email: event.sender.email } : {}) },
    ...(event.text !== undefined ? { text: quote ? event.text.slice(0, quote).trimEnd() || event.text : event.text } : {}),
    ...(email ? { email: meta } : {}),
  };
}

export function preview(text: string): string {
  return text.length > 140 ? `${text.slice(0, 139)}…` : text;
}

function pick<T extends Record<string, unknown>>(obj: T): Partial<T> {
  const out: Partial<T> = {};
  for (const [k, v] of Object.entries(obj)) if (v !== undefined && v !== null && v !== '') (out as Record<string, unknown>)[k] = v;
  return out;
}

/**
 * The message a customer's message answers (Telegram reply_to_message, a Slack thread, WhatsApp
 * context, an email's In-Reply-To): the channel names it by its own id; ours is stored when that
 * message is stored here, so the console can quote it. Otherwise the channel's id is kept.
 */
async function replyTarget(r: TenantRepositories, event: InboundEvent, channelId: string): Promise<string> {
  const original = await r.messages.findOne({ channel: event.channel, channelAccountId: event.channelAccountId, externalId: channelId });
  return original?._id ?? channelId;
}
