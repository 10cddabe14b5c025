import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { tempDir } from '@switchboard/testkit';
import { apiToken, launchChromium, restApi, signInToConsole } from '../support/console.js';
import { startHubProcess, type HubProcess } from '../support/hub-process.js';

/**
 * Snooze and presence against the real `npm start` server in Chromium: the admin snoozes a
 * visitor's conversation until a date and time picked by hand — it leaves Open for Snoozed — and
 * the visitor writing again brings it back to Open. Then the admin steps away, and a second
 * agent's console shows the admin away where assignees are listed.
 */
describe('console: snooze and presence', () => {
  const data = tempDir('sb-e2e-snooze');
  let hub: HubProcess;
  let browser: Browser;
  let admin: Page;
  let second: Page;
  let visitor: Page;
  let token = '';
  const api = restApi(() => hub.url, () => token);
  const text = 'Can you call me back next week?';

  let conversationId = '';
  /** The conversation's row: by the first message until its id is known, then by id (the row shows the latest message). */
  const row = (page: Page) =>
    conversationId ? page.locator(`[data-testid="conversation-item"][data-id="${conversationId}"]`) : page.getByTestId('conversation-item').filter({ hasText: text });
  const visitorSays = async (words: string) => {
    await visitor.locator('[data-sb="composer"]').fill(words);
    await visitor.locator('[data-sb="send"]').click();
    await visitor.locator('[data-sb="message"]', { hasText: words }).waitFor({ timeout: 10_000 });
  };

  beforeAll(async () => {
    hub = await startHubProcess({}, data.dir);
    token = await apiToken(hub.url);
    await api('POST', '/api/v1/agents', { email: 'sam@demo.switchboard.local', name: 'Sam Second', role: 'agent', password: 'sam-second-secret-1' });
    browser = await launchChromium();
    admin = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
    await signInToConsole(admin, hub.url);
    visitor = await (await browser.newContext()).newPage();
    await visitor.goto(hub.url + '/demo');
    await visitor.locator('[data-sb="launcher"]').click();
    await visitorSays(text);
    await row(admin).waitFor({ timeout: 15_000 });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await hub?.stop();
    data.remove();
  });

  it('snoozes a conversation until a picked date and time: it leaves Open and shows under Snoozed', async () => {
    conversationId = (await row(admin).getAttribute('data-id'))!;
    await row(admin).click();
    await admin.getByTestId('composer').waitFor();
    await admin.getByTestId('articles').focus(); // a button: single keys act there
    await admin.keyboard.press('z');
    await admin.getByTestId('snooze-menu').waitFor({ timeout: 10_000 });
    await admin.getByTestId('snooze-pick').click();
    // Two days from now at 10:30, in the browser's own time.
    const at = await admin.evaluate(() => {
      const d = new Date();
      d.setDate(d.getDate() + 2);
      d.setHours(10, 30, 0, 0);
      const two = (n: number) => String(n).padStart(2, '0');
      return { input: `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}T10:30`, iso: d.toISOString() };
    });
    await admin.getByTestId('snooze-at').fill(at.input);
    await admin.getByTestId('snooze-confirm').click();

    await expect.poll(() => admin.getByTestId('conversation-status').textContent(), { timeout: 10_000 }).toBe('snoozed');
    expect(await admin.getByTestId('snoozed-until').textContent()).toMatch(/^Snoozed until \w{3} 10:30$/);
    await expect.poll(() => row(admin).count(), { timeout: 10_000 }).toBe(0);
    const stored = await api<{ status: string; snoozedUntil?: string }>('GET', `/api/v1/conversations/${encodeURIComponent(conversationId)}`);
    expect(stored).toMatchObject({ status: 'snoozed', snoozedUntil: at.iso });

    await admin.getByTestId('filter-status-snoozed').click();
    await row(admin).waitFor({ timeout: 10_000 });
  });

  it('the customer writing brings it back to Open', async () => {
    await visitorSays('Actually, it is urgent.');
    await expect.poll(() => admin.getByTestId('conversation-status').textContent(), { timeout: 10_000 }).toBe('open');
    await expect.poll(() => row(admin).count(), { timeout: 10_000 }).toBe(0); // gone from the Snoozed tab
    await admin.getByTestId('filter-status-open').click();
    await row(admin).waitFor({ timeout: 10_000 });
  });

  it('an agent who steps away shows as away in a teammate’s console', { timeout: 60_000 }, async () => {
    second = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
    await signInToConsole(second, hub.url, 'sam@demo.switchboard.local', 'sam-second-secret-1');
    await row(second).click();
    const adminOption = second.locator('[data-testid="ticket-assignee"] option', { hasText: 'Demo' }).first();
    await adminOption.waitFor({ state: 'attached', timeout: 15_000 });
    await expect.poll(() => adminOption.getAttribute('data-presence'), { timeout: 10_000 }).toBe('online');

    await admin.getByTestId('presence-button').click();
    await admin.getByTestId('presence-away').click();
    await expect.poll(() => admin.getByTestId('presence-button').getAttribute('data-status'), { timeout: 10_000 }).toBe('away');
    await expect.poll(() => adminOption.getAttribute('data-presence'), { timeout: 10_000 }).toBe('away');
    expect(await adminOption.textContent()).toMatch(/\(away\)$/);
  });
});
