import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '@switchboard/config';
import { tempDir } from '@switchboard/testkit';
import { buildHub, type Hub } from '../src/app.js';

/** The hub as deployed: pages under a strict CSP, the widget script loadable by any website. */
describe('hub security headers', () => {
  const data = tempDir('sb-hub-sec');
  let hub: Hub;

  beforeAll(async () => {
    const config = loadConfig({
      DATA_DIR: data.dir,
      LOG_LEVEL: 'silent',
      DEMO_SEED: 'true',
      PUBLIC_URL: 'https://support.example.com',
      WIDGET_ALLOWED_ORIGINS: 'https://shop.example',
      SMTP_INBOUND_PORT: '0',
    });
    hub = await buildHub(config);
    await hub.app.ready();
  });
  afterAll(async () => {
    await hub.app.close();
    data.remove();
  });

  it('serves the console, the docs and the demo under a CSP without inline scripts, with HSTS', async () => {
    for (const url of ['/', '/docs/', '/demo']) {
      const res = await hub.app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(200);
      const csp = String(res.headers['content-security-policy']);
      expect(csp, url).toContain("script-src 'self'");
      expect(csp, url).not.toMatch(/script-src[^;]*unsafe/);
      expect(res.headers['strict-transport-security'], url).toMatch(/max-age/);
      expect(res.body, url).not.toMatch(/<script>(?!\s*<\/script>)|<script(?![^>]*\bsrc=)[^>]*>/);
    }
  });

  it('lets any website load /widget.js but keeps the API to the configured origins', async () => {
    const widget = await hub.app.inject({ method: 'GET', url: '/widget.js', headers: { origin: 'https://anywhere.example' } });
    expect(widget.headers['cross-origin-resource-policy']).toBe('cross-origin');
    expect(widget.headers['access-control-allow-origin']).toBe('*');
    const preflight = (origin: string) =>
      hub.app.inject({ method: 'OPTIONS', url: '/api/v1/conversations', headers: { origin, 'access-control-request-method': 'GET' } });
    expect((await preflight('https://shop.example')).headers['access-control-allow-origin']).toBe('https://shop.example');
    expect((await preflight('https://evil.example')).headers['access-control-allow-origin']).toBeUndefined();
  });

  it('sends the console and the widget compressed as budgeted, cached by their hashes', async () => {
    const html = (await hub.app.inject({ method: 'GET', url: '/' })).body;
    const appJs = /src="(\/console\/app\.js\?v=\w+)"/.exec(html)?.[1];
    expect(appJs).toBeDefined();
    const app = await hub.app.inject({ method: 'GET', url: appJs!, headers: { 'accept-encoding': 'gzip, deflate, br' } });
    expect(app.statusCode).toBe(200);
    expect(app.headers['content-encoding']).toBe('br');
    expect(app.headers['cache-control']).toContain('immutable');
    const widget = await hub.app.inject({ method: 'GET', url: '/widget.js', headers: { 'accept-encoding': 'gzip' } });
    expect(widget.headers['content-encoding']).toBe('gzip');
    expect(widget.headers['cache-control']).toBe('public, max-age=300');
    expect((await hub.app.inject({ method: 'GET', url: '/console/..%2Fpackage.json' })).statusCode).toBe(404);
    expect((await hub.app.inject({ method: 'GET', url: '/console/index.html' })).statusCode).toBe(404);
  });
});
