export { buildHub, type Hub, type HubOptions } from './app.js';
