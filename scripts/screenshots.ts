/**
 * Takes the README's and docs' screenshots (docs/screenshots/*.png) from the real `npm start` hub
 * on a temp data dir: a few website visitors write through the demo shop's widget, the demo admin
 * answers, opens a ticket and writes a note, then each main screen is captured in Chromium.
 *
 *   npm run screenshots            (builds nothing: run `npm run build` first)
 */
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import type { ConversationView } from '@switchboard/contracts';
import { eventually, tempDir } from '@switchboard/testkit';
import { apiToken, launchChromium, restApi, signInToConsole } from '../test/support/console.js';
import { startHubProcess } from '../test/support/hub-process.js';

const out = (name: string) => fileURLToPath(new URL(`../docs/screenshots/${name}`, import.meta.url));

const VISITORS = [
  { name: 'Maria Garcia', email: 'maria.garcia@example.com', lines: ['Hi! I ordered the blue backpack last week (order 10482).', 'The tracking page says “label created” since Monday. Can you check?'] },
  { name: 'Dmitry Volkov', email: 'dmitry@example.ru', lines: ['Здравствуйте! Хочу вернуть кроссовки, не подошёл размер.'] },
  { name: 'Aiko Tanaka', email: 'aiko.t@example.jp', lines: ['Do you ship to Japan? And how long does it usually take?'] },
  { name: 'Liam O’Brien', email: 'liam@example.ie', lines: ['I was charged twice for my last order, can I get a refund for one of them?'] },
  { name: 'Sofia Rossi', email: 'sofia.rossi@example.it', lines: ['Is the gift card valid in your physical stores too?'] },
];

async function visitorWrites(browser: Browser, url: string, v: (typeof VISITORS)[number]): Promise<Page> {
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 820 } })).newPage();
  await page.goto(`${url}/demo`);
  await page.locator('[data-sb="launcher"]').click();
  await page.evaluate((who) => (window as unknown as { Switchboard: { identify(v: object): Promise<unknown> } }).Switchboard.identify(who), {
    id: v.email,
    name: v.name,
    email: v.email,
  });
  for (const line of v.lines) {
    await page.locator('[data-sb="composer"]').fill(line);
    await page.locator('[data-sb="send"]').click();
    await page.waitForTimeout(300);
  }
  return page;
}

/** The console offers desktop notifications on first sign-in; the screenshots show the screens without it. */
async function dismissNotifyOffer(page: Page): Promise<void> {
  const later = page.getByTestId('notify-later');
  await later.waitFor({ timeout: 3_000 }).then(() => later.click(), () => undefined);
}

async function main(): Promise<void> {
  mkdirSync(out(''), { recursive: true });
  const data = tempDir('sb-screenshots');
  const hub = await startHubProcess({ RATE_LIMIT_VISITOR_PER_MIN: '0' }, data.dir);
  const browser = await launchChromium();
  try {
    let token = await apiToken(hub.url);
    const api = restApi(() => hub.url, () => token);
    const pages: Page[] = [];
    for (const v of VISITORS) pages.push(await visitorWrites(browser, hub.url, v));
    const conversations = async () => (await api<{ items: ConversationView[] }>('GET', '/api/v1/conversations?status=all&limit=100')).items;
    await eventually(async () => (await conversations()).length >= VISITORS.length, 15_000, 'every visitor reaches the team');
    token = await apiToken(hub.url);
    const maria = (await conversations()).find((c) => c.contact.name === 'Maria Garcia')!;
    const me = await api<{ id: string }>('GET', '/api/v1/me');
    await api('POST', `/api/v1/conversations/${maria.id}/assign`, { agentId: me.id });
    await api('POST', `/api/v1/conversations/${maria.id}/messages`, {
      text: 'Hi Maria, thanks for the order number! I can see the parcel left our warehouse yesterday; the carrier’s page catches up within a day.',
      idempotencyKey: `shot-${Date.now()}`,
    });

    const agent = await (await browser.newContext({ viewport: { width: 1440, height: 900 }, colorScheme: 'light' })).newPage();
    await signInToConsole(agent, hub.url);
    await dismissNotifyOffer(agent);
    await agent.locator(`[data-testid="conversation-item"][data-id="${maria.id}"]`).click();
    await agent.getByTestId('composer').waitFor();
    await agent.waitForTimeout(800);
    await agent.screenshot({ path: out('console.png') });

    await agent.keyboard.press('Escape');
    await agent.getByTestId('search-button').click();
    await agent.getByTestId('search-input').fill('refund');
    await agent.waitForTimeout(1200);
    await agent.screenshot({ path: out('search.png') });
    await agent.keyboard.press('Escape');

    await agent.goto(`${hub.url}/#/admin`);
    await agent.waitForTimeout(1200);
    await agent.screenshot({ path: out('admin.png') });

    await agent.goto(`${hub.url}/#/kb`);
    await agent.waitForTimeout(1200);
    await agent.screenshot({ path: out('knowledge-base.png') });

    if (await agent.getByTestId('reports-link').count()) {
      await agent.goto(`${hub.url}/#/reports`);
      await agent.waitForTimeout(2000);
      await agent.screenshot({ path: out('reports.png') });
    }

    const phone = await (await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true })).newPage();
    await signInToConsole(phone, hub.url);
    await dismissNotifyOffer(phone);
    await phone.waitForTimeout(800);
    await phone.screenshot({ path: out('console-phone.png') });

    const widget = pages[0]!;
    await widget.waitForTimeout(800);
    await widget.screenshot({ path: out('widget.png') });
    console.log('screenshots written to docs/screenshots/');
  } finally {
    await browser.close();
    await hub.stop();
    data.remove();
  }
}

await main();
