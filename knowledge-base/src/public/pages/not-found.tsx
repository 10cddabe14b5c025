import { kbPaths } from '../../urls.js';
import { languageName } from '../locale.js';
import type { PageHead } from '../seo.js';
import type { Site } from '../site.js';
import { Layout } from './layout.js';

export interface NotFoundProps {
  site: Site;
  /** The article in the languages it has (when it is missing only in this one). */
  elsewhere?: { locale: string; title: string; href: string }[];
  head: PageHead;
}

export function NotFoundPage({ site, elsewhere = [], head }: NotFoundProps) {
  const { t } = site;
  return (
    <Layout site={site} head={head}>
      <main id="main" class="wrap">
        <h1>{t.notFoundTitle}</h1>
        {elsewhere.length ? (
          <>
            <p>{t.notInThisLanguage}</p>
            <ul class="list">
              {elsewhere.map((e) => (
                <li>
                  <a href={e.href} hreflang={e.locale}>
                    <span lang={e.locale}>{e.title}</span>
                  </a>{' '}
                  ({languageName(e.locale)})
                </li>
              ))}
            </ul>
          </>
        ) : (
          <p>{t.notFoundText}</p>
        )}
        <p>
          <a href={site.href(kbPaths.home(site.locale))}>{site.settings.name}</a>
        </p>
      </main>
    </Layout>
  );
}

/** No help center at this address: nothing of a tenant to show, so a plain page in the visitor's language. */
export function NoHelpCenterPage({ title, text, lang, css }: { title: string; text: string; lang: string; css: string }) {
  return (
    <html lang={lang}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <title>{title}</title>
        <style dangerouslySetInnerHTML={{ __html: css }} />
      </head>
      <body>
        <main id="main" class="wrap">
          <h1>{title}</h1>
          <p>{text}</p>
        </main>
      </body>
    </html>
  );
}
