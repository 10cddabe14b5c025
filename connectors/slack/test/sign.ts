import { slackSignature } from '../src/index.js';

/** Headers exactly as Slack sends them with a signed request. */
export function signedHeaders(signingSecret: string, body: string, at = Math.floor(Date.now() / 1000)): Record<string, string> {
  const timestamp = String(at);
  return {
    'content-type': 'application/json',
    'x-slack-request-timestamp': timestamp,
    'x-slack-signature': slackSignature(signingSecret, timestamp, body),
  };
}
