import { LogLevel, SocketModeClient } from '@slack/socket-mode';
import type { PullContext } from '@switchboard/connectors-sdk';
import type { SlackEnvelope } from './inbound.js';

/**
 * Socket Mode: Slack pushes events over a WebSocket the app opens (no public URL needed). Each
 * envelope is acknowledged only after its events were confirmed by the broker; an envelope not
 * acknowledged in time is sent again by Slack.
 */
export async function startSocketMode(
  appToken: string,
  slackApiUrl: string | undefined,
  ctx: PullContext,
  normalize: (envelope: SlackEnvelope) => Promise<Parameters<PullContext['publish']>[0]>,
): Promise<() => Promise<void>> {
  const client = new SocketModeClient({ appToken, logLevel: LogLevel.ERROR, ...(slackApiUrl ? { clientOptions: { slackApiUrl } } : {}) });
  client.on('slack_event', async ({ ack, type, body }: { ack: () => Promise<void>; type: string; body: SlackEnvelope }) => {
    if (type !== 'events_api') return ack();
    try {
      await ctx.publish(await normalize(body));
      await ack();
    } catch (err) {
      ctx.logger.warn({ err: (err as Error).message }, 'slack event not published; Slack will send it again');
    }
  });
  await client.start();
  return async () => {
    await client.disconnect();
  };
}
