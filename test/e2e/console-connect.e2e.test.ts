import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { tempDir } from '@switchboard/testkit';
import { startBotApiStandIn, type BotApiStandIn } from '../../connectors/telegram/test/bot-api-stand-in.js';
import { apiToken, launchChromium, signInToConsole } from '../support/console.js';
import { startHubProcess, type HubProcess } from '../support/hub-process.js';

/** Well formed, but not the stand-in's: its Bot API answers 401 Unauthorized. */
const WRONG_TOKEN = '987654321:AAH-not-the-stand-ins-token_xyz';

/**
 * Connecting a Telegram bot from the console's channel settings, against the real `npm start`
 * server in Chromium, its Bot API a local stand-in (TELEGRAM_API_ROOT): a malformed token is
 * refused before sending, one Telegram refuses shows the server's sentence; the right one is
 * listed active; "Test" succeeds, fails with the reason while Telegram refuses the token (status
 * and last error on the account) and recovers; the account is disabled, enabled and removed.
 */
describe('console: connecting a Telegram bot, testing, disabling and removing it', () => {
  const data = tempDir('sb-e2e-connect');
  let telegram: BotApiStandIn;
  let hub: HubProcess;
  let browser: Browser;
  let page: Page;
  let token = '';

  const accounts = async () => {
    const res = await fetch(`${hub.url}/api/v1/channels/telegram`, { headers: { authorization: `Bearer ${token}` } });
    return ((await res.json()) as { items: { accountId: string; name: string; status: string; lastError: string | null }[] }).items;
  };
  const item = () => page.locator('[data-testid="channel-item"][data-channel="telegram"]');
  const status = () => item().locator('.channel-status').textContent();
  const note = () => item().getByTestId('channel-note');

  beforeAll(async () => {
    telegram = await startBotApiStandIn();
    hub = await startHubProcess({ TELEGRAM_API_ROOT: telegram.url }, data.dir);
    token = await apiToken(hub.url);
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await hub?.stop();
    await telegram?.close();
    data.remove();
  });

  it('the admin opens channel settings and chooses Telegram', async () => {
    await signInToConsole(page, hub.url);
    await page.getByTestId('channels-link').click();
    await page.getByTestId('channel-connect-kind').selectOption('telegram');
    await page.getByTestId('channel-connect-name').fill('Support bot');
    await expect.poll(() => page.getByTestId('channel-connect-submit').textContent()).toBe('Connect Telegram');
  });

  it('a token that is not shaped like one is refused before anything is sent', async () => {
    await page.getByTestId('connect-botToken').fill('my bot token');
    await page.getByTestId('channel-connect-submit').click();
    await expect.poll(() => page.getByTestId('channel-connect-error').textContent()).toBe('“Bot token” doesn’t look right. What @BotFather answers to /newbot, e.g. 123456789:AAH…');
    expect(await accounts()).toEqual([]);
  });

  it('a token Telegram refuses shows the server’s sentence and connects nothing', async () => {
    await page.getByTestId('connect-botToken').fill(WRONG_TOKEN);
    await page.getByTestId('channel-connect-submit').click();
    await expect.poll(() => page.getByTestId('channel-connect-error').textContent()).toBe('telegram did not accept these credentials: Telegram: Unauthorized');
    expect(await accounts()).toEqual([]);
    expect(await item().count()).toBe(0);
  });

  it('the right token connects the bot: listed, active, and receiving', async () => {
    await page.getByTestId('connect-botToken').fill(telegram.token);
    await page.getByTestId('channel-connect-submit').click();
    await expect.poll(() => page.getByTestId('channel-connected').textContent()).toContain('Support bot is connected.');
    await expect.poll(status).toBe('active');
    expect(await item().locator('.channel-name').textContent()).toBe('Support bot');
    expect(await item().locator('.channel-error').count()).toBe(0);
    const [account] = await accounts();
    expect(account).toMatchObject({ name: 'Support bot', status: 'active', lastError: null });
    // PUBLIC_URL is http here, so the bot long-polls the Bot API.
    await expect.poll(() => telegram.calls.some((c) => c.method === 'getUpdates' && c.token === telegram.token)).toBe(true);
    // The form is back to choosing a channel; the token is not left on the page.
    expect(await page.getByTestId('connect-botToken').count()).toBe(0);
  });

  it('"Test" says the connection works, with the bot’s name', async () => {
    await item().getByTestId('channel-test').click();
    await expect.poll(() => note().textContent()).toBe('The connection works (@acme_support_bot).');
    expect(await note().getAttribute('data-ok')).toBe('true');
  });

  it('while Telegram refuses the token, "Test" says why and the account shows the error; it recovers', async () => {
    telegram.failMethod.set('getMe', { error_code: 401, description: 'Unauthorized' });
    await item().getByTestId('channel-test').click();
    await expect.poll(() => note().textContent()).toBe('The test failed: Telegram: Unauthorized.');
    await expect.poll(status).toBe('error');
    expect(await item().locator('div.channel-error').textContent()).toBe('Telegram: Unauthorized');
    expect((await accounts())[0]).toMatchObject({ status: 'error', lastError: 'Telegram: Unauthorized' });

    telegram.failMethod.delete('getMe');
    await item().getByTestId('channel-test').click();
    await expect.poll(() => note().textContent()).toBe('The connection works (@acme_support_bot).');
    await expect.poll(status).toBe('active');
    expect(await item().locator('div.channel-error').count()).toBe(0);
  });

  it('Disable stops the account, Enable starts it again', async () => {
    await item().getByTestId('channel-toggle').click();
    await expect.poll(status).toBe('disabled');
    expect(await item().getByTestId('channel-toggle').textContent()).toBe('Enable');
    expect((await accounts())[0]!.status).toBe('disabled');

    await item().getByTestId('channel-toggle').click();
    await expect.poll(status).toBe('active');
    expect(await item().getByTestId('channel-toggle').textContent()).toBe('Disable');
    expect((await accounts())[0]!.status).toBe('active');
  });

  it('Remove asks first, then the account is gone (a reload agrees)', async () => {
    let question = '';
    page.once('dialog', (d) => {
      question = d.message();
      void d.dismiss();
    });
    await item().getByTestId('channel-remove').click();
    await expect.poll(() => question).toBe('Remove “Support bot”? Its messages stop arriving; its inbox and conversations stay.');
    expect(await item().count()).toBe(1);

    page.once('dialog', (d) => void d.accept());
    await item().getByTestId('channel-remove').click();
    await expect.poll(() => item().count()).toBe(0);
    expect(await accounts()).toEqual([]);
    await page.reload();
    await page.getByTestId('channel-connect').waitFor();
    expect(await item().count()).toBe(0);
  });
});
