import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { ConversationView, ReportSummary } from '@switchboard/contracts';
import { eventually, tempDir } from '@switchboard/testkit';
import { presetPeriod } from '../../agent-console/src/reports/period.js';
import { apiToken, launchChromium, restApi, signInToConsole } from '../support/console.js';
import { startHubProcess, type HubProcess } from '../support/hub-process.js';

/**
 * The console's reports against the real `npm start` server in Chromium: website visitors write
 * on the demo shop, the team answers one and resolves it; a supervisor (browser in Berlin time)
 * opens Reports and sees the figures the API gives for the same period and zone, switches the
 * period, and downloads a section as CSV; an agent gets no Reports link and is told why.
 */
describe('console: reports', () => {
  const data = tempDir('sb-e2e-reports');
  const zone = 'Europe/Berlin';
  let hub: HubProcess;
  let browser: Browser;
  let supervisor: Page;
  let token = '';
  const api = restApi(() => hub.url, () => token);
  const conversationWith = async (text: string) =>
    (await api<{ items: ConversationView[] }>('GET', '/api/v1/conversations?status=all&assignee=all&limit=100')).items.find((c) => c.lastMessage?.text === text);
  /** A new visitor (own storage) on the demo shop writes; returns the conversation. */
  const visit = async (text: string) => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(hub.url + '/demo');
    await page.locator('[data-sb="launcher"]').click();
    await page.locator('[data-sb="composer"]').fill(text);
    await page.locator('[data-sb="send"]').click();
    const conv = await eventually(() => conversationWith(text), 15_000, `“${text}” reaches the team`);
    await page.context().close();
    return conv;
  };
  const summaryOf = (from: string, to: string) => api<ReportSummary>('GET', `/api/v1/reports/summary?from=${from}&to=${to}&tz=${encodeURIComponent(zone)}`);
  const figure = (id: string) => supervisor.locator(`[data-testid="report-figure"][data-figure="${id}"] [data-testid="report-figure-value"]`);

  beforeAll(async () => {
    hub = await startHubProcess({}, data.dir);
    token = await apiToken(hub.url);
    await api('POST', '/api/v1/agents', { email: 'sue@example.test', name: 'Sue Supervisor', role: 'supervisor', password: 'sue the supervisor' });
    await api('POST', '/api/v1/agents', { email: 'sam@example.test', name: 'Sam Agent', role: 'agent', password: 'sam the agent pw' });
    browser = await launchChromium();
    supervisor = await (await browser.newContext({ viewport: { width: 1400, height: 1000 }, timezoneId: zone, acceptDownloads: true })).newPage();
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await hub?.stop();
    data.remove();
  });

  it('two customers write; one is answered and resolved; the reports count them', async () => {
    const first = await visit(`Where is order 5? ${Date.now()}`);
    await visit(`Can I pay by invoice? ${Date.now()}`);
    await api('POST', `/api/v1/conversations/${first.id}/messages`, { text: 'It ships today.', idempotencyKey: `reports-${Date.now()}` });
    await api('POST', `/api/v1/conversations/${first.id}/status`, { status: 'resolved' });
    const week = presetPeriod('7d', zone, new Date());
    const summary = await eventually(
      async () => {
        const s = await summaryOf(week.from, week.to);
        return s.conversations >= 2 && s.resolved >= 1 && s.firstResponse.count >= 1 ? s : undefined;
      },
      20_000,
      'the reports count the conversations',
    );
    expect(summary.conversations).toBe(2);
  });

  it('a supervisor opens Reports: last 7 days in the browser’s zone, the same figures as the API', async () => {
    await signInToConsole(supervisor, hub.url, 'sue@example.test', 'sue the supervisor');
    await supervisor.getByTestId('reports-link').click();
    expect(new URL(supervisor.url()).hash).toBe('#/reports');
    expect(await supervisor.getByTestId('reports-period').inputValue()).toBe('7d');
    expect(await supervisor.getByTestId('reports-tz').inputValue()).toBe(zone);

    const week = presetPeriod('7d', zone, new Date());
    const s = await summaryOf(week.from, week.to);
    await expect.poll(() => figure('conversations').textContent(), { timeout: 10_000 }).toBe(String(s.conversations));
    expect(await figure('first-response').textContent()).toMatch(/^\d+ (s|min)$/);
    expect(await figure('replies').textContent()).toBe(String(s.repliesPerConversation.median));

    // The chart is drawn (its own chunk) and says its figures in words.
    const plot = supervisor.locator('[data-testid="reports-timeline"] [role="img"]');
    await plot.locator('svg').waitFor({ timeout: 10_000 });
    expect(await plot.getAttribute('aria-label')).toContain('2 conversations in all.');
    await supervisor.locator('[data-testid="reports-breakdown"] [role="img"] svg').waitFor();
    expect(await supervisor.locator('[data-testid="reports-breakdown"] [role="img"]').getAttribute('aria-label')).toContain('Website: 2');
    expect(await supervisor.getByTestId('reports-busiest').textContent()).toMatch(/^Busiest: \w+day \d\d:00–\d\d:00, [12] messages?\.$/);
    await expect.poll(() => supervisor.getByTestId('report-agent').filter({ hasText: 'Demo Admin' }).count()).toBe(1);
  });

  it('switching the period asks again: today still holds them, an old week holds none', async () => {
    await supervisor.getByTestId('reports-period').selectOption('today');
    const today = presetPeriod('today', zone, new Date());
    await expect.poll(() => supervisor.getByTestId('reports-period-shown').textContent()).toMatch(/^\d{1,2} \w{3} \d{4} · Europe\/Berlin$/);
    await expect.poll(() => figure('conversations').textContent()).toBe(String((await summaryOf(today.from, today.to)).conversations));

    await supervisor.getByTestId('reports-period').selectOption('custom');
    await supervisor.getByTestId('reports-from').fill('2025-01-06');
    await supervisor.getByTestId('reports-to').fill('2025-01-12');
    await expect.poll(() => supervisor.getByTestId('reports-period-shown').textContent()).toBe('6 Jan – 12 Jan 2025 · Europe/Berlin');
    await expect.poll(() => figure('conversations').textContent()).toBe('0');
    expect(await supervisor.locator('[data-testid="reports-timeline"] [data-testid="reports-empty"]').textContent()).toBe('No conversations in this period.');

    // A first day after the last is told in words, and nothing is asked.
    await supervisor.getByTestId('reports-from').fill('2025-01-20');
    expect(await supervisor.getByTestId('reports-period-error').textContent()).toBe('The first day must not be after the last day.');
    await supervisor.getByTestId('reports-period').selectOption('7d');
  });

  it('a section downloads as CSV from the API: the file is named for the period and starts with its header row', async () => {
    const week = presetPeriod('7d', zone, new Date());
    await expect.poll(() => figure('conversations').textContent()).toBe('2');
    const [summaryFile] = await Promise.all([supervisor.waitForEvent('download'), supervisor.getByTestId('reports-csv-summary').click()]);
    expect(summaryFile.suggestedFilename()).toBe(`summary-${week.from}-${week.to}.csv`);
    const summaryCsv = await readFile((await summaryFile.path())!, 'utf8');
    expect(summaryCsv.split('\r\n')[0]).toBe('figure,value');
    expect(summaryCsv).toContain('\r\nconversations,2\r\n');

    const [heatmapFile] = await Promise.all([supervisor.waitForEvent('download'), supervisor.getByTestId('reports-csv-heatmap').click()]);
    const heatmapCsv = await readFile((await heatmapFile.path())!, 'utf8');
    expect(heatmapCsv.split('\r\n')[0]).toBe('weekday,hour,inbound_messages');
    expect(heatmapCsv.trim().split('\r\n')).toHaveLength(1 + 7 * 24);
  });

  it('in Russian every part of the screen speaks Russian: titles, labels, periods, figures, charts and errors', async () => {
    await supervisor.getByTestId('language-button').click();
    await supervisor.getByTestId('language-ru').click();
    // The screen's text, hidden text for screen readers included, without the time zone list (zone names stay as they are).
    const reportsText = () =>
      supervisor.locator('section.reports').evaluate((el) => {
        const copy = el.cloneNode(true) as HTMLElement;
        for (const s of copy.querySelectorAll('select')) s.remove();
        const texts: string[] = [];
        const walk = document.createTreeWalker(copy, NodeFilter.SHOW_TEXT);
        while (walk.nextNode()) texts.push(walk.currentNode.textContent ?? '');
        return `${texts.join(' ')} ${[...copy.querySelectorAll('[aria-label]')].map((e) => e.getAttribute('aria-label')).join(' ')}`;
      });
    await expect.poll(() => supervisor.locator('#reports-title').textContent(), { timeout: 10_000 }).toBe('Отчёты');
    expect(await supervisor.locator('#report-summary-title').textContent()).toBe('Сводка');
    expect(await supervisor.locator('[data-figure="conversations"] .report-card-label').textContent()).toBe('Диалоги');
    expect(await supervisor.locator('[data-testid="reports-period"] option[value="7d"]').textContent()).toBe('Последние 7 дней');
    expect(await supervisor.locator('[data-testid="reports-channel"] option[value="web"]').textContent()).toBe('Сайт');
    expect(await supervisor.getByTestId('reports-csv-summary').innerText()).toMatch(/^Скачать CSV\n: сводка$/);
    expect(await figure('first-response').textContent()).toMatch(/^\d+ (с|мин)$/);
    expect(await supervisor.locator('[data-testid="reports-timeline"] [role="img"]').getAttribute('aria-label')).toContain('Всего 2 диалога.');
    expect(await supervisor.getByTestId('reports-busiest').textContent()).toMatch(/^Больше всего: [А-Яа-я]+ \d\d:00–\d\d:00, [12] сообщени[ея]\.$/);
    expect(await supervisor.locator('[data-testid="reports-agents"] thead').innerText()).toMatch(/^Агент\s+Время в сети/);
    await supervisor.getByTestId('reports-period').selectOption('custom');
    await supervisor.getByTestId('reports-from').fill('2025-01-20');
    await supervisor.getByTestId('reports-to').fill('2025-01-12');
    await expect.poll(() => supervisor.getByTestId('reports-period-error').textContent()).toBe('Первый день не может быть позже последнего.');
    // Nothing English is left on the screen (product names and the zone aside).
    const words = (await reportsText()).match(/[A-Za-z]{4,}/g) ?? [];
    expect(words.filter((w) => !['Europe', 'Berlin', 'Demo', 'Admin', 'Supervisor', 'Agent', 'CSAT'].includes(w))).toEqual([]);
    await supervisor.getByTestId('reports-period').selectOption('7d');
    await supervisor.getByTestId('language-button').click();
    await supervisor.getByTestId('language-en').click();
    await expect.poll(() => supervisor.locator('#reports-title').textContent()).toBe('Reports');
  });

  it('an agent gets no Reports link, and the screen says why', async () => {
    const sam = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
    await signInToConsole(sam, hub.url, 'sam@example.test', 'sam the agent pw');
    expect(await sam.getByTestId('reports-link').count()).toBe(0);
    await sam.goto(`${hub.url}/#/reports`);
    await sam.getByTestId('reports-denied').waitFor({ timeout: 10_000 });
    expect(await sam.getByTestId('reports-denied').textContent()).toBe('Only supervisors and admins can see reports.');
    expect(await sam.getByTestId('reports-controls').count()).toBe(0);
  });
});
