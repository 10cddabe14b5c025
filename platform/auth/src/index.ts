export * from './passwords.js';
export * from './tokens.js';
export * from './principal.js';
export * from './fastify.js';
