import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { ConversationView, TicketView } from '@switchboard/contracts';
import { eventually, tempDir } from '@switchboard/testkit';
import { apiToken, launchChromium, restApi, signInToConsole } from '../support/console.js';
import { startHubProcess, type HubProcess } from '../support/hub-process.js';
import { seedConversations, seededName } from '../support/seed-conversations.js';

/**
 * Bulk actions in the conversation list, against the real `npm start` server in Chromium: the
 * agent ticks one conversation, shift-clicks a third to take the range, resolves the three at once;
 * they leave the Open view and a toast counts them. Esc clears a selection. Snooze and tag go
 * conversation by conversation (no bulk endpoint for them) and say which did not change.
 */
describe('console: bulk actions on the conversation list', () => {
  const data = tempDir('sb-e2e-bulk');
  let hub: HubProcess;
  let browser: Browser;
  let agent: Page;
  let token = '';
  const api = restApi(() => hub.url, () => token);

  const row = (n: number) => agent.locator('li.conv-row', { hasText: seededName(n) });
  const listed = [1, 2, 3, 4, 5, 6].map((n) => seededName(n));
  const names = () => agent.locator('[data-testid="conversation-item"] .conv-name').allTextContents();

  beforeAll(async () => {
    await seedConversations(data.dir, 6);
    hub = await startHubProcess({}, data.dir);
    token = await apiToken(hub.url);
    browser = await launchChromium();
    agent = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
    await signInToConsole(agent, hub.url);
    await eventually(async () => (await names()).length === 6, 15_000, 'the six conversations listed');
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await hub?.stop();
    data.remove();
  });

  it('lists the seeded conversations newest first', async () => {
    expect(await names()).toEqual(listed);
  });

  it('shift-click selects a range; Resolve resolves them, they leave the Open view and the toast says 3', async () => {
    const pick = (n: number) => row(n).getByTestId('conversation-select');
    await row(2).hover();
    await pick(2).click();
    await agent.getByTestId('bulk-bar').waitFor({ timeout: 10_000 });
    expect(await agent.getByTestId('bulk-count').textContent()).toBe('1 selected');
    await pick(4).click({ modifiers: ['Shift'] });
    expect(await agent.getByTestId('bulk-count').textContent()).toBe('3 selected');
    expect(await Promise.all([1, 2, 3, 4, 5].map((n) => pick(n).isChecked()))).toEqual([false, true, true, true, false]);
    expect(await agent.getByTestId('bulk-select-all').textContent()).toBe('Select all 6 loaded');

    await agent.getByTestId('bulk-resolve').click();
    await expect.poll(() => agent.locator('.toast').textContent(), { timeout: 10_000 }).toContain('3 conversations resolved');
    await expect.poll(names).toEqual([1, 5, 6].map((n) => seededName(n)));
    await expect.poll(() => agent.getByTestId('bulk-bar').count()).toBe(0);

    const resolved = await api<{ items: ConversationView[] }>('GET', '/api/v1/conversations?status=resolved');
    expect(resolved.items.map((c) => c.contact.name).sort()).toEqual([2, 3, 4].map((n) => seededName(n)));
    await agent.getByTestId('filter-status-resolved').click();
    // Resolved one after another: the last one changed is the newest activity.
    await expect.poll(names).toEqual([4, 3, 2].map((n) => seededName(n)));
  });

  it('Select all loaded ticks every row, and Esc clears the selection', async () => {
    await row(2).hover();
    await row(2).getByTestId('conversation-select').click();
    await agent.getByTestId('bulk-select-all').click();
    expect(await agent.getByTestId('bulk-count').textContent()).toBe('3 selected');
    expect(await agent.getByTestId('conversation-select').evaluateAll((els) => els.map((el) => (el as HTMLInputElement).checked))).toEqual([true, true, true]);
    await agent.keyboard.press('Escape');
    await expect.poll(() => agent.getByTestId('bulk-bar').count()).toBe(0);
    expect(await agent.getByTestId('conversation-select').evaluateAll((els) => els.some((el) => (el as HTMLInputElement).checked))).toBe(false);
  });

  it('Assign to me and Reopen act on the ticked conversations; the list says how many', async () => {
    await row(3).hover();
    await row(3).getByTestId('conversation-select').click();
    await row(4).getByTestId('conversation-select').click();
    await agent.getByTestId('bulk-assign-me').click();
    await expect.poll(() => agent.locator('.toast').textContent(), { timeout: 10_000 }).toContain('2 conversations assigned to you');
    // What changed stays ticked off; the two can be reopened in one go.
    await row(3).hover();
    await row(3).getByTestId('conversation-select').click();
    await row(4).getByTestId('conversation-select').click({ modifiers: ['Shift'] });
    await agent.getByTestId('bulk-reopen').click();
    await expect.poll(() => agent.locator('.toast').textContent(), { timeout: 10_000 }).toContain('2 conversations reopened');
    await expect.poll(names).toEqual([seededName(2)]);
    const open = await api<{ items: ConversationView[] }>('GET', '/api/v1/conversations?status=open&assignee=me');
    expect(open.items.map((c) => c.contact.name).sort()).toEqual([3, 4].map((n) => seededName(n)));
  });

  it('Snooze… snoozes the ticked conversations until the chosen time; they leave the Open view', async () => {
    await agent.getByTestId('filter-status-open').click({ timeout: 5000 });
    await expect.poll(names).toEqual([4, 3, 1, 5, 6].map((n) => seededName(n)));
    await row(5).hover({ timeout: 5000 });
    await row(5).getByTestId('conversation-select').click({ timeout: 5000 });
    await row(6).getByTestId('conversation-select').click({ timeout: 5000 });
    await agent.getByTestId('bulk-snooze').selectOption('tomorrow', { timeout: 5000 });
    await expect.poll(() => agent.locator('.toast').textContent(), { timeout: 10_000 }).toMatch(/^2 conversations snoozed until \w{3} 09:00\./);
    await expect.poll(names).toEqual([4, 3, 1].map((n) => seededName(n)));
    const snoozed = await api<{ items: ConversationView[] }>('GET', '/api/v1/conversations?status=snoozed&assignee=all');
    expect(snoozed.items.map((c) => c.contact.name).sort()).toEqual([5, 6].map((n) => seededName(n)));
    for (const c of snoozed.items) expect(new Date(c.snoozedUntil!).getHours()).toBe(9);
  });

  it('Tag adds the typed tags to each ticked conversation’s ticket, keeping its own', async () => {
    const ticketOf = async (name: string) => {
      const conv = (await api<{ items: ConversationView[] }>('GET', '/api/v1/conversations?status=all&assignee=all')).items.find((c) => c.contact.name === name)!;
      return (await api<{ items: TicketView[] }>('GET', `/api/v1/tickets?conversationId=${conv.id}`)).items[0];
    };
    const first = await ticketOf(seededName(1));
    if (first) await api('PATCH', `/api/v1/tickets/${first.id}`, { tags: ['existing'] });
    await row(1).hover();
    await row(1).getByTestId('conversation-select').click();
    await row(3).getByTestId('conversation-select').click();
    await agent.getByTestId('bulk-tag-input').fill('vip, #refund');
    await agent.getByTestId('bulk-tag').click();
    await expect.poll(() => agent.locator('.toast').textContent(), { timeout: 10_000 }).toContain('2 conversations tagged vip, refund');
    await expect.poll(() => agent.getByTestId('bulk-bar').count()).toBe(0);
    expect((await ticketOf(seededName(1)))!.tags.sort()).toEqual(first ? ['existing', 'refund', 'vip'] : ['refund', 'vip']);
    expect((await ticketOf(seededName(3)))!.tags.sort()).toEqual(['refund', 'vip']);
  });
});
