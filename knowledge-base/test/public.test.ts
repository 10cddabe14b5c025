import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPublicWorld, type PublicWorld } from './public-world.js';

/** The help center's public pages over HTTP, as a browser, a crawler and a link preview see them. */

const decode = (s: string) => s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/** Every `<name …>` start tag's attributes. */
function tags(html: string, name: string): Record<string, string>[] {
  return [...html.matchAll(new RegExp(`<${name}\\b([^>]*)>`, 'gi'))].map((m) =>
    Object.fromEntries([...(m[1] ?? '').matchAll(/([\w:-]+)(?:="([^"]*)")?/g)].map((a) => [a[1]!.toLowerCase(), decode(a[2] ?? '')])),
  );
}
const meta = (html: string, key: string) => tags(html, 'meta').find((m) => m.name === key || m.property === key)?.content;
const links = (html: string, rel: string) => tags(html, 'link').filter((l) => l.rel === rel);
const title = (html: string) => decode(/<title>([\s\S]*?)<\/title>/.exec(html)?.[1] ?? '');
const h1 = (html: string) => decode((/<h1>([\s\S]*?)<\/h1>/.exec(html)?.[1] ?? '').replace(/<[^>]+>/g, ''));
const jsonLd = (html: string) => [...html.matchAll(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/g)].map((m) => JSON.parse(m[1]!) as Record<string, any>);
const hrefs = (html: string) => tags(html, 'a').map((a) => a.href);

let w: PublicWorld;
let acme: string;
let globex: string;
const ids: Record<string, string> = {};
const MARKUP_TITLE = '<script>alert(1)</script> Refunds';
const BREAKOUT_TITLE = 'Invoices </script><script>alert(2)</script><!-- and more';

beforeAll(async () => {
  w = await startPublicWorld({ publicUrl: 'https://support.example.com' });
  acme = await w.addHelpCenter({ portal: 'acme', name: 'Acme Help', locales: ['en', 'de'], defaultLocale: 'en', color: '#0f766e', logoUrl: 'https://cdn.acme.test/logo.png', customDomain: 'help.acme.test' });
  globex = await w.addHelpCenter({ portal: 'globex', name: 'Globex Support', locales: ['en'], defaultLocale: 'en' });

  const started = await w.addCategory(acme, 'getting-started', 1, { en: { name: 'Getting started', description: 'Your first steps' }, de: { name: 'Erste Schritte', description: 'Ihre ersten Schritte' } });
  const billing = await w.addCategory(acme, 'billing', 2, { en: { name: 'Billing', description: 'Invoices and refunds' } });
  await w.addCategory(acme, 'empty', 3, { en: { name: 'Nothing here yet' } });
  const published = new Date('2025-03-12T09:30:00Z');
  ids.reset = await w.addArticle(acme, {
    categoryId: started,
    position: 2,
    translations: {
      en: { title: 'Reset your password', slug: 'reset-password', previousSlugs: ['forgot-password'], description: 'How to get back into your account.', body: '## Steps\n\nOpen **Settings** and choose *Reset password*.', publishedAt: published },
      de: { title: 'Passwort zurücksetzen', slug: 'passwort-zuruecksetzen', body: 'Öffnen Sie die **Einstellungen** und wählen Sie *Passwort zurücksetzen*.', publishedAt: published },
    },
  });
  ids.signIn = await w.addArticle(acme, { categoryId: started, position: 1, translations: { en: { title: 'Sign in for the first time', slug: 'sign-in', body: 'Use the link in your welcome email to sign in.' } } });
  ids.refunds = await w.addArticle(acme, { categoryId: billing, position: 1, translations: { en: { title: MARKUP_TITLE, slug: 'refunds', body: 'Refunds take five days.' } } });
  ids.invoices = await w.addArticle(acme, { categoryId: billing, position: 2, translations: { en: { title: BREAKOUT_TITLE, slug: 'invoices', body: 'Invoices are sent monthly.' } } });
  ids.germanOnly = await w.addArticle(acme, { categoryId: billing, position: 3, translations: { de: { title: 'Rechnungsadresse ändern', slug: 'rechnungsadresse-ändern', body: 'Die Rechnungsadresse ändern Sie im Konto.' } } });
  ids.contact = await w.addArticle(acme, { translations: { en: { title: 'Contact us', slug: 'contact-us', body: 'Write to support@acme.test any time.' } } });
  ids.draft = await w.addArticle(acme, { categoryId: started, translations: { en: { title: 'Secret roadmap', slug: 'secret-roadmap', body: 'Not for customers yet: a password vault.', published: false } } });
  ids.globex = await w.addArticle(globex, { translations: { en: { title: 'Globex internal password policy', slug: 'globex-internal', body: 'Globex passwords rotate weekly.' } } });
  await w.search.reindex(acme);
  await w.search.reindex(globex);
});

afterAll(async () => {
  await w?.close();
});

describe('home and category pages', () => {
  it('lists the categories and their published articles in position order, plus articles without a category', async () => {
    const res = await w.http('GET', '/help/acme/en/');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.body.startsWith('<!doctype html><html lang="en"')).toBe(true);
    expect(title(res.body)).toBe('Acme Help');
    expect(h1(res.body)).toBe('Acme Help');
    const articleLinks = hrefs(res.body).filter((h) => h?.includes('/articles/'));
    expect(articleLinks).toEqual(['/help/acme/en/articles/sign-in', '/help/acme/en/articles/reset-password', '/help/acme/en/articles/refunds', '/help/acme/en/articles/invoices', '/help/acme/en/articles/contact-us']);
    expect(res.body).toContain('Your first steps');
    expect(res.body).toContain('More articles');
    expect(res.body).not.toContain('Secret roadmap');
    expect(res.body).not.toContain('Nothing here yet');
    expect(res.body).not.toContain('Globex');
    expect(tags(res.body, 'form').find((f) => f.role === 'search')).toMatchObject({ method: 'get', action: '/help/acme/en/search' });
    expect(links(res.body, 'canonical')[0]?.href).toBe('https://help.acme.test/en/');
  });

  it('speaks the locale: translated category names, the default locale’s name as fallback, only that locale’s articles', async () => {
    const res = await w.http('GET', '/help/acme/de/');
    expect(res.status).toBe(200);
    expect(res.body).toContain('<html lang="de"');
    expect(res.body).toContain('Erste Schritte');
    expect(res.body).toContain('>Billing<');
    expect(hrefs(res.body).filter((h) => h?.includes('/articles/'))).toEqual(['/help/acme/de/articles/passwort-zuruecksetzen', '/help/acme/de/articles/rechnungsadresse-%C3%A4ndern']);
    expect(res.body).toContain('Antworten suchen');
  });

  it('shows a category with all its articles and breadcrumbs back home', async () => {
    const res = await w.http('GET', '/help/acme/en/categories/getting-started');
    expect(res.status).toBe(200);
    expect(h1(res.body)).toBe('Getting started');
    expect(title(res.body)).toBe('Getting started — Acme Help');
    expect(hrefs(res.body)).toContain('/help/acme/en/');
    expect(hrefs(res.body).filter((h) => h?.includes('/articles/'))).toEqual(['/help/acme/en/articles/sign-in', '/help/acme/en/articles/reset-password']);
    expect(res.body).toContain('How to get back into your account.');
    expect(links(res.body, 'alternate').map((l) => [l.hreflang, l.href])).toEqual([
      ['en', 'https://help.acme.test/en/categories/getting-started'],
      ['de', 'https://help.acme.test/de/categories/getting-started'],
      ['x-default', 'https://help.acme.test/en/categories/getting-started'],
    ]);
    expect(jsonLd(res.body)[0]).toMatchObject({ '@type': 'BreadcrumbList', itemListElement: [{ name: 'Acme Help' }, { name: 'Getting started' }] });
  });
});

describe('article page', () => {
  it('has the title, date, rendered body, breadcrumbs and the other languages', async () => {
    const res = await w.http('GET', '/help/acme/en/articles/reset-password');
    expect(res.status).toBe(200);
    expect(h1(res.body)).toBe('Reset your password');
    expect(res.body).toContain('<h2 id="steps">Steps</h2>');
    expect(res.body).toContain('Open <strong>Settings</strong> and choose <em>Reset password</em>.');
    expect(res.body).toContain('<time datetime="2025-03-12T09:30:00.000Z">Updated March 12, 2025</time>');
    const crumbs = /<nav class="crumbs"[\s\S]*?<\/nav>/.exec(res.body)?.[0] ?? '';
    expect(hrefs(crumbs)).toEqual(['/help/acme/en/', '/help/acme/en/categories/getting-started']);
    expect(tags(res.body, 'a').find((a) => a.hreflang === 'de')).toMatchObject({ href: '/help/acme/de/articles/passwort-zuruecksetzen' });

    const de = await w.http('GET', '/help/acme/de/articles/passwort-zuruecksetzen');
    expect(de.body).toContain('<time datetime="2025-03-12T09:30:00.000Z">Aktualisiert am 12. März 2025</time>');
    expect(de.body).toContain('War dieser Artikel hilfreich?');
  });

  it('tells search engines and link previews what it is: description, canonical, hreflang, OpenGraph, JSON-LD', async () => {
    const { body } = await w.http('GET', '/help/acme/en/articles/reset-password');
    expect(title(body)).toBe('Reset your password — Acme Help');
    expect(meta(body, 'description')).toBe('How to get back into your account.');
    expect(links(body, 'canonical').map((l) => l.href)).toEqual(['https://help.acme.test/en/articles/reset-password']);
    expect(links(body, 'alternate').map((l) => [l.hreflang, l.href])).toEqual([
      ['en', 'https://help.acme.test/en/articles/reset-password'],
      ['de', 'https://help.acme.test/de/articles/passwort-zuruecksetzen'],
      ['x-default', 'https://help.acme.test/en/articles/reset-password'],
    ]);
    expect(meta(body, 'og:title')).toBe('Reset your password — Acme Help');
    expect(meta(body, 'og:description')).toBe('How to get back into your account.');
    expect(meta(body, 'og:url')).toBe('https://help.acme.test/en/articles/reset-password');
    expect(meta(body, 'og:type')).toBe('article');
    expect(meta(body, 'og:site_name')).toBe('Acme Help');
    expect(meta(body, 'og:locale')).toBe('en');
    expect(meta(body, 'og:image')).toBe('https://cdn.acme.test/logo.png');
    expect(meta(body, 'robots')).toBeUndefined();
    const [article, breadcrumbs] = jsonLd(body);
    expect(article).toMatchObject({
      '@context': 'https://schema.org',
      '@type': 'Article',
      headline: 'Reset your password',
      description: 'How to get back into your account.',
      inLanguage: 'en',
      datePublished: '2025-03-12T09:30:00.000Z',
      dateModified: '2025-03-12T09:30:00.000Z',
      author: { '@type': 'Organization', name: 'Acme Help' },
      mainEntityOfPage: { '@id': 'https://help.acme.test/en/articles/reset-password' },
    });
    expect(breadcrumbs?.itemListElement.map((i: { item: string }) => i.item)).toEqual([
      'https://help.acme.test/en/',
      'https://help.acme.test/en/categories/getting-started',
      'https://help.acme.test/en/articles/reset-password',
    ]);
  });

  it('derives the meta description from the body when the article has none, and themes the page with the tenant’s colour', async () => {
    const { body } = await w.http('GET', '/help/acme/en/articles/sign-in');
    expect(meta(body, 'description')).toBe('Use the link in your welcome email to sign in.');
    expect(body).toContain('--brand:#0f766e');
    expect(tags(body, 'img')[0]?.src).toBe('https://cdn.acme.test/logo.png');
  });

  it('prints markup in a title as text, and a title holding </script> cannot leave the JSON-LD block', async () => {
    const refunds = await w.http('GET', '/help/acme/en/articles/refunds');
    expect(refunds.body).not.toContain('<script>alert(1)');
    expect(h1(refunds.body)).toBe(MARKUP_TITLE);
    expect(title(refunds.body)).toBe(`${MARKUP_TITLE} — Acme Help`);
    expect(jsonLd(refunds.body)[0]?.headline).toBe(MARKUP_TITLE);

    const invoices = await w.http('GET', '/help/acme/en/articles/invoices');
    // The only script elements are the two data blocks, and each parses to the whole title.
    expect(tags(invoices.body, 'script')).toEqual([{ type: 'application/ld+json' }, { type: 'application/ld+json' }]);
    const [article, crumbs] = jsonLd(invoices.body);
    expect(article?.headline).toBe(BREAKOUT_TITLE);
    expect(crumbs?.itemListElement.at(-1).name).toBe(BREAKOUT_TITLE);
    expect(invoices.body).not.toContain('<script>alert(2)');
    expect(invoices.body).not.toContain('<!-- and more');
    expect(String(invoices.headers['content-security-policy'])).toContain("script-src 'self'");
  });

  it('never shows a draft, another tenant’s article or an unknown slug: a 404 page', async () => {
    for (const path of ['/help/acme/en/articles/secret-roadmap', '/help/acme/en/articles/globex-internal', '/help/acme/en/articles/no-such-thing']) {
      const res = await w.http('GET', path);
      expect(res.status, path).toBe(404);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(h1(res.body)).toBe('Page not found');
      expect(meta(res.body, 'robots')).toBe('noindex, follow');
      expect(res.body).not.toContain('vault');
    }
    expect((await w.http('GET', '/help/globex/en/articles/globex-internal')).status).toBe(200);
  });

  it('redirects an old slug, and another language’s slug, to the current URL (301)', async () => {
    const old = await w.http('GET', '/help/acme/en/articles/forgot-password');
    expect(old.status).toBe(301);
    expect(old.headers.location).toBe('/help/acme/en/articles/reset-password');
    const swapped = await w.http('GET', '/help/acme/de/articles/reset-password');
    expect(swapped.status).toBe(301);
    expect(swapped.headers.location).toBe('/help/acme/de/articles/passwort-zuruecksetzen');
  });

  it('answers 404 for a locale the article lacks, linking the languages it has', async () => {
    const res = await w.http('GET', `/help/acme/en/articles/${encodeURIComponent('rechnungsadresse-ändern')}`);
    expect(res.status).toBe(404);
    expect(res.body).toContain('This article is not available in this language');
    expect(tags(res.body, 'a').find((a) => a.hreflang === 'de')?.href).toBe('/help/acme/de/articles/rechnungsadresse-%C3%A4ndern');
    const german = await w.http('GET', '/help/acme/de/articles/rechnungsadresse-%C3%A4ndern');
    expect([german.status, h1(german.body)]).toEqual([200, 'Rechnungsadresse ändern']);
    expect(res.body).toContain('Rechnungsadresse ändern');
  });
});

describe('locales and unknown addresses', () => {
  it('sends /help/:portal to the visitor’s best locale, else the default', async () => {
    const cases: [string | undefined, string][] = [
      ['de-AT,de;q=0.9,en;q=0.5', '/help/acme/de/'],
      ['fr-FR,fr;q=0.9,en-GB;q=0.8', '/help/acme/en/'],
      ['ja', '/help/acme/en/'],
      [undefined, '/help/acme/en/'],
    ];
    for (const [accept, location] of cases) {
      const res = await w.http('GET', '/help/acme', { headers: accept ? { 'accept-language': accept } : {} });
      expect(res.status, accept).toBe(302);
      expect(res.headers.location, accept).toBe(location);
      expect(res.headers.vary).toContain('accept-language');
    }
    const slash = await w.http('GET', '/help/acme/', { headers: { 'accept-language': 'de' } });
    expect(slash.headers.location).toBe('/help/acme/de/');
    const bare = await w.http('GET', '/help/acme/de');
    expect([bare.status, bare.headers.location]).toEqual([301, '/help/acme/de/']);
  });

  it('answers unknown portals, locales, categories and paths with a 404 page', async () => {
    for (const path of ['/help/nobody/en/', '/help/nobody', '/help/acme/fr/', '/help/acme/en/categories/nope', '/help/acme/en/what/is/this']) {
      const res = await w.http('GET', path);
      expect(res.status, path).toBe(404);
      expect(res.headers['content-type'], path).toBe('text/html; charset=utf-8');
      expect(h1(res.body), path).toBe('Page not found');
      expect(res.headers['cache-control'], path).toBe('public, max-age=60, stale-while-revalidate=600');
    }
  });
});

describe('search', () => {
  it('shows highlighted results of the locale, links them, and keeps the page out of the index', async () => {
    const res = await w.http('GET', '/help/acme/en/search?q=password');
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('public, max-age=30, stale-while-revalidate=300');
    expect(meta(res.body, 'robots')).toBe('noindex, follow');
    expect(res.body).toContain('1 result for “password”');
    expect(res.body).toContain('<a href="/help/acme/en/articles/reset-password">Reset your <mark>password</mark></a>');
    expect(res.body).not.toContain('Globex');
    expect(res.body).not.toContain('Secret roadmap');
    expect(tags(res.body, 'input').find((i) => i.name === 'q')?.value).toBe('password');

    const de = await w.http('GET', '/help/acme/de/search?q=passwort');
    expect(de.body).toContain('/help/acme/de/articles/passwort-zuruecksetzen');
    expect(de.body).not.toContain('/help/acme/en/articles/');
  });

  it('shows just the form for an empty query, and prints a query with markup as text', async () => {
    const empty = await w.http('GET', '/help/acme/en/search?q=');
    expect(empty.status).toBe(200);
    expect(empty.body).not.toContain('class="results"');
    expect(tags(empty.body, 'form').some((f) => f.role === 'search')).toBe(true);

    const hostile = await w.http('GET', `/help/acme/en/search?q=${encodeURIComponent('<img src=x onerror=alert(1)>')}`);
    expect(hostile.status).toBe(200);
    expect(hostile.body).not.toContain('<img src=x');
    // No article has all its words, two have "alert" (in hostile titles): shown as text, the query too.
    expect(hostile.body).toContain('No article has all of “&lt;img src=x onerror=alert(1)>”; these have some of the words.');
    expect(hostile.body).toContain('&lt;script&gt;<mark>alert</mark>(1)&lt;/script&gt; Refunds');
    expect(hostile.body).not.toMatch(/<script>alert/);

    const nothing = await w.http('GET', `/help/acme/en/search?q=${encodeURIComponent('<b>xylophone</b>')}`);
    expect(nothing.body).toContain('Nothing found for “&lt;b>xylophone&lt;/b>”');
  });

  it('pages through many results', async () => {
    const bulk = await w.addHelpCenter({ portal: 'bulk', name: 'Bulk Help', locales: ['en'], defaultLocale: 'en' });
    for (let i = 1; i <= 23; i++) await w.addArticle(bulk, { position: i, translations: { en: { title: `Widget tip ${i}`, slug: `widget-tip-${i}`, body: `Widget advice number ${i}.` } } });
    await w.search.reindex(bulk);
    const first = await w.http('GET', '/help/bulk/en/search?q=widget');
    expect(first.body).toContain('23 results for “widget”');
    expect(first.body.match(/<li><a href="\/help\/bulk\/en\/articles\//g)).toHaveLength(20);
    expect(tags(first.body, 'a').find((a) => a.rel === 'next')?.href).toBe('/help/bulk/en/search?q=widget&page=2');
    expect(tags(first.body, 'a').find((a) => a.rel === 'prev')).toBeUndefined();
    const second = await w.http('GET', '/help/bulk/en/search?q=widget&page=2');
    expect(second.body.match(/<li><a href="\/help\/bulk\/en\/articles\//g)).toHaveLength(3);
    expect(tags(second.body, 'a').find((a) => a.rel === 'prev')?.href).toBe('/help/bulk/en/search?q=widget');
    expect(tags(second.body, 'a').find((a) => a.rel === 'next')).toBeUndefined();
  });
});

describe('"Was this helpful?"', () => {
  const form = { 'content-type': 'application/x-www-form-urlencoded', 'user-agent': 'Browser A' };

  it('counts a vote from the form, answers 303 back to the article, which then says thanks and is not indexed', async () => {
    const before = w.voting.calls.length;
    const res = await w.http('POST', '/help/acme/en/articles/reset-password/vote', { headers: form, body: 'helpful=yes' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/help/acme/en/articles/reset-password?voted=1');
    expect(res.headers['cache-control']).toBe('no-store');
    const calls = w.voting.calls.slice(before);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ tenantId: acme, articleId: ids.reset, locale: 'en', helpful: true });
    expect(calls[0]!.voter).toMatch(/^[0-9a-f]{64}$/);

    const thanks = await w.http('GET', res.headers.location as string);
    expect(thanks.status).toBe(200);
    expect(thanks.body).toContain('Thank you for your feedback!');
    expect(thanks.body).not.toContain('name="helpful"');
    expect(meta(thanks.body, 'robots')).toBe('noindex, follow');
    expect(links(thanks.body, 'canonical')[0]?.href).toBe('https://help.acme.test/en/articles/reset-password');
  });

  it('identifies the voter by address and browser, so the same person’s second vote replaces the first', async () => {
    const vote = (helpful: string, agent: string) =>
      w.http('POST', '/help/acme/en/articles/sign-in/vote', { headers: { 'content-type': 'application/x-www-form-urlencoded', 'user-agent': agent }, body: `helpful=${helpful}` });
    await vote('yes', 'Browser A');
    await vote('no', 'Browser A');
    await vote('yes', 'Browser B');
    const calls = w.voting.calls.filter((c) => c.articleId === ids.signIn);
    expect(calls).toHaveLength(3);
    expect(calls[0]!.voter).toBe(calls[1]!.voter);
    expect(calls[2]!.voter).not.toBe(calls[0]!.voter);
    expect(w.voting.tally(ids.signIn!, 'en')).toEqual({ helpful: 1, notHelpful: 1 });
  });

  it('refuses a bad answer (400) and an article that is not live (404), counting nothing', async () => {
    const before = w.voting.calls.length;
    const bad = await w.http('POST', '/help/acme/en/articles/reset-password/vote', { headers: form, body: 'helpful=maybe' });
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body).error.code).toBe('SB_ERR_VALIDATION');
    const draft = await w.http('POST', '/help/acme/en/articles/secret-roadmap/vote', { headers: form, body: 'helpful=yes' });
    expect(draft.status).toBe(404);
    const foreign = await w.http('POST', '/help/acme/en/articles/globex-internal/vote', { headers: form, body: 'helpful=yes' });
    expect(foreign.status).toBe(404);
    expect(w.voting.calls.length).toBe(before);
  });
});

describe('sitemap and robots', () => {
  it('lists every published translation with hreflang alternates, categories and homes per locale', async () => {
    const res = await w.http('GET', '/help/acme/sitemap.xml');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/xml; charset=utf-8');
    const urls = [...res.body.matchAll(/<url>([\s\S]*?)<\/url>/g)].map((m) => ({
      loc: /<loc>(.*?)<\/loc>/.exec(m[1]!)?.[1],
      lastmod: /<lastmod>(.*?)<\/lastmod>/.exec(m[1]!)?.[1],
      alternates: [...m[1]!.matchAll(/<xhtml:link rel="alternate" hreflang="([^"]+)" href="([^"]+)"\/>/g)].map((a) => `${a[1]} ${a[2]}`),
    }));
    const locs = urls.map((u) => u.loc);
    expect(locs).toEqual(
      expect.arrayContaining([
        'https://help.acme.test/en/',
        'https://help.acme.test/de/',
        'https://help.acme.test/en/categories/getting-started',
        'https://help.acme.test/de/categories/getting-started',
        'https://help.acme.test/de/categories/billing',
        'https://help.acme.test/en/articles/reset-password',
        'https://help.acme.test/de/articles/passwort-zuruecksetzen',
        'https://help.acme.test/de/articles/rechnungsadresse-%C3%A4ndern',
        'https://help.acme.test/en/articles/contact-us',
      ]),
    );
    expect(locs.filter((l) => l?.includes('secret-roadmap') || l?.includes('globex') || l?.includes('categories/empty'))).toEqual([]);
    const reset = urls.find((u) => u.loc === 'https://help.acme.test/en/articles/reset-password');
    expect(reset?.lastmod).toBe('2025-03-12T09:30:00.000Z');
    expect(reset?.alternates).toEqual(
      expect.arrayContaining([
        'en https://help.acme.test/en/articles/reset-password',
        'de https://help.acme.test/de/articles/passwort-zuruecksetzen',
        'x-default https://help.acme.test/en/articles/reset-password',
      ]),
    );
  });

  it('robots.txt allows all but search and names the absolute sitemap', async () => {
    const res = await w.http('GET', '/help/globex/robots.txt');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(res.body).toBe('User-agent: *\nAllow: /\nDisallow: /help/globex/*/search\nSitemap: https://support.example.com/help/globex/sitemap.xml\n');
  });
});

describe('HTTP caching', () => {
  it('gives every page a strong ETag and public caching; the same ETag back gets 304 without a body; HEAD works', async () => {
    const first = await w.http('GET', '/help/acme/en/articles/reset-password');
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^"[\w-]+"$/);
    expect(first.headers['cache-control']).toBe('public, max-age=60, stale-while-revalidate=600');
    const again = await w.http('GET', '/help/acme/en/articles/reset-password');
    expect(again.headers.etag).toBe(etag);

    const cached = await w.http('GET', '/help/acme/en/articles/reset-password', { headers: { 'if-none-match': etag } });
    expect(cached.status).toBe(304);
    expect(cached.body).toBe('');
    const stale = await w.http('GET', '/help/acme/en/articles/reset-password', { headers: { 'if-none-match': '"something-else"' } });
    expect(stale.status).toBe(200);

    const head = await w.http('HEAD', '/help/acme/en/articles/reset-password');
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
    expect(head.headers.etag).toBe(etag);

    const sitemap = await w.http('GET', '/help/acme/sitemap.xml');
    expect((await w.http('GET', '/help/acme/sitemap.xml', { headers: { 'if-none-match': sitemap.headers.etag as string } })).status).toBe(304);
  });
});

describe('custom domain', () => {
  const onDomain = (path: string, headers: Record<string, string> = {}) => w.http('GET', path, { headers: { host: 'help.acme.test', ...headers } });

  it('serves the help center at the root of its domain, with links on that domain', async () => {
    const root = await onDomain('/', { 'accept-language': 'de' });
    expect([root.status, root.headers.location]).toEqual([302, '/de/']);
    const home = await onDomain('/en/');
    expect(home.status).toBe(200);
    expect(title(home.body)).toBe('Acme Help');
    const res = await onDomain('/en/articles/reset-password');
    expect(res.status).toBe(200);
    expect(h1(res.body)).toBe('Reset your password');
    expect(links(res.body, 'canonical')[0]?.href).toBe('https://help.acme.test/en/articles/reset-password');
    expect(hrefs(res.body)).toEqual(expect.arrayContaining(['/en/', '/en/categories/getting-started', '/de/articles/passwort-zuruecksetzen']));
    expect(res.body).not.toContain('"/help/acme');
    expect(tags(res.body, 'form').find((f) => f.method === 'post')?.action).toBe('/en/articles/reset-password/vote');
    const moved = await onDomain('/en/articles/forgot-password');
    expect(moved.headers.location).toBe('/en/articles/reset-password');
  });

  it('owns /robots.txt and /sitemap.xml there, and reaches no other help center', async () => {
    const robots = await onDomain('/robots.txt');
    expect(robots.body).toBe('User-agent: *\nAllow: /\nDisallow: /*/search\nSitemap: https://help.acme.test/sitemap.xml\n');
    const sitemap = await onDomain('/sitemap.xml');
    expect(sitemap.body).toContain('<loc>https://help.acme.test/en/articles/reset-password</loc>');
    const other = await onDomain('/help/globex/en/articles/globex-internal');
    expect(other.status).toBe(404);
    expect(other.body).not.toContain('Globex');
    expect((await w.http('GET', '/en/articles/reset-password', { headers: { host: 'HELP.ACME.TEST:443' } })).status).toBe(200);
  });

  it('takes votes on the domain and sends the visitor back there', async () => {
    const res = await w.http('POST', '/en/articles/reset-password/vote', { headers: { host: 'help.acme.test', 'content-type': 'application/x-www-form-urlencoded' }, body: 'helpful=no' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/en/articles/reset-password?voted=1');
    expect(w.voting.calls.at(-1)).toMatchObject({ tenantId: acme, articleId: ids.reset, helpful: false });
  });

  it('picks up a new domain after a settings change (refresh) and stops answering on a removed one', async () => {
    expect((await w.http('GET', '/en/', { headers: { host: 'support.globex.test' } })).status).toBe(404);
    await w.store.forTenant(globex).settings.updateOne({ _id: globex }, { $set: { customDomain: 'support.globex.test' } });
    await w.hosts.refresh();
    const home = await w.http('GET', '/en/', { headers: { host: 'support.globex.test' } });
    expect(home.status).toBe(200);
    expect(title(home.body)).toBe('Globex Support');
    expect(links(home.body, 'canonical')[0]?.href).toBe('https://support.globex.test/en/');
    // The main host keeps serving it under /help/globex, canonical on the domain.
    const main = await w.http('GET', '/help/globex/en/');
    expect(links(main.body, 'canonical')[0]?.href).toBe('https://support.globex.test/en/');
    expect(hrefs(main.body)).toContain('/help/globex/en/articles/globex-internal');

    await w.store.forTenant(globex).settings.updateOne({ _id: globex }, { $unset: { customDomain: true } });
    await w.hosts.refresh();
    expect((await w.http('GET', '/en/', { headers: { host: 'support.globex.test' } })).status).toBe(404);
  });
});
