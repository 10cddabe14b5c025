import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { TicketView } from '@switchboard/contracts';
import { tempDir } from '@switchboard/testkit';
import { apiToken, launchChromium, restApi, signInToConsole } from '../support/console.js';
import { startHubProcess, type HubProcess } from '../support/hub-process.js';

/**
 * Custom ticket fields in the console's ticket panel, against the real `npm start` server in
 * Chromium: an admin defines a select, a number and a date field over REST; a visitor writes on
 * the demo website; the agent opens the conversation, picks a reason and types an amount in the
 * panel, reloads and finds both kept; a number the server refuses shows its sentence and the
 * field goes back to what was saved; a change made elsewhere shows up in the open panel.
 */
describe('console: custom ticket fields in the ticket panel', () => {
  const data = tempDir('sb-e2e-ticket-fields');
  let hub: HubProcess;
  let browser: Browser;
  let agent: Page;
  let token = '';

  const api = restApi(() => hub.url, () => token);
  const field = (label: string) => agent.getByTestId('ticket-fields').getByLabel(label);
  const ticket = async () => (await api<{ items: TicketView[] }>('GET', '/api/v1/tickets')).items[0]!;

  beforeAll(async () => {
    hub = await startHubProcess({}, data.dir);
    token = await apiToken(hub.url);
    browser = await launchChromium();
    agent = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await hub?.stop();
    data.remove();
  });

  it('with no fields defined, the panel shows none', async () => {
    const visitor = await (await browser.newContext()).newPage();
    await visitor.goto(hub.url + '/demo');
    await visitor.locator('[data-sb="launcher"]').click();
    await visitor.locator('[data-sb="composer"]').fill('My parcel arrived broken');
    await visitor.locator('[data-sb="send"]').click();
    await signInToConsole(agent, hub.url);
    await agent.getByTestId('conversation-item').first().click();
    await agent.getByTestId('ticket-number').waitFor({ timeout: 15_000 });
    await agent.getByTestId('ticket-note-input').waitFor();
    await expect.poll(() => agent.locator('.ticket-panel .lazy-note').count(), { timeout: 10_000 }).toBe(0);
    expect(await agent.getByTestId('ticket-fields').count()).toBe(0);
  });

  it('an admin defines fields; the agent sets a select and a number, and a reload keeps them', async () => {
    await api('POST', '/api/v1/ticket-fields', { key: 'reason', label: 'Reason', type: 'select', options: ['damaged', 'late', 'wrong item'] });
    await api('POST', '/api/v1/ticket-fields', { key: 'amount', label: 'Refund amount', type: 'number' });
    await api('POST', '/api/v1/ticket-fields', { key: 'due', label: 'Follow up on', type: 'date' });
    await agent.reload();
    await agent.getByTestId('conversation-item').first().click();
    await field('Reason').waitFor({ timeout: 15_000 });
    expect(await field('Reason').inputValue()).toBe('');
    expect(await field('Refund amount').inputValue()).toBe('');

    await field('Reason').selectOption('damaged');
    await field('Refund amount').fill('12,50');
    await field('Refund amount').press('Enter');
    await expect.poll(async () => (await ticket()).fields, { timeout: 10_000 }).toEqual({ reason: 'damaged', amount: 12.5 });

    await agent.reload();
    await agent.getByTestId('conversation-item').first().click();
    await field('Reason').waitFor({ timeout: 15_000 });
    await expect.poll(() => field('Reason').inputValue(), { timeout: 10_000 }).toBe('damaged');
    expect(await field('Refund amount').inputValue()).toBe('12.5');
  });

  it('a number the server refuses shows its sentence and the field goes back to the saved amount', async () => {
    await field('Refund amount').fill('12 euros');
    await field('Refund amount').blur();
    const error = agent.getByTestId('ticket-field-error');
    await error.waitFor({ timeout: 10_000 });
    expect(await error.textContent()).toContain('Field "Refund amount" takes a number.');
    expect(await field('Refund amount').inputValue()).toBe('12.5');
    expect((await ticket()).fields.amount).toBe(12.5);

    // The next edit clears the message.
    await field('Refund amount').fill('13');
    expect(await error.count()).toBe(0);
    await field('Refund amount').blur();
    await expect.poll(async () => (await ticket()).fields.amount, { timeout: 10_000 }).toBe(13);
  });

  it('a change made elsewhere shows up in the open panel', async () => {
    const t = await ticket();
    await api('PATCH', `/api/v1/tickets/${t.id}`, { fields: { reason: 'late', due: '2026-03-01' } });
    await expect.poll(() => field('Reason').inputValue(), { timeout: 10_000 }).toBe('late');
    await expect.poll(() => field('Follow up on').inputValue(), { timeout: 10_000 }).toBe('2026-03-01');
    expect(await field('Refund amount').inputValue()).toBe('13');
  });
});
