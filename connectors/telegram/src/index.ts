/**
 * @switchboard/connector-telegram — Telegram bots through the Bot API (telegraf's client):
 * webhook mode verified by the secret token, or long polling. docs/channels/telegram.md.
 */
import { randomBytes } from 'node:crypto';
import { Type } from 'typebox';
import { TelegramError } from 'telegraf';
import { safeEqual } from '@switchboard/crypto';
import { malformed, type Connector } from '@switchboard/connectors-sdk';
import { telegramClient, withSignal, type TelegramOptions } from './client.js';
import { ALLOWED_UPDATES, isUpdate, normalizeUpdate } from './inbound.js';
import { sendReply } from './outbound.js';
import { startPolling } from './polling.js';

export type { TelegramOptions } from './client.js';
export { normalizeUpdate, type TgUpdate } from './inbound.js';

export const SECRET_HEADER = 'x-telegram-bot-api-secret-token';

export function telegramConnector(options: TelegramOptions = {}): Connector {
  const callTimeoutMs = options.callTimeoutMs ?? 30_000;
  const client = (token: string | undefined) => telegramClient(token ?? '', options);
  return {
    channel: 'telegram',
    credentialsSchema: Type.Object(
      {
        botToken: Type.String({ pattern: '^\\d+:[A-Za-z0-9_-]{20,}$', description: 'The token @BotFather gave, e.g. 123456:ABC-DEF…' }),
        webhookSecret: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_-]{16,256}$' })),
      },
      { additionalProperties: false },
    ),
    settingsSchema: Type.Object(
      {
        mode: Type.Optional(
          Type.Union([Type.Literal('auto'), Type.Literal('webhook'), Type.Literal('polling')], {
            description: 'webhook needs an https PUBLIC_URL; auto picks webhook when PUBLIC_URL is https, else polling. Default auto.',
          }),
        ),
      },
      { additionalProperties: false },
    ),
    generateSecrets: () => ({ webhookSecret: randomBytes(32).toString('base64url') }),

    verify(req, account) {
      const given = req.headers[SECRET_HEADER];
      const secret = account.credentials.webhookSecret;
      return req.method === 'POST' && Boolean(given && secret) && safeEqual(given as string, secret as string);
    },

    async parse(req, account, ctx) {
      let update: unknown;
      try {
        update = JSON.parse(req.rawBody.toString('utf8'));
      } catch {
        throw malformed('not JSON');
      }
      if (!isUpdate(update)) throw malformed('not a Telegram Update (no update_id)');
      return { events: await normalizeUpdate(update, client(account.credentials.botToken), ctx) };
    },

    send: (command, account, ctx) => sendReply(client(account.credentials.botToken), command, ctx, callTimeoutMs),

    async checkCredentials(account) {
      try {
        const me = await client(account.credentials.botToken).callApi('getMe', {}, withSignal(AbortSignal.timeout(callTimeoutMs)));
        return { ok: true, externalAccountId: String(me.id), label: me.username ? `@${me.username}` : me.first_name };
      } catch (err) {
        return { ok: false, reason: err instanceof TelegramError ? `Telegram: ${err.description}` : `Telegram unreachable: ${(err as Error).message}` };
      }
    },

    async start(account, ctx) {
      const telegram = client(account.credentials.botToken);
      const mode = account.settings.mode ?? 'auto';
      const webhook = mode === 'webhook' || (mode === 'auto' && ctx.publicUrl.startsWith('https://'));
      if (!webhook) return startPolling(telegram, ctx, options.pollTimeoutSeconds ?? 25);
      await telegram.callApi(
        'setWebhook',
        { url: ctx.webhookUrl, secret_token: account.credentials.webhookSecret, allowed_updates: [...ALLOWED_UPDATES] },
        withSignal(AbortSignal.timeout(callTimeoutMs)),
      );
      ctx.logger.info({ webhookUrl: ctx.webhookUrl }, 'telegram webhook registered');
      // The webhook stays registered on shutdown: Telegram keeps updates queued until we are back.
      return undefined;
    },
  };
}
