/**
 * A service process for serve-process.test.ts: fastify run by `serve`, with GET /slow?ms=N that
 * answers after N ms (a request in flight). PORT and SHUTDOWN_TIMEOUT_MS come from the
 * environment; it prints "ready" once listening.
 */
import { fastify } from 'fastify';
import { createLogger } from '@switchboard/logging';
import { serve } from '../src/serve.js';

const app = fastify();
app.get<{ Querystring: { ms: string } }>('/slow', async (req) => {
  await new Promise((resolve) => setTimeout(resolve, Number(req.query.ms)));
  return { slept: Number(req.query.ms) };
});
await serve(app, {
  port: Number(process.env.PORT),
  host: '127.0.0.1',
  logger: createLogger({ level: 'info', format: 'json' }),
  shutdownTimeoutMs: Number(process.env.SHUTDOWN_TIMEOUT_MS),
});
process.stdout.write('ready\n');
