export { default as inboxService, type InboxServiceOptions } from './plugin.js';
export { Repositories } from './repositories/index.js';
export type * from './repositories/records.js';
export { seedDemo, DEMO } from './seed.js';
export { rooms } from './fanout.js';
export { AGENT_SOCKET_EVENTS } from './sockets/agent.js';
export { restrictTo } from './access/inbox-scope.js';
export { Presence, type AgentPresence } from './presence.js';
export { AccessAuthenticator } from './access/authenticator.js';
