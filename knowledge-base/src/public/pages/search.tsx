import { kbPaths } from '../../urls.js';
import type { KbSearchResult } from '../../types.js';
import type { PageHead } from '../seo.js';
import type { Site } from '../site.js';
import { Layout, type LanguageLink } from './layout.js';
import { SearchForm } from './search-form.js';

export interface SearchProps {
  site: Site;
  query: string;
  result: KbSearchResult | null;
  page: number;
  pages: number;
  languages: LanguageLink[];
  head: PageHead;
}

export function SearchPage({ site, query, result, page, pages, languages, head }: SearchProps) {
  const { t, locale } = site;
  const pageHref = (n: number) => site.href(`${kbPaths.search(locale, query)}${n > 1 ? `&page=${n}` : ''}`);
  return (
    <Layout site={site} head={head} languages={languages} headerSearch={false}>
      <main id="main" class="wrap">
        <h1>{t.searchTitle}</h1>
        <SearchForm site={site} id="q" query={query} />
        {result && (
          <>
            <p role="status">{!result.total ? t.noResults(query) : result.partial ? t.someWords(query) : t.results(result.total, query)}</p>
            <ol class="results">
              {result.hits.map((hit) => (
                <li>
                  {/* titleHtml and snippet come from the search index: escaped text with <mark> around matches. */}
                  <a href={site.href(kbPaths.article(hit.locale, hit.slug))} dangerouslySetInnerHTML={{ __html: hit.titleHtml }} />
                  <p class="summary" dangerouslySetInnerHTML={{ __html: hit.snippet }} />
                </li>
              ))}
            </ol>
            {pages > 1 && (
              <nav class="pager">
                {page > 1 && (
                  <a href={pageHref(page - 1)} rel="prev">
                    {t.previous}
                  </a>
                )}
                {page < pages && (
                  <a href={pageHref(page + 1)} rel="next">
                    {t.next}
                  </a>
                )}
              </nav>
            )}
          </>
        )}
      </main>
    </Layout>
  );
}
