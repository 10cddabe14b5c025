/** Test support for connectors: the conformance suite and an in-process host (never used by production code). */
export { connectorConformance, type ConformanceHarness, type StandIn, type WebhookCall } from './conformance.js';
export { startConnectorHost, BreakableBus, type ConnectorHost, type HostOptions } from './host.js';
