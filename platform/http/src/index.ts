export * from './errors.js';
export * from './error-handler.js';
export * from './server.js';
export * from './openapi.js';
export * from './health.js';
export * from './rate-limit.js';
export * from './security.js';
