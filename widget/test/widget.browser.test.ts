import { existsSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { chromiumPath } from '@switchboard/testkit';
import { launchChromium } from '@switchboard/testkit/browser';
import { WIDGET_QUEUE_STUB } from '@switchboard/contracts';
import { coreFiles } from './dist-files.js';
import { INBOX, startStandInHub, type StandInHub } from './stand-in-hub.js';

/**
 * The built, minified dist/widget.js (the loader) and the chat modules it imports, in Debian's
 * Chromium, on a page served next to a stand-in hub: what a visitor does and sees, and what the
 * page does with window.Switchboard. `npm test` builds the bundles first; run
 * `npm run build -w @switchboard/widget` before running this file alone.
 */

const BUNDLE = new URL('../dist/widget.js', import.meta.url);

const page = (hub: StandInHub, attrs = '') => `<!doctype html><html><head><title>Shop</title></head>
<body><h1>Shop</h1><script src="${hub.url}/widget.js" data-inbox-token="${INBOX}" data-inbox-name="Acme Support" ${attrs} async></script></body></html>`;

describe('widget in the browser', () => {
  it('has Chromium and the built bundle (npm test provides both)', () => {
    expect(existsSync(chromiumPath), chromiumPath).toBe(true);
    expect(existsSync(BUNDLE), 'widget/dist/widget.js').toBe(true);
  });

  let browser: Browser;
  let hub: StandInHub;
  let context: BrowserContext;
  let tab: Page;

  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });
  beforeEach(async () => {
    hub = await startStandInHub();
    hub.page('/shop', page(hub));
    context = await browser.newContext();
    tab = await context.newPage();
  });
  afterEach(async () => {
    await context.close();
    await hub.stop();
  });

  const sb = (hook: string) => tab.locator(`[data-sb="${hook}"]`);

  it('comes from one script tag, adds only window.Switchboard, and the page’s CSS cannot reach it', async () => {
    hub.page('/blank', `<!doctype html><style>#switchboard-widget{display:none!important} button{background:red!important} *{font:40px serif!important}</style><body>`);
    await tab.goto(`${hub.url}/blank`);
    const before = await tab.evaluate(() => Object.getOwnPropertyNames(window));
    await tab.evaluate(({ url, token }) => {
      const s = document.createElement('script');
      s.src = `${url}/widget.js`;
      s.dataset.inboxToken = token;
      document.body.append(s);
    }, { url: hub.url, token: INBOX });
    await sb('launcher').waitFor();
    const added = await tab.evaluate((names) => Object.getOwnPropertyNames(window).filter((n) => !names.includes(n)), before);
    expect(added).toEqual(['Switchboard']);
    expect(await tab.evaluate(() => document.getElementById('switchboard-widget')?.shadowRoot?.mode)).toBe('open');
    const look = await sb('launcher').evaluate((el) => ({ bg: getComputedStyle(el).backgroundColor, font: getComputedStyle(el).fontSize }));
    expect(look.bg).not.toBe('rgb(255, 0, 0)');
    expect(look.font).not.toBe('40px');
    await sb('launcher').click();
    await expect.poll(() => sb('panel').isVisible()).toBe(true);
    expect(await tab.locator('.header h2').textContent()).toBe('Chat with us');
  });

  it('sends with Enter, shows the message pending then sent; Shift+Enter starts a new line', async () => {
    await tab.goto(`${hub.url}/shop`);
    await sb('launcher').click();
    await sb('composer').fill('line one');
    await sb('composer').press('Shift+Enter');
    await sb('composer').pressSequentially('line two');
    expect(await sb('composer').inputValue()).toBe('line one\nline two');
    await sb('composer').press('Enter');
    expect(await sb('composer').inputValue()).toBe('');
    const mine = sb('message').and(tab.locator('[data-author="visitor"]'));
    await expect.poll(() => mine.getAttribute('data-status')).toBe('sent');
    expect(await mine.locator('.bubble').innerText()).toBe('line one\nline two');
    expect(hub.stored().map((m) => m.text)).toEqual(['line one\nline two']);
  });

  it('shows the agent’s name, "typing…", and the reply', async () => {
    await tab.goto(`${hub.url}/shop`);
    await sb('launcher').click();
    await sb('composer').fill('hello');
    await sb('send').click();
    await tab.locator('[data-sb="message"][data-status="sent"]').waitFor();
    hub.agentTyping(true);
    await expect.poll(() => sb('typing').textContent()).toContain('Anna is typing…');
    hub.agentReply('Hi, how can I help?');
    const reply = tab.locator('[data-sb="message"][data-author="agent"]');
    await expect.poll(() => reply.innerText()).toBe('Anna\nHi, how can I help?');
    expect(await sb('typing').count()).toBe(0);
    // A web address in a reply becomes a link that opens in a new tab.
    hub.agentReply('Our guide: https://example.com/help.');
    const link = reply.last().locator('.bubble a');
    await expect.poll(() => link.getAttribute('href')).toBe('https://example.com/help');
    expect(await link.textContent()).toBe('https://example.com/help');
    expect(await link.getAttribute('target')).toBe('_blank');
  });

  it('says "Reconnecting…" while the hub is down, keeps what the visitor types, and delivers it after', async () => {
    await tab.goto(`${hub.url}/shop`);
    await sb('launcher').click();
    await hub.stop();
    await expect.poll(() => sb('connection').textContent()).toBe('Reconnecting…');
    await sb('composer').fill('are you there?');
    await sb('composer').press('Enter');
    expect(await sb('message').getAttribute('data-status')).toBe('pending');
    await hub.start();
    await expect.poll(() => sb('message').getAttribute('data-status'), { timeout: 10_000 }).toBe('sent');
    expect(await sb('connection').count()).toBe(0);
    expect(await sb('message').count()).toBe(1);
    expect(hub.stored().map((m) => m.text)).toEqual(['are you there?']);
  });

  it('closes on Esc, stays open across page loads once opened, and opens from window.Switchboard', async () => {
    await tab.goto(`${hub.url}/shop`);
    await sb('launcher').click();
    await sb('composer').press('Escape');
    await expect.poll(() => sb('panel').count()).toBe(0);
    await tab.evaluate(() => window.Switchboard?.open());
    await sb('panel').waitFor();
    await tab.reload();
    await sb('panel').waitFor();
    await tab.evaluate(() => window.Switchboard?.toggle());
    await expect.poll(() => sb('panel').count()).toBe(0);
  });

  it('shows the number of replies that came while the panel was closed', async () => {
    await tab.goto(`${hub.url}/shop`);
    await sb('launcher').click();
    await sb('composer').fill('question');
    await sb('composer').press('Enter');
    await tab.locator('[data-sb="message"][data-status="sent"]').waitFor();
    await sb('launcher').click();
    hub.agentReply('answer 1');
    hub.agentReply('answer 2');
    await expect.poll(() => sb('launcher').getAttribute('aria-label')).toBe('Open chat, 2 unread');
    const badge = sb('launcher').locator('.badge');
    await expect.poll(() => badge.textContent()).toBe('2');
    expect(await badge.evaluate((el) => getComputedStyle(el).backgroundColor)).toBe('rgb(239, 68, 68)');
    await sb('launcher').click();
    await expect.poll(() => badge.count()).toBe(0);
    await expect.poll(() => sb('launcher').getAttribute('aria-label')).toBe('Close chat');
  });

  describe('window.Switchboard and window.SwitchboardSettings', () => {
    it('replays the calls the page made before widget.js loaded, on the stub’s own object, and tells the page’s listeners', async () => {
      hub.seedUser('u-7', ['Hello again, Lee']);
      hub.page(
        '/account',
        `<!doctype html><body><script>${WIDGET_QUEUE_STUB}
        window.heard = [];
        window.stub = window.Switchboard;
        Switchboard.on('open', function () { heard.push('open'); });
        Switchboard.on('message', function (m) { heard.push('message: ' + m.text); });
        Switchboard.identify({ id: 'u-7', name: 'Lee' });
        Switchboard.setAttributes({ plan: 'pro', seats: 3 });
        Switchboard.open();
        </script><script src="${hub.url}/widget.js" data-inbox-token="${INBOX}" async></script></body>`,
      );
      await tab.goto(`${hub.url}/account`);
      await sb('panel').waitFor();
      await expect.poll(() => hub.handshakes.at(-1)?.visitorToken).toBe('user-u-7');
      await expect.poll(() => hub.updates.length).toBe(1);
      expect(hub.identifies).toEqual([{ id: 'u-7', name: 'Lee' }]);
      expect(hub.updates).toEqual([{ attributes: { plan: 'pro', seats: '3' } }]);
      await expect.poll(() => tab.locator('[data-sb="message"][data-author="agent"]').count()).toBe(1);
      expect(await tab.evaluate(() => (window as unknown as { stub: unknown }).stub === window.Switchboard)).toBe(true);
      expect(await tab.evaluate(() => typeof (window.Switchboard as { q?: unknown } | undefined)?.q)).toBe('undefined');

      hub.agentReply('A new answer', 'user-u-7');
      await expect.poll(() => tab.evaluate(() => (window as unknown as { heard: string[] }).heard)).toEqual(['open', 'message: A new answer']);
      const result = await tab.evaluate(() => window.Switchboard!.setAttributes({ email: 'not-an-email' }));
      expect(result).toEqual({ ok: false, code: 'SB_ERR_VALIDATION', message: 'Enter a valid email address.' });
    });

    it('loads the chat bundle only after the page has loaded, for a visitor who has not chatted yet', async () => {
      await tab.goto(`${hub.url}/shop`);
      await sb('launcher').waitFor();
      const timing = await tab.evaluate(() => {
        const chat = performance.getEntriesByType('resource').find((e) => /\/widget\/chat-\w+\.js$/.test(e.name));
        const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
        return { chatStart: chat?.startTime ?? -1, loadEnd: nav.loadEventEnd };
      });
      expect(timing.chatStart).toBeGreaterThanOrEqual(timing.loadEnd);
      // The core only: no chunk of what this visitor has not needed yet (pre-chat, offline, emoji, other languages…).
      // Asked for together, so they may arrive in any order.
      expect(hub.scriptRequests[0]).toBe('/widget.js');
      expect(hub.scriptRequests.slice(1).sort()).toEqual(coreFiles().map((file) => `/${file}`).sort());
    });

    it('puts the chat on the left without a launcher when the settings say so; the page opens it', async () => {
      hub.page(
        '/bare',
        `<!doctype html><body><script>window.SwitchboardSettings = { position: 'left', hideLauncher: true };</script>
        <script src="${hub.url}/widget.js" data-inbox-token="${INBOX}" data-position="right" async></script></body>`,
      );
      await tab.goto(`${hub.url}/bare`);
      await tab.waitForFunction(() => document.getElementById('switchboard-widget'));
      expect(await sb('launcher').count()).toBe(0);
      await tab.evaluate(() => window.Switchboard?.open());
      const box = await sb('panel').boundingBox();
      const width = await tab.evaluate(() => innerWidth);
      expect(box!.x + box!.width / 2).toBeLessThan(width / 2);
    });
  });

  describe('suggested help articles', () => {
    const suggestions = () => sb('suggestion');
    const titles = () => suggestions().locator('strong').allTextContents();
    const article = (slug: string) => `${hub.url}/help/acme/en/articles/${slug}`;

    it('shows up to 3 articles for what the visitor types, opens one in a new tab, and hides them when the text is cleared or sent', async () => {
      // The shop on another origin than the hub, as on a customer's site: the answer needs CORS.
      await context.close();
      context = await browser.newContext({ locale: 'de-DE' });
      tab = await context.newPage();
      const shop = `${hub.url.replace('127.0.0.1', 'localhost')}/shop`;
      await tab.goto(shop);
      await sb('launcher').click();
      // Filled at once: typing key by key on a loaded machine can pause past the 350 ms debounce mid-word.
      await sb('composer').fill('refund');
      await expect.poll(titles).toEqual(['Refund policy', 'Requesting a refund', 'Refunds for gift cards']);
      expect(await sb('suggestions').locator('p').textContent()).toBe('Maybe this helps:');
      expect(await suggestions().evaluateAll((links) => links.map((a) => [a.getAttribute('href'), a.getAttribute('target'), a.getAttribute('rel')]))).toEqual([
        [article('refund-policy'), '_blank', 'noopener'],
        [article('requesting-a-refund'), '_blank', 'noopener'],
        [article('refunds-for-gift-cards'), '_blank', 'noopener'],
      ]);
      expect(await suggestions().first().locator('span').textContent()).toBe('How a refund works & when you get it.');
      expect(await suggestions().first().locator('mark').textContent()).toBe('refund');
      expect(hub.suggestionRequests).toEqual([{ token: INBOX, q: 'refund', locale: 'de' }]);

      const [opened] = await Promise.all([context.waitForEvent('page'), suggestions().first().click()]);
      await opened.waitForLoadState();
      expect(opened.url()).toBe(article('refund-policy'));
      expect(await opened.locator('h1').textContent()).toBe('Refund policy');
      expect(await opened.evaluate(() => window.opener)).toBeNull();
      expect(tab.url()).toBe(shop);

      await sb('composer').fill('');
      await expect.poll(() => sb('suggestions').count()).toBe(0);

      await sb('composer').fill('refund policy');
      await expect.poll(titles).toEqual(['Refund policy']);
      await sb('composer').press('Enter');
      expect(await sb('suggestions').count()).toBe(0);
      await expect.poll(() => sb('message').getAttribute('data-status')).toBe('sent');
      expect(hub.stored().map((m) => m.text)).toEqual(['refund policy']);
      // "refund" came back from memory after the clear; only the new text was asked for.
      expect(hub.suggestionRequests.map((r) => r.q)).toEqual(['refund', 'refund policy']);
    });

    it('keeps the chat working when the hub fails to suggest (500), and suggests again once it recovers', async () => {
      const errors: string[] = [];
      tab.on('pageerror', (e) => errors.push(e.message));
      hub.failSuggestions(500);
      await tab.goto(`${hub.url}/shop`);
      await sb('launcher').click();
      const answered = tab.waitForResponse((r) => r.url().includes('/api/v1/widget/kb/suggestions'));
      await sb('composer').pressSequentially('refund');
      expect((await answered).status()).toBe(500);
      // Let the widget handle the answer and paint.
      await tab.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
      expect(await sb('suggestions').count()).toBe(0);

      hub.failSuggestions(null);
      await sb('composer').pressSequentially(' policy');
      await expect.poll(titles).toEqual(['Refund policy']);
      hub.failSuggestions(500);
      await sb('composer').pressSequentially(' please');
      await expect.poll(() => sb('suggestions').count()).toBe(0);

      await sb('composer').press('Enter');
      await expect.poll(() => sb('message').getAttribute('data-status')).toBe('sent');
      expect(hub.stored().map((m) => m.text)).toEqual(['refund policy please']);
      expect(errors).toEqual([]);
    });

    it('asks for none when the script tag says data-suggestions="off"', async () => {
      hub.page('/quiet', page(hub, 'data-suggestions="off"'));
      await tab.goto(`${hub.url}/quiet`);
      await sb('launcher').click();
      await sb('composer').pressSequentially('refund');
      // Well past the 350 ms pause after which the widget would ask.
      await tab.waitForTimeout(1000);
      expect(hub.suggestionRequests).toEqual([]);
      expect(await sb('suggestions').count()).toBe(0);
    });
  });
});
