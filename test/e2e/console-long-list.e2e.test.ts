import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { tempDir } from '@switchboard/testkit';
import { launchChromium, signInToConsole } from '../support/console.js';
import { startHubProcess, type HubProcess } from '../support/hub-process.js';
import { seedConversations, seededName } from '../support/seed-conversations.js';

const OPEN = 10_000;
const PENDING = 600;

/**
 * A team with 10,000 open conversations (and 600 pending ones), against the real `npm start`
 * server in Chromium: only the rows in view (and a few either side) are in the DOM however far the
 * list goes, scrolling down fetches the next pages by itself until the last conversation shows,
 * and j / k still move through the list, bringing the open row into view.
 *
 * Scrolling to the end of all 10,000 would take 200 page fetches, and the embedded store spends
 * about a second on each one at this size (it scans the collection for every page): too slow for
 * a test. So the walk to the very end is done in the Pending view (12 pages), with all 10,600
 * conversations in the store; the Open view shows that 10,000 loaded the same way stay light.
 */
describe('console: a list of 10,000 conversations', () => {
  const data = tempDir('sb-e2e-long-list');
  let hub: HubProcess;
  let browser: Browser;
  let agent: Page;

  const rowsInDom = () => agent.getByTestId('conversation-item').count();
  // One read that does not wait: a count, then textContent(), would wait out Playwright's 30 s
  // for a row that left the DOM in between (as it does when the list scrolls away).
  const selectedName = async () =>
    (await agent.locator('[data-testid="conversation-item"][aria-current="true"] .conv-name').allTextContents())[0] ?? null;
  /** Whether the open conversation's row is inside the visible part of the list. */
  const selectedInView = () =>
    agent.evaluate(() => {
      const row = document.querySelector('[data-testid="conversation-item"][aria-current="true"]');
      const box = document.querySelector('[data-testid="conversation-scroll"]')!.getBoundingClientRect();
      const r = row?.getBoundingClientRect();
      return !!r && r.top >= box.top - 1 && r.bottom <= box.bottom + 1;
    });
  /**
   * Scrolls the list to its end again and again until `name` shows (or `rounds` run out); answers
   * whether it showed, how many conversations the list then had loaded (the last row's position)
   * and the most rows the DOM ever held meanwhile.
   */
  const scrollUntil = (name: string, rounds: number) =>
    agent.evaluate(
      async ({ name, rounds }) => {
        const scroller = document.querySelector('[data-testid="conversation-scroll"]')!;
        const shown = () => [...document.querySelectorAll('[data-testid="conversation-item"] .conv-name')].some((n) => n.textContent === name);
        const loaded = () => Number(document.querySelector('li.conv-row:last-of-type')?.getAttribute('aria-posinset') ?? 0);
        let most = 0;
        for (let i = 0; i < rounds && !shown(); i++) {
          scroller.scrollTop = scroller.scrollHeight;
          await new Promise((r) => setTimeout(r, 50));
          most = Math.max(most, document.querySelectorAll('[data-testid="conversation-item"]').length);
        }
        return { shown: shown(), loaded: loaded(), most };
      },
      { name, rounds },
    );

  beforeAll(async () => {
    await seedConversations(data.dir, OPEN);
    await seedConversations(data.dir, PENDING, { status: 'pending', prefix: 'Pending customer' });
    hub = await startHubProcess({}, data.dir);
    browser = await launchChromium();
    agent = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
    await signInToConsole(agent, hub.url);
    await agent.getByTestId('conversation-item').first().waitFor({ timeout: 15_000 });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await hub?.stop();
    data.remove();
  });

  it('keeps fewer than 100 rows in the DOM, each one whole and numbered, while more pages load as the agent scrolls', async () => {
    expect(await rowsInDom()).toBeGreaterThan(5);
    expect(await rowsInDom()).toBeLessThan(100);
    const rows = await agent.locator('li.conv-row').evaluateAll((els) =>
      els.map((li) => ({ pos: li.getAttribute('aria-posinset'), size: li.getAttribute('aria-setsize'), clipped: li.querySelector('.conv')!.scrollHeight > li.clientHeight })),
    );
    expect(rows[0]).toEqual({ pos: '1', size: '-1', clipped: false }); // more to come: the size is not known yet
    expect(rows.every((r) => !r.clipped)).toBe(true);

    // Scrolling down fetches page after page by itself (no button); the DOM stays small.
    const walk = await scrollUntil(seededName(200), 2_000);
    expect(walk.shown).toBe(true);
    expect(walk.loaded).toBeGreaterThanOrEqual(200);
    expect(walk.most).toBeLessThan(100);
    expect(await agent.getByText('Load more conversations').count()).toBe(0);
  }, 60_000);

  it('scrolling to the end loads pages until the last conversation shows, the DOM staying small', async () => {
    await agent.getByTestId('filter-status-pending').click();
    await agent.locator('[data-testid="conversation-item"]', { hasText: seededName(1, 'Pending customer') }).waitFor({ timeout: 15_000 });
    const last = seededName(PENDING, 'Pending customer');
    const walk = await scrollUntil(last, 5_000);
    expect(walk.shown).toBe(true);
    expect(walk.most).toBeLessThan(100);
    const lastRow = agent.locator('li.conv-row', { hasText: last });
    expect(await lastRow.getAttribute('aria-posinset')).toBe(String(PENDING));
    expect(await lastRow.getAttribute('aria-setsize')).toBe(String(PENDING));
    expect(await agent.getByTestId('list-loading').count()).toBe(0);
  }, 60_000);

  it('k and j move through the long list, and the open row is scrolled into view', async () => {
    const name = (n: number) => seededName(n, 'Pending customer');
    await agent.evaluate(() => (document.activeElement as HTMLElement | null)?.blur()); // the focus away from the filter tab
    await agent.keyboard.press('k'); // nothing open: k starts at the bottom
    await expect.poll(selectedName).toBe(name(PENDING));
    await agent.keyboard.press('k');
    await expect.poll(selectedName).toBe(name(PENDING - 1));
    await agent.keyboard.press('j');
    await expect.poll(selectedName).toBe(name(PENDING));

    // Scrolled far away, k still opens the row above the open one and brings it into view.
    // (Once the list's effects for the last j have run: they run after a painted frame, and would
    // bring the open row back into view after the scroll on a slow machine.)
    await agent.evaluate(async () => {
      for (let i = 0; i < 2; i++) await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
    });
    await agent.evaluate(() => (document.querySelector('[data-testid="conversation-scroll"]')!.scrollTop = 0));
    await expect.poll(selectedName).toBeNull(); // its row left the DOM
    await agent.keyboard.press('k');
    await expect.poll(selectedName).toBe(name(PENDING - 1));
    await expect.poll(selectedInView).toBe(true);
    expect(await rowsInDom()).toBeLessThan(100);
  }, 60_000);
});
