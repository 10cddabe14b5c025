import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { eventually, tempDir } from '@switchboard/testkit';
import { launchChromium } from '../support/console.js';
import { freePort, startHubProcess, type HubProcess } from '../support/hub-process.js';

/**
 * A fresh `npm start`: the demo team's help center is there with its sample articles, searchable
 * at once (their events were published before the search follower first subscribed, and the
 * start-up reconcile caught up), and a visitor of the demo website typing a question sees
 * suggested articles in the widget that open the public page.
 */
describe('the demo help center on a fresh start', () => {
  const data = tempDir('sb-e2e-help');
  let hub: HubProcess;
  let browser: Browser;
  let helpCenter = '';

  beforeAll(async () => {
    const port = await freePort();
    hub = await startHubProcess({ PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}` }, data.dir);
    browser = await launchChromium();
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await hub?.stop();
    data.remove();
  });

  it('the start-up banner names the help center, which is searchable in English and Russian', async () => {
    helpCenter = /Help center:\s+(\S+)/.exec(hub.output())?.[1] ?? '';
    expect(helpCenter).toBe(`${hub.url}/help/demo-company/`);
    const en = await (await fetch(`${helpCenter}en/search?q=orders`)).text();
    expect(en).toContain('<mark>order</mark>');
    const ru = await (await fetch(`${helpCenter}ru/search?q=${encodeURIComponent('заказы')}`)).text();
    expect(ru).toMatch(/<mark>заказ[а-я]*<\/mark>/);
    // The main host's robots.txt points crawlers at the help center's sitemap.
    expect(await (await fetch(`${hub.url}/robots.txt`)).text()).toContain(`Sitemap: ${helpCenter}sitemap.xml`);
  });

  it('a visitor typing in the widget is offered the refunds article, which opens the public page', async () => {
    const page = await (await browser.newContext({ locale: 'en-US' })).newPage();
    await page.goto(`${hub.url}/demo`);
    await page.locator('[data-sb="launcher"]').click();
    await page.locator('[data-sb="composer"]').pressSequentially('how do I get a refund', { delay: 20 });
    const suggestion = page.locator('[data-sb="suggestion"]', { hasText: 'Returns and refunds' });
    await suggestion.waitFor({ timeout: 10_000 });
    expect(await page.locator('[data-sb="suggestion"]').count()).toBeLessThanOrEqual(3);
    const href = await suggestion.getAttribute('href');
    expect(href).toBe(`${helpCenter}en/articles/returns-and-refunds`);
    const [article] = await Promise.all([page.context().waitForEvent('page'), suggestion.click()]);
    await article.waitForLoadState();
    await eventually(async () => (await article.title()).startsWith('Returns and refunds'), 10_000, 'the article page');
    // The visitor still writes to the team: suggestions never block the chat.
    await page.locator('[data-sb="send"]').click();
    await page.locator('[data-sb="message"][data-author="visitor"]', { hasText: 'how do I get a refund' }).waitFor({ timeout: 10_000 });
    expect(await page.locator('[data-sb="suggestions"]').count()).toBe(0);
  });
});
