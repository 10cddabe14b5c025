import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { KbArticleView, KbSearchHit, KbSettingsView } from '@switchboard/contracts';
import { eventually, tempDir } from '@switchboard/testkit';
import { apiToken, launchChromium, restApi, signInToConsole } from '../support/console.js';
import { freePort, startHubProcess, type HubProcess } from '../support/hub-process.js';


const EN = {
  title: 'Warranty repairs',
  heading: 'How warranty repairs work',
  body: '# How warranty repairs work\n\nSend the device to us within 24 months of purchase: the warranty covers parts and labour.',
};
const RU = {
  title: 'Гарантийный ремонт',
  heading: 'Как работает гарантийный ремонт',
  body: '# Как работает гарантийный ремонт\n\nОтправьте устройство нам в течение 24 месяцев после покупки.',
};

/**
 * The knowledge base in the console, against the real `npm start` server in Chromium: an agent
 * writes an article with the live preview, saves it with Ctrl+S, publishes it, translates it into
 * Russian, meets an edit conflict and a category that cannot be deleted, then links the article
 * in a reply to a visitor of the demo website.
 */
describe('console: knowledge base authoring and article links in replies', () => {
  const data = tempDir('sb-e2e-kb');
  let hub: HubProcess;
  let browser: Browser;
  let agent: Page;
  let visitor: Page;
  let token = '';
  let articleId = '';
  let enUrl = '';

  const hash = () => agent.evaluate(() => location.hash);
  const api = restApi(() => hub.url, () => token);

  beforeAll(async () => {
    const port = await freePort();
    // Public links (translation.url) point at this very server, so the test can follow them.
    hub = await startHubProcess({ PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}` }, data.dir);
    token = await apiToken(hub.url);
    browser = await launchChromium();
    agent = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
    visitor = await (await browser.newContext()).newPage();
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await hub?.stop();
    data.remove();
  });

  it('the agent signs in and opens the knowledge base from the sidebar', async () => {
    await signInToConsole(agent, hub.url);
    await agent.getByTestId('kb-link').click();
    await expect.poll(hash).toBe('#/kb');
    await agent.getByTestId('kb-new-article').waitFor({ timeout: 10_000 });
  });

  it('writes an article in English; the live preview renders its heading', async () => {
    await agent.getByTestId('kb-new-article').click();
    await agent.getByTestId('kb-editor').waitFor();
    await agent.getByTestId('kb-title').fill(EN.title);
    await agent.getByTestId('kb-body').fill(EN.body);
    await agent.locator('[data-testid="kb-preview"] h1', { hasText: EN.heading }).waitFor({ timeout: 10_000 });
    expect(await agent.getByTestId('kb-dirty').getAttribute('data-dirty')).toBe('true');
    expect(await agent.getByTestId('kb-status').getAttribute('data-status')).toBe('new');
  });

  it('Ctrl+S saves the draft, and the URL names the new article', async () => {
    await agent.getByTestId('kb-body').press('Control+s');
    await agent.locator('[data-testid="kb-status"][data-status="draft"]').waitFor({ timeout: 10_000 });
    await expect.poll(hash).toMatch(/^#\/kb\/articles\/[^/]+\/en$/);
    articleId = decodeURIComponent((await hash()).split('/')[3]!);
    await expect.poll(() => agent.getByTestId('kb-dirty').getAttribute('data-dirty')).toBe('false');
    // The server made the slug from the title.
    expect(await agent.getByTestId('kb-slug').inputValue()).toBe('warranty-repairs');
    const saved = await api<KbArticleView>('GET', `/api/v1/kb/articles/${encodeURIComponent(articleId)}`);
    expect(saved.translations.map((t) => [t.locale, t.status, t.draft.body])).toEqual([['en', 'draft', EN.body]]);
  });

  it('publishes it; "View public page" leads to the help center page rendered like the preview', async () => {
    await agent.getByTestId('kb-publish').click();
    await agent.locator('[data-testid="kb-status"][data-status="published"]').waitFor({ timeout: 10_000 });
    const link = agent.getByTestId('kb-public-link');
    await link.waitFor();
    enUrl = (await link.getAttribute('href')) ?? '';
    expect(enUrl).toMatch(new RegExp(`^${hub.url}/.+/en/articles/warranty-repairs$`));
    const preview = await agent.getByTestId('kb-preview').innerHTML();
    const page = await (await fetch(enUrl)).text();
    expect(preview).toContain(`>${EN.heading}</h1>`);
    expect(page).toContain(`>${EN.heading}</h1>`);
    expect(await agent.getByTestId('kb-unpublished-marker').count()).toBe(0);
  });

  it('adds a Russian translation, which starts from the English text, and publishes it', async () => {
    const ruTab = agent.locator('[data-testid="kb-locale"][data-locale="ru"]');
    if (await ruTab.count()) await ruTab.click();
    else await agent.getByTestId('kb-add-locale').selectOption('ru');
    await expect.poll(hash).toBe(`#/kb/articles/${encodeURIComponent(articleId)}/ru`);
    await agent.getByTestId('kb-copied').waitFor({ timeout: 10_000 });
    expect(await agent.getByTestId('kb-title').inputValue()).toBe(EN.title);
    expect(await agent.getByTestId('kb-body').inputValue()).toBe(EN.body);

    await agent.getByTestId('kb-title').fill(RU.title);
    await agent.getByTestId('kb-body').fill(RU.body);
    await agent.locator('[data-testid="kb-preview"] h1', { hasText: RU.heading }).waitFor({ timeout: 10_000 });
    await agent.getByTestId('kb-publish').click();
    await agent.locator('[data-testid="kb-status"][data-status="published"]').waitFor({ timeout: 10_000 });
    expect(await agent.getByTestId('kb-public-link').getAttribute('href')).toMatch(/\/ru\/articles\/[^/]+$/);
    expect(await agent.locator('[data-testid="kb-locale"][data-locale="en"]').getAttribute('class')).not.toContain('missing');
    const ruPage = await (await fetch((await agent.getByTestId('kb-public-link').getAttribute('href'))!)).text();
    expect(ruPage).toContain(`>${RU.heading}</h1>`);
  });

  it('the article list shows both translations published; the language filter narrows it', async () => {
    await agent.getByTestId('kb-back').click();
    await expect.poll(hash).toBe('#/kb');
    const rows = agent.locator(`[data-testid="kb-article-row"][data-id="${articleId}"]`);
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(2);
    expect(await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-status')))).toEqual(['published', 'published']);
    await agent.getByTestId('kb-filter-locale').selectOption('ru');
    await expect.poll(() => rows.allTextContents()).toEqual([expect.stringContaining(RU.title)]);
    await agent.getByTestId('kb-filter-locale').selectOption('');
  });

  it('a save after someone else saved is refused in words, and Reload shows their text', async () => {
    await agent.goto(`${hub.url}/#/kb/articles/${encodeURIComponent(articleId)}/en`);
    await agent.getByTestId('kb-editor').waitFor({ timeout: 10_000 });
    const theirs = `${EN.body}\n\nEdited by a colleague.`;
    const held = await api<KbArticleView>('GET', `/api/v1/kb/articles/${encodeURIComponent(articleId)}`);
    const en = held.translations.find((t) => t.locale === 'en')!;
    await api('PUT', `/api/v1/kb/articles/${encodeURIComponent(articleId)}/translations/en`, { title: EN.title, body: theirs, baseRevision: en.draft.revision });

    await agent.getByTestId('kb-body').fill(`${EN.body}\n\nMy own edit.`);
    await agent.getByTestId('kb-body').press('Control+s');
    const conflict = agent.getByTestId('kb-conflict');
    await conflict.waitFor({ timeout: 10_000 });
    expect(await conflict.textContent()).toContain('Someone else saved this article; reload to see their changes.');
    await agent.getByTestId('kb-reload').click();
    await expect.poll(() => agent.getByTestId('kb-body').inputValue()).toBe(theirs);
    expect(await agent.getByTestId('kb-conflict').count()).toBe(0);
    // Saved but not published: the live page keeps the published text until Publish.
    await agent.getByTestId('kb-unpublished-marker').waitFor();
  });

  it('a category holding the article cannot be deleted; the refusal is shown', async () => {
    await agent.getByTestId('kb-tab-categories').click();
    await agent.getByTestId('kb-category-name').fill('Repairs e2e');
    expect(await agent.getByTestId('kb-category-slug').inputValue()).toBe('repairs-e2e');
    await agent.getByTestId('kb-category-create').click();
    const item = agent.getByTestId('kb-category').filter({ hasText: 'repairs-e2e' });
    await item.waitFor({ timeout: 10_000 });
    const categoryId = (await item.getAttribute('data-id'))!;

    await agent.goto(`${hub.url}/#/kb/articles/${encodeURIComponent(articleId)}/en`);
    await agent.getByTestId('kb-editor').waitFor({ timeout: 10_000 });
    await agent.getByTestId('kb-article-category').selectOption(categoryId);
    await eventually(async () => (await api<KbArticleView>('GET', `/api/v1/kb/articles/${encodeURIComponent(articleId)}`)).categoryId === categoryId, 10_000, 'article filed');

    await agent.getByTestId('kb-tab-categories').click();
    agent.once('dialog', (d) => void d.accept());
    await item.getByTestId('kb-category-delete').click();
    const error = item.getByTestId('kb-category-error');
    await error.waitFor({ timeout: 10_000 });
    expect(await error.textContent()).toMatch(/still holds 1 article/);
    expect(await item.count()).toBe(1);
  });

  it('in a conversation, the agent searches the article and inserts its link at the caret, then sends it', async () => {
    // The search index follows publishing through sb.events: wait until it has the article.
    await eventually(
      async () => (await api<{ items: KbSearchHit[] }>('GET', '/api/v1/kb/search?q=warranty')).items.some((h) => h.articleId === articleId),
      20_000,
      'article searchable',
    );
    await visitor.goto(hub.url + '/demo');
    await visitor.locator('[data-sb="launcher"]').click();
    await visitor.locator('[data-sb="composer"]').fill('My phone broke, is it under warranty?');
    await visitor.locator('[data-sb="send"]').click();

    const item = agent.getByTestId('conversation-item').filter({ hasText: 'warranty' });
    await item.first().waitFor({ timeout: 15_000 });
    await item.first().click();
    const composer = agent.getByTestId('composer');
    await composer.fill('Yes. Details: — thanks!');
    // The caret between "Details:" and the dash.
    await composer.evaluate((el: HTMLTextAreaElement) => el.setSelectionRange('Yes. Details:'.length, 'Yes. Details:'.length));

    await agent.getByTestId('articles').click();
    await agent.getByTestId('article-search-input').fill('warranty');
    const hit = agent.getByTestId('article-search-result').filter({ hasText: EN.title });
    await hit.first().waitFor({ timeout: 10_000 });
    expect(await hit.first().locator('mark').count()).toBeGreaterThan(0);
    await agent.getByTestId('article-search-input').press('Enter');

    const expected = `Yes. Details: ${EN.title}: ${enUrl} — thanks!`;
    await expect.poll(() => composer.inputValue()).toBe(expected);
    expect(await agent.getByTestId('article-search').count()).toBe(0);
    await expect.poll(() => composer.evaluate((el: HTMLTextAreaElement) => el.selectionStart)).toBe(`Yes. Details: ${EN.title}: ${enUrl}`.length);

    await agent.getByTestId('send').click();
    await visitor.locator('[data-sb="message"][data-author="agent"]', { hasText: enUrl }).waitFor({ timeout: 10_000 });
  });

  it('the admin renames the help center and changes its colour; the public page shows both', async () => {
    const name = 'Demo Help e2e';
    const color = '#0f766e';
    await agent.getByTestId('kb-link').click();
    await agent.getByTestId('kb-tab-settings').click();
    await expect.poll(hash).toBe('#/kb/settings');
    await agent.getByTestId('kb-settings').waitFor({ timeout: 10_000 });
    expect(await agent.getByTestId('kb-settings-readonly').count()).toBe(0);

    await agent.getByTestId('kb-settings-name').fill(name);
    // The colour picker and the hex field show the same colour.
    await agent.getByLabel('Pick the colour').fill(color);
    expect(await agent.getByTestId('kb-settings-color').inputValue()).toBe(color);
    await agent.getByTestId('kb-settings-save').click();
    await agent.locator('[data-testid="kb-settings-status"]', { hasText: 'Saved' }).waitFor({ timeout: 10_000 });
    expect(await agent.getByTestId('kb-settings-error').count()).toBe(0);
    expect(await agent.getByTestId('kb-settings-save').isDisabled()).toBe(true);

    const saved = await api<KbSettingsView>('GET', '/api/v1/kb/settings');
    expect([saved.name, saved.color]).toEqual([name, color]);
    const publicUrl = (await agent.getByTestId('kb-settings-open').getAttribute('href'))!;
    expect(publicUrl).toBe(saved.publicUrl);
    const home = await fetch(publicUrl);
    expect(home.ok).toBe(true);
    const html = await home.text();
    expect(html).toContain(`<h1>${name}</h1>`);
    expect(html).toContain(`--brand:${color}`);
  });
});
