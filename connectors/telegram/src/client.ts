import { Telegram, TelegramError } from 'telegraf';
import { deliveryErrorFor, transient, type DeliveryError } from '@switchboard/connectors-sdk';

export interface TelegramOptions {
  /** Bot API server; default https://api.telegram.org (a self-hosted Bot API server or a test stand-in otherwise). */
  apiRoot?: string;
  /** Long-polling wait per getUpdates call, seconds; default 25. */
  pollTimeoutSeconds?: number;
  /** Time allowed for one API call other than getUpdates, ms; default 30000. */
  callTimeoutMs?: number;
}

export function telegramClient(token: string, options: TelegramOptions): Telegram {
  return new Telegram(token, { apiRoot: options.apiRoot ?? 'https://api.telegram.org', webhookReply: false });
}

/** A Bot API failure as the SDK's rule has it: 429 and 5xx retry, other 4xx are the provider's final word. */
export function toDeliveryError(err: unknown): DeliveryError {
  if (err instanceof TelegramError) return deliveryErrorFor(err.code, `Telegram: ${err.description}`);
  return transient(`Telegram unreachable: ${(err as Error).message}`);
}

type CallOptions = NonNullable<Parameters<Telegram['callApi']>[2]>;

/** telegraf types its signal as the abort-controller polyfill's; node-fetch accepts the native one. */
export function withSignal(signal: AbortSignal): CallOptions {
  return { signal: signal as unknown as CallOptions['signal'] };
}
