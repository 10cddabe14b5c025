/**
 * @switchboard/connectors-sdk — what every channel connector shares: the Connector interface,
 * the runtime that mounts webhooks, accounts and delivery (connectorPlugin), the blob route, and
 * the loopback channel. How to write a connector: docs/connectors.md.
 */
export * from './types.js';
export { connectorPlugin, type ConnectorPluginOptions, type ConnectorRuntime } from './plugin.js';
export { default as connectorsBase, type ConnectorsBaseOptions } from './base.js';
export { ChannelAccounts, accountView, webhookPath, type ChannelAccountRecord, type ChannelAccountView, type DeliveryRecord, type AccountStatus } from './accounts.js';
export { connectorErrors, DeliveryError, MalformedPayload, malformed, transient, permanent, deliveryErrorFor } from './errors.js';
export { stamp, MAX_MEDIA_BYTES } from './context.js';
export { loopbackConnector, loopbackSignature, LoopbackMessage, LOOPBACK_SIGNATURE_HEADER, type LoopbackOptions } from './loopback.js';
export { callerTenant, ensureCaller, adminOnly, adminRead, agentsRead, publicRoute } from './access.js';
export { runConnector, runConnectorHost } from './run.js';
