import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { tempDir } from '@switchboard/testkit';
import { startBotApiStandIn, type BotApiStandIn } from '../../connectors/telegram/test/bot-api-stand-in.js';
import { apiToken, launchChromium, restApi, signInToConsole } from '../support/console.js';
import { startHubProcess, type HubProcess } from '../support/hub-process.js';

/** Well formed, but not the stand-in's: its Bot API answers 401 Unauthorized. */
const WRONG_TOKEN = '987654321:AAH-not-the-stand-ins-token_xyz';

/** A loopback webhook receiver checking each request's signature as docs/webhooks.md says. */
async function receiver() {
  const got: { headers: IncomingHttpHeaders; body: string; valid: boolean }[] = [];
  const state = { secret: '', status: 200 };
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      const sig = String(req.headers['switchboard-signature'] ?? '');
      const t = /t=(\d+)/.exec(sig)?.[1] ?? '';
      const valid = sig.endsWith(`v1=${createHmac('sha256', state.secret).update(`${t}.${body}`).digest('hex')}`);
      got.push({ headers: req.headers, body, valid });
      res.statusCode = valid ? state.status : 400;
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/switchboard`;
  return { got, state, url, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/**
 * What issue 9 added to the administration area, against the real `npm start` server in Chromium:
 * an admin renames an agent; edits a webhook in place and sends it a test event, which a local
 * receiver gets signed, the answer shown as the receiver gave it; renames a Telegram account and
 * replaces its token (a token Telegram refuses is told in the server's words and changes nothing);
 * and the audit log lists those changes, newest first, with who made them.
 */
describe('console: renaming agents, editing and testing webhooks, channel credentials, the audit log', () => {
  const data = tempDir('sb-e2e-admin-manage');
  let telegram: BotApiStandIn;
  let hooks: Awaited<ReturnType<typeof receiver>>;
  let hub: HubProcess;
  let browser: Browser;
  let page: Page;
  let token = '';
  let agentId = '';
  let hookId = '';
  const api = restApi(() => hub.url, () => token);

  beforeAll(async () => {
    telegram = await startBotApiStandIn();
    hooks = await receiver();
    hub = await startHubProcess({ TELEGRAM_API_ROOT: telegram.url }, data.dir);
    token = await apiToken(hub.url);
    agentId = (await api<{ id: string }>('POST', '/api/v1/agents', { email: 'sam@example.test', name: 'Sam Agent', role: 'agent', password: 'sam the agent pw' })).id;
    const hook = await api<{ id: string; secret: string }>('POST', '/api/v1/webhooks', { url: 'https://example.test/old', events: ['ticket.updated'] });
    hookId = hook.id;
    hooks.state.secret = hook.secret;
    await api('POST', '/api/v1/channels/telegram', { name: 'Support bot', credentials: { botToken: telegram.token } });
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
    await signInToConsole(page, hub.url);
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await hub?.stop();
    await hooks?.close();
    await telegram?.close();
    data.remove();
  }, 60_000);

  it('an admin renames an agent', async () => {
    await page.getByTestId('admin-link').click();
    const row = page.locator(`[data-testid="admin-agent"][data-id="${agentId}"]`);
    await row.getByRole('button', { name: 'Change name, role or access' }).click();
    await row.getByTestId('agent-name').fill('   ');
    await row.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => row.getByTestId('admin-error').textContent()).toBe('Enter the name the team will see.');
    await row.getByTestId('agent-name').fill('Sam Holm');
    await row.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => row.locator('.channel-name').textContent()).toBe('Sam Holm');
    expect((await api<{ name: string; role: string }>('GET', `/api/v1/agents/${agentId}`)).name).toBe('Sam Holm');
  }, 60_000);

  it('an admin edits a webhook in place and sends it a test event; the receiver gets it signed and its answer is shown', async () => {
    await page.getByTestId('admin-tab-webhooks').click();
    const item = page.locator(`[data-testid="admin-webhook"][data-id="${hookId}"]`);
    await item.getByTestId('webhook-edit-open').click();
    await item.getByTestId('webhook-edit-url').fill('not an address');
    await item.getByTestId('webhook-edit-save').click();
    await expect.poll(() => item.getByTestId('admin-error').textContent()).toBe('Enter the address events are sent to, starting with https://.');
    await item.getByTestId('webhook-edit-url').fill(hooks.url);
    await item.getByTestId('webhook-edit-all').check();
    await item.getByTestId('webhook-edit-save').click();
    await expect.poll(() => item.locator('.channel-name').textContent()).toBe(hooks.url);
    expect(await item.getByTestId('webhook-edit').count()).toBe(0);
    expect(await api<{ url: string; events: string[] }>('GET', `/api/v1/webhooks/${hookId}`)).toMatchObject({ url: hooks.url, events: ['*'] });

    await item.getByTestId('webhook-test').click();
    await expect.poll(() => item.getByTestId('webhook-test-result').textContent(), { timeout: 15_000 }).toMatch(/^Test event delivered: HTTP 200 in \d+ ms\.$/);
    // Only test events: '*' would also bring any domain event, and none is expected here.
    const tests = hooks.got.filter((g) => g.headers['switchboard-event'] === 'webhook.test');
    expect(tests).toHaveLength(1);
    expect(tests[0]!.valid).toBe(true);
    expect(JSON.parse(tests[0]!.body)).toMatchObject({ type: 'webhook.test', data: { webhookId: hookId } });

    hooks.state.status = 503;
    await item.getByTestId('webhook-test').click();
    await expect.poll(() => item.getByTestId('webhook-test-result').textContent(), { timeout: 15_000 }).toBe('Test event not delivered: the receiver answered HTTP 503.');
    expect(await item.getByTestId('webhook-test-result').getAttribute('data-ok')).toBe('false');
  }, 60_000);

  it('an admin renames a Telegram account and replaces its token; a token Telegram refuses changes nothing', async () => {
    await page.goto(`${hub.url}/#/channels`);
    const item = page.locator('[data-testid="channel-item"][data-channel="telegram"]');
    await item.getByTestId('channel-edit-open').click();
    await item.getByTestId('channel-edit-name').fill('Help bot');
    await item.getByTestId('connect-botToken').fill(WRONG_TOKEN);
    await item.getByTestId('channel-edit-save').click();
    await expect.poll(() => item.getByTestId('channel-note').textContent()).toBe('telegram did not accept these credentials: Telegram: Unauthorized');
    expect(await item.locator('.channel-name').textContent()).toBe('Support bot');

    await item.getByTestId('connect-botToken').fill(telegram.token);
    await item.getByTestId('channel-edit-save').click();
    await expect.poll(() => item.getByTestId('channel-note').textContent()).toBe('Saved.');
    expect(await item.locator('.channel-name').textContent()).toBe('Help bot');
    // The token never comes back to the browser.
    expect(await page.content()).not.toContain(telegram.token);
    const [account] = (await api<{ items: { name: string; credentialsSet: string[] }[] }>('GET', '/api/v1/channels/telegram')).items;
    expect(account!.name).toBe('Help bot');
    expect(account!.credentialsSet).toContain('botToken');
    // The stored token is the one Telegram takes: "Test" checks it.
    await item.getByTestId('channel-test').click();
    await expect.poll(() => item.getByTestId('channel-note').textContent()).toBe('The connection works (@acme_support_bot).');
  }, 60_000);

  it('the audit log lists those changes newest first, with who made them and what they changed', async () => {
    await page.goto(`${hub.url}/#/admin/audit`);
    const rows = page.getByTestId('audit-entry');
    await rows.first().waitFor({ timeout: 10_000 });
    const text = async (type: string) => (await page.locator(`[data-testid="audit-entry"][data-type="${type}"]`).first().locator('td').allTextContents()).slice(1);
    expect(await rows.first().getAttribute('data-type')).toBe('channel.updated');
    expect(await text('channel.updated')).toEqual(['Demo Admin', 'channel.updated', 'Help bot · name, credentials']);
    expect(await text('webhook.tested')).toEqual(['Demo Admin', 'webhook.tested', hooks.url]);
    expect(await text('webhook.updated')).toEqual(['Demo Admin', 'webhook.updated', `${hooks.url} · url, events, description`]);
    expect(await text('agent.updated')).toEqual(['Demo Admin', 'agent.updated', 'Sam Holm · name, role, inboxIds']);
    const types = await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-type')));
    expect(types.indexOf('channel.updated')).toBeLessThan(types.indexOf('webhook.tested'));
    expect(types.indexOf('webhook.tested')).toBeLessThan(types.indexOf('webhook.updated'));
    expect(types.indexOf('webhook.updated')).toBeLessThan(types.indexOf('agent.updated'));
    expect(types.indexOf('agent.updated')).toBeLessThan(types.indexOf('login.success'));
  }, 60_000);
});
