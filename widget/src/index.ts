/**
 * The widget's logic, importable without a DOM (the browser entries are loader.ts and main.tsx).
 * `bundleUrl` points at the built loader the hub serves as /widget.js, `chatModulesUrl` at the
 * folder of the chat's ES modules it imports, served under /widget/.
 */
export { createChat, type Chat, type ChatOptions, type ChatResult, type ChatState, type ConnectionState } from './chat.js';
export { toVisitorUpdate } from './visitor.js';
export { readConfig, type SwitchboardSettings, type WidgetConfig } from './config.js';
export { mergeServer, addPending, markSent, highestSeq, type ChatAttachment, type ChatMessage } from './messages.js';
export { createOutbox, type Outbox, type OutgoingAttachment, type OutgoingMessage, type SendOutcome } from './outbox.js';
export { storageKey, memoryStorage, type KeyValueStorage } from './storage.js';
export { createTypingIndicator, createTypingNotifier, type TypingNotifier } from './typing.js';
export { createWire, type Wire, type WireOptions, type WebSocketFactory } from './wire.js';
export type { SwitchboardApi, WidgetEvents, PublicMessage } from './api.js';

export const bundleUrl = new URL('../dist/widget.js', import.meta.url);
export const chatModulesUrl = new URL('../dist/widget/', import.meta.url);
