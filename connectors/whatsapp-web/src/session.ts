import QRCode from 'qrcode';
import type { OutboundCommand } from '@switchboard/contracts';
import { permanent, transient, type ChannelAccount, type InboundDraft, type PullContext } from '@switchboard/connectors-sdk';
import { ackToStatus } from './acks.js';
import { isIgnorable, normalizeWaWebMessage } from './inbound.js';
import type { WaClient, WaClientFactory, WaMedia, WaMessage } from './seam.js';
import { sessionHealth, type SessionRecord, type SessionState, type SessionStore } from './session-store.js';

/** What admins see of a session (REST and the 'channel:session' socket event). */
export interface SessionSnapshot {
  accountId: string;
  state: SessionState;
  qr: string | null;
  paired: boolean;
  health: ReturnType<typeof sessionHealth>;
  lastError: string | null;
  lastReceivedAt: string | null;
  lastSentAt: string | null;
  stateSince: string;
}

export function snapshotOf(r: SessionRecord, now = new Date()): SessionSnapshot {
  const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);
  return {
    accountId: r._id,
    state: r.state,
    qr: r.state === 'qr' ? r.qr : null,
    paired: r.paired,
    health: sessionHealth(r, now),
    lastError: r.lastError,
    lastReceivedAt: iso(r.lastReceivedAt),
    lastSentAt: iso(r.lastSentAt),
    stateSince: new Date(r.stateSince).toISOString(),
  };
}

export interface SessionOptions {
  factory: WaClientFactory;
  store: SessionStore;
  /** Tell the tenant's admins (socket.io) about a change. */
  notify(tenantId: string, snapshot: SessionSnapshot): void;
  /** Wait before reconnecting after a disconnect; doubled per failed attempt up to 5 min. Default 5000. */
  reconnectDelayMs?: number;
  /** Messages per chat fetched when back-filling. Default 50. */
  backfillLimit?: number;
}

/**
 * One linked WhatsApp Web session: initializing → qr → authenticated → ready, and on a drop
 * disconnected → reconnecting → (authenticated →) ready again, back-filling every chat since the
 * last message seen. The state is persisted, so the REST API of any process can show it and a
 * restart knows a saved session will be restored without a QR code.
 */
export class WaWebSession {
  private client: WaClient | null = null;
  private stopped = false;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private attempts = 0;
  private readonly col;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly account: ChannelAccount,
    private readonly ctx: PullContext,
    private readonly opts: SessionOptions,
  ) {
    this.col = opts.store.forTenant(account.tenantId);
  }

  get state(): Promise<SessionRecord | null> {
    return this.col.sessions.findById(this.account.accountId);
  }

  async start(): Promise<void> {
    const existing = await this.state;
    if (!existing) {
      const now = new Date();
      await this.col.sessions.updateOne(
        { _id: this.account.accountId },
        {
          $setOnInsert: { paired: false, lastReceivedAt: null, lastSentAt: null, lastSeenTimestamp: null, pending: {} },
          $set: { state: 'initializing', qr: null, lastError: null, stateSince: now, updatedAt: now },
        },
        { upsert: true },
      );
      const created = await this.state;
      if (created) this.opts.notify(this.account.tenantId, snapshotOf(created, now));
    } else {
      await this.setState('initializing', { qr: null });
    }
    this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    const client = this.client;
    this.client = null;
    await client?.destroy().catch(() => undefined);
    await this.queue.catch(() => undefined);
    await this.setState('stopped', { qr: null }).catch(() => undefined);
  }

  private connect(): void {
    const client = this.opts.factory(this.account.accountId);
    this.client = client;
    // Events are handled one at a time, in order: a state write never overtakes an earlier one.
    const serial = (fn: () => Promise<unknown>) => {
      this.queue = this.queue.then(fn).catch((err: unknown) => this.ctx.logger.error({ err }, 'whatsapp-web event failed'));
    };
    const current = () => this.client === client && !this.stopped;
    client.on('qr', (qr) => serial(async () => current() && this.setState('qr', { qr: await QRCode.toDataURL(qr, { margin: 1, width: 264 }) })));
    client.on('authenticated', () => serial(async () => current() && this.setState('authenticated', { qr: null, paired: true, lastError: null })));
    client.on('auth_failure', (message) =>
      serial(async () => current() && this.setState('failed', { qr: null, paired: false, lastError: `WhatsApp refused the saved session (${message}); pair again.` })),
    );
    client.on('ready', () =>
      serial(async () => {
        if (!current()) return;
        this.attempts = 0;
        await this.setState('ready', { qr: null, lastError: null });
        await this.backfill(client);
      }),
    );
    client.on('disconnected', (reason) =>
      serial(async () => {
        if (!current()) return;
        const loggedOut = reason === 'LOGOUT' || reason === 'UNPAIRED';
        await this.setState('disconnected', {
          lastError: loggedOut ? 'The phone unlinked this device: pair again with a new QR code.' : `Disconnected (${reason}).`,
          ...(loggedOut ? { paired: false } : {}),
        });
        this.scheduleReconnect();
      }),
    );
    client.on('message', (msg) => serial(async () => current() && this.receive([msg])));
    client.on('message_ack', (msg, ack) => serial(async () => this.ack(msg, ack)));
    client.initialize().catch((err: unknown) =>
      serial(async () => {
        if (!current()) return;
        await this.setState('disconnected', { lastError: `WhatsApp Web did not start: ${(err as Error).message}` });
        this.scheduleReconnect();
      }),
    );
  }

  private scheduleReconnect(): void {
    if (this.stopped || this.reconnectTimer) return;
    const delay = Math.min((this.opts.reconnectDelayMs ?? 5000) * 2 ** this.attempts, 300_000);
    this.attempts++;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      void (async () => {
        if (this.stopped) return;
        const old = this.client;
        this.client = null;
        await old?.destroy().catch(() => undefined);
        await this.setState('reconnecting', { qr: null });
        if (!this.stopped) this.connect();
      })();
    }, delay);
  }

  /** After every ready: what arrived while we were away, newest chats first, keyed by WhatsApp's id so overlap is harmless. */
  private async backfill(client: WaClient): Promise<void> {
    const since = (await this.state)?.lastSeenTimestamp;
    if (since === null || since === undefined) return; // a first pairing does not import old history
    const chats = (await client.getChats()).filter((c) => c.timestamp >= since);
    let found = 0;
    for (const chat of chats) {
      const messages = (await chat.fetchMessages({ limit: this.opts.backfillLimit ?? 50 })).filter((m) => m.timestamp >= since && !isIgnorable(m));
      found += messages.length;
      if (messages.length) await this.receive(messages);
    }
    this.ctx.logger.info({ chats: chats.length, messages: found, since }, 'whatsapp-web back-fill done');
  }

  private async receive(messages: WaMessage[]): Promise<void> {
    const drafts: InboundDraft[] = [];
    let newest = 0;
    for (const msg of messages) {
      if (isIgnorable(msg)) continue;
      drafts.push(await normalizeWaWebMessage(msg, this.ctx));
      newest = Math.max(newest, msg.timestamp);
    }
    if (!drafts.length) return;
    // Only after the broker confirmed: a message that failed to publish is picked up by the next back-fill.
    await this.ctx.publish(drafts);
    const current = (await this.state)?.lastSeenTimestamp ?? 0;
    await this.col.sessions.updateOne(
      { _id: this.account.accountId },
      { $set: { lastReceivedAt: new Date(), lastSeenTimestamp: Math.max(current, newest), updatedAt: new Date() } },
    );
  }

  private async ack(msg: WaMessage, ack: number): Promise<void> {
    const id = msg.id._serialized;
    if (ack >= 1 || ack === -1) await this.col.sessions.updateOne({ _id: this.account.accountId }, { $unset: { [`pending.${escapeKey(id)}`]: '' } });
    const status = ackToStatus(ack);
    const sent = status && (await this.col.sent.findById(id));
    if (!status || !sent) return;
    await this.ctx.publish([
      {
        kind: 'status',
        externalId: `status:${sent.messageId}:${status}`,
        threadKey: sent.threadKey,
        sender: { externalId: this.account.accountId },
        replyTo: sent.messageId,
        status,
        ...(status === 'failed' ? { text: 'WhatsApp could not deliver the message.' } : {}),
        sentAt: new Date().toISOString(),
      },
    ]);
  }

  /** Deliver one agent reply through the linked phone. Parts already sent are not sent again. */
  async send(command: OutboundCommand): Promise<{ externalId: string }> {
    const client = this.client;
    const record = await this.state;
    if (!client || record?.state !== 'ready') {
      throw transient(`The WhatsApp Web session is ${record?.state ?? 'not started'}; the reply is sent once it is ready again.`);
    }
    const chatId = command.threadKey;
    let quotedMessageId: string | undefined;
    if (command.replyTo?.startsWith('out:')) {
      quotedMessageId = (await this.col.sent.findOne({ idempotencyKey: command.replyTo.slice(4) }))?._id;
    } else if (command.replyTo?.includes('@')) {
      quotedMessageId = command.replyTo;
    }
    const parts: { content: string | WaMedia; caption?: string; document?: boolean }[] = [];
    let caption = command.text;
    for (const a of command.attachments ?? []) {
      if (/^https?:\/\//.test(a.ref)) throw permanent('WhatsApp Web sends stored files only; upload the file first.');
      const blob = await this.ctx.readBlob(a.ref);
      if (!blob) throw permanent('The attached file is no longer stored.');
      parts.push({ content: { mimetype: a.mime ?? blob.meta.mime, data: blob.data.toString('base64'), filename: a.name ?? blob.meta.name }, ...(caption ? { caption } : {}), document: a.kind === 'file' });
      caption = undefined;
    }
    if (caption) parts.push({ content: caption });
    if (!parts.length) throw permanent('The reply has neither text nor attachments.');

    const done = new Map((await this.col.sent.find({ idempotencyKey: command.idempotencyKey })).map((s) => [s.part, s._id]));
    const ids: string[] = [];
    for (const [part, p] of parts.entries()) {
      const already = done.get(part);
      if (already) {
        ids.push(already);
        continue;
      }
      const msg = await client.sendMessage(chatId, p.content, {
        ...(p.caption ? { caption: p.caption } : {}),
        ...(part === 0 && quotedMessageId ? { quotedMessageId } : {}),
        ...(p.document ? { sendMediaAsDocument: true } : {}),
      });
      const id = msg.id._serialized;
      const now = new Date();
      await this.col.sent.insertOne({ _id: id, accountId: this.account.accountId, messageId: command.messageId, idempotencyKey: command.idempotencyKey, threadKey: chatId, part, sentAt: now });
      await this.col.sessions.updateOne({ _id: this.account.accountId }, { $set: { lastSentAt: now, [`pending.${escapeKey(id)}`]: now, updatedAt: now } });
      ids.push(id);
    }
    return { externalId: ids[0]! };
  }

  private async setState(state: SessionState, extra: Partial<Pick<SessionRecord, 'qr' | 'paired' | 'lastError'>> = {}): Promise<void> {
    const now = new Date();
    const updated = await this.col.sessions.findOneAndUpdate(
      { _id: this.account.accountId },
      { $set: { state, stateSince: now, updatedAt: now, ...extra } },
      { returnDocument: 'after' },
    );
    this.ctx.logger.info({ state }, `whatsapp-web session ${state}`);
    if (updated) this.opts.notify(this.account.tenantId, snapshotOf(updated, now));
  }
}

/** Store field names may not contain "." or start with "$"; WhatsApp ids contain both "." and "@". */
function escapeKey(id: string): string {
  return Buffer.from(id).toString('base64url');
}
