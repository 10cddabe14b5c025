export * from './messages.js';
export * from './models.js';
export * from './sockets.js';
export * from './validate.js';
export * from './ids.js';
export * from './tickets.js';
export * from './kb.js';
export * from './web-inboxes.js';
