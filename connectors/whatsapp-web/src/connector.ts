import { Type } from 'typebox';
import { malformed, transient, type Connector } from '@switchboard/connectors-sdk';
import { WaWebSession, type SessionOptions } from './session.js';

/**
 * WhatsApp through a linked WhatsApp Web session. No webhooks and no credentials: an admin
 * creates the account, then pairs a phone by scanning the QR code the session shows.
 */
export function whatsappWebConnector(opts: SessionOptions & { sessions: Map<string, WaWebSession> }): Connector {
  const { sessions } = opts;
  return {
    channel: 'whatsapp-web',
    credentialsSchema: Type.Object({}, { additionalProperties: false }),
    settingsSchema: Type.Object({}, { additionalProperties: false }),
    // Nothing legitimate ever calls a WhatsApp Web webhook: everything arrives through the session.
    verify: () => false,
    parse: async () => {
      throw malformed('WhatsApp Web receives through the linked session, not webhooks');
    },
    async send(command, account) {
      const session = sessions.get(account.accountId);
      if (!session) throw transient('The WhatsApp Web session of this account is not running in this process.');
      return session.send(command);
    },
    async checkCredentials() {
      return { ok: true, label: 'WhatsApp Web — pair a phone with the QR code' };
    },
    async start(account, ctx) {
      const session = new WaWebSession(account, ctx, opts);
      sessions.set(account.accountId, session);
      await session.start();
      return async () => {
        if (sessions.get(account.accountId) === session) sessions.delete(account.accountId);
        await session.stop();
      };
    },
  };
}
