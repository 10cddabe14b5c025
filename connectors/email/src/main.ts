/** The email channel alone (docker compose service "connector-email"): SMTP server, IMAP polling, accounts API, sending. */
import { loadConfig } from '@switchboard/config';
import { runConnectorHost } from '@switchboard/connectors-sdk';
import { emailChannel } from './plugin.js';

await runConnectorHost(loadConfig(), 'connector-email', async (app, platform) => {
  await app.register(emailChannel, { platform });
});
