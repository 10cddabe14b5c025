import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { tempDir } from '@switchboard/testkit';
import { launchChromium, signInToConsole } from '../support/console.js';
import { startHubProcess, type HubProcess } from '../support/hub-process.js';

/**
 * Search in the console, against the real `npm start` server in Chromium: two visitors write on
 * the hub's demo website (one also tells the site who she is); the agent presses /, finds the
 * first by a word of her message and opens her conversation with Enter, then finds the second
 * by her email address.
 */
describe('console: search', () => {
  const data = tempDir('sb-e2e-search');
  let hub: HubProcess;
  let browser: Browser;
  let agent: Page;

  const rows = () => agent.getByTestId('conversation-item');

  /** A new visitor (own storage) on the hub's demo website sends a message, and may say who they are. */
  const visit = async (text: string, identity?: { id: string; name: string; email: string }): Promise<void> => {
    const visitor = await (await browser.newContext()).newPage();
    await visitor.goto(hub.url + '/demo');
    await visitor.locator('[data-sb="launcher"]').click();
    await visitor.locator('[data-sb="composer"]').fill(text);
    await visitor.locator('[data-sb="send"]').click();
    await visitor.locator('[data-sb="message"]', { hasText: text }).waitFor({ timeout: 10_000 });
    if (identity) {
      const result = await visitor.evaluate((v) => (window as unknown as { Switchboard: { identify(v: unknown): Promise<{ ok: boolean }> } }).Switchboard.identify(v), identity);
      expect(result.ok).toBe(true);
    }
  };

  /** Opens the search with / (the focus on the page, not in a field) and types `q`. */
  const searchFor = async (q: string) => {
    await agent.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await agent.keyboard.press('/');
    const input = agent.getByTestId('search-input');
    await input.waitFor({ timeout: 10_000 });
    await expect.poll(() => agent.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('search-input');
    await input.fill(q);
  };

  /** The first hit of `testId` for what is typed, typing it again while the index catches up with the store. */
  const firstHit = async (q: string, testId: string) => {
    const hit = agent.getByTestId(testId).first();
    await expect
      .poll(
        async () => {
          if (await hit.count()) return true;
          await agent.getByTestId('search-input').fill('');
          await agent.getByTestId('search-input').fill(q);
          return hit.waitFor({ timeout: 2000 }).then(() => true, () => false);
        },
        { timeout: 15_000 },
      )
      .toBe(true);
    return hit;
  };

  beforeAll(async () => {
    hub = await startHubProcess({}, data.dir);
    browser = await launchChromium();
    agent = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
    await signInToConsole(agent, hub.url);
    await visit('My umbrella arrived with a broken handle');
    await rows().filter({ hasText: 'umbrella' }).waitFor({ timeout: 15_000 });
    await visit('Do you have this coat in green?', { id: 'shop-user-17', name: 'Nora Lindqvist', email: 'nora.lindqvist@example.test' });
    await rows().filter({ hasText: 'coat in green' }).waitFor({ timeout: 15_000 });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await hub?.stop();
    data.remove();
  });

  it('/ opens the search; a word of a customer’s message finds it, marked; Enter opens that conversation', async () => {
    const conversationId = await rows().filter({ hasText: 'umbrella' }).first().getAttribute('data-id');
    expect(conversationId).toBeTruthy();
    await searchFor('umbrela'); // a typo still finds it
    const hit = await firstHit('umbrela', 'search-message');
    expect(await hit.getAttribute('data-conversation-id')).toBe(conversationId);
    expect(await hit.locator('mark').first().textContent()).toBe('umbrella');
    await expect.poll(() => hit.getAttribute('aria-selected')).toBe('true');

    await agent.keyboard.press('Enter');
    await expect.poll(() => agent.getByTestId('search').count()).toBe(0);
    await expect.poll(() => agent.evaluate(() => location.hash)).toBe(`#/c/${encodeURIComponent(conversationId!)}`);
    await agent.locator('[data-testid="message"][data-direction="in"]', { hasText: 'broken handle' }).waitFor({ timeout: 10_000 });
  });

  it('finds a contact by email, and Esc closes the search', async () => {
    await searchFor('nora.lindqvist@example.test');
    const contact = await firstHit('nora.lindqvist@example.test', 'search-contact');
    await expect.poll(() => contact.textContent()).toContain('Nora Lindqvist');
    expect(await agent.getByTestId('search-message').count()).toBe(0);
    await agent.keyboard.press('Escape');
    await expect.poll(() => agent.getByTestId('search').count()).toBe(0);
  });

  it('the sidebar’s search button opens it too; ↓ and Enter open the contact’s conversation', async () => {
    await agent.getByTestId('search-button').click();
    await agent.getByTestId('search-input').fill('Nora');
    const contact = await firstHit('Nora', 'search-contact');
    const conversationId = await contact.getAttribute('data-conversation-id');
    expect(conversationId).toBeTruthy();
    // The rows: her message matched by her name first, then her contact.
    const options = agent.locator('[role="option"]');
    const at = await options.evaluateAll((els) => els.findIndex((el) => el.getAttribute('data-testid') === 'search-contact'));
    for (let i = 0; i < at; i++) await agent.keyboard.press('ArrowDown');
    await expect.poll(() => contact.getAttribute('aria-selected')).toBe('true');
    await agent.keyboard.press('Enter');
    await expect.poll(() => agent.evaluate(() => location.hash)).toBe(`#/c/${encodeURIComponent(conversationId!)}`);
  });
});
