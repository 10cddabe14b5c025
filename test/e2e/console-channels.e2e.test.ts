import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { loadConfig } from '@switchboard/config';
import { createLogger } from '@switchboard/logging';
import { chromiumPath, eventually, tempDir } from '@switchboard/testkit';
import { FakeWhatsApp } from '@switchboard/connector-whatsapp-web/testing';
import { buildHub, type Hub } from '../../hub/src/app.js';

/** A 2×2 PNG. */
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAYAAABytg0kAAAAFklEQVR42mP8z8DwnwEJMDIQBGgDAKvMBP9WIvsTAAAAAElFTkSuQmCC';

/**
 * The console's channel settings and attachments in Chromium, against the whole hub in this
 * process with a double of whatsapp-web.js (no phone, no network): the admin adds a WhatsApp Web
 * account, sees the QR code, sees it turn "ready" live, then a customer's photo shows inline and a
 * document downloads.
 */
describe('console: channel settings with the WhatsApp Web QR code, attachments in the thread', () => {
  const data = tempDir('sb-e2e-channels');
  const wa = new FakeWhatsApp();
  let hub: Hub;
  let url: string;
  let browser: Browser;
  let page: Page;
  let accountId = '';

  beforeAll(async () => {
    const config = loadConfig({ DATA_DIR: data.dir, JWT_SECRET: 'e2e-channels-secret-e2e-channels-1234', LOG_LEVEL: 'silent', SMTP_INBOUND_PORT: '0' });
    hub = await buildHub(config, { logger: createLogger({ level: 'silent', format: 'json' }), whatsappWebFactory: wa.factory });
    await hub.app.listen({ port: 0, host: '127.0.0.1' });
    url = `http://127.0.0.1:${(hub.app.server.address() as AddressInfo).port}`;
    browser = await chromium.launch({
      executablePath: chromiumPath,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-dev-shm-usage'],
    });
    page = await (await browser.newContext({ acceptDownloads: true })).newPage();
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await hub?.app.close();
    data.remove();
  });

  it('the admin signs in and finds Channels in the sidebar', async () => {
    expect(hub.demo).not.toBeNull();
    await page.goto(url + '/');
    await page.getByTestId('login-email').fill(hub.demo!.email);
    await page.getByTestId('login-password').fill(hub.demo!.password);
    await page.getByTestId('login-submit').click();
    await page.locator('[data-testid="connection"][data-state="live"]').waitFor({ timeout: 15_000 });
    await page.getByTestId('channels-link').click();
    await expect.poll(() => page.evaluate(() => location.hash)).toBe('#/channels');
  });

  it('adding a WhatsApp Web account shows its QR code', async () => {
    await page.getByTestId('whatsapp-name').fill('Shop phone');
    await page.getByTestId('whatsapp-add').click();
    const item = page.locator('[data-testid="channel-item"][data-channel="whatsapp-web"]');
    await item.waitFor({ timeout: 10_000 });
    accountId = (await item.getAttribute('data-id')) ?? '';
    expect(accountId).not.toBe('');
    await item.locator('[data-testid="whatsapp-state"][data-state="qr"]').waitFor({ timeout: 10_000 });
    const qr = item.getByTestId('whatsapp-qr');
    expect(await qr.getAttribute('src')).toMatch(/^data:image\/png;base64,/);
    await expect.poll(() => qr.evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBeGreaterThan(0);
  });

  it('scanning turns the session ready live, and the QR code goes away', async () => {
    wa.scan(accountId);
    await page.locator('[data-testid="whatsapp-state"][data-state="ready"]').waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('whatsapp-qr').count()).toBe(0);
  });

  it('a reload stays on the channel settings', async () => {
    await page.reload();
    await page.locator('[data-testid="whatsapp-state"][data-state="ready"]').waitFor({ timeout: 10_000 });
  });

  it("a customer's photo shows inline (fetched with the token) and a document downloads", async () => {
    await eventually(async () => wa.clients.get(accountId)?.ready === true, 10_000, 'session ready');
    wa.receive(accountId, '4915112345678@c.us', 'look', { media: { mimetype: 'image/png', data: PNG, filename: 'photo.png' }, notifyName: 'Maria' });
    wa.receive(accountId, '4915112345678@c.us', '', { type: 'document', media: { mimetype: 'application/pdf', data: Buffer.from('%PDF-1.4 hello').toString('base64'), filename: 'invoice.pdf' } });
    const item = page.getByTestId('conversation-item').filter({ hasText: 'Maria' });
    await item.first().waitFor({ timeout: 15_000 });
    await item.first().click();
    expect(await page.evaluate(() => location.hash)).toMatch(/^#\/c\//);

    const image = page.locator('[data-testid="attachment-image"][data-state="loaded"]');
    await image.waitFor({ timeout: 10_000 });
    await expect.poll(() => image.locator('img').evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBe(2);
    expect(await image.getAttribute('href')).toMatch(/^blob:/);
    // A click opens the full-size picture in a new tab.
    const [tab] = await Promise.all([page.waitForEvent('popup', { timeout: 10_000 }), image.click()]);
    await expect.poll(() => tab.evaluate(() => document.images[0]?.naturalWidth ?? 0), { timeout: 10_000 }).toBe(2);
    await tab.close();

    const file = page.getByTestId('attachment-file');
    await file.waitFor({ timeout: 10_000 });
    expect(await file.textContent()).toContain('invoice.pdf');
    expect(await file.textContent()).toContain('14 B');
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 10_000 }), file.click()]);
    expect(download.suggestedFilename()).toBe('invoice.pdf');
  });

  it('an agent who is not an admin gets no Channels button, and #/channels shows the inbox', async () => {
    const login = await fetch(`${url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: hub.demo!.email, password: hub.demo!.password }),
    });
    const { accessToken } = (await login.json()) as { accessToken: string };
    const created = await fetch(`${url}/api/v1/agents`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${accessToken}` },
      body: JSON.stringify({ email: 'plain-agent@example.test', name: 'Plain Agent', role: 'agent', password: 'another good password' }),
    });
    expect(created.status).toBe(201);
    const other = await (await browser.newContext()).newPage();
    await other.goto(url + '/#/channels');
    await other.getByTestId('login-email').fill('plain-agent@example.test');
    await other.getByTestId('login-password').fill('another good password');
    await other.getByTestId('login-submit').click();
    await other.locator('[data-testid="connection"][data-state="live"]').waitFor({ timeout: 15_000 });
    await other.getByTestId('filter-status-open').waitFor();
    expect(await other.getByTestId('channels-link').count()).toBe(0);
    expect(await other.getByTestId('channel-item').count()).toBe(0);
    await other.context().close();
  });
});
