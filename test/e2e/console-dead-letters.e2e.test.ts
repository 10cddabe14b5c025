import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { ConversationView, MessageView } from '@switchboard/contracts';
import { eventually, tempDir } from '@switchboard/testkit';
import { apiToken, launchChromium, restApi, signInToConsole } from '../support/console.js';
import { startHubProcess, type HubProcess } from '../support/hub-process.js';

/**
 * Administration → Dead letters against the real `npm start` server in Chromium. A customer's
 * edit arrives on the loopback channel before the message it edits, so ingest fails on it until
 * the delivery limit and it is dead-lettered; the next message of the chat is stored meanwhile.
 * The admin sees the letter with its reason; once the edited message is there, Retry applies it
 * once and the letter leaves the list.
 */
describe('console: dead letters', () => {
  const data = tempDir('sb-e2e-dead-letters');
  const secret = 'loopback-e2e-secret-dead-letters';
  let hub: HubProcess;
  let browser: Browser;
  let page: Page;
  let token = '';
  let accountId = '';
  const api = restApi(() => hub.url, () => token);

  /** The customer writes on the loopback channel (a signed webhook, as a provider would send it). */
  const customerSays = async (body: { id: string; text: string; editOf?: string }) => {
    const raw = JSON.stringify({ ...body, chatId: 'chat-dead-letters', from: { id: 'lin', name: 'Lin Customer' } });
    const res = await fetch(`${hub.url}/webhooks/loopback/${accountId}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-loopback-signature': `sha256=${createHmac('sha256', secret).update(raw).digest('hex')}` },
      body: raw,
    });
    expect(res.status).toBe(200);
  };
  const chatMessages = async () => {
    const list = await api<{ items: ConversationView[] }>('GET', '/api/v1/conversations?status=all&assignee=all&limit=100');
    const conv = list.items.find((c) => c.channel === 'loopback');
    return conv ? (await api<{ items: MessageView[] }>('GET', `/api/v1/conversations/${conv.id}/messages`)).items : [];
  };
  const letters = (status: string) => api<{ items: { id: string; reason: string; status: string; deliveryCount: number | null }[] }>('GET', `/api/v1/dead-letters?status=${status}`);

  beforeAll(async () => {
    hub = await startHubProcess({ BUS_DELIVERY_LIMIT: '2' }, data.dir);
    token = await apiToken(hub.url);
    accountId = (await api<{ accountId: string }>('POST', '/api/v1/channels/loopback', { name: 'Loop', credentials: { secret } })).accountId;
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
    await signInToConsole(page, hub.url);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await hub?.stop();
    data.remove();
  });

  it('lists a poison edit with its reason while the chat goes on; after the fix, Retry applies it once', async () => {
    await customerSays({ id: 'e-1', editOf: 'm-late', text: 'Order 1234, not 1243' });
    await customerSays({ id: 'm-after', text: 'Are you there?' });
    await eventually(async () => (await chatMessages()).some((m) => m.text === 'Are you there?'), 15_000, 'the next message of the chat stored');

    await page.getByTestId('admin-link').click();
    await page.getByTestId('admin-tab-dead-letters').click();
    const letter = page.getByTestId('dead-letter').filter({ hasText: 'edit for a message not stored yet (m-late)' });
    await letter.waitFor({ timeout: 15_000 });
    expect(await letter.locator('code').textContent()).toContain('"kind":"edit"');
    expect(await letter.textContent()).toMatch(/\.inbound\.work\.\d+/);
    const [kept] = (await letters('dead')).items;
    expect(kept).toMatchObject({ reason: 'edit for a message not stored yet (m-late)', deliveryCount: 2 });

    // The cause goes away: the message the edit is for arrives.
    await customerSays({ id: 'm-late', text: 'Order 1243' });
    await eventually(async () => (await chatMessages()).some((m) => m.text === 'Order 1243'), 15_000, 'the edited message stored');

    await letter.getByRole('button', { name: 'Retry' }).click();
    await expect.poll(() => letter.count(), { timeout: 10_000 }).toBe(0);
    const edited = await eventually(async () => {
      const found = (await chatMessages()).filter((m) => m.text === 'Order 1234, not 1243');
      return found.length ? found : null;
    }, 15_000, 'the edit applied');
    expect(edited).toHaveLength(1);
    expect((await chatMessages()).some((m) => m.text === 'Order 1243')).toBe(false);
    expect((await letters('dead')).items).toEqual([]);
    expect((await letters('retried')).items).toEqual([expect.objectContaining({ id: kept!.id, status: 'retried' })]);

    // Reopened, the tab says there is nothing waiting.
    await page.reload();
    await page.getByText('No dead letters.').waitFor({ timeout: 10_000 });
  });
});
