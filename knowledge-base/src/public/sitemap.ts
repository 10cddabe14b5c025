import type { KbSettingsRecord } from '../articles/records.js';
import { kbPaths } from '../urls.js';
import type { SitemapData } from './reader.js';

const xml = (s: string) => s.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);

interface Entry {
  loc: string;
  lastmod?: Date;
  alternates: { hreflang: string; href: string }[];
}

/**
 * sitemap.xml of one help center: every live translation with its other languages as
 * xhtml:link alternates (and x-default), every non-empty category and the home page per locale.
 */
export function sitemapXml(settings: KbSettingsRecord, origin: string, data: SitemapData): string {
  const abs = (path: string) => origin + path;
  const entries: Entry[] = [];
  const perLocale = (path: (locale: string) => string, locales: string[]) => [
    ...locales.map((l) => ({ hreflang: l, href: abs(path(l)) })),
    ...(locales.includes(settings.defaultLocale) ? [{ hreflang: 'x-default', href: abs(path(settings.defaultLocale)) }] : []),
  ];

  const homeAlternates = perLocale(kbPaths.home, settings.locales);
  for (const locale of settings.locales) entries.push({ loc: abs(kbPaths.home(locale)), alternates: homeAlternates });

  const localesOfCategory = new Map<string, { locales: string[]; updatedAt: Date }>();
  for (const [locale, categories] of data.categories) {
    for (const c of categories) {
      const seen = localesOfCategory.get(c.slug) ?? { locales: [], updatedAt: c.updatedAt };
      seen.locales.push(locale);
      localesOfCategory.set(c.slug, seen);
    }
  }
  for (const [slug, { locales, updatedAt }] of localesOfCategory) {
    const alternates = perLocale((l) => kbPaths.category(l, slug), locales);
    for (const locale of locales) entries.push({ loc: abs(kbPaths.category(locale, slug)), lastmod: updatedAt, alternates });
  }

  const byArticle = new Map<string, SitemapData['translations']>();
  for (const t of data.translations) byArticle.set(t.articleId, [...(byArticle.get(t.articleId) ?? []), t]);
  for (const translations of byArticle.values()) {
    const alternates = translations.map((t) => ({ hreflang: t.locale, href: abs(kbPaths.article(t.locale, t.publishedSlug)) }));
    const fallback = translations.find((t) => t.locale === settings.defaultLocale);
    if (fallback) alternates.push({ hreflang: 'x-default', href: abs(kbPaths.article(fallback.locale, fallback.publishedSlug)) });
    for (const t of translations) {
      entries.push({ loc: abs(kbPaths.article(t.locale, t.publishedSlug)), lastmod: t.published.publishedAt, alternates: translations.length > 1 ? alternates : [] });
    }
  }

  // A sitemap holds at most 50,000 URLs.
  const urls = entries.slice(0, 50_000).map((e) => {
    const parts = [`<loc>${xml(e.loc)}</loc>`];
    if (e.lastmod) parts.push(`<lastmod>${e.lastmod.toISOString()}</lastmod>`);
    for (const a of e.alternates) parts.push(`<xhtml:link rel="alternate" hreflang="${xml(a.hreflang)}" href="${xml(a.href)}"/>`);
    return `<url>${parts.join('')}</url>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">\n${urls.join('\n')}\n</urlset>\n`;
}

/**
 * robots.txt of a help center. Crawlers read it only at a host's root, i.e. on a custom domain;
 * under /help/<portal>/ on the main host it is informative (the hub's own robots.txt rules there).
 */
export function robotsTxt(base: string, sitemapUrl: string): string {
  return `User-agent: *\nAllow: /\nDisallow: ${base}/*/search\nSitemap: ${sitemapUrl}\n`;
}
