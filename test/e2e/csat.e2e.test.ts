import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { ConversationView, ReportSummary } from '@switchboard/contracts';
import { eventually, tempDir } from '@switchboard/testkit';
import { apiToken, launchChromium, restApi, signInToConsole } from '../support/console.js';
import { startHubProcess, type HubProcess } from '../support/hub-process.js';

/**
 * CSAT end to end against the real `npm start` server in Chromium: a visitor writes on the demo
 * shop, the agent (signed in to the console, the conversation open) resolves it through the API,
 * the widget asks "How did we do?", the visitor rates 4 with a comment, and the console shows the
 * rating on the conversation without a reload; the API and the reports carry it too.
 */
describe('CSAT: resolve → the widget asks → the rating reaches the console and the reports', { timeout: 90_000 }, () => {
  const data = tempDir('sb-e2e-csat');
  let hub: HubProcess;
  let browser: Browser;
  let visitor: Page;
  let agent: Page;
  let token = '';
  const api = restApi(() => hub.url, () => token);
  const sb = (hook: string) => visitor.locator(`[data-sb="${hook}"]`);

  beforeAll(async () => {
    hub = await startHubProcess({}, data.dir);
    token = await apiToken(hub.url);
    browser = await launchChromium();
    visitor = await (await browser.newContext({ locale: 'en-GB', viewport: { width: 1280, height: 800 } })).newPage();
    agent = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await hub?.stop();
    data.remove();
  });

  it('the visitor rates 4 with a comment and the agent sees it on the conversation', async () => {
    const text = `Do you ship to Norway? ${Date.now()}`;
    await visitor.goto(hub.url + '/demo');
    await sb('launcher').click();
    await sb('composer').fill(text);
    await sb('send').click();
    const conv = await eventually(
      async () => (await api<{ items: ConversationView[] }>('GET', '/api/v1/conversations?status=all&assignee=all&limit=100')).items.find((c) => c.lastMessage?.text === text),
      15_000,
      'the message reaches the team',
    );

    await signInToConsole(agent, hub.url);
    await agent.locator(`[data-testid="conversation-item"][data-id="${conv.id}"]`).click();
    await agent.getByTestId('conversation-status').waitFor();
    expect(await agent.getByTestId('csat-badge').count()).toBe(0);

    await api('POST', `/api/v1/conversations/${conv.id}/messages`, { text: 'Yes, in 3–5 days.', idempotencyKey: `csat-e2e-${Date.now()}` });
    await api('POST', `/api/v1/conversations/${conv.id}/status`, { status: 'resolved' });

    // The widget asks, lazily loading the survey.
    await sb('csat').waitFor({ timeout: 15_000 });
    expect(await sb('csat').textContent()).toContain('How did we do?');
    expect(await sb('csat-send').isDisabled()).toBe(true);
    await visitor.locator('[data-sb="csat-rating"][data-value="4"]').click();
    expect(await visitor.locator('[data-sb="csat-rating"][data-value="4"]').getAttribute('aria-pressed')).toBe('true');
    await sb('csat-comment').fill('Quick and friendly');
    await sb('csat-send').click();
    await sb('csat-thanks').waitFor({ timeout: 15_000 });
    expect(await sb('csat-rating-given').getAttribute('data-rating')).toBe('4');

    // The console shows the rating on the open conversation, live.
    const badge = agent.getByTestId('csat-badge');
    await badge.waitFor({ timeout: 15_000 });
    expect(await badge.getAttribute('data-rating')).toBe('4');
    expect(await agent.getByTestId('csat-comment').textContent()).toContain('Quick and friendly');

    const view = await api<ConversationView>('GET', `/api/v1/conversations/${conv.id}`);
    expect(view.csat).toMatchObject({ rating: 4, comment: 'Quick and friendly' });

    // The reports count the survey and its answer (they follow sb.events, so eventually).
    const today = new Date().toISOString().slice(0, 10);
    const csat = await eventually(
      async () => {
        const summary = await api<ReportSummary>('GET', `/api/v1/reports/summary?from=${today}&to=${today}&tz=UTC`);
        return summary.csat.answers === 1 ? summary.csat : undefined;
      },
      15_000,
      'the rating in the reports',
    );
    expect(csat).toEqual({ requests: 1, answers: 1, average: 4, score: 1, responseRate: 1 });

    // A page later the widget still shows the answer, which may be changed for a day.
    await visitor.reload();
    await sb('csat-rating-given').waitFor({ timeout: 15_000 });
    expect(await sb('csat-rating-given').getAttribute('data-rating')).toBe('4');
    expect(await sb('csat-change').isVisible()).toBe(true);
  });
});
