import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { ConversationView, WebInboxView } from '@switchboard/contracts';
import { eventually, tempDir } from '@switchboard/testkit';
import { apiToken, launchChromium, restApi, signInToConsole } from '../support/console.js';
import { freePort, startHubProcess, type HubProcess } from '../support/hub-process.js';

const DEMO_TOKEN = 'demo-website';
const SHOP = 'https://shop.example';
/** The browser's time zone, which new business hours start from. */
const BROWSER_ZONE = 'Asia/Tokyo';

/**
 * Website inboxes in the console's channel settings, against the real `npm start` server in
 * Chromium: the demo admin copies the demo website's snippet, allows only https://shop.example,
 * and the hub's own /demo page can no longer open a chat; removing the origin lets it chat again.
 * Then the demo inbox's chat settings: a pre-chat form, business hours, an offline message and
 * identity verification, kept across a reload; its secret revealed, copied and replaced; and a
 * visitor the website names with a good hash shows as verified beside their conversation.
 */
describe('console: website inboxes, their snippet and allowed origins', () => {
  const data = tempDir('sb-e2e-web-inboxes');
  let hub: HubProcess;
  let browser: Browser;
  let agent: Page;
  let token = '';

  const api = restApi(() => hub.url, () => token);
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
    const context = await browser.newContext({
      viewport: { width: 1400, height: 900 },
      permissions: ['clipboard-read', 'clipboard-write'],
      timezoneId: BROWSER_ZONE,
    });
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

  /** The demo inbox's chat settings, opened (their chunks fetched on first open). */
  const openSettings = async () => {
    await demoInbox().getByTestId('web-inbox-settings-toggle').click();
    await demoInbox().getByTestId('web-settings').waitFor({ timeout: 10_000 });
    await demoInbox().getByTestId('web-identity').waitFor({ timeout: 10_000 });
  };
  const field = (key: string) => demoInbox().locator(`[data-testid="web-prechat-field"][data-key="${key}"]`);
  const day = (d: number) => demoInbox().locator(`[data-testid="web-hours-day"][data-day="${d}"]`);

  it('the admin sets a pre-chat form, business hours and an offline message, and saves them', async () => {
    await openSettings();
    expect(await demoInbox().getByTestId('web-prechat-field').count()).toBe(0);
    expect(await demoInbox().getByTestId('web-hours-always').isChecked()).toBe(true);

    // Presets for name and email; another field whose key follows its label.
    await demoInbox().locator('[data-testid="web-prechat-add"][data-preset="name"]').click();
    await demoInbox().locator('[data-testid="web-prechat-add"][data-preset="email"]').click();
    expect(await demoInbox().locator('[data-testid="web-prechat-add"][data-preset="email"]').isDisabled()).toBe(true);
    await demoInbox().locator('[data-testid="web-prechat-add"][data-preset=""]').click();
    await demoInbox().getByTestId('web-prechat-label').nth(2).fill('Order number');
    expect(await field('order_number').getByTestId('web-prechat-key').inputValue()).toBe('order_number');
    // Moved above email, then name removed.
    await demoInbox().getByRole('button', { name: 'Move Order number up' }).click();
    await field('name').getByTestId('web-prechat-remove').click();
    expect(await demoInbox().getByTestId('web-prechat-field').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-key')))).toEqual(['order_number', 'email']);

    // A bad key is refused in words before anything is sent.
    await field('order_number').getByTestId('web-prechat-key').fill('Order');
    await demoInbox().getByTestId('web-settings-save').click();
    expect(await demoInbox().getByTestId('web-settings-error').textContent()).toMatch(/key of “Order number” starts with a letter/);
    expect((await demoView()).preChatForm).toEqual([]);
    await demoInbox().getByTestId('web-prechat-key').first().fill('order');

    // Business hours start from Monday to Friday, 9 to 5, in the browser's zone.
    await demoInbox().getByTestId('web-hours-always').uncheck();
    expect(await demoInbox().getByTestId('web-hours-zone').inputValue()).toBe(BROWSER_ZONE);
    await demoInbox().getByTestId('web-hours-zone').selectOption('Europe/Berlin');
    expect(await day(1).getByTestId('web-hours-from').inputValue()).toBe('09:00');
    await day(5).getByTestId('web-hours-open').uncheck();
    await day(6).getByTestId('web-hours-open').check();
    await day(6).getByTestId('web-hours-from').fill('10:00');
    await day(6).getByTestId('web-hours-to').fill('14:00');
    await demoInbox().getByTestId('web-offline-message').fill('We are back on Monday at nine.');

    await demoInbox().getByTestId('web-settings-save').click();
    await demoInbox().getByTestId('web-settings-saved').waitFor({ timeout: 10_000 });
    const saved = await demoView();
    expect(saved.preChatForm).toEqual([
      { key: 'order', label: 'Order number', type: 'text', required: false },
      { key: 'email', label: 'Email', type: 'email', required: true },
    ]);
    expect(saved.businessHours).toEqual({
      timezone: 'Europe/Berlin',
      intervals: [
        ...[1, 2, 3, 4].map((d) => ({ day: d, from: '09:00', to: '17:00' })),
        { day: 6, from: '10:00', to: '14:00' },
      ],
    });
    expect(saved.offlineMessage).toBe('We are back on Monday at nine.');
  });

  it('turns on identity verification at once', async () => {
    expect((await demoView()).identityVerification).toBe(false);
    await demoInbox().getByTestId('web-identity-switch').check();
    await expect.poll(async () => (await demoView()).identityVerification, { timeout: 10_000 }).toBe(true);
  });

  it('after a reload the settings are as saved', async () => {
    await agent.reload();
    await demoInbox().waitFor({ timeout: 15_000 });
    await openSettings();
    expect(await demoInbox().getByTestId('web-prechat-label').evaluateAll((xs) => xs.map((x) => (x as HTMLInputElement).value))).toEqual(['Order number', 'Email']);
    expect(await demoInbox().getByTestId('web-prechat-key').evaluateAll((xs) => xs.map((x) => (x as HTMLInputElement).value))).toEqual(['order', 'email']);
    expect(await field('email').getByTestId('web-prechat-type').inputValue()).toBe('email');
    expect(await field('email').getByTestId('web-prechat-required').isChecked()).toBe(true);
    expect(await demoInbox().getByTestId('web-hours-always').isChecked()).toBe(false);
    expect(await demoInbox().getByTestId('web-hours-zone').inputValue()).toBe('Europe/Berlin');
    expect(await day(1).getByTestId('web-hours-open').isChecked()).toBe(true);
    expect(await day(5).getByTestId('web-hours-open').isChecked()).toBe(false);
    expect(await day(0).getByTestId('web-hours-open').isChecked()).toBe(false);
    expect([await day(6).getByTestId('web-hours-from').inputValue(), await day(6).getByTestId('web-hours-to').inputValue()]).toEqual(['10:00', '14:00']);
    expect(await demoInbox().getByTestId('web-offline-message').inputValue()).toBe('We are back on Monday at nine.');
    expect(await demoInbox().getByTestId('web-identity-switch').isChecked()).toBe(true);
  });

  it('the secret is masked until revealed, and Copy puts it on the clipboard', async () => {
    const { identitySecret } = await demoView();
    expect(identitySecret.length).toBeGreaterThan(16);
    const shown = demoInbox().getByTestId('web-identity-secret');
    expect(await shown.textContent()).not.toContain(identitySecret);
    expect(await shown.textContent()).toMatch(/^•+$/);
    await demoInbox().getByTestId('web-identity-reveal').click();
    expect(await shown.textContent()).toBe(identitySecret);
    await demoInbox().getByTestId('web-identity-reveal').click();
    expect(await shown.textContent()).toMatch(/^•+$/);

    await demoInbox().getByTestId('web-identity-copy').click();
    await expect.poll(() => demoInbox().getByTestId('web-identity-copy').textContent()).toBe('Copied');
    expect(await agent.evaluate(() => navigator.clipboard.readText())).toBe(identitySecret);
  });

  it('New secret asks first, then replaces the secret', async () => {
    const before = (await demoView()).identitySecret;
    let question = '';
    agent.once('dialog', (d) => {
      question = d.message();
      void d.dismiss();
    });
    await demoInbox().getByTestId('web-identity-rotate').click();
    await expect.poll(() => question).toMatch(/stop verifying/);
    expect((await demoView()).identitySecret).toBe(before);

    agent.once('dialog', (d) => void d.accept());
    await demoInbox().getByTestId('web-identity-rotate').click();
    await expect.poll(async () => (await demoView()).identitySecret, { timeout: 10_000 }).not.toBe(before);
    await demoInbox().getByTestId('web-identity-reveal').click();
    await expect.poll(() => demoInbox().getByTestId('web-identity-secret').textContent()).toBe((await demoView()).identitySecret);
  });

  it('a visitor the website names with a good hash is marked verified, with the user id and attributes', async () => {
    // No form and always open, so the visitor chats at once; verification stays on.
    const inbox = await demoView();
    await api('PATCH', `/api/v1/web-inboxes/${inbox.id}`, { preChatForm: [], businessHours: null });
    const userId = `user-${Date.now()}`;
    // What the website's server does with the secret (HASH_EXAMPLE in the console).
    const hash = createHmac('sha256', inbox.identitySecret).update(userId).digest('hex');

    const visitor = await (await browser.newContext()).newPage();
    await visitor.goto(hub.url + '/demo');
    type Page = { Switchboard: { identify(v: object): Promise<unknown>; setAttributes(v: object): Promise<unknown> } };
    expect(await visitor.evaluate(([id, h]) => (window as unknown as Page).Switchboard.identify({ id, name: 'Ada Lovelace', hash: h }), [userId, hash])).toMatchObject({ ok: true });
    expect(await visitor.evaluate(() => (window as unknown as Page).Switchboard.setAttributes({ plan: 'pro' }))).toMatchObject({ ok: true });
    const text = `Verified hello ${Date.now()}`;
    await visitor.locator('[data-sb="launcher"]').click();
    await visitor.locator('[data-sb="composer"]').fill(text);
    await visitor.locator('[data-sb="send"]').click();
    await eventually(() => arrived(text), 15_000, 'the verified visitor’s message reaches the team');

    const conv = (await api<{ items: ConversationView[] }>('GET', '/api/v1/conversations?status=all&assignee=all&limit=100')).items.find((c) => c.lastMessage?.text === text)!;
    await agent.evaluate((id) => (location.hash = `#/c/${id}`), conv.id);
    const badge = agent.getByTestId('contact-verified');
    await badge.waitFor({ timeout: 10_000 });
    expect(await badge.getAttribute('title')).toBe('Identity verified by the website (HMAC)');
    const facts = await agent
      .getByTestId('contact-attributes')
      .locator('div')
      .evaluateAll((rows) => rows.map((r) => [r.querySelector('dt')?.textContent, r.querySelector('dd')?.textContent]));
    expect(facts).toEqual(expect.arrayContaining([['User id', userId], ['plan', 'pro']]));
    await visitor.context().close();
  });
});
