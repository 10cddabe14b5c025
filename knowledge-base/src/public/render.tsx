import type { VNode } from 'preact';
import { render } from 'preact-render-to-string';
import type { KbCategoryRecord } from '../articles/records.js';
import type { KbSearchResult } from '../types.js';
import { kbPaths } from '../urls.js';
import { messagesFor } from './messages.js';
import { ArticlePage } from './pages/article.js';
import type { CrumbLink } from './pages/breadcrumbs.js';
import { CategoryPage } from './pages/category.js';
import { HomePage } from './pages/home.js';
import type { LanguageLink } from './pages/layout.js';
import { NoHelpCenterPage, NotFoundPage } from './pages/not-found.js';
import { SearchPage } from './pages/search.js';
import { categoryText, descriptionOf, type ArticleLink, type CategorySection, type LiveTranslation } from './reader.js';
import { articleJsonLd, breadcrumbList, type PageHead } from './seo.js';
import type { Site } from './site.js';
import { stylesheet, themeOf } from './theme.js';

/**
 * Page data → HTML documents. Every title, name and query is a Preact text child or attribute,
 * so it is escaped; only the rendered Markdown, the search index's marked-up fragments, the
 * stylesheet and the escaped JSON-LD are inserted as HTML.
 */
const html = (page: VNode) => `<!doctype html>${render(page)}`;

const withSiteName = (title: string, site: Site) => `${title} — ${site.settings.name}`;

/** The same page in every locale of the help center, plus x-default (the default locale). */
function everyLocale(site: Site, path: (locale: string) => string): { head: NonNullable<PageHead['alternates']>; links: LanguageLink[] } {
  const { locales, defaultLocale } = site.settings;
  return {
    head: [...locales.map((l) => ({ hreflang: l, href: site.abs(path(l)) })), { hreflang: 'x-default', href: site.abs(path(defaultLocale)) }],
    links: locales.map((l) => ({ locale: l, href: site.href(path(l)) })),
  };
}

function homeCrumb(site: Site): CrumbLink & { url: string } {
  return { name: site.settings.name, href: site.href(kbPaths.home(site.locale)), url: site.abs(kbPaths.home(site.locale)) };
}

function categoryCrumb(site: Site, category: KbCategoryRecord): CrumbLink & { url: string } {
  const path = kbPaths.category(site.locale, category.slug);
  return { name: categoryText(category, site.locale, site.settings.defaultLocale).name, href: site.href(path), url: site.abs(path) };
}

function clip(text: string, max = 160): string {
  return text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;
}

export function homeHtml(site: Site, data: { sections: CategorySection[]; uncategorized: ArticleLink[] }): string {
  const { settings, locale } = site;
  const alt = everyLocale(site, kbPaths.home);
  const url = site.abs(kbPaths.home(locale));
  const topics = data.sections.map((s) => s.text.name).join(', ');
  const head: PageHead = {
    title: settings.name,
    description: clip(topics ? `${settings.name}: ${topics}` : settings.name),
    canonical: url,
    alternates: alt.head,
    ogType: 'website',
    jsonLd: [
      {
        '@context': 'https://schema.org',
        '@type': 'WebSite',
        name: settings.name,
        url,
        inLanguage: locale,
        potentialAction: { '@type': 'SearchAction', target: `${site.abs(kbPaths.search(locale))}?q={search_term_string}`, 'query-input': 'required name=search_term_string' },
      },
    ],
  };
  return html(<HomePage site={site} sections={data.sections} uncategorized={data.uncategorized} languages={alt.links} head={head} />);
}

export function categoryHtml(site: Site, section: CategorySection): string {
  const alt = everyLocale(site, (l) => kbPaths.category(l, section.category.slug));
  const home = homeCrumb(site);
  const self = categoryCrumb(site, section.category);
  const head: PageHead = {
    title: withSiteName(section.text.name, site),
    description: clip(section.text.description || `${section.text.name}: ${section.articles.map((a) => a.title).join(', ')}`),
    canonical: self.url,
    alternates: alt.head,
    ogType: 'website',
    jsonLd: [breadcrumbList([home, self])],
  };
  return html(<CategoryPage site={site} section={section} crumbs={[home, { name: self.name }]} languages={alt.links} head={head} />);
}

export function articleHtml(
  site: Site,
  a: { translation: LiveTranslation; category: KbCategoryRecord | null; alternates: LiveTranslation[]; firstPublishedAt: Date; voted: boolean },
): string {
  const { settings, locale } = site;
  const { published } = a.translation;
  const path = kbPaths.article(locale, a.translation.publishedSlug);
  const url = site.abs(path);
  const description = descriptionOf(a.translation);
  const xDefault = a.alternates.find((t) => t.locale === settings.defaultLocale);
  const alternates = [
    ...a.alternates.map((t) => ({ hreflang: t.locale, href: site.abs(kbPaths.article(t.locale, t.publishedSlug)) })),
    ...(xDefault ? [{ hreflang: 'x-default', href: site.abs(kbPaths.article(xDefault.locale, xDefault.publishedSlug)) }] : []),
  ];
  const home = homeCrumb(site);
  const category = a.category ? categoryCrumb(site, a.category) : null;
  const trail = [home, ...(category ? [category] : [])];
  const head: PageHead = {
    title: withSiteName(published.title, site),
    description,
    canonical: url,
    alternates,
    ogType: 'article',
    // The thank-you version of the page is the same article: keep it out of the index.
    noindex: a.voted,
    jsonLd: [
      articleJsonLd({
        headline: published.title,
        description,
        url,
        locale,
        publishedAt: a.firstPublishedAt,
        modifiedAt: published.publishedAt,
        publisher: settings.name,
        logoUrl: site.theme.logoUrl,
      }),
      breadcrumbList([...trail, { name: published.title, url }]),
    ],
  };
  return html(
    <ArticlePage
      site={site}
      translation={a.translation}
      crumbs={[...trail, { name: published.title }]}
      languages={a.alternates.map((t) => ({ locale: t.locale, href: site.href(kbPaths.article(t.locale, t.publishedSlug)) }))}
      voteHref={site.href(kbPaths.vote(locale, a.translation.publishedSlug))}
      voted={a.voted}
      head={head}
    />,
  );
}

export function searchHtml(site: Site, s: { query: string; result: KbSearchResult | null; page: number; pages: number }): string {
  const alt = everyLocale(site, (l) => kbPaths.search(l, s.query));
  const title = s.query ? `${s.query} — ${site.t.searchTitle}` : site.t.searchTitle;
  const head: PageHead = { title: withSiteName(title, site), description: site.settings.name, ogType: 'website', noindex: true };
  return html(<SearchPage site={site} query={s.query} result={s.result} page={s.page} pages={s.pages} languages={alt.links} head={head} />);
}

export function notFoundHtml(site: Site, elsewhere: LiveTranslation[] = []): string {
  const head: PageHead = { title: withSiteName(site.t.notFoundTitle, site), description: site.t.notFoundText, ogType: 'website', noindex: true };
  const links = elsewhere.map((t) => ({ locale: t.locale, title: t.published.title, href: site.href(kbPaths.article(t.locale, t.publishedSlug)) }));
  return html(<NotFoundPage site={site} elsewhere={links} head={head} />);
}

export function noHelpCenterHtml(locale: string): string {
  const t = messagesFor(locale);
  return html(<NoHelpCenterPage title={t.notFoundTitle} text={t.notFoundText} lang={locale} css={stylesheet(themeOf({ color: '', logoUrl: null }))} />);
}
