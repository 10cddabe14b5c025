import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { tempDir } from '@switchboard/testkit';
import { launchChromium, signInToConsole } from '../support/console.js';
import { startHubProcess, type HubProcess } from '../support/hub-process.js';

/**
 * The console driven from the keyboard, against the real `npm start` server in Chromium: three
 * visitors write on the hub's demo website; the agent moves through their conversations with j / k,
 * answers one after r, writes a note after n, reaches the assignee with a, resolves with e and
 * goes on with j, and opens the list of shortcuts with ? and closes it with Esc.
 */
describe('console: keyboard shortcuts', () => {
  const data = tempDir('sb-e2e-keyboard');
  let hub: HubProcess;
  let browser: Browser;
  let agent: Page;

  const rows = () => agent.getByTestId('conversation-item');
  const ids = () => rows().evaluateAll((els) => els.map((el) => el.getAttribute('data-id')));
  /** The conversation the list marks as open. */
  /** One read that does not wait (a count, then getAttribute(), would wait for a row gone in between). */
  const selected = async () =>
    (await agent.locator('[data-testid="conversation-item"][aria-current="true"]').evaluateAll((els) => els.map((el) => el.getAttribute('data-id'))))[0] ?? null;
  const focused = () => agent.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? document.activeElement?.tagName ?? null);

  /** A new visitor (own storage) on the hub's demo website sends a message. */
  const visit = async (text: string): Promise<void> => {
    const visitor = await (await browser.newContext()).newPage();
    await visitor.goto(hub.url + '/demo');
    await visitor.locator('[data-sb="launcher"]').click();
    await visitor.locator('[data-sb="composer"]').fill(text);
    await visitor.locator('[data-sb="send"]').click();
    await visitor.locator('[data-sb="message"]', { hasText: text }).waitFor({ timeout: 10_000 });
  };

  beforeAll(async () => {
    hub = await startHubProcess({}, data.dir);
    browser = await launchChromium();
    agent = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
    await signInToConsole(agent, hub.url);
    for (const text of ['Where is my order?', 'Can I change my address?', 'Do you ship to Norway?']) {
      await visit(text);
      await rows().filter({ hasText: text }).waitFor({ timeout: 15_000 });
    }
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await hub?.stop();
    data.remove();
  });

  it('j opens the next conversation in the list and k the previous one', async () => {
    const list = await ids();
    expect(list.length).toBeGreaterThanOrEqual(3);
    expect(await selected()).toBeNull();
    await agent.keyboard.press('j');
    await expect.poll(selected).toBe(list[0]);
    await expect.poll(() => agent.evaluate(() => location.hash)).toBe(`#/c/${encodeURIComponent(list[0]!)}`);
    await agent.keyboard.press('j');
    await expect.poll(selected).toBe(list[1]);
    await agent.keyboard.press('j');
    await expect.poll(selected).toBe(list[2]);
    await agent.keyboard.press('k');
    await expect.poll(selected).toBe(list[1]);
    await expect.poll(() => agent.locator('[data-testid="message"][data-direction="in"]').count()).toBe(1);
  });

  it('r puts the focus in the reply box; the letters typed there stay text, and Enter sends', async () => {
    const open = await selected();
    await agent.keyboard.press('r');
    await expect.poll(focused).toBe('composer');
    await agent.keyboard.type('Just a moment, checking the parcel.');
    await expect.poll(selected).toBe(open);
    await agent.keyboard.press('Enter');
    await agent
      .locator('[data-testid="message"][data-direction="out"]:not([data-status="sending"]):not([data-status="unsent"])', { hasText: 'Just a moment, checking the parcel.' })
      .waitFor({ timeout: 10_000 });
    expect(await agent.getByTestId('composer').inputValue()).toBe('');
  });

  it('n goes to the ticket’s note box and a to its assignee, once the focus has left the reply box', async () => {
    await agent.getByTestId('ticket-note-input').waitFor({ timeout: 10_000 });
    await agent.keyboard.press('Shift+Tab'); // out of the reply box, onto the button before it
    expect(await focused()).not.toBe('composer');
    await agent.keyboard.press('n');
    await expect.poll(focused).toBe('ticket-note-input');
    await agent.keyboard.type('Asked the carrier');
    expect(await agent.getByTestId('ticket-note-input').inputValue()).toBe('Asked the carrier');
    await agent.keyboard.press('Tab'); // onto Add note
    await agent.keyboard.press('a');
    await expect.poll(focused).toBe('ticket-assignee');
  });

  it('e resolves the open conversation; j then opens the one that took its place', async () => {
    const list = await ids();
    const open = (await selected())!;
    const at = list.indexOf(open);
    await agent.getByTestId('articles').focus(); // a button: single keys act there
    await agent.keyboard.press('e');
    await expect.poll(() => agent.getByTestId('conversation-status').textContent(), { timeout: 10_000 }).toBe('resolved');
    await expect.poll(ids).toEqual(list.filter((id) => id !== open));
    await agent.keyboard.press('j');
    await expect.poll(selected).toBe(list[at + 1]);
  });

  it('? lists every shortcut in a dialog; Esc closes it and gives the focus back', async () => {
    await agent.getByTestId('articles').focus();
    await agent.keyboard.press('Shift+?');
    const dialog = agent.getByTestId('shortcuts');
    await dialog.waitFor({ timeout: 5_000 });
    expect(await dialog.getByRole('heading').textContent()).toBe('Keyboard shortcuts');
    const keys = await dialog.locator('tr td:first-child').allTextContents();
    expect(keys).toEqual(expect.arrayContaining(['J', 'K', 'R', 'N', 'E', 'A', 'Z', '/', '?', 'Enter', 'Shift + Enter', 'Ctrl/⌘ + K', 'Ctrl/⌘ + Enter', 'Esc']));
    const open = await selected();
    await agent.keyboard.press('j'); // the dialog is modal: nothing behind it moves
    expect(await selected()).toBe(open);
    await agent.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached', timeout: 5_000 });
    await expect.poll(focused).toBe('articles');
  });
});
