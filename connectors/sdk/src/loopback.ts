import { randomBytes } from 'node:crypto';
import { Type } from 'typebox';
import { validator, type OutboundCommand } from '@switchboard/contracts';
import { hmacSha256Hex, safeEqual } from '@switchboard/crypto';
import { deliveryErrorFor, malformed, transient } from './errors.js';
import type { ChannelAccount, Connector, InboundDraft, WebhookRequest } from './types.js';

/**
 * The loopback channel: a tiny signed-JSON protocol that exercises every part of the runtime
 * without a provider. Tests and the demo use it; its "provider" is any HTTP endpoint.
 *
 * Inbound: POST /webhooks/loopback/<accountId>, header `x-loopback-signature: sha256=<hex>` =
 * HMAC-SHA256(secret, raw body), body {@link LoopbackMessage}.
 * Outbound: POST settings.deliverUrl with the same signature and body
 * `{ chatId, text, replyTo?, idempotencyKey }`; the endpoint answers `{ id }`.
 */
export const LoopbackMessage = Type.Object(
  {
    id: Type.String({ minLength: 1, maxLength: 200 }),
    chatId: Type.String({ minLength: 1, maxLength: 200 }),
    from: Type.Object({ id: Type.String({ minLength: 1, maxLength: 200 }), name: Type.Optional(Type.String({ maxLength: 300 })) }),
    text: Type.Optional(Type.String({ maxLength: 65_536 })),
    /** Set for an edit of message `editOf`. */
    editOf: Type.Optional(Type.String({ maxLength: 200 })),
    replyTo: Type.Optional(Type.String({ maxLength: 200 })),
    date: Type.Optional(Type.String({ format: 'date-time' })),
  },
  { additionalProperties: false },
);
const check = validator(LoopbackMessage);

export const LOOPBACK_SIGNATURE_HEADER = 'x-loopback-signature';

export function loopbackSignature(secret: string, body: string | Buffer): string {
  return `sha256=${hmacSha256Hex(secret, body)}`;
}

export interface LoopbackOptions {
  /** Time allowed for one outbound HTTP call; default 10000. */
  timeoutMs?: number;
}

export function loopbackConnector(options: LoopbackOptions = {}): Connector {
  const timeoutMs = options.timeoutMs ?? 10_000;
  return {
    channel: 'loopback',
    credentialsSchema: Type.Object({ secret: Type.Optional(Type.String({ minLength: 16, maxLength: 200 })) }, { additionalProperties: false }),
    settingsSchema: Type.Object({ deliverUrl: Type.Optional(Type.String({ pattern: '^https?://\\S+$', maxLength: 2000 })) }, { additionalProperties: false }),
    generateSecrets: () => ({ secret: randomBytes(24).toString('base64url') }),

    verify(req: WebhookRequest, account: ChannelAccount) {
      const given = req.headers[LOOPBACK_SIGNATURE_HEADER];
      const secret = account.credentials.secret;
      return req.method === 'POST' && Boolean(given && secret) && safeEqual(given as string, loopbackSignature(secret as string, req.rawBody));
    },

    async parse(req) {
      let body: unknown;
      try {
        body = JSON.parse(req.rawBody.toString('utf8'));
      } catch {
        throw malformed('not JSON');
      }
      const result = check.validate(body);
      if (!result.ok) throw malformed(result.issues.map((i) => `${i.path} ${i.message}`).join('; '));
      const m = result.value;
      const draft: InboundDraft = {
        kind: m.editOf ? 'edit' : 'message',
        externalId: m.editOf ? `${m.editOf}:edit:${m.id}` : m.id,
        threadKey: m.chatId,
        sender: { externalId: m.from.id, ...(m.from.name ? { name: m.from.name } : {}) },
        ...(m.text !== undefined ? { text: m.text } : {}),
        ...(m.editOf ? { replyTo: m.editOf } : m.replyTo ? { replyTo: m.replyTo } : {}),
        sentAt: m.date ?? new Date().toISOString(),
      };
      return { events: [draft] };
    },

    async send(command: OutboundCommand, account: ChannelAccount) {
      const url = account.settings.deliverUrl;
      if (!url) throw deliveryErrorFor(400, 'This loopback account has no deliverUrl.');
      const body = JSON.stringify({ chatId: command.threadKey, text: command.text ?? '', replyTo: command.replyTo, idempotencyKey: command.idempotencyKey });
      let res: Response;
      try {
        res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', [LOOPBACK_SIGNATURE_HEADER]: loopbackSignature(account.credentials.secret ?? '', body) },
          body,
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (err) {
        throw transient(`loopback endpoint unreachable: ${(err as Error).message}`);
      }
      const text = await res.text();
      if (!res.ok) throw deliveryErrorFor(res.status, `loopback endpoint answered ${res.status}: ${text.slice(0, 300)}`);
      const id = (JSON.parse(text || '{}') as { id?: unknown }).id;
      if (typeof id !== 'string' || !id) throw deliveryErrorFor(502, 'loopback endpoint answered without an id');
      return { externalId: id };
    },

    async checkCredentials(account) {
      if (!account.credentials.secret) return { ok: false, reason: 'A secret is needed to sign webhooks.' };
      return { ok: true, externalAccountId: account.accountId, label: account.name };
    },
  };
}
