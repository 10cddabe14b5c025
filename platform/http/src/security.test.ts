import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createLogger } from '@switchboard/logging';
import { sanitizeHtml } from './security.js';
import { createHttpServer } from './server.js';

async function server(publicUrl: string): Promise<FastifyInstance> {
  const app = createHttpServer({
    logger: createLogger({ level: 'silent', format: 'json' }),
    bodyLimit: 1_048_576,
    security: { publicUrl, allowedOrigins: ['https://shop.example'], crossOriginPaths: ['/widget.js'] },
  }) as unknown as FastifyInstance;
  app.get('/', async (_req, reply) => reply.type('text/html').send('<!doctype html><p>console</p>'));
  app.get('/widget.js', async (_req, reply) => reply.type('application/javascript').send('/* widget */'));
  app.get('/api/v1/things', async () => ({ items: [] }));
  app.post('/api/v1/things', async () => ({ ok: true }));
  await app.ready();
  return app;
}

describe('security headers, CSP and CORS', () => {
  let app: FastifyInstance;
  let httpsApp: FastifyInstance;
  beforeAll(async () => {
    app = await server('http://localhost:3000');
    httpsApp = await server('https://support.example.com');
  });
  afterAll(async () => {
    await app.close();
    await httpsApp.close();
  });

  it('serves pages with a strict CSP: scripts only from our origin, no framing', async () => {
    const res = await app.inject({ method: 'GET', url: '/' });
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['strict-transport-security']).toBeUndefined();
  });

  it('adds HSTS only when PUBLIC_URL is https', async () => {
    const res = await httpsApp.inject({ method: 'GET', url: '/' });
    expect(res.headers['strict-transport-security']).toMatch(/max-age=31536000/);
    expect(String(res.headers['content-security-policy'])).toContain('upgrade-insecure-requests');
  });

  it('answers CORS on the API only for configured widget origins', async () => {
    const allowed = await app.inject({ method: 'GET', url: '/api/v1/things', headers: { origin: 'https://shop.example' } });
    expect(allowed.headers['access-control-allow-origin']).toBe('https://shop.example');
    const preflight = await app.inject({
      method: 'OPTIONS',
      url: '/api/v1/things',
      headers: { origin: 'https://shop.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
    });
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('https://shop.example');
    const other = await app.inject({ method: 'GET', url: '/api/v1/things', headers: { origin: 'https://evil.example' } });
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
    const page = await app.inject({ method: 'GET', url: '/', headers: { origin: 'https://shop.example' } });
    expect(page.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('lets any website load the widget script', async () => {
    const widget = await app.inject({ method: 'GET', url: '/widget.js', headers: { origin: 'https://anywhere.example' } });
    expect(widget.headers['cross-origin-resource-policy']).toBe('cross-origin');
    const page = await app.inject({ method: 'GET', url: '/' });
    expect(page.headers['cross-origin-resource-policy']).toBe('same-origin');
  });

  it('refuses a 2 MB body with 413 in the error format', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/things',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ text: 'x'.repeat(2 * 1024 * 1024) }),
    });
    expect(res.statusCode).toBe(413);
    expect(res.json().error.code).toBe('SB_ERR_BODY_TOO_LARGE');
  });
});

describe('sanitizeHtml', () => {
  it('removes scripts, handlers and javascript: links, keeps formatting', () => {
    const out = sanitizeHtml(
      '<p onclick="steal()">Hi <b>there</b><script>alert(1)</script><img src=x onerror=alert(1)>' +
        '<a href="javascript:alert(1)">x</a><a href="https://ok.example">ok</a><iframe src="https://x"></iframe><style>p{}</style></p>',
    );
    expect(out).not.toMatch(/script|onclick|onerror|javascript:|iframe|<style|<img/i);
    expect(out).toContain('<b>there</b>');
    expect(out).toContain('href="https://ok.example"');
    expect(out).toContain('rel="noopener noreferrer nofollow"');
  });
});

describe('sanitizeHtml images', () => {
  it('keeps only images of ours (/api/v1/blobs/…) or inline data: images, never remote ones', () => {
    const blob = '<img src="/api/v1/blobs/blob%3Aabc" alt="photo" width="320" height="240" />';
    expect(sanitizeHtml(`<p>${blob}</p>`)).toBe(`<p>${blob}</p>`);
    const dot = '<img src="data:image/png;base64,iVBORw0KGgo=" alt="dot" />';
    expect(sanitizeHtml(dot)).toBe(dot);
    const out = sanitizeHtml(
      '<img src="https://tracker.example/p.gif"><img src="//tracker.example/p.gif"><img src="javascript:alert(1)">' +
        '<img src="/api/v1/blobs/blob%3Aabc" onerror="alert(1)" style="x"><img src="/api/v1/blobs/../admin">' +
        '<img src="/api/v1/users"><img src="data:image/svg+xml;base64,PHN2Zz4=">',
    );
    expect(out).toBe('<img src="/api/v1/blobs/blob%3Aabc" />');
    expect(out).not.toMatch(/tracker|javascript:|onerror|style|admin|users|svg/);
  });
});
