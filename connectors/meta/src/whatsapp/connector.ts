import { Type } from 'typebox';
import type { OutboundCommand } from '@switchboard/contracts';
import {
  malformed,
  permanent,
  transient,
  type ChannelAccount,
  type CheckResult,
  type Connector,
  type ConnectorContext,
  type InboundDraft,
  type ParseResult,
  type WebhookRequest,
} from '@switchboard/connectors-sdk';
import { graphFor, type MetaDeps } from '../deps.js';
import { GraphApiError, type GraphClient } from '../graph-client.js';
import { fetchMedia } from '../media.js';
import { answerChallenge, verifyHubSignature } from '../signature.js';
import { windowState } from '../window.js';
import { NotAWhatsAppWebhook, normalizeWhatsApp } from './inbound.js';
import { explainWhatsAppError, mediaMessage, templateMessage, textMessage, whatsappMediaType, type MediaSourceRef, type WaSendResponse } from './outbound.js';

const Secret = (description: string) => Type.String({ minLength: 1, maxLength: 1000, description });

/** WhatsApp Business Platform (Cloud API): one account = one business phone number. */
export function whatsappConnector(deps: MetaDeps): Connector {
  const graph = (account: ChannelAccount) => graphFor(account, deps.graphUrl, deps.graphVersion);
  const phoneOf = (account: ChannelAccount) => account.settings.phoneNumberId ?? account.externalAccountId ?? '';

  return {
    channel: 'whatsapp',
    credentialsSchema: Type.Object(
      {
        accessToken: Secret('System-user access token with whatsapp_business_messaging.'),
        appSecret: Secret('App secret: verifies X-Hub-Signature-256 of every webhook.'),
        verifyToken: Secret('Any string you choose; type the same into the app dashboard\'s webhook "Verify token".'),
      },
      { additionalProperties: false },
    ),
    settingsSchema: Type.Object(
      { phoneNumberId: Type.String({ pattern: '^\\d{5,30}$', description: 'Phone number ID from WhatsApp Manager → API setup.' }) },
      { additionalProperties: false },
    ),

    verify(req: WebhookRequest, account: ChannelAccount) {
      if (req.method === 'GET') return answerChallenge(req.query, account.credentials.verifyToken ?? '') !== null;
      return verifyHubSignature(req.rawBody, req.headers['x-hub-signature-256'], account.credentials.appSecret ?? '');
    },

    async parse(req, account, ctx): Promise<ParseResult> {
      if (req.method === 'GET') {
        return { events: [], reply: { contentType: 'text/plain', body: answerChallenge(req.query, account.credentials.verifyToken ?? '') ?? '' } };
      }
      let items;
      try {
        items = normalizeWhatsApp(JSON.parse(req.rawBody.toString('utf8')));
      } catch (err) {
        if (err instanceof SyntaxError || err instanceof NotAWhatsAppWebhook) throw malformed(err.message);
        throw err;
      }
      const store = deps.store.forTenant(account.tenantId);
      const client = graph(account);
      const events: InboundDraft[] = [];
      for (const item of items) {
        if (item.accountId !== phoneOf(account)) {
          ctx.logger.warn({ phoneNumberId: item.accountId }, 'webhook for another phone number of this app; ignored');
          continue;
        }
        if (item.type === 'status') {
          const sent = await store.findSent('whatsapp', item.providerMessageId);
          // Messages sent from the WhatsApp Business app (not through us) have no message here.
          if (!sent) continue;
          events.push({
            kind: 'status',
            externalId: `status:${sent.messageId}:${item.status}`,
            threadKey: item.recipientId,
            sender: { externalId: account.accountId },
            replyTo: sent.messageId,
            status: item.status,
            ...(item.error ? { text: item.error } : {}),
            sentAt: item.at,
          });
          continue;
        }
        let event = await fetchMedia(item.event, item.media, client, ctx);
        if (event.replyTo) {
          // A reply to (or reaction on) one of our messages: the inbox knows it as "out:<idempotencyKey>".
          const ours = await store.findSent('whatsapp', event.replyTo);
          if (ours) event = { ...event, replyTo: `out:${ours.idempotencyKey}` };
        }
        if (event.kind === 'message') await store.touchThread('whatsapp', account.accountId, event.threadKey, new Date(event.sentAt));
        events.push(event);
      }
      return { events };
    },

    async send(command: OutboundCommand, account: ChannelAccount, ctx: ConnectorContext) {
      const store = deps.store.forTenant(command.tenantId);
      const client = graph(account);
      const phone = phoneOf(account);
      const to = command.threadKey;
      const intent = await store.findTemplate(command.idempotencyKey);
      if (!intent) {
        const w = windowState(await store.lastInbound('whatsapp', account.accountId, to));
        if (!w.open) {
          throw permanent(
            `More than 24 hours have passed since the customer last wrote${w.expiresAt ? ` (the window closed at ${w.expiresAt})` : ''}: WhatsApp only delivers an approved template now — choose "Send template".`,
          );
        }
      }
      const contextId = await resolveContext(command.replyTo, store);
      const payloads: Record<string, unknown>[] = [];
      if (intent) {
        payloads.push(templateMessage(to, intent.template));
      } else if (command.attachments?.length) {
        let caption = command.text;
        for (const [i, a] of command.attachments.entries()) {
          const type = whatsappMediaType(a.kind);
          if (!type) throw permanent(`A ${a.kind} attachment cannot be sent through WhatsApp by Switchboard.`);
          const media = await mediaSource(a.ref, a.mime, a.name, client, phone, ctx);
          payloads.push(mediaMessage(to, type, media, { ...(caption ? { caption } : {}), ...(a.name ? { filename: a.name } : {}), ...(i === 0 && contextId ? { contextId } : {}) }));
          if (type !== 'audio' && type !== 'sticker') caption = undefined;
        }
        if (caption) payloads.push(textMessage(to, caption));
      } else {
        payloads.push(textMessage(to, command.text ?? '', contextId));
      }

      const done = new Map((await store.partsSent('whatsapp', command.idempotencyKey)).map((p) => [p.part, p.providerMessageId]));
      const ids: string[] = [];
      for (const [part, payload] of payloads.entries()) {
        const already = done.get(part);
        if (already) {
          ids.push(already);
          continue;
        }
        let res: WaSendResponse;
        try {
          res = await client.post<WaSendResponse>(`${encodeURIComponent(phone)}/messages`, payload);
        } catch (err) {
          throw deliveryError(err);
        }
        const id = res.messages?.[0]?.id;
        if (!id) throw transient('WhatsApp answered without a message id.');
        await store.recordSent({ channel: 'whatsapp', accountId: account.accountId, providerMessageId: id, messageId: command.messageId, idempotencyKey: command.idempotencyKey, part });
        ids.push(id);
      }
      return { externalId: ids[0]! };
    },

    async checkCredentials(account: ChannelAccount): Promise<CheckResult> {
      const phone = phoneOf(account);
      if (!phone) return { ok: false, reason: 'settings.phoneNumberId is required (WhatsApp Manager → API setup → Phone number ID).' };
      try {
        const info = await graph(account).get<{ id: string; display_phone_number?: string; verified_name?: string }>(
          `${encodeURIComponent(phone)}?fields=display_phone_number,verified_name`,
        );
        return { ok: true, externalAccountId: info.id, label: [info.verified_name, info.display_phone_number].filter(Boolean).join(' ') || info.id };
      } catch (err) {
        return { ok: false, reason: err instanceof GraphApiError ? explainWhatsAppError(err.code, err.message) : (err as Error).message };
      }
    },
  };
}

async function resolveContext(replyTo: string | undefined, store: ReturnType<MetaDeps['store']['forTenant']>): Promise<string | undefined> {
  if (!replyTo) return undefined;
  if (replyTo.startsWith('out:')) return (await store.findSentByKey(replyTo.slice(4)))?.providerMessageId;
  return replyTo.startsWith('wamid.') ? replyTo : undefined;
}

/** A public link goes as-is; a stored file is uploaded to WhatsApp first (media ids live 30 days). */
async function mediaSource(
  ref: string,
  mime: string | undefined,
  name: string | undefined,
  client: GraphClient,
  phone: string,
  ctx: ConnectorContext,
): Promise<MediaSourceRef> {
  if (/^https?:\/\//.test(ref)) return { link: ref };
  const blob = await ctx.readBlob(ref);
  if (!blob) throw permanent('The attached file is no longer stored.');
  try {
    const up = await client.upload<{ id: string }>(
      `${encodeURIComponent(phone)}/media`,
      { messaging_product: 'whatsapp', type: mime ?? blob.meta.mime },
      { bytes: blob.data, mime: mime ?? blob.meta.mime, name: name ?? blob.meta.name },
    );
    return { id: up.id };
  } catch (err) {
    throw deliveryError(err);
  }
}

function deliveryError(err: unknown): Error {
  if (err instanceof GraphApiError) {
    const reason = explainWhatsAppError(err.code, err.details ? `${err.message}: ${err.details}` : err.message);
    return err.transient ? transient(reason, err.httpStatus) : permanent(reason, err.httpStatus);
  }
  return err as Error;
}
