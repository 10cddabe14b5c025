/**
 * The narrow seam between the connector and whatsapp-web.js: only what the connector uses. The
 * real adapter (wwebjs-client.ts) wraps whatsapp-web.js's Client; tests use a double that emits
 * Message objects shaped like the library's. Field names follow whatsapp-web.js on purpose.
 */
export interface WaMessageId {
  fromMe: boolean;
  remote: string;
  id: string;
  /** "<fromMe>_<chat>_<id>": WhatsApp's own key of the message — ours too. */
  _serialized: string;
}

export interface WaMedia {
  mimetype: string;
  /** Base64 of the file. */
  data: string;
  filename?: string | null;
  filesize?: number | null;
}

export interface WaLocation {
  latitude: number | string;
  longitude: number | string;
  name?: string;
  address?: string;
  description?: string;
}

export interface WaMessage {
  id: WaMessageId;
  /** Chat the message came from (or, for our own, went to): "<number>@c.us", "<id>@g.us". */
  from: string;
  to: string;
  /** The member who wrote, in groups. */
  author?: string;
  fromMe: boolean;
  body: string;
  /** whatsapp-web.js MessageTypes: chat, image, video, audio, ptt, document, sticker, location, vcard, multi_vcard, revoked … */
  type: string;
  /** Unix seconds. */
  timestamp: number;
  hasMedia: boolean;
  hasQuotedMsg: boolean;
  isStatus?: boolean;
  ack?: number;
  location?: WaLocation;
  vCards?: string[];
  /** The raw model; notifyName is the sender's WhatsApp profile name. */
  _data?: { notifyName?: string };
  downloadMedia(): Promise<WaMedia | undefined>;
  getQuotedMessage(): Promise<WaMessage | undefined>;
}

export interface WaChat {
  id: { _serialized: string };
  isGroup: boolean;
  name: string;
  /** Unix seconds of the last activity. */
  timestamp: number;
  /** Latest messages, oldest first. */
  fetchMessages(options: { limit?: number }): Promise<WaMessage[]>;
}

/** whatsapp-web.js MessageAck: -1 error, 0 pending, 1 server, 2 device, 3 read, 4 played. */
export type WaAck = -1 | 0 | 1 | 2 | 3 | 4;

export interface WaEvents {
  qr: [qr: string];
  authenticated: [];
  ready: [];
  auth_failure: [message: string];
  /** "LOGOUT" when the phone unlinked the device; a WAState otherwise. */
  disconnected: [reason: string];
  message: [message: WaMessage];
  message_ack: [message: WaMessage, ack: number];
}

export interface WaSendOptions {
  caption?: string;
  quotedMessageId?: string;
  sendMediaAsDocument?: boolean;
}

export interface WaClient {
  on<E extends keyof WaEvents>(event: E, listener: (...args: WaEvents[E]) => void): unknown;
  /** Starts the browser and WhatsApp Web; events follow (qr or authenticated, then ready). */
  initialize(): Promise<void>;
  sendMessage(chatId: string, content: string | WaMedia, options?: WaSendOptions): Promise<WaMessage>;
  getChats(): Promise<WaChat[]>;
  /** Closes the browser; the saved session stays. */
  destroy(): Promise<void>;
}

/** One client per channel account; called again for every reconnect. */
export type WaClientFactory = (accountId: string) => WaClient;
