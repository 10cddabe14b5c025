import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { AgentView, ConversationView } from '@switchboard/contracts';
import { eventually, tempDir } from '@switchboard/testkit';
import { apiToken, launchChromium, restApi, signInToConsole } from '../support/console.js';
import { freePort, startHubProcess, type HubProcess } from '../support/hub-process.js';

interface Recorded {
  title: string;
  body?: string;
  tag?: string;
}
declare global {
  interface Window {
    __notes: (Recorded & { instance: Notification })[];
    __beeps: number;
  }
}

/**
 * Desktop notifications and the beep, against the real `npm start` server in Chromium with the
 * notification permission granted. The page's `Notification` is wrapped so every notification the
 * console creates is recorded (and still created), and so is every tone it starts. Two website
 * visitors write; one conversation is the demo admin's, the other another agent's.
 */
describe('console: desktop notifications for the agent’s conversations', () => {
  const data = tempDir('sb-e2e-notify');
  let hub: HubProcess;
  let browser: Browser;
  let agent: Page;
  let token = '';
  let me: AgentView;
  let other: AgentView;
  const visitors: Record<'mine' | 'theirs', { page: Page; conv: ConversationView }> = {} as never;

  const api = restApi(() => hub.url, () => token);
  const conversationWith = async (text: string) =>
    (await api<{ items: ConversationView[] }>('GET', '/api/v1/conversations?status=all&assignee=all&limit=100')).items.find((c) => c.lastMessage?.text === text);

  /** A new visitor (own storage) on the hub's demo shop writes; returns the page and the conversation. */
  const visit = async (text: string) => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(hub.url + '/demo');
    await page.locator('[data-sb="launcher"]').click();
    await say(page, text);
    await eventually(async () => !!(await conversationWith(text)), 15_000, `“${text}” reaches the team`);
    return { page, conv: (await conversationWith(text))! };
  };
  const say = async (page: Page, text: string) => {
    await page.locator('[data-sb="composer"]').fill(text);
    await page.locator('[data-sb="send"]').click();
  };
  const row = (id: string) => agent.locator(`[data-testid="conversation-item"][data-id="${id}"]`);
  const notes = () => agent.evaluate(() => window.__notes.map(({ title, body, tag }) => ({ title, body, tag })));
  const beeps = () => agent.evaluate(() => window.__beeps);
  /** The console has the message (in the open thread, or as the row's last message). */
  const shown = async (id: string, text: string) => {
    await expect.poll(() => row(id).locator('.conv-preview').textContent(), { timeout: 10_000 }).toBe(text);
  };

  beforeAll(async () => {
    const port = await freePort();
    hub = await startHubProcess({ PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}` }, data.dir);
    token = await apiToken(hub.url);
    me = await api<AgentView>('GET', '/api/v1/me');
    other = await api<AgentView>('POST', '/api/v1/agents', { email: 'olga@demo.switchboard.local', name: 'Olga Other', role: 'agent', password: 'another-long-password' });
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, permissions: ['notifications'] });
    await context.addInitScript(() => {
      window.__notes = [];
      window.__beeps = 0;
      const Real = window.Notification;
      class RecordedNotification extends Real {
        constructor(title: string, options?: NotificationOptions) {
          super(title, options);
          window.__notes.push({ title, body: options?.body, tag: options?.tag, instance: this });
        }
      }
      Object.defineProperty(RecordedNotification, 'permission', { get: () => Real.permission });
      window.Notification = RecordedNotification;
      const start = OscillatorNode.prototype.start;
      OscillatorNode.prototype.start = function (...args) {
        window.__beeps++;
        return start.apply(this, args);
      };
    });
    agent = await context.newPage();
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await hub?.stop();
    data.remove();
  });

  it('two visitors write; one conversation is the demo admin’s, the other Olga’s', async () => {
    visitors.mine = await visit(`I need help with order 42 ${Date.now()}`);
    visitors.theirs = await visit(`A question about invoices ${Date.now()}`);
    await api('POST', `/api/v1/conversations/${visitors.mine.conv.id}/assign`, { agentId: me.id });
    await api('POST', `/api/v1/conversations/${visitors.theirs.conv.id}/assign`, { agentId: other.id });

    await signInToConsole(agent, hub.url);
    // Permission is already granted: nothing to offer.
    await row(visitors.theirs.conv.id).waitFor({ timeout: 10_000 });
    expect(await agent.getByTestId('notify-offer').count()).toBe(0);
    expect(await notes()).toEqual([]);
  });

  it('a message in my conversation while another is open: one notification with the contact and the text, and a beep', async () => {
    await row(visitors.theirs.conv.id).click();
    await expect.poll(() => agent.evaluate(() => location.hash)).toBe(`#/c/${visitors.theirs.conv.id}`);

    const text = 'Is the parcel on its way? The tracking page has said “label created” since Monday.';
    await say(visitors.mine.page, text);
    await expect.poll(notes, { timeout: 10_000 }).toHaveLength(1);
    const name = (await row(visitors.mine.conv.id).locator('.conv-name').textContent())!;
    expect(name).toMatch(/\S/);
    expect(await notes()).toEqual([{ title: name, body: text, tag: visitors.mine.conv.id }]);
    expect(await beeps()).toBe(1);
  });

  it('a message in someone else’s conversation: none', async () => {
    const text = `Also, can I get a copy by mail? ${Date.now()}`;
    await say(visitors.theirs.page, text);
    await agent.locator('[data-testid="message"][data-direction="in"]', { hasText: text }).waitFor({ timeout: 10_000 });
    await shown(visitors.theirs.conv.id, text);
    expect(await notes()).toHaveLength(1);
  });

  it('a long message is cut to 120 characters', async () => {
    const text = `Here is everything that happened. ${'The box arrived open and the lid was torn. '.repeat(5)}`.trim();
    await say(visitors.mine.page, text);
    await expect.poll(notes, { timeout: 10_000 }).toHaveLength(2);
    const { body, tag } = (await notes())[1]!;
    expect(tag).toBe(visitors.mine.conv.id);
    expect(body).toHaveLength(120);
    expect(body!.endsWith('…')).toBe(true);
    expect(text.startsWith(body!.slice(0, -1).trimEnd())).toBe(true);
  });

  it('clicking the notification opens its conversation; a message there while it is open and seen: none', async () => {
    await agent.evaluate(() => window.__notes[1]!.instance.onclick?.(new Event('click')));
    await expect.poll(() => agent.evaluate(() => location.hash)).toBe(`#/c/${visitors.mine.conv.id}`);
    await row(visitors.mine.conv.id).and(agent.locator('[aria-current="true"]')).waitFor({ timeout: 10_000 });

    const text = `Thanks, I am here now ${Date.now()}`;
    await say(visitors.mine.page, text);
    await agent.locator('[data-testid="message"][data-direction="in"]', { hasText: text }).waitFor({ timeout: 10_000 });
    await shown(visitors.mine.conv.id, text);
    expect(await notes()).toHaveLength(2);
  });

  it('without the permission, the console offers to enable notifications; the browser’s answer puts the offer away', async () => {
    const page = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
    await signInToConsole(page, hub.url);
    const offer = page.getByTestId('notify-offer');
    await offer.waitFor({ timeout: 10_000 });
    expect(await offer.textContent()).toMatch(/Enable notifications/);
    // Headless Chromium answers the request with "denied" (no prompt to click).
    await page.getByTestId('notify-enable').click();
    await offer.waitFor({ state: 'detached', timeout: 10_000 });
    expect(await page.evaluate(() => Notification.permission)).not.toBe('default');
    await page.context().close();
  });
});
