import { connectorConformance } from '@switchboard/connectors-sdk/testing';
import { SECRET_HEADER, telegramConnector } from '../src/index.js';
import { startBotApiStandIn, type BotApiStandIn } from './bot-api-stand-in.js';

const chatIds = new Map<string, number>();
const chatId = (chat: string) => chatIds.get(chat) ?? (chatIds.set(chat, 100_000 + chatIds.size), chatIds.get(chat) as number);

connectorConformance<BotApiStandIn>('telegram', {
  standIn: () => startBotApiStandIn(),
  connector: (s) => telegramConnector({ apiRoot: s.url }),
  credentials: (s) => ({ botToken: s.token }),
  settings: () => ({ mode: 'webhook' }),
  inboundMessage(account, { id, chat, text }) {
    const update = {
      update_id: Number(id.slice(-9)),
      message: {
        message_id: Number(id.slice(-9)),
        from: { id: chatId(chat), is_bot: false, first_name: 'Olga', username: 'olga_p' },
        chat: { id: chatId(chat), first_name: 'Olga', username: 'olga_p', type: 'private' },
        date: Math.floor(Date.now() / 1000),
        text,
      },
    };
    return { headers: { 'content-type': 'application/json', [SECRET_HEADER]: account.credentials.webhookSecret ?? '' }, body: JSON.stringify(update) };
  },
  badSignature: (call) => ({ ...call, headers: { ...call.headers, [SECRET_HEADER]: 'not-the-secret-token-at-all' } }),
  sentTexts: (s) => s.sent().map((c) => String(c.payload.text ?? c.payload.caption ?? '')),
});
