export { metaConnectors, type MetaConnectorsOptions } from './plugin.js';
export { whatsappConnector } from './whatsapp/connector.js';
export { instagramConnector } from './instagram/connector.js';
export { MetaStore } from './meta-store.js';
export { GraphClient, GraphApiError } from './graph-client.js';
export { verifyHubSignature, hubSignature, answerChallenge } from './signature.js';
export { windowState, WINDOW_MS } from './window.js';
export type { MetaDeps } from './deps.js';
