import { EventEmitter } from 'node:events';
import { randomBytes } from 'node:crypto';
import type { WaChat, WaClient, WaEvents, WaMedia, WaMessage, WaSendOptions } from '../src/seam.js';

const ME = '15550001111@c.us';

/**
 * A stand-in for WhatsApp's side of whatsapp-web.js: the phone, the servers and the saved
 * LocalAuth session. Clients it makes emit what whatsapp-web.js emits (qr, authenticated, ready,
 * disconnected, message, message_ack) with Message objects of the library's shape.
 */
export class FakeWhatsApp {
  /** Accounts whose session was saved by a pairing (like LocalAuth's folder on disk). */
  readonly savedSessions = new Set<string>();
  readonly chats = new Map<string, WaMessage[]>();
  readonly sent: { chatId: string; content: string | WaMedia; options: WaSendOptions; message: WaMessage }[] = [];
  readonly clients = new Map<string, FakeClient>();
  qrShown = 0;
  private clock = Math.floor(Date.now() / 1000);

  readonly factory = (accountId: string): WaClient => {
    const client = new FakeClient(this, accountId);
    this.clients.set(accountId, client);
    return client;
  };

  /** The phone scans the QR code shown for this account. */
  scan(accountId: string): void {
    this.savedSessions.add(accountId);
    const c = this.client(accountId);
    c.emitLater('authenticated');
    c.ready = true;
    c.emitLater('ready');
  }

  /** The connection drops (or the phone unlinks us, with reason "LOGOUT"). */
  drop(accountId: string, reason = 'NAVIGATION'): void {
    const c = this.client(accountId);
    c.ready = false;
    if (reason === 'LOGOUT') this.savedSessions.delete(accountId);
    c.emitLater('disconnected', reason);
  }

  /** A customer writes; delivered live when the session is ready, else only kept on the phone. */
  receive(accountId: string, from: string, body: string, opts: { media?: WaMedia; type?: string; notifyName?: string; quoted?: WaMessage } = {}): WaMessage {
    const msg = this.message({ from, to: ME, fromMe: false, body, type: opts.type ?? (opts.media ? 'image' : 'chat'), ...opts });
    this.chat(from).push(msg);
    const c = this.clients.get(accountId);
    if (c?.ready) c.emitLater('message', msg);
    return msg;
  }

  ack(accountId: string, message: WaMessage, ack: number): void {
    message.ack = ack;
    this.client(accountId).emitLater('message_ack', message, ack);
  }

  client(accountId: string): FakeClient {
    const c = this.clients.get(accountId);
    if (!c) throw new Error(`no client for ${accountId}`);
    return c;
  }

  chat(id: string): WaMessage[] {
    let c = this.chats.get(id);
    if (!c) this.chats.set(id, (c = []));
    return c;
  }

  message(p: { from: string; to: string; fromMe: boolean; body: string; type: string; media?: WaMedia; notifyName?: string; quoted?: WaMessage }): WaMessage {
    const id = randomBytes(10).toString('hex').toUpperCase();
    const remote = p.fromMe ? p.to : p.from;
    this.clock += 1;
    return {
      id: { fromMe: p.fromMe, remote, id, _serialized: `${p.fromMe}_${remote}_${id}` },
      from: p.from,
      to: p.to,
      fromMe: p.fromMe,
      body: p.body,
      type: p.type,
      timestamp: this.clock,
      hasMedia: Boolean(p.media),
      hasQuotedMsg: Boolean(p.quoted),
      isStatus: false,
      ack: p.fromMe ? 0 : 1,
      _data: p.notifyName ? { notifyName: p.notifyName } : {},
      downloadMedia: async () => p.media,
      getQuotedMessage: async () => p.quoted,
    };
  }
}

export class FakeClient extends EventEmitter implements WaClient {
  ready = false;
  destroyed = false;

  constructor(
    private readonly wa: FakeWhatsApp,
    private readonly accountId: string,
  ) {
    super();
  }

  emitLater<E extends keyof WaEvents>(event: E, ...args: WaEvents[E]): void {
    setImmediate(() => {
      if (!this.destroyed) this.emit(event, ...args);
    });
  }

  override on<E extends keyof WaEvents>(event: E, listener: (...args: WaEvents[E]) => void): this {
    return super.on(event, listener as (...a: unknown[]) => void);
  }

  async initialize(): Promise<void> {
    if (this.wa.savedSessions.has(this.accountId)) {
      this.emitLater('authenticated');
      this.ready = true;
      this.emitLater('ready');
    } else {
      this.wa.qrShown++;
      this.emitLater('qr', `2@${randomBytes(24).toString('base64')},${randomBytes(32).toString('base64')},${randomBytes(16).toString('base64')}`);
    }
  }

  async sendMessage(chatId: string, content: string | WaMedia, options: WaSendOptions = {}): Promise<WaMessage> {
    if (!this.ready) throw new Error('Evaluation failed: session closed');
    const isText = typeof content === 'string';
    const message = this.wa.message({ from: ME, to: chatId, fromMe: true, body: isText ? content : (options.caption ?? ''), type: isText ? 'chat' : options.sendMediaAsDocument ? 'document' : 'image', ...(isText ? {} : { media: content }) });
    this.wa.chat(chatId).push(message);
    this.wa.sent.push({ chatId, content, options, message });
    return message;
  }

  async getChats(): Promise<WaChat[]> {
    return [...this.wa.chats.entries()].map(([id, messages]) => ({
      id: { _serialized: id },
      isGroup: id.endsWith('@g.us'),
      name: id,
      timestamp: messages.at(-1)?.timestamp ?? 0,
      fetchMessages: async ({ limit }) => messages.slice(-(limit ?? messages.length)),
    }));
  }

  async destroy(): Promise<void> {
    this.destroyed = true;
    this.ready = false;
  }
}
