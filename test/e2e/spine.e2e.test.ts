import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { chromiumPath, tempDir } from '@switchboard/testkit';
import { startHubProcess, type HubProcess } from '../support/hub-process.js';

const DEMO_EMAIL = 'admin@demo.switchboard.local';
const DEMO_PASSWORD = 'switchboard-demo';

/**
 * The spine as people use it, against the real `npm start` server: a visitor on the demo website
 * chats with an agent in the console, both live, in Debian's Chromium.
 */
describe('visitor in the widget ↔ agent in the console', () => {
  const data = tempDir('sb-e2e');
  let hub: HubProcess;
  let browser: Browser;
  let agent: Page;
  let visitor: Page;

  beforeAll(async () => {
    hub = await startHubProcess({}, data.dir);
    browser = await chromium.launch({
      executablePath: chromiumPath,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-dev-shm-usage'],
    });
    agent = await (await browser.newContext()).newPage();
    visitor = await (await browser.newContext()).newPage();
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await hub?.stop();
    data.remove();
  });

  it('the startup banner tells the console URL, the demo login and the demo website', () => {
    expect(hub.output()).toContain(DEMO_EMAIL);
    expect(hub.output()).toContain('/demo');
  });

  it('the agent signs in to the console', async () => {
    await agent.goto(hub.url + '/');
    await agent.getByTestId('login-email').fill(DEMO_EMAIL);
    await agent.getByTestId('login-password').fill(DEMO_PASSWORD);
    await agent.getByTestId('login-submit').click();
    await agent.getByTestId('connection').waitFor();
    await expect.poll(() => agent.getByTestId('login-email').count(), { timeout: 10_000 }).toBe(0);
  });

  it('a visitor writes "hello" on the website; the conversation and message appear live for the agent', async () => {
    await visitor.goto(hub.url + '/demo');
    await visitor.locator('[data-sb="launcher"]').click();
    await visitor.locator('[data-sb="composer"]').fill('hello');
    await visitor.locator('[data-sb="send"]').click();
    const item = agent.getByTestId('conversation-item').first();
    await item.waitFor({ timeout: 15_000 });
    await expect.poll(() => item.textContent(), { timeout: 10_000 }).toContain('hello');
    await item.click();
    await expect
      .poll(() => agent.locator('[data-testid="message"][data-direction="in"]').allTextContents(), { timeout: 10_000 })
      .toEqual([expect.stringContaining('hello')]);
  });

  it('typing shows on the other side', async () => {
    await visitor.locator('[data-sb="composer"]').pressSequentially('are you', { delay: 30 });
    await agent.getByTestId('typing').waitFor({ timeout: 10_000 });
    await agent.getByTestId('composer').pressSequentially('Let me', { delay: 30 });
    await visitor.locator('[data-sb="typing"]').waitFor({ timeout: 10_000 });
    await visitor.locator('[data-sb="composer"]').fill('');
    await agent.getByTestId('composer').fill('');
  });

  it('the agent replies; the visitor sees the reply live, and once they have, the console shows it read', async () => {
    // The visitor's panel is closed when the reply comes: it is sent, not read.
    await visitor.locator('[data-sb="launcher"]').click();
    await visitor.locator('[data-sb="panel"]').waitFor({ state: 'hidden', timeout: 10_000 });
    await agent.getByTestId('composer').fill('Hi! How can I help you today?');
    await agent.getByTestId('send').click();
    const reply = agent.locator('[data-testid="message"][data-direction="out"]', { hasText: 'Hi! How can I help you today?' });
    await expect.poll(() => reply.getAttribute('data-status'), { timeout: 10_000 }).toBe('sent');
    expect(await reply.getByLabel('Read').count()).toBe(0);

    await visitor.locator('[data-sb="launcher"]').click();
    await visitor
      .locator('[data-sb="message"][data-author="agent"]', { hasText: 'Hi! How can I help you today?' })
      .waitFor({ timeout: 10_000 });
    // The open panel tells the hub what the visitor has seen; the agent's tick turns to "Read".
    await expect.poll(() => reply.getAttribute('data-status'), { timeout: 10_000 }).toBe('read');
    await reply.locator('.ticks-read[aria-label="Read"]').waitFor({ timeout: 5000 });
  });

  it('reloading the website keeps the visitor’s history', async () => {
    await visitor.reload();
    const panelOpen = await visitor.locator('[data-sb="panel"]').isVisible().catch(() => false);
    if (!panelOpen) await visitor.locator('[data-sb="launcher"]').click();
    await expect
      .poll(() => visitor.locator('[data-sb="message"]').allTextContents(), { timeout: 10_000 })
      .toEqual([expect.stringContaining('hello'), expect.stringContaining('Hi! How can I help you today?')]);
  });

  it('the agent assigns the conversation to themself and resolves it', async () => {
    await agent.getByTestId('assign-me').click();
    await expect.poll(() => agent.getByTestId('assignee').textContent(), { timeout: 10_000 }).toContain('Demo Admin');
    await agent.getByTestId('resolve').click();
    await expect.poll(() => agent.getByTestId('conversation-status').textContent(), { timeout: 10_000 }).toMatch(/resolved/i);
    await agent.getByTestId('reopen').click();
    await expect.poll(() => agent.getByTestId('conversation-status').textContent(), { timeout: 10_000 }).toMatch(/open/i);
  });

  it('after a restart on the same data folder, the conversation and its messages are still there', async () => {
    const port = new URL(hub.url).port;
    await hub.stop('SIGTERM');
    hub = await startHubProcess({ PORT: port }, data.dir);
    const login = await fetch(`${hub.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: DEMO_EMAIL, password: DEMO_PASSWORD }),
    });
    const { accessToken } = (await login.json()) as { accessToken: string };
    const auth = { authorization: `Bearer ${accessToken}` };
    const list = (await (await fetch(`${hub.url}/api/v1/conversations?status=all`, { headers: auth })).json()) as { items: { id: string }[] };
    expect(list.items).toHaveLength(1);
    const msgs = (await (await fetch(`${hub.url}/api/v1/conversations/${list.items[0]!.id}/messages`, { headers: auth })).json()) as {
      items: { text?: string }[];
    };
    expect(msgs.items.map((m) => m.text)).toEqual(['hello', 'Hi! How can I help you today?']);
    await visitor.reload();
    const open = await visitor.locator('[data-sb="panel"]').isVisible().catch(() => false);
    if (!open) await visitor.locator('[data-sb="launcher"]').click();
    await expect
      .poll(() => visitor.locator('[data-sb="message"]').allTextContents(), { timeout: 15_000 })
      .toEqual([expect.stringContaining('hello'), expect.stringContaining('Hi! How can I help you today?')]);
  });
});
