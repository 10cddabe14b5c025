/**
 * The widget's logic, importable without a DOM (the browser bundle's entry is main.tsx).
 * `bundleUrl` points at the built file the hub serves as /widget.js.
 */
export { createChat, type Chat, type ChatOptions, type ChatState, type ConnectionState } from './chat.js';
export { readConfig, type WidgetConfig } from './config.js';
export { mergeServer, addPending, markSent, highestSeq, type ChatMessage } from './messages.js';
export { Outbox, type OutgoingMessage, type SendOutcome } from './outbox.js';
export { storageKeys, memoryStorage, type KeyValueStorage } from './storage.js';
export { TypingIndicator, TypingNotifier } from './typing.js';

export const bundleUrl = new URL('../dist/widget.js', import.meta.url);
