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
} from '@switchboard/connectors-sdk';
import { graphFor, type MetaDeps } from '../deps.js';
import { GraphApiError } from '../graph-client.js';
import { fetchMedia } from '../media.js';
import { publicMediaUrl } from '../public-media.js';
import { answerChallenge, verifyHubSignature } from '../signature.js';
import { NotAnInstagramWebhook, normalizeInstagram } from './inbound.js';
import { explainInstagramError, igAttachment, igAttachmentType, igText, type IgSendResponse } from './outbound.js';

const Secret = (description: string) => Type.String({ minLength: 1, maxLength: 1000, description });

/** Instagram Messaging (Instagram API with Instagram Login): one account = one professional account. */
export function instagramConnector(deps: MetaDeps): Connector {
  const graph = (account: ChannelAccount) => graphFor(account, deps.instagramGraphUrl, deps.graphVersion);
  const igUserOf = (account: ChannelAccount) => account.settings.igUserId ?? account.externalAccountId ?? 'me';

  return {
    channel: 'instagram',
    credentialsSchema: Type.Object(
      {
        accessToken: Secret('Instagram user access token with instagram_business_manage_messages.'),
        appSecret: Secret('Instagram app secret: verifies X-Hub-Signature-256 of every webhook.'),
        verifyToken: Secret('Any string you choose; type the same into the app dashboard\'s webhook "Verify token".'),
      },
      { additionalProperties: false },
    ),
    settingsSchema: Type.Object(
      { igUserId: Type.Optional(Type.String({ pattern: '^\\d{5,30}$', description: 'Instagram professional account id; found from the token when left out.' })) },
      { additionalProperties: false },
    ),

    verify(req, account) {
      if (req.method === 'GET') return answerChallenge(req.query, account.credentials.verifyToken ?? '') !== null;
      return verifyHubSignature(req.rawBody, req.headers['x-hub-signature-256'], account.credentials.appSecret ?? '');
    },

    async parse(req, account, ctx): Promise<ParseResult> {
      if (req.method === 'GET') {
        return { events: [], reply: { contentType: 'text/plain', body: answerChallenge(req.query, account.credentials.verifyToken ?? '') ?? '' } };
      }
      let items;
      try {
        items = normalizeInstagram(JSON.parse(req.rawBody.toString('utf8')));
      } catch (err) {
        if (err instanceof SyntaxError || err instanceof NotAnInstagramWebhook) throw malformed(err.message);
        throw err;
      }
      const store = deps.store.forTenant(account.tenantId);
      const client = graph(account);
      const events: InboundDraft[] = [];
      for (const item of items) {
        if (item.type !== 'event') continue;
        let event = await fetchMedia(item.event, item.media, client, ctx);
        if (event.replyTo && event.kind !== 'delete') {
          const ours = await store.findSent('instagram', event.replyTo);
          if (ours) event = { ...event, replyTo: `out:${ours.idempotencyKey}` };
        }
        if (event.kind === 'message') await store.touchThread('instagram', account.accountId, event.threadKey, new Date(event.sentAt));
        events.push(event);
      }
      return { events };
    },

    async send(command: OutboundCommand, account: ChannelAccount, ctx: ConnectorContext) {
      const store = deps.store.forTenant(command.tenantId);
      const client = graph(account);
      const recipient = command.threadKey;
      const payloads: Record<string, unknown>[] = [];
      for (const a of command.attachments ?? []) {
        const type = igAttachmentType(a.kind);
        if (!type) throw permanent(`A ${a.kind} attachment cannot be sent through Instagram.`);
        // Instagram fetches attachments by URL: a stored file gets a sealed link that expires.
        const url = /^https?:\/\//.test(a.ref) ? a.ref : publicMediaUrl(deps.secrets, ctx.publicUrl, command.tenantId, a.ref);
        payloads.push(igAttachment(recipient, type, url));
      }
      if (command.text) payloads.push(igText(recipient, command.text));
      if (!payloads.length) throw permanent('The reply has neither text nor attachments.');

      const done = new Map((await store.partsSent('instagram', command.idempotencyKey)).map((p) => [p.part, p.providerMessageId]));
      const ids: string[] = [];
      for (const [part, payload] of payloads.entries()) {
        const already = done.get(part);
        if (already) {
          ids.push(already);
          continue;
        }
        let res: IgSendResponse;
        try {
          res = await client.post<IgSendResponse>(`${encodeURIComponent(igUserOf(account))}/messages`, payload);
        } catch (err) {
          if (err instanceof GraphApiError) {
            const reason = explainInstagramError(err.code, err.subcode, err.message);
            throw err.transient ? transient(reason, err.httpStatus) : permanent(reason, err.httpStatus);
          }
          throw err;
        }
        if (!res.message_id) throw transient('Instagram answered without a message id.');
        await store.recordSent({ channel: 'instagram', accountId: account.accountId, providerMessageId: res.message_id, messageId: command.messageId, idempotencyKey: command.idempotencyKey, part });
        ids.push(res.message_id);
      }
      return { externalId: ids[0]! };
    },

    async checkCredentials(account: ChannelAccount): Promise<CheckResult> {
      try {
        const me = await graph(account).get<{ user_id?: string; id?: string; username?: string }>('me?fields=user_id,username');
        const id = account.settings.igUserId ?? me.user_id ?? me.id;
        return { ok: true, ...(id ? { externalAccountId: id } : {}), ...(me.username ? { label: `@${me.username}` } : {}) };
      } catch (err) {
        return { ok: false, reason: err instanceof GraphApiError ? explainInstagramError(err.code, err.subcode, err.message) : (err as Error).message };
      }
    },
  };
}
