import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { ConversationView, WebInboxView } from '@switchboard/contracts';
import { eventually, tempDir } from '@switchboard/testkit';
import { apiToken, launchChromium, signInToConsole } from '../support/console.js';
import { freePort, startHubProcess, type HubProcess } from '../support/hub-process.js';

const DEMO_TOKEN = 'demo-website';
const SHOP = 'https://shop.example';

/**
 * Website inboxes in the console's channel settings, against the real `npm start` server in
 * Chromium: the demo admin copies the demo website's snippet, allows only https://shop.example,
 * and the hub's own /demo page can no longer open a chat; removing the origin lets it chat again.
 */
describe('console: website inboxes, their snippet and allowed origins', () => {
  const data = tempDir('sb-e2e-web-inboxes');
  let hub: HubProcess;
  let browser: Browser;
  let agent: Page;
  let token = '';

  const api = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(hub.url + path, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  };
  /** Whether a visitor's message with this text reached the team's conversations. */
  const arrived = async (text: string) =>
    (await api<{ items: ConversationView[] }>('GET', '/api/v1/conversations?status=all&assignee=all&limit=100')).items.some((c) => c.lastMessage?.text === text);
  const demoInbox = () => agent.locator(`[data-testid="web-inbox"][data-token="${DEMO_TOKEN}"]`);
  const demoView = async () => (await api<{ items: WebInboxView[] }>('GET', '/api/v1/web-inboxes')).items.find((w) => w.widgetToken === DEMO_TOKEN)!;

  /** A new visitor (own storage) on the hub's demo shop sends a message; returns the page. */
  const visit = async (text: string): Promise<Page> => {
    const visitor = await (await browser.newContext()).newPage();
    await visitor.goto(hub.url + '/demo');
    await visitor.locator('[data-sb="launcher"]').click();
    await visitor.locator('[data-sb="composer"]').fill(text);
    await visitor.locator('[data-sb="send"]').click();
    return visitor;
  };

  beforeAll(async () => {
    const port = await freePort();
    hub = await startHubProcess({ PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}` }, data.dir);
    token = await apiToken(hub.url);
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, permissions: ['clipboard-read', 'clipboard-write'] });
    agent = await context.newPage();
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await hub?.stop();
    data.remove();
  });

  it('the admin opens channel settings and sees the demo website inbox with its snippet', async () => {
    await signInToConsole(agent, hub.url);
    await agent.getByTestId('channels-link').click();
    await expect.poll(() => agent.evaluate(() => location.hash)).toBe('#/channels');
    await demoInbox().waitFor({ timeout: 10_000 });
    const snippet = await demoInbox().getByTestId('web-inbox-snippet').inputValue();
    expect(snippet).toContain(`data-inbox-token="${DEMO_TOKEN}"`);
    expect(snippet).toBe((await demoView()).snippet);
    expect(await demoInbox().getByTestId('web-inbox-origin').count()).toBe(0);
  });

  it('Copy puts the snippet on the clipboard and says so', async () => {
    const snippet = await demoInbox().getByTestId('web-inbox-snippet').inputValue();
    await demoInbox().getByTestId('web-inbox-copy').click();
    await expect.poll(() => demoInbox().getByTestId('web-inbox-copy').textContent()).toBe('Copied');
    expect(await agent.evaluate(() => navigator.clipboard.readText())).toBe(snippet);
  });

  it('an origin with a path is refused in words before anything is sent', async () => {
    await demoInbox().getByTestId('web-inbox-origin-input').fill('https://shop.example/cart');
    await demoInbox().getByTestId('web-inbox-origin-add').click();
    expect(await demoInbox().getByTestId('web-inbox-error').textContent()).toMatch(/no path/);
    expect((await demoView()).allowedOrigins).toEqual([]);
  });

  it('adds https://shop.example (typed as the address bar shows it)', async () => {
    await demoInbox().getByTestId('web-inbox-origin-input').fill('HTTPS://Shop.Example/');
    await demoInbox().getByTestId('web-inbox-origin-add').click();
    await demoInbox().locator(`[data-testid="web-inbox-origin"][data-origin="${SHOP}"]`).waitFor({ timeout: 10_000 });
    expect(await demoInbox().getByTestId('web-inbox-origin-input').inputValue()).toBe('');
    expect(await demoInbox().getByTestId('web-inbox-error').count()).toBe(0);
    expect((await demoView()).allowedOrigins).toEqual([SHOP]);
  });

  it('a visitor on the hub’s own /demo page cannot start a chat: the widget says so, the message never arrives', async () => {
    const text = `Refused origin ${Date.now()}`;
    const visitor = await visit(text);
    // The hub refuses the handshake (SB_ERR_ORIGIN_NOT_ALLOWED): the widget shows it is unavailable.
    await visitor.locator('[data-sb="connection"]', { hasText: 'unavailable' }).waitFor({ timeout: 10_000 });
    await visitor.waitForTimeout(3000);
    expect(await arrived(text)).toBe(false);
    expect(await visitor.locator('[data-sb="message"][data-author="visitor"]').getAttribute('data-status')).not.toBe('sent');
    await visitor.context().close();
  });

  it('removing the origin again lets the visitor chat', async () => {
    await demoInbox().locator(`[data-testid="web-inbox-origin"][data-origin="${SHOP}"]`).getByTestId('web-inbox-origin-remove').click();
    await expect.poll(() => demoInbox().getByTestId('web-inbox-origin').count(), { timeout: 10_000 }).toBe(0);
    expect((await demoView()).allowedOrigins).toEqual([]);

    const text = `Allowed again ${Date.now()}`;
    const visitor = await visit(text);
    await eventually(() => arrived(text), 15_000, 'the visitor’s message reaches the team');
    expect(await visitor.locator('[data-sb="connection"]').count()).toBe(0);
    await visitor.context().close();
  });

  it('adds a website inbox, renames it, and gives it a new token after a confirmation', async () => {
    await agent.getByTestId('web-inbox-new-name').fill('Online shop');
    await agent.getByTestId('web-inbox-create').click();
    await expect.poll(() => agent.getByTestId('web-inbox').count(), { timeout: 10_000 }).toBe(2);
    const id = (await api<{ items: WebInboxView[] }>('GET', '/api/v1/web-inboxes')).items.find((w) => w.name === 'Online shop')!.id;
    const item = agent.locator(`[data-testid="web-inbox"][data-id="${id}"]`);
    expect(await item.getByTestId('web-inbox-name').inputValue()).toBe('Online shop');
    const before = (await item.getAttribute('data-token'))!;
    expect(await item.getByTestId('web-inbox-snippet').inputValue()).toContain(`data-inbox-token="${before}"`);

    await item.getByTestId('web-inbox-name').fill('Online store');
    await item.getByTestId('web-inbox-rename').click();
    await expect.poll(async () => (await api<{ items: WebInboxView[] }>('GET', '/api/v1/web-inboxes')).items.find((w) => w.id === id)?.name, { timeout: 10_000 }).toBe('Online store');

    let question = '';
    agent.once('dialog', (d) => {
      question = d.message();
      void d.accept();
    });
    await item.getByTestId('web-inbox-rotate').click();
    await expect.poll(() => item.getAttribute('data-token'), { timeout: 10_000 }).not.toBe(before);
    expect(question).toMatch(/stops working/);
    const after = (await api<{ items: WebInboxView[] }>('GET', '/api/v1/web-inboxes')).items.find((w) => w.id === id)!;
    expect(await item.getAttribute('data-token')).toBe(after.widgetToken);
    expect(await item.getByTestId('web-inbox-snippet').inputValue()).toBe(after.snippet);
  });
});
