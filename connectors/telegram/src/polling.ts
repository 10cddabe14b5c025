import type { Telegram } from 'telegraf';
import { TelegramError } from 'telegraf';
import type { PullContext } from '@switchboard/connectors-sdk';
import { withSignal } from './client.js';
import { ALLOWED_UPDATES, normalizeUpdate, type TgUpdate } from './inbound.js';

/**
 * Long polling for machines without a public URL. The offset moves past an update only after its
 * events were confirmed by the broker, so a crash or a broker outage re-reads it (and the inbox's
 * idempotency keeps it single). Telegram keeps unconfirmed updates for 24 hours.
 */
export function startPolling(telegram: Telegram, ctx: PullContext, timeoutSeconds: number): () => Promise<void> {
  const abort = new AbortController();
  let offset: number | undefined;
  let failures = 0;
  const loop = (async () => {
    await telegram.callApi('deleteWebhook', { drop_pending_updates: false }, withSignal(abort.signal)).catch(() => undefined);
    while (!abort.signal.aborted) {
      try {
        const updates = (await telegram.callApi(
          'getUpdates',
          { timeout: timeoutSeconds, limit: 100, allowed_updates: [...ALLOWED_UPDATES], ...(offset !== undefined ? { offset } : {}) },
          withSignal(abort.signal),
        )) as unknown as TgUpdate[];
        for (const update of updates) {
          await ctx.publish(await normalizeUpdate(update, telegram, ctx));
          offset = update.update_id + 1;
        }
        failures = 0;
      } catch (err) {
        if (abort.signal.aborted) break;
        failures++;
        const reason = err instanceof TelegramError ? `Telegram: ${err.description}` : (err as Error).message;
        ctx.logger.warn({ reason, failures }, 'telegram polling failed; retrying');
        if (err instanceof TelegramError && (err.code === 401 || err.code === 409)) await ctx.reportError(reason).catch(() => undefined);
        await sleep(Math.min(30_000, 500 * 2 ** Math.min(failures, 6)), abort.signal);
      }
    }
  })();
  return async () => {
    abort.abort();
    await loop.catch(() => undefined);
  };
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(t);
      resolve();
    }, { once: true });
  });
}
