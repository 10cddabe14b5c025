/**
 * WhatsApp Web alone (docker compose service "connector-whatsapp-web"). Run exactly one replica:
 * a linked device is one browser. Session pushes reach admins through the Redis socket.io adapter.
 */
import { loadConfig } from '@switchboard/config';
import { runConnectorHost } from '@switchboard/connectors-sdk';
import { createRealtime } from '@switchboard/realtime';
import { whatsappWebConnectors } from './plugin.js';

await runConnectorHost(loadConfig(), 'connector-whatsapp-web', async (app, platform) => {
  const realtime = await createRealtime(platform.realtime, app.server, { cors: { origin: true, credentials: false } }, platform.logger);
  // Admins' sockets are open connections the HTTP server would wait for on close: end them first.
  app.addHook('preClose', async () => realtime.close());
  await app.register(whatsappWebConnectors, { platform, io: realtime.io });
});
