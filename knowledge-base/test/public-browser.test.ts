import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { chromiumPath } from '@switchboard/testkit';
import { launchChromium } from '@switchboard/testkit/browser';
import { startPublicWorld, type PublicWorld } from './public-world.js';

/** The help center in Debian's Chromium with JavaScript switched off: everything is links and forms. */

describe('help center in the browser, JavaScript off', () => {
  it('has Chromium (npm test provides it)', () => {
    expect(existsSync(chromiumPath), chromiumPath).toBe(true);
  });

  let browser: Browser;
  let context: BrowserContext;
  let tab: Page;
  let w: PublicWorld;
  let tenantId: string;
  let articleId: string;

  beforeAll(async () => {
    w = await startPublicWorld({ publicUrl: 'http://127.0.0.1' });
    tenantId = await w.addHelpCenter({ portal: 'acme', name: 'Acme Help', locales: ['en', 'de'], defaultLocale: 'en', color: '#7c3aed' });
    const category = await w.addCategory(tenantId, 'account', 1, { en: { name: 'Your account', description: 'Sign-in, passwords and profile' } });
    articleId = await w.addArticle(tenantId, {
      categoryId: category,
      translations: {
        en: { title: 'Reset your password', slug: 'reset-password', body: '## Steps\n\n1. Open **Settings**.\n2. Choose *Reset password* and follow the email.' },
        de: { title: 'Passwort zurücksetzen', slug: 'passwort-zuruecksetzen', body: 'Öffnen Sie die Einstellungen.' },
      },
    });
    await w.addArticle(tenantId, { categoryId: category, position: 2, translations: { en: { title: 'Change your email address', slug: 'change-email', body: 'Edit it under Profile.' } } });
    await w.search.reindex(tenantId);
    browser = await launchChromium();
    context = await browser.newContext({ javaScriptEnabled: false, locale: 'en-US' });
    tab = await context.newPage();
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await w?.close();
  });

  it('goes from the home page to a category and an article, and reads it', async () => {
    const violations: string[] = [];
    tab.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
    });
    await tab.goto(`${w.url}/help/acme`);
    expect(new URL(tab.url()).pathname).toBe('/help/acme/en/');
    await expect.poll(() => tab.locator('h1').textContent()).toBe('Acme Help');
    expect(await tab.locator('header.top').evaluate((el) => getComputedStyle(el).backgroundColor)).toBe('rgb(124, 58, 237)');

    await tab.getByRole('link', { name: 'Your account' }).click();
    await tab.waitForURL('**/help/acme/en/categories/account');
    expect(await tab.locator('h1').textContent()).toBe('Your account');
    expect(await tab.getByText('Sign-in, passwords and profile').isVisible()).toBe(true);

    await tab.getByRole('link', { name: 'Reset your password' }).click();
    await tab.waitForURL('**/help/acme/en/articles/reset-password');
    expect(await tab.title()).toBe('Reset your password — Acme Help');
    expect(await tab.locator('.body li').allTextContents()).toEqual(['Open Settings.', 'Choose Reset password and follow the email.']);
    expect(await tab.locator('nav.crumbs a').allTextContents()).toEqual(['Acme Help', 'Your account']);

    await tab.getByRole('link', { name: 'Deutsch' }).click();
    await tab.waitForURL('**/help/acme/de/articles/passwort-zuruecksetzen');
    expect(await tab.locator('h1').textContent()).toBe('Passwort zurücksetzen');
    expect(violations).toEqual([]);
  });

  it('searches with the form and shows the match highlighted', async () => {
    await tab.goto(`${w.url}/help/acme/en/`);
    await tab.getByRole('searchbox', { name: 'Search' }).fill('password');
    await tab.getByRole('button', { name: 'Search' }).click();
    await tab.waitForURL('**/help/acme/en/search?q=password');
    expect(await tab.getByRole('status').textContent()).toBe('1 result for “password”');
    const result = tab.locator('.results li a').first();
    expect(await result.textContent()).toBe('Reset your password');
    expect(await result.locator('mark').textContent()).toBe('password');
    expect(await tab.getByRole('searchbox', { name: 'Search' }).inputValue()).toBe('password');
    await result.click();
    await tab.waitForURL('**/help/acme/en/articles/reset-password');
  });

  it('answers "Was this helpful?" with a plain form post and thanks the visitor', async () => {
    await tab.goto(`${w.url}/help/acme/en/articles/reset-password`);
    expect(await tab.getByRole('heading', { name: 'Was this article helpful?' }).isVisible()).toBe(true);
    const before = w.voting.calls.length;
    await tab.getByRole('button', { name: 'Yes' }).click();
    await tab.waitForURL('**/help/acme/en/articles/reset-password?voted=1');
    expect(await tab.getByRole('status').textContent()).toBe('Thank you for your feedback!');
    expect(await tab.getByRole('button', { name: 'Yes' }).count()).toBe(0);
    expect(w.voting.calls.slice(before)).toEqual([expect.objectContaining({ tenantId, articleId, locale: 'en', helpful: true })]);
  });
});
