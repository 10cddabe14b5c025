/** WhatsApp Cloud API + Instagram Messaging alone (docker compose service "connector-meta"). */
import { loadConfig } from '@switchboard/config';
import { runConnectorHost } from '@switchboard/connectors-sdk';
import { metaConnectors } from './plugin.js';

await runConnectorHost(loadConfig(), 'connector-meta', async (app, platform) => {
  await app.register(metaConnectors, { platform });
});
