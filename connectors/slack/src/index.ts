/**
 * @switchboard/connector-slack — customers in Slack Connect shared channels, through the Events
 * API (signed webhooks) or Socket Mode; replies go into the customer's thread. docs/channels/slack.md.
 */
import { Type } from 'typebox';
import { malformed, type Connector } from '@switchboard/connectors-sdk';
import { slackClient, slackErrorText, type SlackOptions } from './client.js';
import { normalizeEnvelope, UserDirectory, verifySlack, type SlackEnvelope } from './inbound.js';
import { sendReply } from './outbound.js';
import { startSocketMode } from './socket-mode.js';

export type { SlackOptions } from './client.js';
export { slackSignature, type SlackEnvelope } from './inbound.js';

export function slackConnector(options: SlackOptions = {}): Connector {
  const users = new UserDirectory();
  const maxAge = options.maxSignatureAgeSeconds ?? 300;
  return {
    channel: 'slack',
    credentialsSchema: Type.Object(
      {
        botToken: Type.String({ pattern: '^xoxb-[A-Za-z0-9-]+$', description: 'Bot User OAuth Token (OAuth & Permissions).' }),
        signingSecret: Type.String({ pattern: '^[a-f0-9]{16,128}$', description: 'Signing Secret (Basic Information → App Credentials).' }),
        appToken: Type.Optional(Type.String({ pattern: '^xapp-[A-Za-z0-9-]+$', description: 'App-Level Token with connections:write, for Socket Mode.' })),
      },
      { additionalProperties: false },
    ),
    settingsSchema: Type.Object(
      {
        mode: Type.Optional(Type.Union([Type.Literal('events'), Type.Literal('socket')], { description: 'events = Events API webhooks (default); socket = Socket Mode.' })),
        channels: Type.Optional(Type.String({ pattern: '^[A-Z0-9]+(,[A-Z0-9]+)*$', description: 'Only these channel ids (comma-separated); default every channel the app is in.' })),
      },
      { additionalProperties: false },
    ),

    verify: (req, account) => verifySlack(req, account.credentials.signingSecret, maxAge),

    async parse(req, account, ctx) {
      let envelope: SlackEnvelope;
      try {
        envelope = JSON.parse(req.rawBody.toString('utf8')) as SlackEnvelope;
      } catch {
        throw malformed('not JSON');
      }
      if (typeof envelope?.type !== 'string') throw malformed('no envelope type');
      if (envelope.type === 'url_verification') {
        return { events: [], reply: { contentType: 'application/json', body: { challenge: String(envelope.challenge ?? '') } } };
      }
      const client = slackClient(account.credentials.botToken, options);
      return { events: await normalizeEnvelope(envelope, { client, account, ctx, users }) };
    },

    send: (command, account, ctx) => sendReply(slackClient(account.credentials.botToken, options), command, ctx),

    async checkCredentials(account) {
      try {
        const auth = await slackClient(account.credentials.botToken, options).auth.test();
        return { ok: true, externalAccountId: String(auth.user_id), label: `${auth.team ?? auth.team_id} / @${auth.user}` };
      } catch (err) {
        return { ok: false, reason: slackErrorText(err) };
      }
    },

    async start(account, ctx) {
      if (account.settings.mode !== 'socket') return undefined;
      if (!account.credentials.appToken) {
        await ctx.reportError('Socket Mode needs an App-Level Token (appToken).');
        return undefined;
      }
      const client = slackClient(account.credentials.botToken, options);
      return startSocketMode(account.credentials.appToken, options.slackApiUrl, ctx, (envelope) =>
        normalizeEnvelope(envelope, { client, account, ctx, users }),
      );
    },
  };
}
