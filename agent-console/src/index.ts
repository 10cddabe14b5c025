/**
 * The console's browser-free logic, for other packages' tests and tools. The SPA itself starts in
 * main.tsx and is shipped as dist/app.js.
 */
export { ApiClient, ApiError, ERR_NETWORK, ERR_SESSION_ENDED, newIdempotencyKey, type ConsoleApi } from './api.js';
export { ConsoleStore, type ConsoleStoreDeps } from './console-store.js';
export { matchesFilter, mergePage, upsertConversation, type ListFilter } from './conversations.js';
export type { ConnectionState, Realtime, RealtimeHandlers } from './realtime.js';
export { SESSION_KEY, readSession, writeSession, type Session } from './session.js';
export { highestSeq, mergeMessages, visiblePending, type PendingReply } from './thread.js';
export { TypingSender } from './typing.js';
export { TicketStore, pickTicket, newerTicket, type TicketHost } from './tickets.js';
export { durationText, slaLine, slaLines } from './sla-display.js';
