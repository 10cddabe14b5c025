import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { ConversationView, MessageView } from '@switchboard/contracts';
import { slackSignature } from '@switchboard/connector-slack';
import { eventually, tempDir } from '@switchboard/testkit';
import { startWebApiStandIn, type WebApiStandIn } from '../../connectors/slack/test/web-api-stand-in.js';
import { apiToken, launchChromium, openConversation, restApi, signInToConsole } from '../support/console.js';
import { freePort, startHubProcess, type HubProcess } from '../support/hub-process.js';

/**
 * Slack threads in the console, against the real `npm start` server in Chromium with the Slack Web
 * API stand-in: a customer's message and its thread replies arrive as signed Events API requests;
 * the console shows the replies grouped under the first message behind "N replies", and the agent
 * answers into the thread (posted with thread_ts) or to the channel's top level (without).
 */
describe('console: Slack threads', () => {
  const data = tempDir('sb-e2e-slack-threads');
  const signingSecret = 'b1c2d3e4f5a60718293a4b5c6d7e8f90';
  const channel = 'C0SHARED1';
  const rootTs = `${Math.floor(Date.now() / 1000) - 120}.000100`;
  const threadRef = `${channel}:${rootTs}`;
  let slack: WebApiStandIn;
  let hub: HubProcess;
  let browser: Browser;
  let page: Page;
  let token = '';
  let webhookPath = '';
  let conv: ConversationView;

  const api = restApi(() => hub.url, () => token);
  const messages = async () => (await api<{ items: MessageView[] }>('GET', `/api/v1/conversations/${conv.id}/messages`)).items;
  /** The customer writes in the shared channel: an Events API message event, signed as Slack signs it. */
  const customerSays = async (ts: string, text: string, threadTs?: string) => {
    const body = JSON.stringify({
      type: 'event_callback',
      team_id: 'T0ACME',
      event_id: `Ev${ts.replace('.', '')}`,
      event: { type: 'message', channel, user: 'U0CUSTOMER', text, ts, event_ts: ts, ...(threadTs ? { thread_ts: threadTs } : {}), channel_type: 'channel' },
    });
    const timestamp = String(Math.floor(Date.now() / 1000));
    const res = await fetch(`${hub.url}${webhookPath}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-slack-request-timestamp': timestamp, 'x-slack-signature': slackSignature(signingSecret, timestamp, body) },
      body,
    });
    expect(res.status).toBe(200);
  };
  const thread = () => page.locator(`[data-testid="message-thread"][data-thread="${threadRef}"]`);
  const replies = () => thread().getByTestId('thread-replies').getByTestId('message');
  const posted = (text: string) => eventually(() => slack.posts().find((c) => c.args.text === text && c.ok), 15_000, `"${text}" posted to Slack`);

  beforeAll(async () => {
    slack = await startWebApiStandIn();
    slack.users.set('U0CUSTOMER', { name: 'dana', real_name: 'Dana Scully', email: 'dana@customer.example' });
    const port = await freePort();
    hub = await startHubProcess({ PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}`, SLACK_API_URL: slack.apiUrl }, data.dir);
    token = await apiToken(hub.url);
    const account = await api<{ webhookUrl: string }>('POST', '/api/v1/channels/slack', { name: 'Acme shared', credentials: { botToken: slack.botToken, signingSecret } });
    webhookPath = new URL(account.webhookUrl).pathname;

    await customerSays(rootTs, 'Our invoice shows the wrong VAT number.');
    await customerSays(`${rootTs.split('.')[0]!}.000200`, 'It should be DE123456789.', rootTs);
    await customerSays(`${rootTs.split('.')[0]!}.000300`, 'Could you re-issue it?', rootTs);
    conv = await eventually(async () => {
      const list = await api<{ items: ConversationView[] }>('GET', '/api/v1/conversations?status=all&assignee=all&limit=100');
      const found = list.items.find((c) => c.channel === 'slack');
      return found && found.lastSeq >= 3 ? found : null;
    }, 15_000, 'the customer’s Slack messages are stored');
    // The conversation's seq moves before each message is written: wait for the messages themselves.
    await eventually(async () => (await messages()).length >= 3, 15_000, 'the three messages listed');

    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
    await signInToConsole(page, hub.url);
    await openConversation(page, conv.id);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await hub?.stop();
    await slack?.close();
    data.remove();
  });

  it('the messages API returns each message’s thread; the console groups the replies under the first message', async () => {
    const [root, ...rest] = await messages();
    expect(root!.thread).toEqual({ ref: threadRef, root: true });
    expect(rest.map((m) => m.thread)).toEqual([{ ref: threadRef }, { ref: threadRef }]);

    await thread().waitFor({ timeout: 15_000 });
    // The first message heads the thread; its two replies sit in the thread's reply list.
    expect(await thread().locator(`[data-testid="message"][data-id="${root!.id}"]`).count()).toBe(1);
    await expect.poll(() => replies().allTextContents(), { timeout: 10_000 }).toEqual([
      expect.stringContaining('It should be DE123456789.'),
      expect.stringContaining('Could you re-issue it?'),
    ]);
    const toggle = thread().getByTestId('thread-toggle');
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    await toggle.click();
    await expect.poll(() => replies().count()).toBe(0);
    expect(await toggle.textContent()).toBe('2 replies');
    await toggle.click();
    await expect.poll(() => replies().count()).toBe(2);
  });

  it('a reply goes into the thread: posted with thread_ts, and shown among the thread’s replies', async () => {
    const target = page.getByTestId('reply-thread');
    await expect.poll(() => target.inputValue(), { timeout: 10_000 }).toBe(threadRef);
    const composer = page.getByTestId('composer');
    await composer.fill('A corrected invoice is on its way.');
    await composer.press('Enter');
    expect((await posted('A corrected invoice is on its way.')).args).toMatchObject({ channel, thread_ts: rootTs });
    const stored = await eventually(async () => (await messages()).find((m) => m.text === 'A corrected invoice is on its way.'), 10_000, 'reply stored');
    expect(stored.thread).toEqual({ ref: threadRef });
    await expect.poll(() => replies().count(), { timeout: 10_000 }).toBe(3);
    await expect.poll(() => thread().locator(`[data-testid="message"][data-id="${stored.id}"]`).getAttribute('data-status'), { timeout: 15_000 }).toBe('sent');
  });

  it('the channel’s top level: posted without thread_ts, shown outside the thread; "Reply in thread" picks the thread again', async () => {
    const target = page.getByTestId('reply-thread');
    await target.selectOption('');
    const composer = page.getByTestId('composer');
    await composer.fill('Heads-up for everyone: invoices are re-issued today.');
    await composer.press('Enter');
    const post = await posted('Heads-up for everyone: invoices are re-issued today.');
    expect(post.args.channel).toBe(channel);
    expect(post.args.thread_ts).toBeUndefined();
    const stored = await eventually(async () => (await messages()).find((m) => m.text?.startsWith('Heads-up')), 10_000, 'top-level reply stored');
    expect(stored.thread).toBeUndefined();
    const shown = page.locator(`[data-testid="message"][data-id="${stored.id}"]`);
    await shown.waitFor({ timeout: 10_000 });
    expect(await thread().locator(`[data-testid="message"][data-id="${stored.id}"]`).count()).toBe(0);
    expect(await replies().count()).toBe(3);

    await thread().getByTestId('thread-reply').click();
    await expect.poll(() => target.inputValue()).toBe(threadRef);
  });
});
