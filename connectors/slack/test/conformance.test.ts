import { connectorConformance } from '@switchboard/connectors-sdk/testing';
import { slackConnector } from '../src/index.js';
import { signedHeaders } from './sign.js';
import { startWebApiStandIn, type WebApiStandIn } from './web-api-stand-in.js';

const SIGNING_SECRET = '8f742231b10e8888abcd99fe0c1d85a5';
const channelOf = (chat: string) => `C${chat.replace(/\D/g, '').slice(-10)}`;

connectorConformance<WebApiStandIn>('slack', {
  standIn: async () => {
    const s = await startWebApiStandIn();
    s.users.set('U0CUSTOMER', { name: 'dana', real_name: 'Dana Scully', email: 'dana@customer.example' });
    return s;
  },
  connector: (s) => slackConnector({ slackApiUrl: s.apiUrl }),
  credentials: (s) => ({ botToken: s.botToken, signingSecret: SIGNING_SECRET }),
  inboundMessage(_account, { id, chat, text }) {
    const ts = `${id.slice(0, 10)}.${id.slice(10).padStart(6, '0')}`;
    const body = JSON.stringify({
      token: 'unused',
      team_id: 'T0ACME',
      api_app_id: 'A0SWITCHB',
      type: 'event_callback',
      event_id: `Ev${id}`,
      event_time: Math.floor(Date.now() / 1000),
      event: { type: 'message', channel: channelOf(chat), user: 'U0CUSTOMER', text, ts, event_ts: ts, channel_type: 'channel' },
    });
    return { headers: signedHeaders(SIGNING_SECRET, body), body };
  },
  badSignature: (call) => ({ ...call, headers: { ...call.headers, 'x-slack-signature': `v0=${'0'.repeat(64)}` } }),
  sentTexts: (s) => s.posts().map((c) => c.args.text ?? ''),
});
