import type { ComponentChildren } from 'preact';
import { kbPaths } from '../../urls.js';
import { languageName, ogLocale, textDirection } from '../locale.js';
import { jsonLdText, type PageHead } from '../seo.js';
import type { Site } from '../site.js';
import { stylesheet } from '../theme.js';
import { SearchForm } from './search-form.js';

export interface LanguageLink {
  locale: string;
  href: string;
}

export interface LayoutProps {
  site: Site;
  head: PageHead;
  /** The same page in other languages (footer links). */
  languages?: LanguageLink[];
  /** The compact search form in the header (home and search pages have their own). */
  headerSearch?: boolean;
  children: ComponentChildren;
}

/** The document around every page: <head> for search engines and link previews, the tenant's header, the footer. */
export function Layout({ site, head, languages = [], headerSearch = true, children }: LayoutProps) {
  const { settings, theme, t, locale } = site;
  const others = languages.filter((l) => l.locale !== locale);
  return (
    <html lang={locale} dir={textDirection(locale)}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{head.title}</title>
        <meta name="description" content={head.description} />
        {head.noindex && <meta name="robots" content="noindex, follow" />}
        {head.canonical && <link rel="canonical" href={head.canonical} />}
        {head.alternates?.map((a) => <link rel="alternate" hreflang={a.hreflang} href={a.href} />)}
        <meta property="og:type" content={head.ogType} />
        <meta property="og:title" content={head.title} />
        <meta property="og:description" content={head.description} />
        {head.canonical && <meta property="og:url" content={head.canonical} />}
        <meta property="og:site_name" content={settings.name} />
        <meta property="og:locale" content={ogLocale(locale)} />
        {theme.logoUrl && <meta property="og:image" content={theme.logoUrl} />}
        <meta name="twitter:card" content="summary" />
        <meta name="theme-color" content={theme.color} />
        <style dangerouslySetInnerHTML={{ __html: stylesheet(theme) }} />
        {head.jsonLd?.map((data) => <script type="application/ld+json" dangerouslySetInnerHTML={{ __html: jsonLdText(data) }} />)}
      </head>
      <body>
        <a class="skip" href="#main">
          {t.skipToContent}
        </a>
        <header class="top">
          <div class="wrap">
            <a class="brand" href={site.href(kbPaths.home(locale))}>
              {theme.logoUrl && <img src={theme.logoUrl} alt="" />}
              <span>{settings.name}</span>
            </a>
            {headerSearch && <SearchForm site={site} id="q-top" />}
          </div>
        </header>
        {children}
        {others.length > 0 && (
          <footer>
            <div class="wrap langs">
              <span>{t.otherLanguages}: </span>
              <ul>
                {others.map((l) => (
                  <li>
                    <a href={l.href} hreflang={l.locale} lang={l.locale}>
                      {languageName(l.locale)}
                    </a>
                  </li>
                ))}
              </ul>
            </div>
          </footer>
        )}
      </body>
    </html>
  );
}
