export { whatsappWebConnectors, SESSION_EVENT, type WhatsappWebOptions } from './plugin.js';
export { whatsappWebConnector } from './connector.js';
export { WaWebSession, snapshotOf, type SessionSnapshot } from './session.js';
export { SessionStore, sessionHealth, type SessionState } from './session-store.js';
export { wwebjsFactory, WwebjsClient } from './wwebjs-client.js';
export { ackToStatus } from './acks.js';
export type * from './seam.js';
