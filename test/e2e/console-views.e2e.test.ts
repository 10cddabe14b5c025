import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { AgentView, ConversationView, TicketView } from '@switchboard/contracts';
import { eventually, tempDir } from '@switchboard/testkit';
import { apiToken, launchChromium, restApi, signInToConsole } from '../support/console.js';
import { freePort, startHubProcess, type HubProcess } from '../support/hub-process.js';

interface Counts {
  mine: { open: number; unread: number };
  all: { open: number; unread: number };
  inboxes: { inboxId: string; name: string; open: number; unread: number }[];
  teams: { teamId: string; open: number; unread: number }[];
}

/**
 * The sidebar's views (Mine, Unassigned, All, Mentions, each inbox, each team) with their counts,
 * the sort select, and both kept current live — against the real `npm start` server in Chromium,
 * with website visitors writing on the demo shop.
 */
describe('console: views, sort and unread counts', () => {
  const data = tempDir('sb-e2e-views');
  let hub: HubProcess;
  let browser: Browser;
  let agent: Page;
  let token = '';
  let me: AgentView;
  let teamId = '';
  const convs: Record<'first' | 'second', ConversationView> = {} as never;
  const visitorPages: Page[] = [];

  const api = restApi(() => hub.url, () => token);
  const conversationWith = async (text: string) =>
    (await api<{ items: ConversationView[] }>('GET', '/api/v1/conversations?status=all&limit=100')).items.find((c) => c.lastMessage?.text === text);
  const say = async (page: Page, text: string) => {
    await page.locator('[data-sb="composer"]').fill(text);
    await page.locator('[data-sb="send"]').click();
    await eventually(async () => !!(await conversationWith(text)), 15_000, `“${text}” reaches the team`);
  };
  /** A new visitor (own storage) on the demo shop writes; returns the page and the conversation. */
  const visit = async (text: string) => {
    const page = await (await browser.newContext()).newPage();
    visitorPages.push(page);
    await page.goto(hub.url + '/demo');
    await page.locator('[data-sb="launcher"]').click();
    await say(page, text);
    return { page, conv: (await conversationWith(text))! };
  };
  const view = (key: string) => agent.locator(`[data-testid="view"][data-view="${key}"]`);
  const badge = (key: string) => view(key).getByTestId('view-count');
  const listed = () => agent.locator('[data-testid="conversation-item"]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-id')));

  beforeAll(async () => {
    const port = await freePort();
    hub = await startHubProcess({ PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}` }, data.dir);
    token = await apiToken(hub.url);
    me = await api<AgentView>('GET', '/api/v1/me');
    teamId = (await api<{ id: string }>('POST', '/api/v1/teams', { name: 'Billing', strategy: 'manual', members: [] })).id;
    browser = await launchChromium();
    agent = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await hub?.stop();
    data.remove();
  });

  it('two customers write; the first is answered and writes again, so the second has waited longest', async () => {
    const first = await visit(`Where is order 77? ${Date.now()}`);
    const second = await visit(`My invoice is wrong ${Date.now()}`);
    await api('POST', `/api/v1/conversations/${first.conv.id}/messages`, { text: 'Checking now.', idempotencyKey: `views-${Date.now()}` });
    await say(first.page, `Any news? ${Date.now()}`);
    convs.first = (await api<ConversationView>('GET', `/api/v1/conversations/${first.conv.id}`))!;
    convs.second = (await api<ConversationView>('GET', `/api/v1/conversations/${second.conv.id}`))!;
    expect(Date.parse(convs.second.waitingSince!)).toBeLessThan(Date.parse(convs.first.waitingSince!));
  });

  it('the views nav lists Mine, Unassigned, All, Mentions, the inbox and the team, with counts', async () => {
    await signInToConsole(agent, hub.url);
    const counts = await api<Counts>('GET', '/api/v1/conversations/counts');
    const inbox = counts.inboxes.find((i) => i.name === 'Website')!;
    await expect.poll(() => agent.getByTestId('view').evaluateAll((els) => els.map((e) => e.textContent?.replace(/\d+/g, '').trim()))).toEqual([
      'Mine',
      'Unassigned',
      'All',
      'Mentions',
      'Website',
      'Billing',
    ]);
    await expect.poll(() => badge('all').getAttribute('data-open')).toBe(String(counts.all.open));
    expect(await badge('all').getAttribute('data-unread')).toBe(String(counts.all.unread));
    expect(await badge(`inbox:${inbox.inboxId}`).getAttribute('data-unread')).toBe(String(inbox.unread));
    expect(await badge(`team:${teamId}`).getAttribute('data-open')).toBe('0');
    expect(await view('all').getAttribute('aria-current')).toBe('true');
  });

  it('switching views: Mine is empty until a conversation is assigned to me, which then appears live', async () => {
    await view('mine').click();
    await expect.poll(listed).toEqual([]);
    await api('POST', `/api/v1/conversations/${convs.first.id}/assign`, { agentId: me.id });
    await expect.poll(listed, { timeout: 10_000 }).toEqual([convs.first.id]);
    await expect.poll(() => badge('mine').getAttribute('data-open'), { timeout: 10_000 }).toBe('1');
  });

  it('a team view fills when the ticket moves to the team', async () => {
    await view(`team:${teamId}`).click();
    await expect.poll(listed).toEqual([]);
    const ticket = await eventually(async () => (await api<{ items: TicketView[] }>('GET', `/api/v1/tickets?conversationId=${convs.second.id}`)).items[0], 10_000, 'ticket');
    await api('PATCH', `/api/v1/tickets/${ticket.id}`, { teamId });
    await expect.poll(listed, { timeout: 10_000 }).toEqual([convs.second.id]);
    await expect.poll(() => badge(`team:${teamId}`).getAttribute('data-open'), { timeout: 10_000 }).toBe('1');
  });

  it('sort by waiting longest puts the customer who waited longest first', async () => {
    await view('all').click();
    // Newest activity first: the first conversation was just assigned.
    await expect.poll(listed).toEqual([convs.first.id, convs.second.id]);
    await agent.getByTestId('sort').selectOption('waiting');
    await expect.poll(listed).toEqual([convs.second.id, convs.first.id]);
  });

  it('a new inbound message bumps the unread count live', async () => {
    const before = Number(await badge('all').getAttribute('data-unread'));
    const { conv } = await visit(`A brand new question ${Date.now()}`);
    await expect.poll(() => badge('all').getAttribute('data-unread'), { timeout: 10_000 }).toBe(String(before + 1));
    await expect.poll(async () => (await listed()).includes(conv.id), { timeout: 10_000 }).toBe(true);
  });

  it('the chosen view and sort survive a reload', async () => {
    await view('mine').click();
    await agent.reload();
    await agent.locator('[data-testid="connection"][data-state="live"]').waitFor({ timeout: 15_000 });
    expect(await view('mine').getAttribute('aria-current')).toBe('true');
    expect(await agent.getByTestId('sort').inputValue()).toBe('waiting');
    await expect.poll(listed).toEqual([convs.first.id]);
  });

  it('on a phone the views are one select, and the list stays usable', async () => {
    await agent.setViewportSize({ width: 375, height: 740 });
    expect(await agent.getByTestId('views-nav').isVisible()).toBe(false);
    const select = agent.getByTestId('views-select');
    expect(await select.isVisible()).toBe(true);
    await select.selectOption('all');
    await expect.poll(async () => (await listed()).length).toBe(3);
    const width = await agent.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(375);
  });
});
