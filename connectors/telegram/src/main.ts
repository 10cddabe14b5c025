/** The Telegram connector alone (docker compose service "connector-telegram"): webhooks, accounts API, delivery. */
import { loadConfig } from '@switchboard/config';
import { runConnector } from '@switchboard/connectors-sdk';
import { telegramConnector } from './index.js';

const config = loadConfig();
await runConnector(config, telegramConnector({ apiRoot: config.telegram.apiRoot }));
