import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { tempDir } from '@switchboard/testkit';
import { launchChromium, signInToConsole } from '../support/console.js';
import { startHubProcess, type HubProcess } from '../support/hub-process.js';

/**
 * The console in English and Russian, against the real `npm start` server in Chromium: the agent
 * picks Русский in the sidebar footer and the list, the thread, the ticket panel, the shortcuts
 * overlay and the administration speak Russian, also after a reload; a browser that asks for
 * Russian starts in it; and on a 375 px phone in Russian (longer words) nothing runs off the side.
 */
describe('console: English and Russian', () => {
  const data = tempDir('sb-e2e-i18n');
  let hub: HubProcess;
  let browser: Browser;
  let agent: Page;

  const text = (page: Page, testid: string) => page.getByTestId(testid).first().textContent();
  const live = (page: Page) => page.locator('[data-testid="connection"][data-state="live"]').waitFor({ timeout: 15_000 });

  /**
   * Elements of `selectors` that are wider inside than they show (content cut off or scrolling
   * sideways) or reach past the window's edges.
   */
  const overflowing = (page: Page, selectors: string[]) =>
    page.evaluate((list) => {
      const wide: string[] = [];
      if (document.documentElement.scrollWidth > window.innerWidth) wide.push(`page ${document.documentElement.scrollWidth} > ${window.innerWidth}`);
      for (const sel of list) {
        for (const el of document.querySelectorAll<HTMLElement>(sel)) {
          if (el.offsetParent === null && getComputedStyle(el).position !== 'fixed') continue; // not shown
          if (el.scrollWidth > el.clientWidth + 1) wide.push(`${sel} ${el.scrollWidth} > ${el.clientWidth}`);
          const box = el.getBoundingClientRect();
          if (box.right > window.innerWidth + 1 || box.left < -1) wide.push(`${sel} spans ${Math.round(box.left)}..${Math.round(box.right)}`);
        }
      }
      return wide;
    }, selectors);

  beforeAll(async () => {
    hub = await startHubProcess({}, data.dir);
    browser = await launchChromium();
    // A visitor writes on the hub's demo website, so there is a conversation to open.
    const visitor = await (await browser.newContext()).newPage();
    await visitor.goto(hub.url + '/demo');
    await visitor.locator('[data-sb="launcher"]').click();
    await visitor.locator('[data-sb="composer"]').fill('Где мой заказ?');
    await visitor.locator('[data-sb="send"]').click();
    await visitor.locator('[data-sb="message"]', { hasText: 'Где мой заказ?' }).waitFor({ timeout: 10_000 });
    agent = await (await browser.newContext({ viewport: { width: 1400, height: 900 }, locale: 'en-US' })).newPage();
    await signInToConsole(agent, hub.url);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await hub?.stop();
    data.remove();
  });

  it('starts in English for an English browser', async () => {
    expect(await agent.evaluate(() => document.documentElement.lang)).toBe('en');
    expect(await text(agent, 'filter-status-open')).toBe('Open');
    expect(await agent.getByTestId('language-button').textContent()).toBe('EN');
  });

  it('switched to Русский, the list, thread, ticket panel, shortcuts and administration speak Russian; a reload keeps it', async () => {
    await agent.getByTestId('language-button').click();
    await agent.getByTestId('language-ru').click();
    await expect.poll(() => text(agent, 'filter-status-open')).toBe('Открытые');
    expect(await agent.evaluate(() => document.documentElement.lang)).toBe('ru');
    expect(await agent.evaluate(() => localStorage.getItem('sb:console:locale'))).toBe('ru');
    expect(await text(agent, 'filter-status-resolved')).toBe('Решённые');
    expect(await agent.getByTestId('views-nav').textContent()).toContain('Мои');
    expect(await agent.getByTestId('kb-link').getAttribute('aria-label')).toBe('База знаний');

    // The thread and its header.
    await agent.getByTestId('conversation-item').filter({ hasText: 'Где мой заказ?' }).click();
    await agent.getByTestId('composer').waitFor();
    expect(await agent.getByTestId('composer').getAttribute('placeholder')).toMatch(/^Ответ: .+ шаблоны ответов\)$/);
    expect(await text(agent, 'send')).toBe('Отправить');
    expect(await text(agent, 'resolve')).toBe('Решено');
    expect(await text(agent, 'snooze')).toBe('Отложить');
    if (await agent.getByTestId('assign-me').count()) expect(await text(agent, 'assign-me')).toBe('Назначить мне');
    expect(await agent.locator('.day-sep').first().textContent()).toBe('Сегодня');

    // The ticket panel.
    const panel = agent.getByTestId('ticket-panel');
    await expect.poll(() => panel.textContent()).toMatch(/Тикет №\d+|У этого диалога пока нет тикета/);
    if (await agent.getByTestId('ticket-status').count()) expect(await panel.textContent()).toContain('Внутренние заметки');
    else expect(await text(agent, 'ticket-create')).toBe('Создать тикет');

    // The shortcuts overlay.
    await agent.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await agent.keyboard.press('?');
    const help = agent.getByTestId('shortcuts');
    await help.waitFor();
    expect(await help.textContent()).toContain('Горячие клавиши');
    expect(await help.textContent()).toContain('Следующий диалог');
    await agent.keyboard.press('Escape');
    await help.waitFor({ state: 'detached' });

    // An administration tab.
    await agent.getByTestId('admin-link').click();
    await expect.poll(() => text(agent, 'admin-tab-agents')).toBe('Агенты');
    expect(await text(agent, 'admin-tab-teams')).toBe('Команды');
    expect(await agent.getByTestId('invite-form').textContent()).toContain('Пригласить агента');
    await agent.getByTestId('admin-tab-teams').click();
    await expect.poll(() => text(agent, 'team-new')).toBe('Новая команда');

    // A reload keeps Russian, with no English first paint of the list's tabs.
    await agent.goto(hub.url + '/');
    await live(agent);
    expect(await text(agent, 'filter-status-open')).toBe('Открытые');
    expect(await agent.evaluate(() => document.documentElement.lang)).toBe('ru');
    expect(await agent.getByTestId('language-button').textContent()).toBe('RU');

    // And back to English.
    await agent.getByTestId('language-button').click();
    await agent.getByTestId('language-en').click();
    await expect.poll(() => text(agent, 'filter-status-open')).toBe('Open');
    expect(await agent.evaluate(() => document.documentElement.lang)).toBe('en');
  });

  it('a browser that asks for Russian (Accept-Language ru) starts in Russian, from the sign-in page on', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'ru-RU' });
    const page = await context.newPage();
    const asked = page.waitForRequest((r) => r.url().startsWith(hub.url));
    await page.goto(hub.url + '/');
    expect((await asked).headers()['accept-language']).toMatch(/^ru/);
    await expect.poll(() => page.locator('#login-title').textContent()).toBe('Вход в консоль агента');
    expect(await text(page, 'login-submit')).toBe('Войти');
    await page.getByTestId('login-email').fill('admin@demo.switchboard.local');
    await page.getByTestId('login-password').fill('switchboard-demo');
    await page.getByTestId('login-submit').click();
    await live(page);
    expect(await text(page, 'filter-status-open')).toBe('Открытые');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('ru');
    await context.close();
  });

  it('on a 375 px phone in Russian nothing runs off the side: the list, a conversation, the ticket strip, administration', async () => {
    const context = await browser.newContext({ viewport: { width: 375, height: 740 }, locale: 'ru-RU', hasTouch: true, isMobile: true });
    const phone = await context.newPage();
    await signInToConsole(phone, hub.url);
    const list = ['.sidebar', '.sidebar-head', '.views-select', '.filters', '.tabs', '.tab', '.conv-scroll', '.conv-row', '.account'];
    await phone.getByTestId('conversation-item').first().waitFor();
    expect(await overflowing(phone, list)).toEqual([]);

    await phone.getByTestId('conversation-item').filter({ hasText: 'Где мой заказ?' }).click();
    await phone.getByTestId('composer').waitFor();
    const thread = ['.pane', '.thread', '.thread-head', '.actions', '.ticket-panel', '.tp-toggle', '.messages', '.composer'];
    expect(await overflowing(phone, thread)).toEqual([]);
    await phone.locator('.tp-toggle').click();
    expect(await overflowing(phone, [...thread, '.tp-body', '.tp-grid'])).toEqual([]);

    await phone.goto(hub.url + '/#/admin');
    await phone.getByTestId('invite-form').waitFor();
    expect(await overflowing(phone, ['.pane', '.admin-tabs', '.channels-body', '.admin-form'])).toEqual([]);

    await phone.goto(hub.url + '/#/kb');
    await phone.getByTestId('kb-new-article').waitFor();
    expect(await overflowing(phone, ['.pane', '.kb', '.kb-head', '.kb-toolbar'])).toEqual([]);
    await context.close();
  });
});
