import { afterEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import Fastify from 'fastify';
import { createLogger } from '@switchboard/logging';
import { addUrlRewriter, createHttpServer } from './server.js';

const logger = createLogger({ level: 'silent', format: 'json' });

describe('URL rewriters', () => {
  let app: FastifyInstance;
  afterEach(async () => {
    await app?.close();
  });

  it('routes a request by the URL a rewriter gives, from any plugin scope; others pass untouched', async () => {
    app = createHttpServer({ logger, bodyLimit: 1024 }) as unknown as FastifyInstance;
    app.get('/site/:name/*', async (req) => ({ routed: req.url, original: req.originalUrl, params: req.params }));
    app.get('/plain', async (req) => ({ routed: req.url }));
    await app.register(async (scope) => {
      addUrlRewriter(scope, (req) => (req.headers.host === 'docs.example.com' ? `/site/docs${req.url}` : undefined));
    });
    await app.ready();

    const rewritten = await app.inject({ url: '/guide/start?x=1', headers: { host: 'docs.example.com' } });
    expect(rewritten.json()).toEqual({ routed: '/site/docs/guide/start?x=1', original: '/guide/start?x=1', params: { name: 'docs', '*': 'guide/start' } });
    const untouched = await app.inject({ url: '/plain', headers: { host: 'hub.example.com' } });
    expect(untouched.json()).toEqual({ routed: '/plain' });
  });

  it('asks rewriters in order, stops at the first answer, and forgets a removed one', async () => {
    app = createHttpServer({ logger, bodyLimit: 1024 }) as unknown as FastifyInstance;
    app.get('/*', async (req) => ({ routed: req.url }));
    const removeFirst = addUrlRewriter(app, (req) => (req.url?.startsWith('/a') ? `/first${req.url}` : undefined));
    addUrlRewriter(app, (req) => `/second${req.url}`);
    await app.ready();

    expect((await app.inject({ url: '/a' })).json()).toEqual({ routed: '/first/a' });
    expect((await app.inject({ url: '/b' })).json()).toEqual({ routed: '/second/b' });
    removeFirst();
    expect((await app.inject({ url: '/a' })).json()).toEqual({ routed: '/second/a' });
  });

  it('refuses a server not built by createHttpServer, saying why', () => {
    app = Fastify();
    expect(() => addUrlRewriter(app, () => undefined)).toThrow(/createHttpServer/);
  });
});

describe('error answers', () => {
  let app: FastifyInstance;
  afterEach(async () => {
    await app?.close();
  });

  it('answers 503 with the seam’s own code and a Retry-After when a dependency is down, and hides other failures as 500', async () => {
    app = createHttpServer({ logger, bodyLimit: 1024 }) as unknown as FastifyInstance;
    const down = Object.assign(new Error('RabbitMQ is unavailable; retry later.'), { code: 'SB_ERR_BUS_UNAVAILABLE', statusCode: 503 });
    app.post('/reply', async () => {
      throw down;
    });
    app.get('/broken', async () => {
      throw new Error('secret internals');
    });
    await app.ready();

    const busy = await app.inject({ method: 'POST', url: '/reply' });
    expect(busy.statusCode).toBe(503);
    expect(busy.headers['retry-after']).toBe('5');
    expect(busy.json()).toEqual({ error: { code: 'SB_ERR_BUS_UNAVAILABLE', message: 'RabbitMQ is unavailable; retry later.' } });
    const broken = await app.inject({ url: '/broken' });
    expect(broken.statusCode).toBe(500);
    expect(broken.json().error.code).toBe('SB_ERR_INTERNAL');
    expect(broken.body).not.toContain('secret');
  });
});
