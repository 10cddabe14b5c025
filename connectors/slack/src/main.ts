/** The Slack connector alone (docker compose service "connector-slack"): Events API webhooks, accounts API, delivery. */
import { loadConfig } from '@switchboard/config';
import { runConnector } from '@switchboard/connectors-sdk';
import { slackConnector } from './index.js';

const config = loadConfig();
await runConnector(config, slackConnector({ slackApiUrl: config.slack.apiUrl }));
