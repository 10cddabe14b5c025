import { loopbackConnector, loopbackSignature, LOOPBACK_SIGNATURE_HEADER } from '../src/index.js';
import { connectorConformance } from '../src/testing/index.js';
import { startLoopbackStandIn } from './loopback-stand-in.js';

connectorConformance('loopback', {
  standIn: startLoopbackStandIn,
  connector: () => loopbackConnector(),
  credentials: () => ({}),
  settings: (s) => ({ deliverUrl: s.url }),
  inboundMessage(account, { id, chat, text }) {
    const body = JSON.stringify({ id, chatId: chat, from: { id: `u-${chat}`, name: 'Ada Lovelace' }, text });
    return { headers: { 'content-type': 'application/json', [LOOPBACK_SIGNATURE_HEADER]: loopbackSignature(account.credentials.secret ?? '', body) }, body };
  },
  badSignature: (call) => ({ ...call, headers: { ...call.headers, [LOOPBACK_SIGNATURE_HEADER]: loopbackSignature('not-the-secret-at-all', call.body) } }),
  sentTexts: (s) => s.calls.map((c) => c.text),
});
