import type { KbSettingsRecord } from './articles/records.js';

/**
 * Where a help center lives: https://<customDomain> when it has one, else
 * <PUBLIC_URL>/help/<portal>. Every absolute link we print (canonical, hreflang, sitemap,
 * OpenGraph, the `url` of API views and suggestions) is made here.
 */
export function helpCenterBase(settings: Pick<KbSettingsRecord, 'portal' | 'customDomain'>, publicUrl: string): string {
  if (settings.customDomain) return `${publicUrl.startsWith('http://') ? 'http' : 'https'}://${settings.customDomain}`;
  return `${publicUrl.replace(/\/$/, '')}/help/${encodeURIComponent(settings.portal)}`;
}

export const kbPaths = {
  home: (locale: string) => `/${locale}/`,
  category: (locale: string, slug: string) => `/${locale}/categories/${encodeURIComponent(slug)}`,
  article: (locale: string, slug: string) => `/${locale}/articles/${encodeURIComponent(slug)}`,
  search: (locale: string, q?: string) => `/${locale}/search${q ? `?q=${encodeURIComponent(q)}` : ''}`,
  vote: (locale: string, slug: string) => `/${locale}/articles/${encodeURIComponent(slug)}/vote`,
  sitemap: () => '/sitemap.xml',
  robots: () => '/robots.txt',
};

/** Absolute URL of a published article. */
export function articleUrl(settings: Pick<KbSettingsRecord, 'portal' | 'customDomain'>, publicUrl: string, locale: string, slug: string): string {
  return helpCenterBase(settings, publicUrl) + kbPaths.article(locale, slug);
}
